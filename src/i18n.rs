//! Stage 3: language packs. One folder per language under `lang/`:
//!
//! ```text
//! lang/en/pack.toml        name, Typst language/region, fallback, fonts, number rules
//! lang/en/ui.toml          interface words the templates print ("Contents", "Figure", …)
//! lang/en/report.toml      title, subtitle, part titles, authors
//! lang/en/<chapter>.toml   every text of one chapter, keyed by the manifest's block ids
//! lang/zh-CN/data/<g>.toml indicator titles, units, dates, sources of data/<g>.toml (the
//!                          source language takes them from data/ itself)
//! ```
//!
//! Every file is a table of entries, `[key]` with fields (`text`, `title`, …). A translated
//! entry carries `source_hash`, the fingerprint of the source-language entry it was made from:
//! when the source changes, the translation is *stale* (see `status.rs`).
//!
//! The default language is the source; any other pack names a `fallback`. A text missing in a
//! pack comes from its fallback with a warning; a text missing from the source is an error.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::de::{self, Deserializer, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};
use toml::Spanned;

use crate::ctx::Ctx;
use crate::data::{Data, Status, Value};
use crate::diag::Diagnostic;
use crate::inline::{self, Piece};
use crate::manifest::{Loc, Report};
use crate::numfmt::NumberRules;

/// One run of inline text, as the templates receive it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "k", rename_all = "lowercase")]
pub enum Run {
    Text {
        s: String,
    },
    Em {
        s: String,
    },
    Strong {
        s: String,
    },
    /// A number from `data/`, formatted for the language.
    Value {
        s: String,
        status: Status,
        id: String,
    },
    /// A value the source lost: printed as the pack's word for "pending".
    Pending {
        s: String,
        id: String,
    },
}

pub type Rich = Vec<Run>;

pub fn plain_text(rich: &[Run]) -> String {
    rich.iter()
        .map(|r| match r {
            Run::Text { s } | Run::Em { s } | Run::Strong { s } | Run::Value { s, .. } | Run::Pending { s, .. } => {
                s.as_str()
            }
        })
        .collect()
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PackMeta {
    name: String,
    lang: String,
    region: Option<String>,
    fallback: Option<Spanned<String>>,
    /// Font families tried after the theme's font (e.g. a CJK face for Chinese).
    #[serde(default)]
    fonts: Vec<String>,
    #[serde(default)]
    numbers: NumberRules,
}

/// The texts a pack entry may hold. Which are required depends on the block type.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub text: Option<Paras>,
    title: Option<Spanned<String>>,
    subtitle: Option<Spanned<String>>,
    short: Option<Spanned<String>>,
    goal: Option<Spanned<String>>,
    caption: Option<Spanned<String>>,
    credit: Option<Spanned<String>>,
    alt: Option<Spanned<String>>,
    note: Option<Spanned<String>>,
    unit: Option<Spanned<String>>,
    date: Option<Spanned<String>>,
    source: Option<Spanned<String>>,
    header: Option<Vec<Spanned<String>>>,
    rows: Option<Vec<Vec<Spanned<String>>>>,
    names: Option<Vec<Spanned<String>>>,
    /// Fingerprint of the source-language entry this translation was made from.
    pub source_hash: Option<Spanned<String>>,
}

/// How a field is written: one string, a list of strings, or rows of strings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Shape {
    One,
    List,
    Rows(Vec<usize>),
}

/// One field of an entry, flattened to its strings (for status, fingerprints and PO files).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldText {
    pub name: &'static str,
    pub shape: Shape,
    pub strings: Vec<String>,
}

