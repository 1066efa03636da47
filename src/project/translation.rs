//! A language's pack compared with the source language's, entry by entry: what is translated,
//! missing or stale, and which translations print other numbers than their source
//! ([`mismatches`], checked with every build). The translators' tools (`vlr i18n`) are built on it.
//!
//! Every translated entry stores `source_hash`, a fingerprint of the source entry it was made
//! from. When the source changes, the fingerprint no longer matches and the entry is *stale*.

use super::{Entry, Field, FieldValue, Pack, Project, packs};
use crate::diag::{Code, Diagnostic, Loc};

/// How a field is written, for PO contexts and for writing it back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Shape {
    One,
    List,
    Rows(Vec<usize>),
    /// Plural forms, by CLDR category, in CLDR's order.
    Forms(Vec<String>),
}

/// One field of an entry, flattened to its strings (for status, fingerprints and PO files).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldText {
    pub field: Field,
    pub shape: Shape,
    pub strings: Vec<String>,
}

impl FieldText {
    fn of(field: Field, value: &FieldValue) -> Self {
        let shape = match value {
            FieldValue::One(_) => Shape::One,
            FieldValue::List(_) => Shape::List,
            FieldValue::Rows(rows) => Shape::Rows(rows.iter().map(Vec::len).collect()),
            FieldValue::Forms(forms) => Shape::Forms(
                super::data::CATEGORIES.iter().filter(|c| forms.contains_key(**c)).map(|c| c.to_string()).collect(),
            ),
        };
        Self { field, shape, strings: value.strings().into_iter().map(|s| s.get_ref().clone()).collect() }
    }

    fn one(field: Field, s: &str) -> Self {
        Self { field, shape: Shape::One, strings: vec![s.to_string()] }
    }
}

/// An entry's texts in canonical field order.
pub fn fields(entry: &Entry) -> Vec<FieldText> {
    entry.fields.iter().map(|(f, v)| FieldText::of(*f, v)).collect()
}

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

/// A translated string whose data references differ from its source's.
#[derive(Debug, Clone)]
pub struct Mismatch {
    pub stem: String,
    pub key: String,
    pub field: Field,
    /// The translated string in its pack file.
    pub at: Loc,
    /// References of the source the translation lacks, and those it adds, as written.
    pub lacks: Vec<String>,
    pub adds: Vec<String>,
}

impl Mismatch {
    /// What is wrong, in words: `lacks {g.a}; adds {g.b}`.
    pub fn why(&self) -> String {
        reference_why(&self.lacks, &self.adds)
    }

    pub fn diagnostic(&self) -> Diagnostic {
        self.at
            .error(
                Code::ReferenceMismatch,
                format!(
                    "the translation of `{}` ({}) does not print the numbers of its source: it {}",
                    self.key,
                    self.field.name(),
                    self.why()
                ),
            )
            .hint(reference_hint(&self.lacks, &self.adds))
    }
}

/// How a translation's data references differ from its source's: `lacks {g.a}; adds {g.b}`.
pub fn reference_why(lacks: &[String], adds: &[String]) -> String {
    let mut parts = Vec::new();
    if !lacks.is_empty() {
        parts.push(format!("lacks {}", lacks.join(", ")));
    }
    if !adds.is_empty() {
        parts.push(format!("adds {}", adds.join(", ")));
    }
    parts.join("; ")
}

/// What to do about a translation's data references: which to put back, which to take out.
pub fn reference_hint(lacks: &[String], adds: &[String]) -> String {
    let mut todo = Vec::new();
    if !lacks.is_empty() {
        todo.push(format!("write {} where the sentence says it", lacks.join(", ")));
    }
    if !adds.is_empty() {
        todo.push(format!("remove {}", adds.join(", ")));
    }
    format!("a translation keeps every data reference of its source, in any order: {}", todo.join(", and "))
}

/// The translated strings (of translations made from the current source) whose data
/// references differ from the source's. Strings are compared one by one when the field has
/// as many strings as the source's, else the field as a whole (paragraphs may be joined).
pub fn mismatches(t: &Translation) -> Vec<Mismatch> {
    let mut out = Vec::new();
    for (stem, entries) in t.source_entries() {
        if !rich(&stem) {
            continue;
        }
        let Some(pf) = t.target.files.get(&stem) else { continue };
        for e in &entries {
            let Some(entry) = t.translated(&stem, &e.key) else { continue };
            if state(Some(entry), e) != State::Translated {
                continue;
            }
            for sf in e.fields.iter().filter(|f| f.field != Field::Names) {
                let Some(value) = entry.get(sf.field) else { continue };
                let strings = value.strings();
                let pairs: Vec<(String, String, Loc)> = if strings.len() == sf.strings.len() {
                    sf.strings
                        .iter()
                        .zip(&strings)
                        .map(|(s, t)| (s.clone(), t.get_ref().clone(), Loc::new(&pf.path, t.span())))
                        .collect()
                } else {
                    let at = strings.first().map_or(0..0, |s| s.span());
                    let joined: Vec<&str> = strings.iter().map(|s| s.get_ref().as_str()).collect();
                    vec![(sf.strings.join("\n"), joined.join("\n"), Loc::new(&pf.path, at))]
                };
                for (source, translation, at) in pairs {
                    let (lacks, adds) = crate::inline::reference_diff(&source, &translation);
                    if !lacks.is_empty() || !adds.is_empty() {
                        out.push(Mismatch { stem: stem.clone(), key: e.key.clone(), field: sf.field, at, lacks, adds });
                    }
                }
            }
        }
    }
    out
}

