//! gettext PO files: one per pack file. `msgctxt` is the stable id of one string
//! (`sdg13/m1.text`, `key-measures/tab.rows.2.2`), `msgid` the source, `msgstr` the
//! translation, `#, fuzzy` marks a stale one.
//!
//! Import never loses a translation: every PO file is read and checked before anything is
//! written, and any error writes nothing; an entry the PO files do not mention is kept; an
//! entry the source no longer has is reported and kept (unless pruned); pack files are edited
//! in place, so their comments and layout stay, and an unchanged string is not rewritten.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use toml_edit::{Array, DocumentMut, Item, Table, Value};

use crate::ctx::Ctx;
use crate::diag::{Code, Diagnostic, Loc};
use crate::files::Output;
use crate::inline::{self, Piece};
use crate::project::Pack;
use crate::project::translation::{
    FieldText, Shape, SourceEntry, State, Translation, fields, fingerprint, reference_hint, reference_why, rich, state,
};

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
        match c {
            '\\' => match chars.next()? {
                'n' => out.push('\n'),
                't' => out.push('\t'),
                c @ ('"' | '\\') => out.push(c),
                _ => return None,
            },
            // An unescaped quote inside the string: the line is broken.
            '"' => return None,
            c => out.push(c),
        }
    }
    Some(out)
}

/// The message context of one string: `<stem>/<key>.<field>[.<i>][.<j>]`.
fn msgctxt(stem: &str, key: &str, f: &FieldText, i: usize) -> String {
    let name = f.field.name();
    match &f.shape {
        Shape::One => format!("{stem}/{key}.{name}"),
        Shape::List => format!("{stem}/{key}.{name}.{}", i + 1),
        Shape::Forms(categories) => {
            format!("{stem}/{key}.{name}.{}", categories.get(i).map_or("other", String::as_str))
        }
        Shape::Rows(lens) => {
            let (mut row, mut rest) = (0, i);
            while row < lens.len() && rest >= lens[row] {
                rest -= lens[row];
                row += 1;
            }
            format!("{stem}/{key}.{name}.{}.{}", row + 1, rest + 1)
        }
    }
}

/// The PO file of a pack file stem, relative to the PO folder (`data/<g>.po` for data groups).
fn po_name(stem: &str) -> String {
    format!("{stem}.po")
}

/// One PO file per pack file, in `dir` (which the caller writes).
pub fn export(t: &Translation, dir: &Path) -> Vec<Output> {
    let code = &t.target.code;
    let mut out = Vec::new();
    for (stem, entries) in t.source_entries() {
        let mut po = String::new();
        let _ = writeln!(po, "# {code} translation of the report texts in lang/{code}/{stem}.toml");
        let _ = writeln!(
            po,
            "msgid \"\"\nmsgstr \"\"\n\"Content-Type: text/plain; charset=UTF-8\\n\"\n\"Language: {}\\n\"\n",
            code.replace('-', "_")
        );
        for e in &entries {
            let entry = t.translated(&stem, &e.key);
            let fuzzy = state(entry, e) == State::Stale;
            let translated = entry.map(fields).unwrap_or_default();
            for f in &e.fields {
                let f = &t.for_target(f);
                let tf = translated.iter().find(|t| t.field == f.field && t.shape == f.shape);
                for (i, s) in f.strings.iter().enumerate() {
                    if fuzzy {
                        po.push_str("#, fuzzy\n");
                    }
                    let _ = writeln!(po, "msgctxt {}", po_quote(&msgctxt(&stem, &e.key, f, i)));
                    let _ = writeln!(po, "msgid {}", po_quote(s));
                    let t = tf.and_then(|t| t.strings.get(i)).cloned().unwrap_or_default();
                    let _ = writeln!(po, "msgstr {}\n", po_quote(&t));
                }
            }
        }
        out.push(Output { path: dir.join(po_name(&stem)), bytes: po.into_bytes() });
    }
    out
}

/// One message read from a PO file, with the place of its `msgstr`.
struct Message {
    ctxt: String,
    msgstr: String,
    fuzzy: bool,
    at: Loc,
}