impl Entry {
    /// The entry's texts in canonical field order.
    pub fn fields(&self) -> Vec<FieldText> {
        let mut out = Vec::new();
        let one = |name, v: &Option<Spanned<String>>, out: &mut Vec<FieldText>| {
            if let Some(s) = v {
                out.push(FieldText { name, shape: Shape::One, strings: vec![s.get_ref().clone()] });
            }
        };
        if let Some(p) = &self.text {
            let shape = if p.1 { Shape::List } else { Shape::One };
            out.push(FieldText { name: "text", shape, strings: p.0.iter().map(|s| s.get_ref().clone()).collect() });
        }
        one("title", &self.title, &mut out);
        one("subtitle", &self.subtitle, &mut out);
        one("short", &self.short, &mut out);
        one("goal", &self.goal, &mut out);
        one("caption", &self.caption, &mut out);
        one("credit", &self.credit, &mut out);
        one("alt", &self.alt, &mut out);
        one("note", &self.note, &mut out);
        one("unit", &self.unit, &mut out);
        one("date", &self.date, &mut out);
        one("source", &self.source, &mut out);
        let list = |name, v: &Option<Vec<Spanned<String>>>, out: &mut Vec<FieldText>| {
            if let Some(v) = v {
                out.push(FieldText {
                    name,
                    shape: Shape::List,
                    strings: v.iter().map(|s| s.get_ref().clone()).collect(),
                });
            }
        };
        list("header", &self.header, &mut out);
        if let Some(rows) = &self.rows {
            out.push(FieldText {
                name: "rows",
                shape: Shape::Rows(rows.iter().map(Vec::len).collect()),
                strings: rows.iter().flatten().map(|s| s.get_ref().clone()).collect(),
            });
        }
        list("names", &self.names, &mut out);
        out
    }
}

/// `text = "one paragraph"` or `text = ["several", "paragraphs"]`, each with its span.
#[derive(Debug, Clone)]
pub struct Paras(pub Vec<Spanned<String>>, /* written as an array */ pub bool);

impl<'de> Deserialize<'de> for Paras {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Paras;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string or an array of strings")
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Paras, E> {
                // The span of a lone string is filled in from the enclosing Spanned by the caller.
                Ok(Paras(vec![Spanned::new(0..0, s.to_string())], false))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Paras, A::Error> {
                let mut v = Vec::new();
                while let Some(s) = seq.next_element::<Spanned<String>>()? {
                    v.push(s);
                }
                Ok(Paras(v, true))
            }
        }
        d.deserialize_any(V)
    }
}

/// Which field of an entry a caller wants.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Text,
    Title,
    Subtitle,
    Short,
    Goal,
    Caption,
    Credit,
    Alt,
    Note,
    Unit,
    Date,
    Source,
}

impl Field {
    fn name(self) -> &'static str {
        match self {
            Field::Text => "text",
            Field::Title => "title",
            Field::Subtitle => "subtitle",
            Field::Short => "short",
            Field::Goal => "goal",
            Field::Caption => "caption",
            Field::Credit => "credit",
            Field::Alt => "alt",
            Field::Note => "note",
            Field::Unit => "unit",
            Field::Date => "date",
            Field::Source => "source",
        }
    }

    fn get(self, e: &Entry) -> Option<Vec<Spanned<String>>> {
        let one = |s: &Option<Spanned<String>>| s.as_ref().map(|s| vec![s.clone()]);
        match self {
            Field::Text => e.text.as_ref().map(|p| p.0.clone()),
            Field::Title => one(&e.title),
            Field::Subtitle => one(&e.subtitle),
            Field::Short => one(&e.short),
            Field::Goal => one(&e.goal),
            Field::Caption => one(&e.caption),
            Field::Credit => one(&e.credit),
            Field::Alt => one(&e.alt),
            Field::Note => one(&e.note),
            Field::Unit => one(&e.unit),
            Field::Date => one(&e.date),
            Field::Source => one(&e.source),
        }
    }
}

pub struct PackFile {
    pub path: PathBuf,
    pub entries: BTreeMap<String, Spanned<Entry>>,
}

pub struct Pack {
    pub code: String,
    meta: PackMeta,
    /// By file stem: `ui`, `report`, a chapter id, or `data/<group>`.
    pub files: BTreeMap<String, PackFile>,
}

