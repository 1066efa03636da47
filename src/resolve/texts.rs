//! The texts of one language: lookups along the fallback chain (the requested pack first, the
//! source language last), inline syntax turned into runs, data references into formatted
//! numbers. A text found only in a fallback pack prints with a warning; texts no block asked
//! for are reported as unused.
//!
//! Problems of the packs themselves (syntax, unknown data, missing source texts) were reported
//! by the project's validation: here they only fall back quietly.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use toml::Spanned;

use super::book::{Rich, Run};
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::inline::{self, Piece};
use crate::numbers::{Format, N, NumberRules};
pub use crate::project::packs::Word;
use crate::project::{Data, Field, FieldValue, Indicator, Num, Pack, Project, Value};

/// How one goal is named in an edition.
pub struct SdgText {
    /// Its short name ("Climate Action").
    pub name: String,
    /// With its number, as headings print it ("SDG 13").
    pub label: String,
    /// The label above its statement ("Goal 13").
    pub goal_label: String,
    pub statement: Rich,
}

pub struct Texts<'a> {
    chain: Vec<&'a Pack>,
    data: &'a Data,
    /// The number rules of the edition's language.
    format: Format,
    /// (file, key) pairs looked up, to report unused texts.
    used: RefCell<BTreeSet<(String, String)>>,
    /// Missing translations already reported, so each is reported once.
    warned: RefCell<BTreeSet<(String, String, &'static str)>>,
}

impl<'a> Texts<'a> {
    /// The texts of `code`: its pack and those it falls back to.
    pub fn new(project: &'a Project, code: &str) -> Self {
        let mut chain = Vec::new();
        let mut next = Some(code.to_string());
        while let Some(c) = next.take() {
            let Some(pack) = project.packs.get(&c) else { break };
            if chain.iter().any(|p: &&Pack| p.code == c) {
                break; // a circle, reported by the project
            }
            next = pack.meta.fallback.as_ref().map(|f| f.get_ref().clone());
            chain.push(pack);
        }
        let format = chain
            .first()
            .and_then(|p| Format::new(&p.meta.lang, p.meta.region.as_deref(), &p.meta.numbers).ok())
            // A language CLDR does not know was reported by the validation.
            .unwrap_or_else(|| Format::new("en", None, &NumberRules::default()).expect("CLDR knows English"));
        Self { chain, data: &project.data, format, used: RefCell::default(), warned: RefCell::default() }
    }

    /// The packs, requested language first.
    pub fn chain(&self) -> &[&'a Pack] {
        &self.chain
    }

    pub fn code(&self) -> &str {
        self.chain.first().map_or("", |p| p.code.as_str())
    }

    fn source(&self) -> Option<&Pack> {
        self.chain.last().copied()
    }

    /// The number rules of the edition's language.
    pub fn numbers(&self) -> &Format {
        &self.format
    }

    /// The first pack whose entry `file`/`key` has `field`, with that file's path. Marks the
    /// entry used; warns when only a fallback pack has it.
    fn find(&self, diags: &mut Diagnostics, file: &str, key: &str, field: Field) -> Option<(&'a FieldValue, &'a Path)> {
        self.used.borrow_mut().insert((file.to_string(), key.to_string()));
        for (i, p) in self.chain.iter().enumerate() {
            let Some(pf) = p.files.get(file) else { continue };
            let Some(value) = pf.entries.get(key).and_then(|e| e.get_ref().get(field)) else { continue };
            if i > 0 && !self.chain[0].broken.iter().any(|b| b == file) {
                self.warn_missing(diags, &Pack::path(self.code(), file), key, field.name());
            }
            return Some((value, &pf.path));
        }
        None
    }

    fn warn_missing(&self, diags: &mut Diagnostics, file: &Path, key: &str, field: &'static str) {
        let k = (file.display().to_string(), key.to_string(), field);
        if self.warned.borrow_mut().insert(k) {
            let source = self.source().map_or("", |p| p.code.as_str());
            diags.push(
                Diagnostic::warning(
                    Code::MissingTranslation,
                    format!("`{key}` ({field}) is not translated into {}; using {source}", self.code()),
                )
                .in_file(file)
                .hint(format!("add [{key}] {field} = \"...\" to {}", file.display())),
            );
        }
    }

