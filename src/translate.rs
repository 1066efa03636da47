//! The translator's workflow (`vlr i18n …`): status of a pack against the source language,
//! and gettext PO export/import.
//!
//! Every translated entry stores `source_hash`, a fingerprint of the source entry it was made
//! from. When the source changes, the fingerprint no longer matches and the entry is *stale*.
//! Import writes pack files in one canonical form (source order, fixed field order), so an
//! export followed by an import changes nothing.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::ctx::Ctx;
use crate::data::Data;
use crate::diag::Diagnostic;
use crate::i18n::{FieldText, Lang, Shape};

/// One translatable entry of the source language, in book order.
pub struct SourceEntry {
    pub key: String,
    pub fields: Vec<FieldText>,
}

/// The state of one entry of the target pack.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    Translated,
    Missing,
    Stale,
}

#[derive(Debug, Default, Clone)]
pub struct FileStatus {
    pub stem: String,
    pub translated: usize,
    pub missing: Vec<String>,
    pub stale: Vec<String>,
    pub orphaned: Vec<String>,
}

/// FNV-1a (64 bit) over field names and strings: stable across versions and platforms.
pub fn fingerprint(fields: &[FieldText]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut eat = |bytes: &[u8]| {
        for b in bytes {
            h ^= *b as u64;
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        h ^= 0xff;
        h = h.wrapping_mul(0x0100_0000_01b3);
    };
    for f in fields {
        eat(f.name.as_bytes());
        for s in &f.strings {
            eat(s.as_bytes());
        }
    }
    format!("{h:016x}")
}

/// The source language's entries per pack file stem, in book order.
pub fn source_entries(lang: &Lang, data: &Data, stems: &[String]) -> Vec<(String, Vec<SourceEntry>)> {
    let src = lang.chain().last().expect("chain is never empty");
    let mut out = Vec::new();
    for stem in stems {
        let mut entries = Vec::new();
        if let Some(group) = stem.strip_prefix("data/") {
            // The source words of indicators are in data/ itself.
            let mut inds: Vec<_> =
                data.indicators.values().filter(|i| i.id.split_once('.').is_some_and(|(g, _)| g == group)).collect();
            inds.sort_by_key(|i| i.loc.span.start);
            for ind in inds {
                let mut fields = vec![FieldText { name: "title", shape: Shape::One, strings: vec![ind.title.clone()] }];
                if let Some(s) = &ind.short {
                    fields.push(FieldText { name: "short", shape: Shape::One, strings: vec![s.clone()] });
                }
                fields.push(FieldText { name: "unit", shape: Shape::One, strings: vec![ind.unit.clone()] });
                if let Some(d) = &ind.date {
                    fields.push(FieldText { name: "date", shape: Shape::One, strings: vec![d.clone()] });
                }
                fields.push(FieldText { name: "source", shape: Shape::One, strings: vec![ind.source.clone()] });
                let key = ind.id.split_once('.').map(|(_, k)| k.to_string()).unwrap_or_default();
                entries.push(SourceEntry { key, fields });
            }
        } else if let Some(pf) = src.files.get(stem) {
            let mut es: Vec<_> = pf.entries.iter().collect();
            es.sort_by_key(|(_, e)| e.span().start);
            for (key, e) in es {
                entries.push(SourceEntry { key: key.clone(), fields: e.get_ref().fields() });
            }
        }
        out.push((stem.clone(), entries));
    }
    out
}

/// Compares the requested pack (the first of the chain) with the source language.
pub fn status(lang: &Lang, data: &Data, stems: &[String]) -> Vec<FileStatus> {
    let target = &lang.chain()[0];
    let mut out = Vec::new();
    for (stem, entries) in source_entries(lang, data, stems) {
        let mut st = FileStatus { stem: stem.clone(), ..Default::default() };
        let file = target.files.get(&stem);
        for e in &entries {
            match state(file.and_then(|f| f.entries.get(&e.key)).map(|s| s.get_ref()), e) {
                State::Translated => st.translated += 1,
                State::Missing => st.missing.push(e.key.clone()),
                State::Stale => st.stale.push(e.key.clone()),
            }
        }
        if let Some(f) = file {
            for key in f.entries.keys() {
                if !entries.iter().any(|e| &e.key == key) {
                    st.orphaned.push(key.clone());
                }
            }
        }
        out.push(st);
    }
    out
}

fn state(entry: Option<&crate::i18n::Entry>, source: &SourceEntry) -> State {
    let Some(entry) = entry else { return State::Missing };
    let fields = entry.fields();
    // A translation must cover every field of the source.
    if source.fields.iter().any(|sf| !fields.iter().any(|f| f.name == sf.name)) {
        return State::Missing;
    }
    match &entry.source_hash {
        Some(h) if *h.get_ref() == fingerprint(&source.fields) => State::Translated,
        _ => State::Stale,
    }
}

/// `vlr i18n status` as text: one line per file, then the ids of every problem.
pub fn render_status(code: &str, files: &[FileStatus]) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:<22} {:>10} {:>8} {:>6} {:>9}",
        format!("lang/{code}/"),
        "translated",
        "missing",
        "stale",
        "orphaned"
    );
    let mut totals = (0, 0, 0, 0);
    for f in files {
        let _ = writeln!(
            out,
            "{:<22} {:>10} {:>8} {:>6} {:>9}",
            f.stem,
            f.translated,
            f.missing.len(),
            f.stale.len(),
            f.orphaned.len()
        );
        totals.0 += f.translated;
        totals.1 += f.missing.len();
        totals.2 += f.stale.len();
        totals.3 += f.orphaned.len();
    }
    let _ = writeln!(out, "{:<22} {:>10} {:>8} {:>6} {:>9}", "total", totals.0, totals.1, totals.2, totals.3);
    for f in files {
        for (what, ids) in [("missing", &f.missing), ("stale", &f.stale), ("orphaned", &f.orphaned)] {
            for id in ids {
                let _ = writeln!(out, "{what:<9} {}/{id}", f.stem);
            }
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// PO files.

fn po_quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn po_unquote(s: &str) -> Option<String> {
    let inner = s.trim().strip_prefix('"')?.strip_suffix('"')?;
    let mut out = String::new();
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next()? {
                'n' => out.push('\n'),
                't' => out.push('\t'),
                c => out.push(c),
            }
        } else {
            out.push(c);
        }
    }
    Some(out)
}

