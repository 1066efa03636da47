//! Language packs, one folder per language under `lang/`:
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
//! Every file is a table of entries, `[key]` with fields (`text`, `title`, …; the one list is
//! [`Field::ALL`]). A translated entry carries `source_hash`, the fingerprint of the
//! source-language entry it was made from: when the source changes, the translation is
//! *stale* (see `translation::state`).

use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use toml::Spanned;

use super::data::{Data, Qualifier, Status};
use super::report::Report;
use crate::ctx::Ctx;
use crate::diag::{Code, Diagnostic, Loc};
use crate::numbers::NumberRules;

pub const LANG_DIR: &str = "lang";

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PackMeta {
    pub name: String,
    /// Typst's language and region (`zh`, `cn`).
    pub lang: String,
    pub region: Option<String>,
    pub fallback: Option<Spanned<String>>,
    /// Font families tried after the theme's font (e.g. a CJK face for Chinese).
    #[serde(default)]
    pub fonts: Vec<String>,
    #[serde(default)]
    pub numbers: NumberRules,
    /// Hyphenate justified text (default: where Typst has patterns for the language).
    pub hyphenate: Option<bool>,
    /// Line spacing in em (default: what the script needs; 0.62 for Latin).
    pub leading: Option<Spanned<f64>>,
}

/// The words vlr prints itself (the templates print the rest of `ui.toml`), by their key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Word {
    Pending,
    Status(Status),
    Qualifier(Qualifier),
    /// A goal with its number, as headings print it (`SDG {n}`).
    SdgLabel,
    /// The label above a goal's statement (`Goal {n}`).
    GoalLabel,
}

impl Word {
    /// The words vlr fills with a number, written where their `{n}` stands.
    pub const NUMBERED: [Word; 2] = [Word::SdgLabel, Word::GoalLabel];

    pub fn key(self) -> &'static str {
        match self {
            Word::Pending => "pending",
            Word::SdgLabel => "sdg-label",
            Word::GoalLabel => "goal-label",
            Word::Status(Status::Reported) => "status-reported",
            Word::Status(Status::Derived) => "status-derived",
            Word::Status(Status::Uncertain) => "status-uncertain",
            Word::Status(Status::Pending) => "status-pending",
            Word::Qualifier(Qualifier::About) => "qualifier-about",
            Word::Qualifier(Qualifier::Over) => "qualifier-over",
            Word::Qualifier(Qualifier::Nearly) => "qualifier-nearly",
            Word::Qualifier(Qualifier::AtLeast) => "qualifier-at-least",
            Word::Qualifier(Qualifier::AtMost) => "qualifier-at-most",
            Word::Qualifier(Qualifier::Under) => "qualifier-under",
        }
    }
}

/// The fields a pack entry may hold, in their canonical order (fingerprints and PO files
/// follow it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
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
    Header,
    Rows,
    Names,
}

/// How a field is written: one string, a list of strings, or rows of strings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shapes {
    One,
    OneOrList,
    /// One word, or its plural forms (units).
    OneOrForms,
    List,
    Rows,
}

impl Field {
    pub const ALL: [(&'static str, Field); 15] = [
        ("text", Field::Text),
        ("title", Field::Title),
        ("subtitle", Field::Subtitle),
        ("short", Field::Short),
        ("goal", Field::Goal),
        ("caption", Field::Caption),
        ("credit", Field::Credit),
        ("alt", Field::Alt),
        ("note", Field::Note),
        ("unit", Field::Unit),
        ("date", Field::Date),
        ("source", Field::Source),
        ("header", Field::Header),
        ("rows", Field::Rows),
        ("names", Field::Names),
    ];

    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.iter().find(|(n, _)| *n == name).map(|(_, f)| *f)
    }

    pub fn name(self) -> &'static str {
        Self::ALL.iter().find(|(_, f)| *f == self).map_or("", |(n, _)| n)
    }

    fn shapes(self) -> Shapes {
        match self {
            Field::Text => Shapes::OneOrList,
            Field::Unit => Shapes::OneOrForms,
            Field::Header | Field::Names => Shapes::List,
            Field::Rows => Shapes::Rows,
            _ => Shapes::One,
        }
    }
}

const ENTRY_KEYS: &[&str] = &[
    "text",
    "title",
    "subtitle",
    "short",
    "goal",
    "caption",
    "credit",
    "alt",
    "note",
    "unit",
    "date",
    "source",
    "header",
    "rows",
    "names",
    "source_hash",
];