    /// An interface word (validated to exist in the source pack's ui.toml, or in vlr's own
    /// words): along the chain, each pack's own word, else vlr's word in the pack's language.
    pub fn ui(&self, diags: &mut Diagnostics, key: &str) -> String {
        self.used.borrow_mut().insert(("ui".to_string(), key.to_string()));
        for (i, p) in self.chain.iter().enumerate() {
            let own = p.files.get("ui").and_then(|f| f.entries.get(key)).and_then(|e| e.get_ref().get(Field::Text));
            let word = match (own, p.builtin_words.get(key)) {
                (Some(v), _) => v.strings().into_iter().map(|s| s.get_ref().as_str()).collect(),
                (None, Some(word)) => word.clone(),
                (None, None) => continue,
            };
            if i > 0 && !self.chain[0].broken.iter().any(|b| b == "ui") {
                self.warn_missing(diags, &Pack::path(self.code(), "ui"), key, Field::Text.name());
            }
            return word;
        }
        key.to_string()
    }

    pub fn word(&self, diags: &mut Diagnostics, word: Word) -> String {
        self.ui(diags, word.key())
    }

    /// Every interface word of the packs, requested language first, for the templates. Only
    /// the words they print (`printed`) are reported when a fallback language gives them.
    pub fn all_ui(&self, diags: &mut Diagnostics, printed: &BTreeSet<String>) -> BTreeMap<String, String> {
        let own = self.chain.iter().filter_map(|p| p.files.get("ui")).flat_map(|f| f.entries.keys());
        let keys: BTreeSet<&String> = own.chain(self.chain.iter().flat_map(|p| p.builtin_words.keys())).collect();
        let mut quiet = Diagnostics::default();
        keys.into_iter()
            .map(|k| {
                let diags = if printed.contains(k) { &mut *diags } else { &mut quiet };
                (k.clone(), self.ui(diags, k))
            })
            .collect()
    }

    /// The names of goal `n` in this language: the pack's words where it has them (`sdg-<n>`,
    /// `sdg-label`, `goal-label` in ui.toml; the chapter's `goal` statement), else the UN's
    /// (the built-in SDG reference texts), else the fallback language's.
    pub fn sdg(&self, diags: &mut Diagnostics, n: u8, chapter: Option<&str>) -> SdgText {
        let reference = self.chain.first().and_then(|p| crate::builtin::reference(&p.meta.lang));
        let goal = reference.and_then(|r| r.goals.get(&n));
        let num = n.to_string();
        let own = |key: &str| {
            let pf = self.chain.first()?.files.get("ui")?;
            let v = pf.entries.get(key)?.get_ref().get(Field::Text)?;
            Some(v.strings().into_iter().map(|s| s.get_ref().as_str()).collect::<String>())
        };
        let word = |diags: &mut Diagnostics, key: &str, reference: Option<&str>| match (own(key), reference) {
            (Some(w), _) => {
                self.used.borrow_mut().insert(("ui".into(), key.into()));
                w
            }
            (None, Some(r)) => r.to_string(),
            (None, None) => self.ui(diags, key),
        };
        let name = word(diags, &format!("sdg-{n}"), goal.map(|g| g.short.as_str()));
        // The pack's own pattern, validated to hold `{n}`.
        let label = word(diags, Word::SdgLabel.key(), reference.map(|r| r.goal_label.as_str())).replace(N, &num);
        let goal_label = self.word(diags, Word::GoalLabel).replace(N, &num);
        let own_statement = chapter.and_then(|c| {
            let v = self.chain.first()?.files.get(c)?.entries.get("chapter")?.get_ref().get(Field::Goal)?;
            Some(v.strings().into_iter().map(|s| self.runs(Path::new(""), s)).collect::<Vec<_>>().concat())
        });
        let statement = match (own_statement, goal) {
            (Some(s), _) => {
                if let Some(c) = chapter {
                    self.used.borrow_mut().insert((c.into(), "chapter".into()));
                }
                s
            }
            (None, Some(g)) => vec![Run::Text { s: g.statement.clone() }],
            (None, None) => chapter.and_then(|c| self.line(diags, c, "chapter", Field::Goal)).unwrap_or_default(),
        };
        SdgText { name, label, goal_label, statement }
    }