/// The message context of one string: `<stem>/<key>.<field>[.<i>][.<j>]`.
fn msgctxt(stem: &str, key: &str, f: &FieldText, i: usize) -> String {
    match &f.shape {
        Shape::One => format!("{stem}/{key}.{}", f.name),
        Shape::List => format!("{stem}/{key}.{}.{}", f.name, i + 1),
        Shape::Rows(lens) => {
            let (mut row, mut rest) = (0, i);
            while row < lens.len() && rest >= lens[row] {
                rest -= lens[row];
                row += 1;
            }
            format!("{stem}/{key}.{}.{}.{}", f.name, row + 1, rest + 1)
        }
    }
}

/// Writes one PO file per pack file into `dir` (data groups under `dir/data/`).
pub fn export_po(lang: &Lang, data: &Data, stems: &[String], dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let target = &lang.chain()[0];
    let mut written = Vec::new();
    for (stem, entries) in source_entries(lang, data, stems) {
        let mut po = String::new();
        let _ = writeln!(po, "# {} translation of the report texts in lang/{}/{stem}.toml", target.code, target.code);
        let _ = writeln!(
            po,
            "msgid \"\"\nmsgstr \"\"\n\"Content-Type: text/plain; charset=UTF-8\\n\"\n\"Language: {}\\n\"\n",
            target.code.replace('-', "_")
        );
        let file = target.files.get(&stem);
        for e in &entries {
            let entry = file.and_then(|f| f.entries.get(&e.key)).map(|s| s.get_ref());
            let fuzzy = state(entry, e) == State::Stale;
            let translated = entry.map(|t| t.fields()).unwrap_or_default();
            for f in &e.fields {
                let tf = translated.iter().find(|t| t.name == f.name);
                for (i, s) in f.strings.iter().enumerate() {
                    if fuzzy {
                        po.push_str("#, fuzzy\n");
                    }
                    let _ = writeln!(po, "msgctxt {}", po_quote(&msgctxt(&stem, &e.key, f, i)));
                    let _ = writeln!(po, "msgid {}", po_quote(s));
                    let t =
                        tf.filter(|t| t.shape == f.shape).and_then(|t| t.strings.get(i)).cloned().unwrap_or_default();
                    let _ = writeln!(po, "msgstr {}\n", po_quote(&t));
                }
            }
        }
        let path = dir.join(format!("{stem}.po"));
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(&path, po)?;
        written.push(path);
    }
    Ok(written)
}