/// One field's strings, each with its span in the pack file.
#[derive(Debug, Clone, PartialEq)]
pub enum FieldValue {
    One(Spanned<String>),
    List(Vec<Spanned<String>>),
    Rows(Vec<Vec<Spanned<String>>>),
    /// A word's plural forms by CLDR category (`one`, `few`, `other`, …).
    Forms(BTreeMap<String, Spanned<String>>),
}

impl FieldValue {
    /// Every string, in order (rows flattened, forms in CLDR's category order).
    pub fn strings(&self) -> Vec<&Spanned<String>> {
        match self {
            FieldValue::One(s) => vec![s],
            FieldValue::List(v) => v.iter().collect(),
            FieldValue::Rows(rows) => rows.iter().flatten().collect(),
            FieldValue::Forms(forms) => super::data::CATEGORIES.iter().filter_map(|c| forms.get(*c)).collect(),
        }
    }
}

/// One entry of a pack file: its fields, and the fingerprint of the source it translates.
#[derive(Debug, Clone, Default)]
pub struct Entry {
    pub fields: BTreeMap<Field, FieldValue>,
    pub source_hash: Option<Spanned<String>>,
    /// Keys that are not fields, or fields written in the wrong shape: reported by the
    /// validation at the key (the entry's other fields still count).
    pub problems: Vec<(Range<usize>, String)>,
}

impl Entry {
    pub fn get(&self, field: Field) -> Option<&FieldValue> {
        self.fields.get(&field)
    }
}

impl<'de> Deserialize<'de> for Entry {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Entry;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a table of texts")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Entry, A::Error> {
                let mut entry = Entry::default();
                while let Some(key) = map.next_key::<Spanned<String>>()? {
                    let (span, key) = (key.span(), key.into_inner());
                    if key == "source_hash" {
                        entry.source_hash = Some(map.next_value()?);
                        continue;
                    }
                    let Some(field) = Field::parse(&key) else {
                        map.next_value::<de::IgnoredAny>()?;
                        let known = ENTRY_KEYS.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ");
                        entry.problems.push((span, format!("unknown field `{key}`, expected one of {known}")));
                        continue;
                    };
                    let value: RawValue = map.next_value()?;
                    let value = match (field.shapes(), value) {
                        (Shapes::One | Shapes::OneOrList | Shapes::OneOrForms, RawValue::One(s)) => FieldValue::One(s),
                        (Shapes::OneOrForms, RawValue::Forms(f))
                            if f.keys().all(|k| super::data::CATEGORIES.contains(&k.as_str())) =>
                        {
                            FieldValue::Forms(f)
                        }
                        (Shapes::OneOrList | Shapes::List, RawValue::List(v)) => FieldValue::List(v),
                        (Shapes::Rows, RawValue::Rows(r)) => FieldValue::Rows(r),
                        (Shapes::Rows, RawValue::List(v)) if v.is_empty() => FieldValue::Rows(Vec::new()),
                        (shapes, _) => {
                            let want = match shapes {
                                Shapes::One => "a string",
                                Shapes::OneOrList => "a string or a list of strings",
                                Shapes::OneOrForms => {
                                    "a string, or a table of plural forms named zero, one, two, few, many, other"
                                }
                                Shapes::List => "a list of strings",
                                Shapes::Rows => "a list of rows, each a list of strings",
                            };
                            entry.problems.push((span, format!("`{key}` must be {want}")));
                            continue;
                        }
                    };
                    entry.fields.insert(field, value);
                }
                Ok(entry)
            }
        }
        d.deserialize_map(V)
    }
}

/// A field as written, before its shape is checked against the field.
enum RawValue {
    One(Spanned<String>),
    List(Vec<Spanned<String>>),
    Rows(Vec<Vec<Spanned<String>>>),
    Forms(BTreeMap<String, Spanned<String>>),
}

impl<'de> Deserialize<'de> for RawValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // Spanned<Item> per element keeps each string's place in the file.
        let value = Spanned::<RawItems>::deserialize(d)?;
        let span = value.span();
        Ok(match value.into_inner() {
            RawItems::Str(s) => RawValue::One(Spanned::new(span, s)),
            RawItems::Map(m) => RawValue::Forms(m),
            RawItems::Seq(items) => {
                if items.iter().all(|i| matches!(i.get_ref(), Item::Str(_))) {
                    RawValue::List(
                        items
                            .into_iter()
                            .map(|i| {
                                let span = i.span();
                                match i.into_inner() {
                                    Item::Str(s) => Spanned::new(span, s),
                                    Item::Row(_) => unreachable!("checked above"),
                                }
                            })
                            .collect(),
                    )
                } else if items.iter().all(|i| matches!(i.get_ref(), Item::Row(_))) {
                    RawValue::Rows(
                        items
                            .into_iter()
                            .map(|i| match i.into_inner() {
                                Item::Row(r) => r,
                                Item::Str(_) => unreachable!("checked above"),
                            })
                            .collect(),
                    )
                } else {
                    return Err(de::Error::custom("a list mixes strings and rows"));
                }
            }
        })
    }
}