    /// Rich text of a field, one entry per paragraph.
    pub fn rich(&self, diags: &mut Diagnostics, file: &str, key: &str, field: Field) -> Option<Vec<Rich>> {
        let (value, path) = self.find(diags, file, key, field)?;
        Some(value.strings().into_iter().map(|s| self.runs(path, s)).collect())
    }

    /// A field as one paragraph of rich text.
    pub fn line(&self, diags: &mut Diagnostics, file: &str, key: &str, field: Field) -> Option<Rich> {
        self.rich(diags, file, key, field).map(|p| p.into_iter().flatten().collect())
    }

    /// Table cells: header and rows, each cell rich text (both from the same pack).
    pub fn table(&self, diags: &mut Diagnostics, file: &str, key: &str) -> (Vec<Rich>, Vec<Vec<Rich>>) {
        self.used.borrow_mut().insert((file.to_string(), key.to_string()));
        let found = self.chain.iter().enumerate().find_map(|(i, p)| {
            let pf = p.files.get(file)?;
            let e = pf.entries.get(key)?.get_ref();
            match (e.get(Field::Header)?, e.get(Field::Rows)?) {
                (FieldValue::List(h), FieldValue::Rows(r)) => Some((i, h, r, &pf.path)),
                _ => None,
            }
        });
        let Some((i, header, rows, path)) = found else { return (Vec::new(), Vec::new()) };
        if i > 0 {
            self.warn_missing(diags, &Pack::path(self.code(), file), key, "header and rows");
        }
        let header = header.iter().map(|s| self.runs(path, s)).collect();
        let rows = rows.iter().map(|row| row.iter().map(|s| self.runs(path, s)).collect()).collect();
        (header, rows)
    }

    /// A plain list of names (`names = [...]`).
    pub fn names(&self, diags: &mut Diagnostics, file: &str, key: &str) -> Option<Vec<String>> {
        let (value, _) = self.find(diags, file, key, Field::Names)?;
        Some(value.strings().into_iter().map(|s| s.get_ref().clone()).collect())
    }

    /// An indicator's title, unit, date or source as this language writes it (the source
    /// language's words are in data/ itself).
    pub fn indicator_text(&self, diags: &mut Diagnostics, ind: &Indicator, field: Field) -> Option<String> {
        let (group, key) = ind.id.split_once('.')?;
        let file = format!("data/{group}");
        let found = self
            .find(diags, &file, key, field)
            .map(|(v, _)| v.strings().into_iter().map(|s| s.get_ref().as_str()).collect::<String>());
        if found.is_none() && self.chain.len() > 1 {
            self.warn_missing(diags, &Pack::path(self.code(), &file), key, field.name());
        }
        found
    }

    /// An indicator's unit as this language writes it; with a value, in the plural form that
    /// value takes (`1 enterprise`, `300 enterprises`).
    pub fn unit(&self, diags: &mut Diagnostics, ind: &Indicator, value: Option<Num>) -> String {
        let pick = |forms: &BTreeMap<String, String>| match value {
            Some(n) => self.format.pick(n, forms).map(str::to_string),
            None => forms.get("other").cloned(),
        };
        let Some((group, key)) = ind.id.split_once('.') else { return ind.unit.clone() };
        let file = format!("data/{group}");
        match self.find(diags, &file, key, Field::Unit) {
            Some((FieldValue::Forms(forms), _)) => {
                let forms: BTreeMap<String, String> =
                    forms.iter().map(|(k, v)| (k.clone(), v.get_ref().clone())).collect();
                pick(&forms).unwrap_or_else(|| ind.unit.clone())
            }
            Some((v, _)) => v.strings().into_iter().map(|s| s.get_ref().as_str()).collect(),
            None => {
                if self.chain.len() > 1 {
                    self.warn_missing(diags, &Pack::path(self.code(), &file), key, "unit");
                }
                pick(&ind.unit_forms).unwrap_or_else(|| ind.unit.clone())
            }
        }
    }