/// The packs of one edition: the requested language first, then its fallbacks.
pub struct Lang {
    chain: Vec<Pack>,
    /// (file, key) pairs looked up, to report unused texts.
    used: RefCell<BTreeSet<(String, String)>>,
    /// Missing translations already reported, so each is reported once.
    warned: RefCell<BTreeSet<(String, String, &'static str)>>,
}

/// Loads `lang/<code>/` and its fallback chain.
/// The file stems a pack may hold, in book order.
pub fn stems(report: &Report, data: &Data) -> Vec<String> {
    let mut stems = vec!["ui".to_string(), "report".to_string()];
    stems.extend(report.chapters().map(|c| c.id.clone()));
    stems.extend(data.groups().into_iter().map(|g| format!("data/{g}")));
    stems
}

pub fn load(ctx: &mut Ctx, report: &Report, data: &Data, code: &str) -> Option<Lang> {
    let mut chain = Vec::new();
    let mut next = Some((code.to_string(), None::<Loc>));
    while let Some((c, from)) = next.take() {
        if chain.iter().any(|p: &Pack| p.code == c) {
            let d = Diagnostic::error("invalid-value", format!("language packs fall back in a circle at `{c}`"));
            ctx.push(match from {
                Some(l) => d.at(l.file, Some(l.span)),
                None => d,
            });
            return None;
        }
        let pack = load_pack(ctx, &stems(report, data), &c, from)?;
        next = pack.meta.fallback.as_ref().map(|f| {
            (f.get_ref().clone(), Some(Loc { file: PathBuf::from("lang").join(&c).join("pack.toml"), span: f.span() }))
        });
        chain.push(pack);
    }
    if chain.last().is_some_and(|p| p.code != report.default_language) {
        ctx.push(
            Diagnostic::error(
                "invalid-value",
                format!(
                    "pack `{}` does not fall back to the source language `{}`",
                    chain.last().unwrap().code,
                    report.default_language
                ),
            )
            .in_file(PathBuf::from("lang").join(&chain.last().unwrap().code).join("pack.toml"))
            .hint(format!("add `fallback = \"{}\"`", report.default_language)),
        );
    }
    Some(Lang { chain, used: RefCell::default(), warned: RefCell::default() })
}

fn load_pack(ctx: &mut Ctx, stems: &[String], code: &str, from: Option<Loc>) -> Option<Pack> {
    let dir = PathBuf::from("lang").join(code);
    if !ctx.root.join(&dir).is_dir() {
        let d = Diagnostic::error("missing-file", format!("there is no language pack `{code}`"))
            .hint(format!("create {}/ with pack.toml, ui.toml and one file per chapter", dir.display()));
        ctx.push(match from {
            Some(l) => d.at(l.file, Some(l.span)),
            None => d,
        });
        return None;
    }
    let meta: PackMeta = ctx.read_toml(&dir.join("pack.toml"))?;
    let mut files = BTreeMap::new();
    for stem in stems.iter().cloned() {
        let path = dir.join(format!("{stem}.toml"));
        if !ctx.root.join(&path).is_file() {
            continue; // reported per missing text, with the fallback's words
        }
        let mut entries: BTreeMap<String, Spanned<Entry>> = ctx.read_toml(&path).unwrap_or_default();
        // A lone `text = "..."` has no span of its own yet: give it the entry's.
        for e in entries.values_mut() {
            let span = e.span();
            let entry = e.get_mut();
            if let Some(p) = &mut entry.text
                && p.0.len() == 1
                && p.0[0].span() == (0..0)
            {
                let s = p.0[0].get_ref().clone();
                p.0[0] = Spanned::new(span, s);
            }
        }
        files.insert(stem, PackFile { path, entries });
    }
    Some(Pack { code: code.to_string(), meta, files })
}

impl Lang {
    pub fn code(&self) -> &str {
        &self.chain[0].code
    }

    pub fn name(&self) -> &str {
        &self.chain[0].meta.name
    }