/// Whether a pack file's texts use the inline syntax: chapters and the report's texts do;
/// interface words and indicator words (`ui`, `data/<group>`) are plain.
pub fn rich(stem: &str) -> bool {
    stem != "ui" && !stem.starts_with("data/")
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
        eat(f.field.name().as_bytes());
        for s in &f.strings {
            eat(s.as_bytes());
        }
    }
    format!("{h:016x}")
}

/// A language's pack and the source pack, with what they translate.
pub struct Translation<'a> {
    pub project: &'a Project,
    pub target: &'a Pack,
    pub source: &'a Pack,
}

impl<'a> Translation<'a> {
    /// `None` when the project did not load `code` or the source language.
    pub fn new(project: &'a Project, code: &str) -> Option<Self> {
        let target = project.packs.get(code)?;
        let source = project.packs.get(&project.report.default_language)?;
        Some(Self { project, target, source })
    }

    /// The source language's entries per pack file stem, in book order.
    pub fn source_entries(&self) -> Vec<(String, Vec<SourceEntry>)> {
        let data = &self.project.data;
        packs::stems(&self.project.report, data)
            .into_iter()
            .map(|stem| {
                let mut entries = Vec::new();
                if let Some(group) = stem.strip_prefix("data/") {
                    // The source words of indicators are in data/ itself.
                    let mut inds: Vec<_> = data.indicators.values().filter(|i| i.group() == group).collect();
                    inds.sort_by_key(|i| i.loc.span.start);
                    for ind in inds {
                        let mut fields = vec![FieldText::one(Field::Title, &ind.title)];
                        if let Some(s) = &ind.short {
                            fields.push(FieldText::one(Field::Short, s));
                        }
                        fields.push(if ind.unit_forms.is_empty() {
                            FieldText::one(Field::Unit, &ind.unit)
                        } else {
                            let categories: Vec<String> = super::data::CATEGORIES
                                .iter()
                                .filter(|c| ind.unit_forms.contains_key(**c))
                                .map(|c| c.to_string())
                                .collect();
                            let strings = categories.iter().map(|c| ind.unit_forms[c].clone()).collect();
                            FieldText { field: Field::Unit, shape: Shape::Forms(categories), strings }
                        });
                        if let Some(d) = &ind.date {
                            fields.push(FieldText::one(Field::Date, d));
                        }
                        fields.push(FieldText::one(Field::Source, &ind.source));
                        let key = ind.id.split_once('.').map(|(_, k)| k.to_string()).unwrap_or_default();
                        entries.push(SourceEntry { key, fields });
                    }
                } else if let Some(pf) = self.source.files.get(&stem) {
                    let mut es: Vec<_> = pf.entries.iter().collect();
                    es.sort_by_key(|(_, e)| e.span().start);
                    for (key, e) in es {
                        entries.push(SourceEntry { key: key.clone(), fields: fields(e.get_ref()) });
                    }
                }
                (stem, entries)
            })
            .collect()
    }

    /// The plural categories of the target language (for words with plural forms).
    pub fn target_categories(&self) -> Vec<String> {
        let meta = &self.target.meta;
        match crate::numbers::Format::new(&meta.lang, meta.region.as_deref(), &meta.numbers) {
            Ok(f) => f.categories().into_iter().map(|c| crate::numbers::category_name(c).to_string()).collect(),
            Err(_) => vec!["other".to_string()],
        }
    }

    /// A source field as the target language writes it: plural forms by the target's
    /// categories (each with the source's form for it, else its `other` form).
    pub fn for_target(&self, f: &FieldText) -> FieldText {
        let Shape::Forms(source) = &f.shape else { return f.clone() };
        let other = source
            .iter()
            .position(|c| c == "other")
            .map_or_else(|| f.strings.last().cloned(), |i| f.strings.get(i).cloned());
        let categories = self.target_categories();
        let strings = categories
            .iter()
            .map(|c| {
                source.iter().position(|s| s == c).map(|i| f.strings[i].clone()).or(other.clone()).unwrap_or_default()
            })
            .collect();
        FieldText { field: f.field, shape: Shape::Forms(categories), strings }
    }

    /// The target pack's entry for a stem and key.
    pub fn translated(&self, stem: &str, key: &str) -> Option<&'a Entry> {
        self.target.files.get(stem).and_then(|f| f.entries.get(key)).map(|e| e.get_ref())
    }
}

pub fn state(entry: Option<&Entry>, source: &SourceEntry) -> State {
    let Some(entry) = entry else { return State::Missing };
    // A translation must cover every field of the source.
    if source.fields.iter().any(|sf| entry.get(sf.field).is_none()) {
        return State::Missing;
    }
    match &entry.source_hash {
        Some(h) if *h.get_ref() == fingerprint(&source.fields) => State::Translated,
        _ => State::Stale,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprint_changes_with_any_string() {
        let a = vec![FieldText::one(Field::Text, "x")];
        let b = vec![FieldText::one(Field::Text, "y")];
        assert_ne!(fingerprint(&a), fingerprint(&b));
        assert_eq!(fingerprint(&a), fingerprint(&a.clone()));
        // The fingerprints in existing packs were made from the field names: they must not change.
        assert_eq!(
            fingerprint(&[FieldText::one(Field::Title, "Climate Action")]),
            fingerprint(&[FieldText {
                field: Field::Title,
                shape: Shape::One,
                strings: vec!["Climate Action".into()]
            }])
        );
    }
}