    /// One string's inline forms as runs.
    fn runs(&self, _path: &Path, s: &Spanned<String>) -> Rich {
        let text = s.get_ref();
        match inline::parse(text) {
            Ok(pieces) => pieces
                .into_iter()
                .map(|p| match p {
                    Piece::Text(s) => Run::Text { s },
                    Piece::Emph(s) => Run::Em { s },
                    Piece::Strong(s) => Run::Strong { s },
                    Piece::Ref { id, year, .. } => self.value_run(&id, year),
                })
                .collect(),
            // Reported by the project's validation.
            Err(_) => vec![Run::Text { s: text.clone() }],
        }
    }

    /// The run that prints one indicator value (tile or reference).
    pub fn value_run(&self, id: &str, year: Option<i32>) -> Run {
        let Some(ind) = self.data.get(id) else { return Run::Text { s: format!("{{{id}}}") } };
        match ind.at(year) {
            Ok(Value::Known(n)) => Run::Value {
                s: self.isolated(format_value(ind, n, &self.format)),
                status: ind.status_at(year),
                mark: ind.status_at(year).mark(),
                id: id.to_string(),
            },
            Ok(Value::Pending) => Run::Pending { s: self.pending_word(), id: id.to_string() },
            Err(_) => Run::Text { s: format!("{{{id}}}") },
        }
    }

    /// A value as the data appendix and the charts print it: its hedge in the edition's words,
    /// the formatted `number` (isolated or not, as its context needs) and its status's mark
    /// ("about 63,000†"). A hedge in a script written without spaces between words (Chinese,
    /// Japanese) is set against the number ("约6.3万†"), as a sentence sets it.
    pub fn hedged(&self, diags: &mut Diagnostics, ind: &Indicator, year: Option<i32>, number: String) -> String {
        let mark = ind.status_at(year).mark().unwrap_or_default();
        let Some(q) = ind.qualifier_at(year) else { return format!("{number}{mark}") };
        let word = self.word(diags, Word::Qualifier(q));
        let gap = if word.chars().next_back().is_some_and(crate::script::is_wide) { "" } else { " " };
        format!("{word}{gap}{number}{mark}")
    }

    /// A number in right-to-left text keeps its own order (sign, digits, percent sign) in a
    /// Unicode isolate: left to right, or right to left when it has a scale word in the
    /// script ("1.25 مليون"). (Typst does not resolve a first-strong isolate without a letter
    /// the way UAX #9 says, so the direction is explicit.) Other text needs none.
    pub fn isolated(&self, number: String) -> String {
        match self.chain.first() {
            Some(p) if crate::script::is_rtl(&p.meta.lang) => {
                let open = if number.chars().any(crate::script::is_rtl_letter) { '\u{2067}' } else { '\u{2066}' };
                format!("{open}{number}\u{2069}")
            }
            _ => number,
        }
    }

    /// The word for a pending value, without marking it used twice over.
    pub fn pending_word(&self) -> String {
        let mut quiet = Diagnostics::default();
        self.word(&mut quiet, Word::Pending)
    }

    /// Texts in the packs that no manifest block asked for (typos in ids, removed blocks).
    pub fn report_unused(&self, diags: &mut Diagnostics) {
        let used = self.used.borrow();
        for p in &self.chain {
            for (stem, pf) in &p.files {
                if stem.starts_with("data/") || stem == "ui" {
                    continue; // looked up by indicator id / interface key, not by blocks
                }
                for (key, e) in &pf.entries {
                    if !used.contains(&(stem.clone(), key.clone())) {
                        diags.push(
                            Diagnostic::warning(Code::UnusedText, format!("`{key}` is not used by any block"))
                                .at(&pf.path, Some(e.span().start..e.span().start + 1))
                                .hint("check the id against the chapter manifest, or remove the entry"),
                        );
                    }
                }
            }
        }
    }

    /// The source pack file of a stem, for messages.
    pub fn source_path(&self, file: &str) -> PathBuf {
        Pack::path(self.source().map_or("", |p| p.code.as_str()), file)
    }
}

/// The number as this indicator prints in a language (with its percent sign, if any).
pub fn format_value(ind: &Indicator, n: Num, format: &Format) -> String {
    format.value(n, &ind.unit, ind.decimals)
}