    pub fn typst_lang(&self) -> &str {
        &self.chain[0].meta.lang
    }

    pub fn region(&self) -> Option<&str> {
        self.chain[0].meta.region.as_deref()
    }

    pub fn numbers(&self) -> &NumberRules {
        &self.chain[0].meta.numbers
    }

    /// Font families to try after the theme's font.
    pub fn fonts(&self) -> &[String] {
        &self.chain[0].meta.fonts
    }

    /// The packs, requested language first, source language last.
    pub fn chain(&self) -> &[Pack] {
        &self.chain
    }

    /// An interface word. Missing from every pack is an error in the source pack's ui.toml.
    pub fn ui(&self, ctx: &mut Ctx, key: &str) -> String {
        if let Some((v, _)) = self.find(ctx, "ui", key, Field::Text) {
            return v.into_iter().map(|s| s.into_inner()).collect();
        }
        let src = self.source_path("ui");
        ctx.push(
            Diagnostic::error("missing-text", format!("interface word `{key}` is missing"))
                .in_file(&src)
                .hint(format!("add [{key}] text = \"...\" to {}", src.display())),
        );
        key.to_string()
    }

    fn warn_missing(&self, ctx: &mut Ctx, file: &Path, key: &str, field: &'static str) {
        let k = (file.display().to_string(), key.to_string(), field);
        if self.warned.borrow_mut().insert(k) {
            ctx.push(
                Diagnostic::warning(
                    "missing-translation",
                    format!(
                        "`{key}` ({field}) is not translated into {}; using {}",
                        self.code(),
                        self.chain.last().map_or("", |p| p.code.as_str())
                    ),
                )
                .in_file(file)
                .hint(format!("add [{key}] {field} = \"...\" to {}", file.display())),
            );
        }
    }

    /// Finds a field of an entry along the fallback chain; returns the strings and their file.
    fn find(&self, ctx: &mut Ctx, file: &str, key: &str, field: Field) -> Option<(Vec<Spanned<String>>, PathBuf)> {
        self.lookup(ctx, file, key, field.name(), |e| field.get(e))
    }

    /// The first pack in the chain whose entry `file`/`key` has what `get` wants, with that
    /// file's path. Marks the entry used; warns when only a fallback pack has it.
    fn lookup<'s, T>(
        &'s self,
        ctx: &mut Ctx,
        file: &str,
        key: &str,
        what: &'static str,
        get: impl Fn(&'s Entry) -> Option<T>,
    ) -> Option<(T, PathBuf)> {
        self.used.borrow_mut().insert((file.to_string(), key.to_string()));
        for (i, p) in self.chain.iter().enumerate() {
            let Some(pf) = p.files.get(file) else { continue };
            let Some(entry) = pf.entries.get(key) else { continue };
            if let Some(v) = get(entry.get_ref()) {
                if i > 0 {
                    let path = PathBuf::from("lang").join(self.code()).join(format!("{file}.toml"));
                    self.warn_missing(ctx, &path, key, what);
                }
                return Some((v, pf.path.clone()));
            }
        }
        None
    }

    /// Rich text of a field (one entry per paragraph), or an error at `loc` if no pack has it.
    pub fn rich(&self, ctx: &mut Ctx, data: &Data, file: &str, key: &str, field: Field, loc: &Loc) -> Vec<Rich> {
        match self.rich_opt(ctx, data, file, key, field) {
            Some(r) => r,
            None => {
                let src = self.source_path(file);
                ctx.push(
                    loc.error("missing-text", format!("no {} for `{key}` in {}", field.name(), src.display()))
                        .hint(format!("add [{key}] {} = \"...\" to {}", field.name(), src.display())),
                );
                vec![vec![Run::Text { s: format!("[{key}]") }]]
            }
        }
    }

    /// Like [`rich`](Self::rich) for optional fields (credits, notes).
    pub fn rich_opt(&self, ctx: &mut Ctx, data: &Data, file: &str, key: &str, field: Field) -> Option<Vec<Rich>> {
        let (strings, path) = self.find(ctx, file, key, field)?;
        Some(strings.iter().map(|s| self.resolve(ctx, data, &path, s)).collect())
    }

