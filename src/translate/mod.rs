//! The translator's workflow (`vlr i18n …`): the status of a pack against the source language
//! ([`status`]), and gettext PO export and import ([`po`]).
//!
//! Every translated entry stores `source_hash`, a fingerprint of the source entry it was made
//! from. When the source changes, the fingerprint no longer matches and the entry is *stale*.

pub mod po;

use std::fmt::Write as _;

use crate::diag::{Diagnostic, Loc};
use crate::project::{Entry, Field, FieldValue, Pack, Project, packs};

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
                crate::project::data::CATEGORIES
                    .iter()
                    .filter(|c| forms.contains_key(**c))
                    .map(|c| c.to_string())
                    .collect(),
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

#[derive(Debug, Default, Clone)]
pub struct FileStatus {
    pub stem: String,
    pub translated: usize,
    pub missing: Vec<String>,
    pub stale: Vec<String>,
    pub orphaned: Vec<String>,
    /// Translations whose data references differ from their source's (`key (field): why`).
    pub mismatched: Vec<String>,
    /// Interface words the edition takes from vlr's built-in words (`ui` only).
    pub builtin: Vec<String>,
}

impl FileStatus {
    /// Whether `--strict` fails on this file: a string is missing, stale or prints other numbers.
    pub fn has_problems(&self) -> bool {
        !self.missing.is_empty() || !self.stale.is_empty() || !self.mismatched.is_empty()
    }
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
                "reference-mismatch",
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

/// Loads the project with the packs of `languages` (and their fallbacks), for the translator
/// tools. `Err` for a language the report does not have.
pub fn load(
    root: &std::path::Path,
    languages: &crate::project::Languages,
) -> Result<(crate::ctx::Ctx, Option<Project>), crate::project::UsageError> {
    let mut ctx = crate::ctx::Ctx::new(root, crate::files::FileCache::default());
    let project = crate::project::load(&mut ctx, languages)?;
    Ok((ctx, project))
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
                            let categories: Vec<String> = crate::project::data::CATEGORIES
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

/// Compares the target pack with the source language.
pub fn status(t: &Translation) -> Vec<FileStatus> {
    let mut out = Vec::new();
    for (stem, entries) in t.source_entries() {
        let mut st = FileStatus { stem: stem.clone(), ..Default::default() };
        for e in &entries {
            match state(t.translated(&stem, &e.key), e) {
                State::Translated => st.translated += 1,
                State::Missing => st.missing.push(e.key.clone()),
                State::Stale => st.stale.push(e.key.clone()),
            }
        }
        // Words vlr prints that the source takes from its built-in words: the edition takes
        // them in its own language, or prints the source's (then they are missing here).
        let source_builtin = if stem == "ui" { Some(&t.source.builtin_words) } else { None };
        if let Some(words) = source_builtin {
            st.builtin = t.target.builtin_words.keys().cloned().collect();
            let own = |k: &String| t.translated(&stem, k).is_some();
            st.missing.extend(words.keys().filter(|k| !t.target.builtin_words.contains_key(*k) && !own(k)).cloned());
        }
        if let Some(f) = t.target.files.get(&stem) {
            st.orphaned = f
                .entries
                .keys()
                .filter(|k| !entries.iter().any(|e| &e.key == *k))
                .filter(|k| !source_builtin.is_some_and(|w| w.contains_key(*k)))
                .cloned()
                .collect();
        }
        out.push(st);
    }
    for m in mismatches(t) {
        if let Some(st) = out.iter_mut().find(|s| s.stem == m.stem) {
            st.mismatched.push(format!("{} ({}): {}", m.key, m.field.name(), m.why()));
        }
    }
    out
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

/// `vlr i18n status` as text: one line per file, then the ids of every problem.
pub fn render_status(code: &str, files: &[FileStatus]) -> String {
    let mut out = String::new();
    let row = |out: &mut String, name: &str, t: usize, m: usize, s: usize, o: usize| {
        let _ = writeln!(out, "{name:<22} {t:>10} {m:>8} {s:>6} {o:>9}");
    };
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
        row(&mut out, &f.stem, f.translated, f.missing.len(), f.stale.len(), f.orphaned.len());
        totals.0 += f.translated;
        totals.1 += f.missing.len();
        totals.2 += f.stale.len();
        totals.3 += f.orphaned.len();
    }
    row(&mut out, "total", totals.0, totals.1, totals.2, totals.3);
    for f in files {
        let lists = [
            ("missing", &f.missing),
            ("stale", &f.stale),
            ("orphaned", &f.orphaned),
            ("mismatch", &f.mismatched),
            ("builtin", &f.builtin),
        ];
        for (what, ids) in lists {
            for id in ids {
                let _ = writeln!(out, "{what:<9} {}/{id}", f.stem);
            }
        }
    }
    out
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