/// One message read from a PO file.
struct Message {
    ctxt: String,
    msgstr: String,
    fuzzy: bool,
}

fn parse_po(text: &str, file: &Path, ctx: &mut Ctx) -> Vec<Message> {
    let mut out = Vec::new();
    let (mut ctxt, mut msgstr, mut fuzzy) = (None::<String>, None::<String>, false);
    let mut target: u8 = 0; // 1 ctxt, 2 id, 3 str: where continuation lines go
    let flush = |ctxt: &mut Option<String>, msgstr: &mut Option<String>, fuzzy: &mut bool, out: &mut Vec<Message>| {
        if let (Some(c), Some(s)) = (ctxt.take(), msgstr.take()) {
            out.push(Message { ctxt: c, msgstr: s, fuzzy: *fuzzy });
        }
        *fuzzy = false;
    };
    for (n, line) in text.lines().enumerate() {
        let line = line.trim_end();
        let bad = |ctx: &mut Ctx| {
            let offset: usize = text.lines().take(n).map(|l| l.len() + 1).sum();
            ctx.push(
                Diagnostic::error("po", format!("cannot read line {}: `{line}`", n + 1))
                    .at(file, Some(offset..offset + line.len()))
                    .hint("check the quoting of this PO line"),
            );
        };
        if line.is_empty() {
            flush(&mut ctxt, &mut msgstr, &mut fuzzy, &mut out);
            target = 0;
        } else if line.starts_with("#,") {
            fuzzy |= line.contains("fuzzy");
        } else if line.starts_with('#') {
        } else if let Some(rest) = line.strip_prefix("msgctxt ") {
            flush(&mut ctxt, &mut msgstr, &mut fuzzy, &mut out);
            match po_unquote(rest) {
                Some(s) => ctxt = Some(s),
                None => bad(ctx),
            }
            target = 1;
        } else if line.starts_with("msgid ") {
            target = 2;
        } else if let Some(rest) = line.strip_prefix("msgstr ") {
            match po_unquote(rest) {
                Some(s) => msgstr = Some(s),
                None => bad(ctx),
            }
            target = 3;
        } else if line.starts_with('"') {
            match (po_unquote(line), target) {
                (Some(s), 1) => ctxt.get_or_insert_default().push_str(&s),
                (Some(s), 3) => msgstr.get_or_insert_default().push_str(&s),
                (Some(_), _) => {}
                (None, _) => bad(ctx),
            }
        } else {
            bad(ctx);
        }
    }
    flush(&mut ctxt, &mut msgstr, &mut fuzzy, &mut out);
    out
}