    /// One-paragraph convenience.
    pub fn line(&self, ctx: &mut Ctx, data: &Data, file: &str, key: &str, field: Field, loc: &Loc) -> Rich {
        self.rich(ctx, data, file, key, field, loc).into_iter().flatten().collect()
    }

    pub fn line_opt(&self, ctx: &mut Ctx, data: &Data, file: &str, key: &str, field: Field) -> Option<Rich> {
        self.rich_opt(ctx, data, file, key, field).map(|p| p.into_iter().flatten().collect())
    }

    /// Table cells: header and rows, each cell rich text.
    pub fn table(&self, ctx: &mut Ctx, data: &Data, file: &str, key: &str, loc: &Loc) -> (Vec<Rich>, Vec<Vec<Rich>>) {
        let Some(((header, rows), path)) =
            self.lookup(ctx, file, key, "header and rows", |e| e.header.as_ref().zip(e.rows.as_ref()))
        else {
            let src = self.source_path(file);
            ctx.push(
                loc.error("missing-text", format!("no header and rows for table `{key}` in {}", src.display()))
                    .hint("add header = [...] and rows = [[...], ...]"),
            );
            return (Vec::new(), Vec::new());
        };
        let header = header.iter().map(|s| self.resolve(ctx, data, &path, s)).collect::<Vec<_>>();
        let mut out = Vec::new();
        for row in rows {
            if row.len() != header.len() {
                let span = row.first().map(|c| c.span());
                ctx.push(
                    Diagnostic::error(
                        "invalid-value",
                        format!("table `{key}` has a row of {} cells but {} columns", row.len(), header.len()),
                    )
                    .at(&path, span)
                    .hint("give every row one cell per header column"),
                );
            }
            out.push(row.iter().map(|s| self.resolve(ctx, data, &path, s)).collect());
        }
        (header, out)
    }

    /// Credits: `[[credits]]`-like entries are plain name lists under report.toml keys.
    pub fn names(&self, ctx: &mut Ctx, file: &str, key: &str) -> Option<Vec<String>> {
        self.lookup(ctx, file, key, "names", |e| {
            e.names.as_ref().map(|n| n.iter().map(|s| s.get_ref().clone()).collect())
        })
        .map(|(names, _)| names)
    }

    /// An indicator's title, unit, date or source as this language writes it, if its pack
    /// translates it (the source language's words are in data/ itself).
    pub fn indicator_text(&self, ctx: &mut Ctx, id: &str, field: Field) -> Option<String> {
        let (group, key) = id.split_once('.')?;
        let file = format!("data/{group}");
        let found = self.find(ctx, &file, key, field).map(|(v, _)| v.into_iter().map(|s| s.into_inner()).collect());
        if found.is_none() && self.chain.len() > 1 {
            let path = PathBuf::from("lang").join(self.code()).join(format!("{file}.toml"));
            self.warn_missing(ctx, &path, key, field.name());
        }
        found
    }

    fn source_path(&self, file: &str) -> PathBuf {
        let src = self.chain.last().expect("chain is never empty");
        PathBuf::from("lang").join(&src.code).join(format!("{file}.toml"))
    }