enum RawItems {
    Str(String),
    Seq(Vec<Spanned<Item>>),
    Map(BTreeMap<String, Spanned<String>>),
}

enum Item {
    Str(String),
    Row(Vec<Spanned<String>>),
}

impl<'de> Deserialize<'de> for RawItems {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawItems;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string, a list or a table of forms")
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<RawItems, E> {
                Ok(RawItems::Str(s.to_string()))
            }
            fn visit_string<E: de::Error>(self, s: String) -> Result<RawItems, E> {
                Ok(RawItems::Str(s))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<RawItems, A::Error> {
                let mut v = Vec::new();
                while let Some(i) = seq.next_element()? {
                    v.push(i);
                }
                Ok(RawItems::Seq(v))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawItems, A::Error> {
                let mut m = BTreeMap::new();
                while let Some((k, v)) = map.next_entry::<String, Spanned<String>>()? {
                    m.insert(k, v);
                }
                Ok(RawItems::Map(m))
            }
        }
        d.deserialize_any(V)
    }
}

impl<'de> Deserialize<'de> for Item {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Item;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string or a row of strings")
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Item, E> {
                Ok(Item::Str(s.to_string()))
            }
            fn visit_string<E: de::Error>(self, s: String) -> Result<Item, E> {
                Ok(Item::Str(s))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Item, A::Error> {
                let mut v = Vec::new();
                while let Some(s) = seq.next_element()? {
                    v.push(s);
                }
                Ok(Item::Row(v))
            }
        }
        d.deserialize_any(V)
    }
}

pub struct PackFile {
    pub path: PathBuf,
    pub entries: BTreeMap<String, Spanned<Entry>>,
}

pub struct Pack {
    pub code: String,
    pub meta: PackMeta,
    /// By file stem: `ui`, `report`, a chapter id, or `data/<group>`.
    pub files: BTreeMap<String, PackFile>,
    /// Stems whose file exists but could not be read or parsed (already reported).
    pub broken: Vec<String>,
    /// Interface words vlr prints that the project's packs do not have (the templates gained
    /// them after the project was made), in this pack's language from vlr's built-in words.
    /// Filled by the validation; looked up after the pack's own `ui.toml`.
    pub builtin_words: BTreeMap<String, String>,
}

impl Pack {
    pub fn dir(code: &str) -> PathBuf {
        Path::new(LANG_DIR).join(code)
    }

    pub fn path(code: &str, stem: &str) -> PathBuf {
        Self::dir(code).join(format!("{stem}.toml"))
    }
}

/// The file stems a pack may hold, in book order.
pub fn stems(report: &Report, data: &Data) -> Vec<String> {
    let mut stems = vec!["ui".to_string(), "report".to_string()];
    stems.extend(report.chapters().map(|c| c.id.clone()));
    stems.extend(data.groups().into_iter().map(|g| format!("data/{g}")));
    stems
}

/// The packs of the requested languages and of every language they fall back to, by code.
/// Problems are reported; a language whose chain cannot be loaded is left out.
pub fn load(ctx: &mut Ctx, report: &Report, data: &Data, codes: &[String]) -> BTreeMap<String, Pack> {
    let mut packs = BTreeMap::new();
    load_into(ctx, report, data, codes, &mut packs);
    packs
}