/// Reads the PO files in `dir` and rewrites the pack files of `lang/<code>/` canonically.
/// A message marked fuzzy keeps the entry's old fingerprint (it stays stale); all others are
/// stamped with the current source fingerprint.
pub fn import_po(ctx: &mut Ctx, lang: &Lang, data: &Data, stems: &[String], dir: &Path) -> Vec<PathBuf> {
    let target = &lang.chain()[0];
    let mut written = Vec::new();
    for (stem, entries) in source_entries(lang, data, stems) {
        let po_path = dir.join(format!("{stem}.po"));
        let Ok(text) = std::fs::read_to_string(&po_path) else { continue };
        ctx.sources.insert(&po_path, text.clone());
        let messages = parse_po(&text, &po_path, ctx);
        let by_ctxt: BTreeMap<&str, &Message> = messages.iter().map(|m| (m.ctxt.as_str(), m)).collect();
        let mut toml = String::new();
        for e in &entries {
            let old = target.files.get(&stem).and_then(|f| f.entries.get(&e.key)).map(|s| s.get_ref());
            let mut fields = Vec::new();
            let mut any_fuzzy = false;
            let mut complete = true;
            for f in &e.fields {
                let strings: Vec<String> = (0..f.strings.len())
                    .map(|i| match by_ctxt.get(msgctxt(&stem, &e.key, f, i).as_str()) {
                        Some(m) if !m.msgstr.is_empty() => {
                            any_fuzzy |= m.fuzzy;
                            m.msgstr.clone()
                        }
                        _ => {
                            complete = false;
                            String::new()
                        }
                    })
                    .collect();
                fields.push(FieldText { name: f.name, shape: f.shape.clone(), strings });
            }
            if !complete {
                continue; // an untranslated entry stays missing
            }
            let hash = if any_fuzzy {
                old.and_then(|o| o.source_hash.as_ref()).map(|h| h.get_ref().clone())
            } else {
                Some(fingerprint(&e.fields))
            };
            write_entry(&mut toml, &e.key, &fields, hash.as_deref());
        }
        let path = PathBuf::from("lang").join(&target.code).join(format!("{stem}.toml"));
        let full = ctx.root.join(&path);
        if let Some(parent) = full.parent() {
            let _ = std::fs::create_dir_all(parent);
        }
        match crate::export::write_atomic(&full, toml.as_bytes()) {
            Ok(()) => written.push(path),
            Err(e) => ctx.push(Diagnostic::error("write", format!("cannot write {}: {e}", path.display()))),
        }
    }
    written
}

fn toml_str(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

fn toml_key(k: &str) -> String {
    if k.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') { k.to_string() } else { toml_str(k) }
}

/// The canonical form of one pack entry.
fn write_entry(out: &mut String, key: &str, fields: &[FieldText], hash: Option<&str>) {
    let _ = writeln!(out, "[{}]", toml_key(key));
    for f in fields {
        match &f.shape {
            Shape::One => {
                let _ = writeln!(out, "{} = {}", f.name, toml_str(&f.strings[0]));
            }
            Shape::List => {
                let _ = writeln!(out, "{} = [", f.name);
                for s in &f.strings {
                    let _ = writeln!(out, "  {},", toml_str(s));
                }
                out.push_str("]\n");
            }
            Shape::Rows(lens) => {
                let _ = writeln!(out, "{} = [", f.name);
                let mut it = f.strings.iter();
                for len in lens {
                    let cells: Vec<String> = it.by_ref().take(*len).map(|s| toml_str(s)).collect();
                    let _ = writeln!(out, "  [{}],", cells.join(", "));
                }
                out.push_str("]\n");
            }
        }
    }
    if let Some(h) = hash {
        let _ = writeln!(out, "source_hash = {}", toml_str(h));
    }
    out.push('\n');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn po_strings_round_trip() {
        for s in ["plain", "quote \" and \\ backslash", "line\nbreak\ttab", "中文{sdg13.x}"] {
            assert_eq!(po_unquote(&po_quote(s)).as_deref(), Some(s));
        }
    }

    #[test]
    fn contexts_are_stable_ids() {
        let one = FieldText { name: "title", shape: Shape::One, strings: vec!["a".into()] };
        let list = FieldText { name: "text", shape: Shape::List, strings: vec!["a".into(), "b".into()] };
        let rows = FieldText { name: "rows", shape: Shape::Rows(vec![2, 3]), strings: vec!["".into(); 5] };
        assert_eq!(msgctxt("sdg13", "case", &one, 0), "sdg13/case.title");
        assert_eq!(msgctxt("sdg13", "overview", &list, 1), "sdg13/overview.text.2");
        assert_eq!(msgctxt("key-measures", "tab", &rows, 3), "key-measures/tab.rows.2.2");
    }

    #[test]
    fn fingerprint_changes_with_any_string() {
        let a = vec![FieldText { name: "text", shape: Shape::One, strings: vec!["x".into()] }];
        let b = vec![FieldText { name: "text", shape: Shape::One, strings: vec!["y".into()] }];
        assert_ne!(fingerprint(&a), fingerprint(&b));
        assert_eq!(fingerprint(&a), fingerprint(&a.clone()));
    }
}