    /// Parses inline syntax and resolves data references in one string.
    fn resolve(&self, ctx: &mut Ctx, data: &Data, path: &Path, s: &Spanned<String>) -> Rich {
        let text = s.get_ref();
        let parsed = inline::parse(text);
        // Positions inside the string, mapped to the TOML file before `ctx` is borrowed mutably.
        let source = ctx.sources.get(path);
        let map = |at: &Range<usize>| string_offset(source, s.span(), text, at.clone());
        match parsed {
            Ok(pieces) => {
                let spans: Vec<Option<Range<usize>>> =
                    pieces.iter().map(|p| if let Piece::Ref { at, .. } = p { Some(map(at)) } else { None }).collect();
                pieces
                    .into_iter()
                    .zip(spans)
                    .map(|(p, span)| match p {
                        Piece::Text(s) => Run::Text { s },
                        Piece::Emph(s) => Run::Em { s },
                        Piece::Strong(s) => Run::Strong { s },
                        Piece::Ref { id, year, .. } => {
                            let loc = Loc { file: path.to_path_buf(), span: span.unwrap_or_default() };
                            self.value_run(ctx, data, &id, year, &loc)
                        }
                    })
                    .collect()
            }
            Err(errors) => {
                let located: Vec<_> = errors.into_iter().map(|e| (map(&e.at), e)).collect();
                for (span, e) in located {
                    ctx.push(Diagnostic::error("inline-syntax", e.message).at(path, Some(span)).hint(e.hint));
                }
                vec![Run::Text { s: text.clone() }]
            }
        }
    }

    /// The run that prints one indicator value (tile or reference).
    pub fn value_run(&self, ctx: &mut Ctx, data: &Data, id: &str, year: Option<i32>, loc: &Loc) -> Run {
        let ind = match data.lookup(id, loc) {
            Ok(i) => i,
            Err(d) => {
                ctx.push(d);
                return Run::Text { s: format!("{{{id}}}") };
            }
        };
        match ind.at(year) {
            Ok(Value::Known(n)) => {
                Run::Value { s: ind.format(n, self.numbers()), status: ind.status, id: id.to_string() }
            }
            Ok(Value::Pending) => Run::Pending { s: self.ui(ctx, "pending"), id: id.to_string() },
            Err(msg) => {
                ctx.push(loc.error("invalid-reference", msg));
                Run::Text { s: format!("{{{id}}}") }
            }
        }
    }

    /// Texts in the packs that no manifest block asked for (typos in ids, removed blocks).
    pub fn report_unused(&self, ctx: &mut Ctx) {
        let used = self.used.borrow();
        for p in &self.chain {
            for (stem, pf) in &p.files {
                if stem.starts_with("data/") || stem == "ui" {
                    continue; // looked up by indicator id / interface key, not by blocks
                }
                for (key, e) in &pf.entries {
                    if !used.contains(&(stem.clone(), key.clone())) {
                        ctx.push(
                            Diagnostic::warning("unused-text", format!("`{key}` is not used by any block"))
                                .at(&pf.path, Some(e.span().start..e.span().start + 1))
                                .hint("check the id against the chapter manifest, or remove the entry"),
                        );
                    }
                }
            }
        }
    }
}

/// Maps a byte range inside a string value to a range in the TOML file. Exact when the
/// string is written without escapes (the usual case); otherwise points at the string.
fn string_offset(source: Option<&str>, span: Range<usize>, value: &str, at: Range<usize>) -> Range<usize> {
    let Some(src) = source else { return span };
    let Some(raw) = src.get(span.clone()) else { return span };
    for quote in ["\"\"\"", "'''", "\"", "'"] {
        if raw.starts_with(quote) && raw.len() >= 2 * quote.len() {
            let body = &raw[quote.len()..raw.len() - quote.len()];
            // Multi-line strings may start with a newline that is not part of the value.
            let skip = if quote.len() == 3 && body.starts_with('\n') { 1 } else { 0 };
            if &body[skip..] == value {
                let base = span.start + quote.len() + skip;
                return base + at.start..base + at.end;
            }
            break;
        }
    }
    span
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_map_into_the_toml_file() {
        let src = "text = \"a {x.y} b\"\n";
        let span = 7..18;
        assert_eq!(string_offset(Some(src), span.clone(), "a {x.y} b", 2..7), 10..15);
        assert_eq!(&src[10..15], "{x.y}");
        // With an escape the value differs from the raw text: fall back to the string.
        let src = "text = \"\\u0041 {x.y}\"\n";
        assert_eq!(string_offset(Some(src), 7..21, "A {x.y}", 2..7), 7..21);
    }
}