/// Like [`load`], beside the packs already loaded (which are neither read nor reported again).
pub fn load_into(ctx: &mut Ctx, report: &Report, data: &Data, codes: &[String], packs: &mut BTreeMap<String, Pack>) {
    let stems = stems(report, data);
    let loaded: Vec<String> = packs.keys().cloned().collect();
    for code in codes {
        let mut chain: Vec<String> = Vec::new();
        let mut circle = false;
        // The report's `languages` line names the packs it needs.
        let mut next = Some((code.clone(), report.languages_at.clone()));
        while let Some((c, from)) = next.take() {
            if chain.contains(&c) {
                if !loaded.contains(&c) {
                    ctx.diags
                        .push(from.error(Code::InvalidValue, format!("language packs fall back in a circle at `{c}`")));
                }
                circle = true;
                break;
            }
            if !packs.contains_key(&c) {
                let Some(pack) = load_pack(ctx, &stems, &c, &from) else { break };
                packs.insert(c.clone(), pack);
            }
            let pack = &packs[&c];
            next =
                pack.meta.fallback.as_ref().map(|f| (f.get_ref().clone(), Loc::new(Pack::path(&c, "pack"), f.span())));
            chain.push(c);
        }
        if let Some(last) = chain.last()
            && !circle
            && *last != report.default_language
            && packs.contains_key(last)
            && !loaded.contains(last)
        {
            ctx.diags.push(
                Diagnostic::error(
                    Code::InvalidValue,
                    format!("pack `{last}` does not fall back to the source language `{}`", report.default_language),
                )
                .in_file(Pack::path(last, "pack"))
                .hint(format!("add `fallback = \"{}\"`", report.default_language)),
            );
        }
    }
}

fn load_pack(ctx: &mut Ctx, stems: &[String], code: &str, from: &Loc) -> Option<Pack> {
    let dir = Pack::dir(code);
    if code.is_empty() || !code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        ctx.diags.push(from.error(Code::InvalidId, format!("`{code}` is not a language code")));
        return None;
    }
    if !ctx.files.is_dir(&dir) {
        ctx.diags.push(from.error(Code::MissingFile, format!("there is no language pack `{code}`")).hint(format!(
            "create {}/ with pack.toml, ui.toml and one file per chapter (or remove `{code}` here)",
            dir.display()
        )));
        return None;
    }
    let meta: PackMeta = ctx.files.read_toml(&mut ctx.diags, &dir.join("pack.toml"))?;
    if let Some(l) = &meta.leading
        && !(0.3..=2.0).contains(l.get_ref())
    {
        let at = Loc::new(dir.join("pack.toml"), l.span());
        ctx.diags.push(
            at.error(Code::InvalidValue, format!("`leading` = {} is out of range", l.get_ref()))
                .hint("give the line spacing in em, between 0.3 and 2 (Latin text uses 0.62)"),
        );
    }
    let mut files = BTreeMap::new();
    let mut broken = Vec::new();
    for stem in stems {
        let path = Pack::path(code, stem);
        if !ctx.files.exists(&path) {
            continue; // reported per missing text, with the fallback's words
        }
        match ctx.files.read_toml::<BTreeMap<String, Spanned<Entry>>>(&mut ctx.diags, &path) {
            Some(entries) => {
                files.insert(stem.clone(), PackFile { path, entries });
            }
            None => broken.push(stem.clone()),
        }
    }
    Some(Pack { code: code.to_string(), meta, files, broken, builtin_words: BTreeMap::new() })
}

/// Maps a byte range inside a string value to a range in the TOML file. Exact when the
/// string is written without escapes (the usual case); otherwise points at the string.
pub fn string_offset(source: Option<&str>, span: Range<usize>, value: &str, at: Range<usize>) -> Range<usize> {
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

    #[test]
    fn entries_know_their_fields_and_shapes() {
        let t: BTreeMap<String, Spanned<Entry>> = toml::from_str(
            "[a]\ntext = [\"one\", \"two\"]\ntitle = \"T\"\nsource_hash = \"00\"\n[b]\nheader = [\"x\"]\nrows = [[\"1\"], [\"2\"]]\n",
        )
        .unwrap();
        let a = t["a"].get_ref();
        assert!(matches!(a.get(Field::Text), Some(FieldValue::List(v)) if v.len() == 2));
        assert!(matches!(a.get(Field::Title), Some(FieldValue::One(s)) if s.get_ref() == "T"));
        assert!(matches!(t["b"].get_ref().get(Field::Rows), Some(FieldValue::Rows(r)) if r.len() == 2));
        let bad: BTreeMap<String, Entry> = toml::from_str("[a]\ntitel = \"x\"\ntitle = [\"x\"]\n").unwrap();
        let problems: Vec<_> = bad["a"].problems.iter().map(|(span, m)| (span.clone(), m.as_str())).collect();
        assert_eq!(problems[0].0, 4..9);
        assert!(problems[0].1.starts_with("unknown field `titel`, expected one of `text`"), "{problems:?}");
        assert_eq!(problems[1], (16..21, "`title` must be a string"));
    }
}