/// Parses a PO file; every line it cannot read is an error at that line.
fn parse(ctx: &mut Ctx, text: &str, file: &Path) -> Vec<Message> {
    let mut out = Vec::new();
    let (mut ctxt, mut msgstr, mut fuzzy) = (None::<String>, None::<String>, false);
    let mut at = Loc::new(file, 0..0);
    let mut target: u8 = 0; // 1 ctxt, 2 id, 3 str: where continuation lines go
    let mut offset = 0;
    let mut flush = |ctxt: &mut Option<String>, msgstr: &mut Option<String>, fuzzy: &mut bool, at: &Loc| {
        if let (Some(c), Some(s)) = (ctxt.take(), msgstr.take()) {
            out.push(Message { ctxt: c, msgstr: s, fuzzy: *fuzzy, at: at.clone() });
        }
        *fuzzy = false;
    };
    for (n, raw) in text.split_inclusive('\n').enumerate() {
        let line = raw.trim_end();
        let span = offset..offset + line.len();
        offset += raw.len();
        let bad = |ctx: &mut Ctx| {
            ctx.diags.push(
                Loc::new(file, span.clone())
                    .error(Code::Po, format!("cannot read line {}: `{line}`", n + 1))
                    .hint("check the quoting of this line: every string is one pair of \"…\", with \\\" inside"),
            );
        };
        if line.is_empty() {
            flush(&mut ctxt, &mut msgstr, &mut fuzzy, &at);
            target = 0;
        } else if line.starts_with("#,") {
            fuzzy |= line.contains("fuzzy");
        } else if line.starts_with('#') {
        } else if let Some(rest) = line.strip_prefix("msgctxt ") {
            flush(&mut ctxt, &mut msgstr, &mut fuzzy, &at);
            match po_unquote(rest) {
                Some(s) => ctxt = Some(s),
                None => bad(ctx),
            }
            target = 1;
        } else if let Some(rest) = line.strip_prefix("msgid ") {
            if po_unquote(rest).is_none() {
                bad(ctx);
            }
            target = 2;
        } else if let Some(rest) = line.strip_prefix("msgstr ") {
            match po_unquote(rest) {
                Some(s) => msgstr = Some(s),
                None => bad(ctx),
            }
            at = Loc::new(file, span.clone());
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
    flush(&mut ctxt, &mut msgstr, &mut fuzzy, &at);
    out
}

/// What an import would change.
pub struct Import {
    /// The pack files to write (only those that change).
    pub outputs: Vec<Output>,
    /// Entries whose translation was added or changed.
    pub updated: usize,
}

/// Reads the PO files in `from` (a project folder) into the target pack. Returns `None` when
/// anything is wrong (reported in `ctx`): then nothing may be written.
pub fn import(ctx: &mut Ctx, t: &Translation, from: &Path, prune: bool) -> Option<Import> {
    let code = t.target.code.clone();
    let errors_before = ctx.diags.error_count();
    let mut plans = Vec::new();
    for (stem, entries) in t.source_entries() {
        let po_path = from.join(po_name(&stem));
        if !ctx.files.exists(&po_path) {
            continue;
        }
        let Some(text) = ctx.files.read_text(&mut ctx.diags, &po_path) else { continue };
        let messages = parse(ctx, &text, &po_path);
        // Every message the source has, with its source text (and whether it takes inline forms).
        let mut known: BTreeMap<String, (&str, bool)> = BTreeMap::new();
        for e in &entries {
            for f in &e.fields {
                let inline = rich(&stem) && f.field != crate::project::Field::Names;
                let target = t.for_target(f);
                for (i, source) in f.strings.iter().enumerate().take(target.strings.len()) {
                    known.insert(msgctxt(&stem, &e.key, &target, i), (source.as_str(), inline));
                }
            }
        }
        for m in &messages {
            if rich(&stem) {
                check_inline(ctx, t, m);
            }
            if let Some((source, true)) = known.get(&m.ctxt) {
                check_references(ctx, source, m);
            }
        }
        for m in messages.iter().filter(|m| !known.contains_key(&m.ctxt)) {
            ctx.diags.push(
                m.at.warning(Code::PoOrphan, format!("`{}` is not a text of the source language; ignored", m.ctxt))
                    .hint(
                        "it was removed or renamed in the source; export the PO files again to see the current texts",
                    ),
            );
        }
        plans.push((stem, entries, messages));
    }
    if ctx.diags.error_count() > errors_before {
        return None;
    }
    let mut outputs = Vec::new();
    let mut updated = 0;
    for (stem, entries, messages) in plans {
        let path = Pack::path(&code, &stem);
        let existing = if ctx.files.exists(&path) { Some(ctx.files.read_text(&mut ctx.diags, &path)?) } else { None };
        let mut doc: DocumentMut = match existing.as_deref().unwrap_or("").parse() {
            Ok(d) => d,
            Err(e) => {
                ctx.diags.push(Diagnostic::error(Code::Toml, e.to_string()).in_file(&path));
                return None;
            }
        };
        let by_ctxt: BTreeMap<&str, &Message> = messages.iter().map(|m| (m.ctxt.as_str(), m)).collect();
        for e in &entries {
            let prefix = format!("{stem}/{}.", e.key);
            if t.translated(&stem, &e.key).is_some() && !by_ctxt.keys().any(|c| c.starts_with(&prefix)) {
                ctx.diags.push(
                    Diagnostic::warning(
                        Code::PoUnmentioned,
                        format!("`{}` of {} is not in the PO files; kept as it is", e.key, path.display()),
                    )
                    .in_file(&path)
                    .hint("export the PO files again to translate it with the rest"),
                );
            }
            let Some((fields, fuzzy)) = translated(t, &stem, e, &by_ctxt) else { continue };
            let old_hash =
                t.translated(&stem, &e.key).and_then(|o| o.source_hash.as_ref()).map(|h| h.get_ref().clone());
            let hash = if fuzzy { old_hash } else { Some(fingerprint(&e.fields)) };
            if set_entry(&mut doc, &e.key, &fields, hash.as_deref()) {
                updated += 1;
            }
        }
        // Entries the source no longer has: reported, and kept unless pruned.
        let orphans: Vec<String> =
            doc.iter().map(|(k, _)| k.to_string()).filter(|k| !entries.iter().any(|e| &e.key == k)).collect();
        for key in orphans {
            ctx.diags.push(
                Diagnostic::warning(
                    Code::OrphanedText,
                    format!("`{key}` in {} is not a text of the source language", path.display()),
                )
                .in_file(&path)
                .hint(if prune {
                    "removed (--prune)"
                } else {
                    "kept; import with --prune to remove it"
                }),
            );
            if prune {
                doc.remove(&key);
            }
        }
        let new = doc.to_string();
        if existing.as_deref() != Some(new.as_str()) {
            outputs.push(Output { path: ctx.files.root().join(&path), bytes: new.into_bytes() });
        }
    }
    Some(Import { outputs, updated })
}

/// A translator's `{…}` forms must stay well formed and name data that exists.
fn check_inline(ctx: &mut Ctx, t: &Translation, m: &Message) {
    if !m.msgstr.contains('{') {
        return;
    }
    match inline::parse(&m.msgstr) {
        Ok(pieces) => {
            for p in pieces {
                if let Piece::Ref { id, .. } = p
                    && let Err(Some(d)) = t.project.data.lookup(&id, &m.at)
                {
                    ctx.diags.push(d);
                }
            }
        }
        Err(errors) => {
            for e in errors {
                ctx.diags.push(
                    m.at.error(Code::InlineSyntax, format!("{} (in the translation of `{}`)", e.message, m.ctxt))
                        .hint(e.hint),
                );
            }
        }
    }
}

/// A confirmed translation prints the numbers of its source: the same data references, in
/// any order. (A fuzzy one is imported as stale, to be confirmed later; it is checked then.)
fn check_references(ctx: &mut Ctx, source: &str, m: &Message) {
    if m.fuzzy || m.msgstr.is_empty() {
        return;
    }
    let (lacks, adds) = inline::reference_diff(source, &m.msgstr);
    if lacks.is_empty() && adds.is_empty() {
        return;
    }
    let why = reference_why(&lacks, &adds);
    ctx.diags.push(
        m.at.error(
            Code::ReferenceMismatch,
            format!("the translation of `{}` does not print the numbers of its source: it {why}", m.ctxt),
        )
        .hint(reference_hint(&lacks, &adds)),
    );
}

/// The translated fields of one source entry, if the PO files translate every string of it;
/// and whether any of them is fuzzy.
fn translated(
    t: &Translation,
    stem: &str,
    e: &SourceEntry,
    by_ctxt: &BTreeMap<&str, &Message>,
) -> Option<(Vec<FieldText>, bool)> {
    let mut fuzzy = false;
    let mut fields = Vec::new();
    for f in e.fields.iter().map(|f| t.for_target(f)) {
        let f = &f;
        let mut strings = Vec::new();
        for i in 0..f.strings.len() {
            let m = by_ctxt.get(msgctxt(stem, &e.key, f, i).as_str()).filter(|m| !m.msgstr.is_empty())?;
            fuzzy |= m.fuzzy;
            strings.push(m.msgstr.clone());
        }
        fields.push(FieldText { field: f.field, shape: f.shape.clone(), strings });
    }
    Some((fields, fuzzy))
}

/// Writes one entry into the document, touching only values that change. Returns whether
/// anything changed.
fn set_entry(doc: &mut DocumentMut, key: &str, fields: &[FieldText], hash: Option<&str>) -> bool {
    if !doc.contains_key(key) {
        let mut table = Table::new();
        if !doc.is_empty() {
            table.decor_mut().set_prefix("\n");
        }
        doc.insert(key, Item::Table(table));
    }
    let Some(table) = doc.get_mut(key).and_then(Item::as_table_mut) else { return false };
    let mut changed = false;
    for f in fields {
        let name = f.field.name();
        let mut value = value_of(f);
        match table.get_mut(name).and_then(Item::as_value_mut) {
            Some(old) if strings_of(old) == f.strings => continue,
            // Keep the old value's surrounding space and comment.
            Some(old) => {
                *value.decor_mut() = old.decor().clone();
                *old = value;
            }
            None => {
                table.insert(name, Item::Value(value));
            }
        }
        changed = true;
    }
    if let Some(h) = hash {
        match table.get_mut("source_hash").and_then(Item::as_value_mut) {
            Some(old) if old.as_str() == Some(h) => {}
            Some(old) => {
                let decor = old.decor().clone();
                *old = Value::from(h);
                *old.decor_mut() = decor;
                changed = true;
            }
            None => {
                table.insert("source_hash", toml_edit::value(h));
                changed = true;
            }
        }
    }
    changed
}

/// The strings of a value as written (a string, a list, rows, or forms, flattened).
fn strings_of(v: &Value) -> Vec<String> {
    match v {
        Value::String(s) => vec![s.value().clone()],
        Value::Array(a) => a.iter().flat_map(strings_of).collect(),
        Value::InlineTable(t) => {
            crate::project::data::CATEGORIES.iter().filter_map(|c| t.get(c)).flat_map(strings_of).collect()
        }
        _ => Vec::new(),
    }
}

/// A field in the canonical layout: lists and rows one item per line.
fn value_of(f: &FieldText) -> Value {
    let multiline = |items: Vec<Value>| {
        let mut arr = Array::new();
        for v in items {
            arr.push_formatted(v.decorated("\n  ", ""));
        }
        arr.set_trailing_comma(true);
        arr.set_trailing("\n");
        Value::Array(arr)
    };
    match &f.shape {
        Shape::One => Value::from(f.strings[0].as_str()),
        Shape::List => multiline(f.strings.iter().map(|s| Value::from(s.as_str())).collect()),
        Shape::Forms(categories) => {
            let mut table = toml_edit::InlineTable::new();
            for (c, s) in categories.iter().zip(&f.strings) {
                table.insert(c, Value::from(s.as_str()));
            }
            Value::InlineTable(table)
        }
        Shape::Rows(lens) => {
            let mut it = f.strings.iter();
            multiline(
                lens.iter()
                    .map(|len| Value::Array(it.by_ref().take(*len).map(|s| Value::from(s.as_str())).collect()))
                    .collect(),
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::project::Field;

    #[test]
    fn po_strings_round_trip() {
        for s in ["plain", "quote \" and \\ backslash", "line\nbreak\ttab", "中文{sdg13.x}"] {
            assert_eq!(po_unquote(&po_quote(s)).as_deref(), Some(s));
        }
        assert_eq!(po_unquote("\"missing the end"), None);
        assert_eq!(po_unquote("\"a \" b\""), None);
    }

    #[test]
    fn contexts_are_stable_ids() {
        let one = FieldText { field: Field::Title, shape: Shape::One, strings: vec!["a".into()] };
        let list = FieldText { field: Field::Text, shape: Shape::List, strings: vec!["a".into(), "b".into()] };
        let rows = FieldText { field: Field::Rows, shape: Shape::Rows(vec![2, 3]), strings: vec!["".into(); 5] };
        assert_eq!(msgctxt("sdg13", "case", &one, 0), "sdg13/case.title");
        assert_eq!(msgctxt("sdg13", "overview", &list, 1), "sdg13/overview.text.2");
        assert_eq!(msgctxt("key-measures", "tab", &rows, 3), "key-measures/tab.rows.2.2");
    }

    #[test]
    fn an_entry_is_edited_in_place_keeping_comments() {
        let mut doc: DocumentMut =
            "# The chapter\n[chapter]\n# its title\ntitle = \"Old\"\nsource_hash = \"1\"\n".parse().unwrap();
        let f = [FieldText { field: Field::Title, shape: Shape::One, strings: vec!["New".into()] }];
        assert!(set_entry(&mut doc, "chapter", &f, Some("2")));
        assert_eq!(doc.to_string(), "# The chapter\n[chapter]\n# its title\ntitle = \"New\"\nsource_hash = \"2\"\n");
        assert!(!set_entry(&mut doc, "chapter", &f, Some("2")), "nothing changes twice");
    }
}
