//! One diagnostic type for every stage: a file, a byte span in it, a message and a hint, plus
//! the secondary places Typst names (spanned hints, the call trace through the templates).
//!
//! Stages never stop at the first problem: they push into [`Diagnostics`] and carry on, so a
//! run reports everything that is wrong at once (like a compiler). [`Diagnostics`] also keeps
//! the text of every file the run read, so line, column and snippet can be shown.
//!
//! Every problem a command reports is a [`Diagnostic`], a usage error too (exit code 2, see
//! [`Diagnostic::is_usage`]). Two other error shapes stay, on purpose and below this level:
//! a helper that cannot know where its input came from (parsing a date, decoding a photo,
//! reading an ICC header) returns `Result<_, String>`, the reason alone, and its caller, who
//! knows the file and the span, makes the diagnostic; and `export::PdfError` carries Typst's
//! own errors, whose spans only the edition's Typst World can place.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::ops::Range;
use std::path::{Path, PathBuf};

use codespan_reporting::diagnostic as cs;
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term::{self, termcolor};
use serde::Serialize;

mod code;
pub use code::Code;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    /// Something the user should know that is not wrong: it never fails a run, not even with
    /// `--deny-warnings` (an interface word taken from vlr's built-in words, say).
    Note,
}

/// A place in a project file: a path relative to the project root and a byte range.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Loc {
    pub file: PathBuf,
    pub span: Range<usize>,
}

impl Loc {
    pub fn new(file: impl Into<PathBuf>, span: Range<usize>) -> Self {
        Self { file: file.into(), span }
    }

    pub fn error(&self, code: Code, message: impl Into<String>) -> Diagnostic {
        Diagnostic::error(code, message).at(&self.file, Some(self.span.clone()))
    }

    pub fn warning(&self, code: Code, message: impl Into<String>) -> Diagnostic {
        Diagnostic::warning(code, message).at(&self.file, Some(self.span.clone()))
    }
}

/// A secondary place: a spanned hint, or one step of the call trace that led to an error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub loc: Loc,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// What kind of problem it is (`toml`, `unknown-data`, ...), for tools and tests.
    pub code: Code,
    /// Path relative to the project root.
    pub file: Option<PathBuf>,
    /// Byte range in `file`.
    pub span: Option<Range<usize>>,
    pub message: String,
    pub hint: Option<String>,
    /// Other places that explain this one (Typst's spanned hints and call trace).
    pub notes: Vec<Note>,
}

impl Diagnostic {
    pub fn error(code: Code, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Error,
            code,
            file: None,
            span: None,
            message: message.into(),
            hint: None,
            notes: Vec::new(),
        }
    }

    pub fn warning(code: Code, message: impl Into<String>) -> Self {
        Self { severity: Severity::Warning, ..Self::error(code, message) }
    }

    /// A note: severity [`Severity::Note`], which never fails a run.
    pub fn notice(code: Code, message: impl Into<String>) -> Self {
        Self { severity: Severity::Note, ..Self::error(code, message) }
    }

    pub fn at(mut self, file: impl Into<PathBuf>, span: Option<Range<usize>>) -> Self {
        self.file = Some(file.into());
        self.span = span;
        self
    }

    pub fn in_file(mut self, file: impl Into<PathBuf>) -> Self {
        self.file = Some(file.into());
        self
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn note(mut self, loc: Loc, message: impl Into<String>) -> Self {
        self.notes.push(Note { loc, message: message.into() });
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// An error in the request rather than the project (a language the report does not have,
    /// a folder outside it, a bad option value): commands exit with 2 for these, 1 otherwise.
    pub fn is_usage(&self) -> bool {
        self.is_error() && matches!(self.code, Code::UnknownLanguage | Code::Usage)
    }
}

/// How many problems of one kind (one code in one file) a run lists; the rest are counted in
/// one "… and N more like this". A table of a million bad rows is then fifty problems to read
/// (they are alike: fix those and run again), not eight million lines printed for minutes.
pub const LISTED_PER_KIND: usize = 50;

/// How many problems of one kind were pushed, and where their "… and N more" summary is.
#[derive(Debug, Default, Clone, Copy)]
struct Kind {
    listed: usize,
    more: usize,
    /// Index of the summary in `items`, once there is one.
    summary: Option<usize>,
}

/// The collected problems of one run, and the text of every file they may point into. Each
/// kind of problem (code and file) is listed `LISTED_PER_KIND` (50) times at most, then counted.
#[derive(Debug, Default)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
    kinds: HashMap<(Option<PathBuf>, Code), Kind>,
    pub sources: Sources,
}

impl Diagnostics {
    pub fn push(&mut self, diagnostic: Diagnostic) {
        let kind = self.kinds.entry((diagnostic.file.clone(), diagnostic.code)).or_default();
        if kind.listed < LISTED_PER_KIND {
            kind.listed += 1;
            self.items.push(diagnostic);
        } else {
            self.count_more(diagnostic, 1);
        }
    }

    /// Whether a problem of this kind would still be listed: a producer skips the expensive
    /// part of a message (a "did you mean" search, say) when it would only be counted.
    pub fn lists(&self, file: &Path, code: Code) -> bool {
        self.kinds.get(&(Some(file.to_path_buf()), code)).is_none_or(|k| k.listed < LISTED_PER_KIND)
    }

    /// Counts `n` more problems of the kind of `like` without listing them: the kind's summary
    /// ("… and N more like this", at the first unlisted one) says how many.
    fn count_more(&mut self, like: Diagnostic, n: usize) {
        let kind = self.kinds.entry((like.file.clone(), like.code)).or_default();
        kind.more += n;
        let message = format!("… and {} more like this", grouped(kind.more));
        match kind.summary {
            Some(i) => {
                let summary = &mut self.items[i];
                summary.message = message;
                summary.severity = summary.severity.min(like.severity);
            }
            None => {
                kind.summary = Some(self.items.len());
                self.items.push(Diagnostic {
                    message,
                    hint: Some(format!(
                        "only the first {LISTED_PER_KIND} problems of one kind are listed per file: fix those and run again"
                    )),
                    notes: Vec::new(),
                    ..like
                });
            }
        }
    }

    pub fn from_vec(items: Vec<Diagnostic>) -> Self {
        let mut diags = Self::default();
        diags.extend(items);
        diags
    }

    pub fn extend(&mut self, diagnostics: impl IntoIterator<Item = Diagnostic>) {
        for d in diagnostics {
            self.push(d);
        }
    }

    /// Takes another run's problems and file texts (a compile thread's, say).
    pub fn append(&mut self, other: Diagnostics) {
        let more: HashMap<usize, usize> = other.kinds.values().filter_map(|k| k.summary.map(|i| (i, k.more))).collect();
        for (i, d) in other.items.into_iter().enumerate() {
            match more.get(&i) {
                Some(&n) => self.count_more(d, n),
                None => self.push(d),
            }
        }
        self.sources.extend(other.sources);
    }

    /// Drops warnings and notes (`--quiet`).
    pub fn retain_errors(&mut self) {
        let summaries: HashMap<usize, (Option<PathBuf>, Code)> =
            self.kinds.iter().filter_map(|(key, k)| k.summary.map(|i| (i, key.clone()))).collect();
        let mut kinds = HashMap::new();
        let mut items = Vec::new();
        for (i, d) in std::mem::take(&mut self.items).into_iter().enumerate() {
            if !d.is_error() {
                continue;
            }
            let key = (d.file.clone(), d.code);
            let kind: &mut Kind = kinds.entry(key.clone()).or_default();
            if summaries.contains_key(&i) {
                *kind = Kind { summary: Some(items.len()), more: self.kinds[&key].more, listed: kind.listed };
            } else {
                kind.listed += 1;
            }
            items.push(d);
        }
        self.items = items;
        self.kinds = kinds;
    }

    /// Whether an error is in the request itself ([`Diagnostic::is_usage`]).
    pub fn has_usage_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_usage)
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }

    /// Every error pushed, listed or counted.
    pub fn error_count(&self) -> usize {
        self.count(Severity::Error)
    }

    /// Every warning pushed, listed or counted (notes are not warnings).
    pub fn warning_count(&self) -> usize {
        self.count(Severity::Warning)
    }

    fn count(&self, severity: Severity) -> usize {
        let listed = self.items.iter().filter(|d| d.severity == severity).count();
        // A summary stands for `more` problems, not one.
        let counted: usize = self
            .kinds
            .values()
            .filter_map(|k| k.summary.map(|i| (i, k.more)))
            .filter(|(i, _)| self.items[*i].severity == severity)
            .map(|(_, more)| more - 1)
            .sum();
        listed + counted
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// `file:line:col: severity[code]: message (hint: …)`, one line each.
    pub fn short(&self) -> String {
        render_short(self)
    }
}

/// 999950 as "999,950": the count in a summary line.
fn grouped(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The text of every file read during a run, so diagnostics can show line, column and snippet.
#[derive(Debug, Default, Clone)]
pub struct Sources {
    files: BTreeMap<PathBuf, String>,
}

impl Sources {
    pub fn extend(&mut self, other: Sources) {
        self.files.extend(other.files);
    }

    pub fn insert(&mut self, path: impl Into<PathBuf>, text: impl Into<String>) {
        self.files.insert(path.into(), text.into());
    }

    pub fn get(&self, path: &Path) -> Option<&str> {
        self.files.get(path).map(String::as_str)
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, path: &Path, offset: usize) -> Option<(usize, usize)> {
        Some(line_col(self.get(path)?, offset))
    }
}

/// 1-based line and column (in characters) of a byte offset in `text`.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = floor_char_boundary(text, offset.min(text.len()));
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// A diagnostic with its location resolved, as printed in JSON.
#[derive(Debug, Serialize)]
pub struct Located<'a> {
    pub file: Option<String>,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub severity: Severity,
    pub code: Code,
    pub message: &'a str,
    pub hint: Option<&'a str>,
    /// Secondary places (Typst's hints and call trace), each `file`, `line`, `column`, `message`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<LocatedNote<'a>>,
}

#[derive(Debug, Serialize)]
pub struct LocatedNote<'a> {
    pub file: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: &'a str,
}

pub fn locate<'a>(d: &'a Diagnostic, sources: &Sources) -> Located<'a> {
    let pos = match (&d.file, &d.span) {
        (Some(file), Some(span)) => sources.line_col(file, span.start),
        _ => None,
    };
    let notes = d
        .notes
        .iter()
        .map(|n| {
            let pos = sources.line_col(&n.loc.file, n.loc.span.start);
            LocatedNote {
                file: n.loc.file.display().to_string(),
                line: pos.map(|p| p.0),
                column: pos.map(|p| p.1),
                message: &n.message,
            }
        })
        .collect();
    Located {
        file: d.file.as_ref().map(|f| f.display().to_string()),
        line: pos.map(|p| p.0),
        column: pos.map(|p| p.1),
        severity: d.severity,
        code: d.code,
        message: &d.message,
        hint: d.hint.as_deref(),
        notes,
    }
}

/// Human output: `error[code]: message` + `┌─ file:line:col` + snippet + hint, codespan style;
/// Typst's secondary places are drawn as secondary labels.
pub fn render_human(diags: &Diagnostics, color: bool) -> String {
    let sources = &diags.sources;
    let mut files = SimpleFiles::new();
    let mut ids = BTreeMap::new();
    let mut add = |file: &PathBuf, files: &mut SimpleFiles<String, String>| {
        if let Some(text) = sources.get(file)
            && !ids.contains_key(file)
        {
            ids.insert(file.clone(), files.add(file.display().to_string(), text.to_string()));
        }
    };
    for d in diags.iter() {
        if let Some(file) = &d.file {
            add(file, &mut files);
        }
        for n in &d.notes {
            add(&n.loc.file, &mut files);
        }
    }
    let config = term::Config::default();
    let mut out = if color { termcolor::Buffer::ansi() } else { termcolor::Buffer::no_color() };
    let mut plain = String::new();
    let clamp = |files: &SimpleFiles<String, String>, id: usize, span: &Range<usize>| {
        let len = files.get(id).map(|f| f.source().len()).unwrap_or(0);
        span.start.min(len)..span.end.min(len).max(span.start.min(len))
    };
    for d in diags.iter() {
        let severity = match d.severity {
            Severity::Error => cs::Severity::Error,
            Severity::Warning => cs::Severity::Warning,
            Severity::Note => cs::Severity::Note,
        };
        let mut cd = cs::Diagnostic::new(severity).with_code(d.code.name()).with_message(&d.message);
        let file_id = d.file.as_ref().and_then(|f| ids.get(f));
        let mut labels = Vec::new();
        match (file_id, &d.span) {
            (Some(&id), Some(span)) => labels.push(cs::Label::primary(id, clamp(&files, id, span))),
            _ => {
                if let Some(file) = &d.file {
                    cd.notes.push(format!("in {}", file.display()));
                }
            }
        }
        for n in &d.notes {
            match ids.get(&n.loc.file) {
                Some(&id) => {
                    labels.push(cs::Label::secondary(id, clamp(&files, id, &n.loc.span)).with_message(&n.message))
                }
                None => cd.notes.push(format!("{} ({})", n.message, n.loc.file.display())),
            }
        }
        cd = cd.with_labels(labels);
        if let Some(hint) = &d.hint {
            cd.notes.push(format!("hint: {hint}"));
        }
        if term::emit_to_write_style(&mut out, &config, &files, &cd).is_err() {
            // The snippet could not be drawn (should not happen): fall back to one line.
            let _ = writeln!(plain, "{}: {}", d.code, d.message);
        }
    }
    String::from_utf8_lossy(out.as_slice()).into_owned() + &plain
}

/// Machine output: one JSON array with a stable schema (see README, "Diagnostics").
pub fn render_json(diags: &Diagnostics) -> String {
    let located: Vec<_> = diags.iter().map(|d| locate(d, &diags.sources)).collect();
    serde_json::to_string_pretty(&located).expect("diagnostics serialize")
}

/// One line per diagnostic: `file:line:col: error[code]: message`. Used by tests and summaries.
pub fn render_short(diags: &Diagnostics) -> String {
    let mut out = String::new();
    for d in diags.iter() {
        let l = locate(d, &diags.sources);
        let sev = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        };
        match (&l.file, l.line, l.column) {
            (Some(f), Some(line), Some(col)) => {
                let _ = write!(out, "{f}:{line}:{col}: ");
            }
            (Some(f), _, _) => {
                let _ = write!(out, "{f}: ");
            }
            _ => {}
        }
        let _ = write!(out, "{sev}[{}]: {}", d.code, d.message);
        if let Some(h) = &d.hint {
            let _ = write!(out, " (hint: {h})");
        }
        out.push('\n');
    }
    out
}

/// The candidate closest to `wanted`, at most three edits away, for a "did you mean" hint
/// (ties go to the first in sort order).
pub fn closest<'a>(wanted: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates.into_iter().map(|c| (edit_distance(c, wanted), c)).filter(|(d, _)| *d <= 3).min().map(|(_, c)| c)
}

/// Edit distance of two short strings.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            cur.push((prev[j] + usize::from(ca != *cb)).min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters_not_bytes() {
        let mut s = Sources::default();
        s.insert("a.toml", "x = 1\ny = \"上海\" z\n");
        // Byte offset of 'z': line 2, after `y = "上海" ` (9 chars).
        let off = "x = 1\ny = \"上海\" ".len();
        assert_eq!(s.line_col(Path::new("a.toml"), off), Some((2, 10)));
    }

    #[test]
    fn short_render_has_location_code_and_hint() {
        let mut d = Diagnostics::default();
        d.sources.insert("d.toml", "[a]\nvalue = 1\n");
        d.push(Diagnostic::error(Code::InvalidValue, "bad value").at("d.toml", Some(12..13)).hint("fix it"));
        assert_eq!(render_short(&d), "d.toml:2:9: error[invalid-value]: bad value (hint: fix it)\n");
    }

    #[test]
    fn human_render_shows_secondary_places() {
        let mut d = Diagnostics::default();
        d.sources.insert("styles/a.typ", "#let f() = panic()\n#f()\n");
        d.push(
            Diagnostic::error(Code::Typst, "panicked")
                .at("styles/a.typ", Some(12..19))
                .note(Loc::new("styles/a.typ", 20..24), "error occurred in this call"),
        );
        let human = render_human(&d, false);
        assert!(human.contains("error occurred in this call"), "{human}");
        assert!(human.contains("styles/a.typ:1:13"), "{human}");
    }

    #[test]
    fn each_kind_is_listed_fifty_times_then_counted() {
        let mut d = Diagnostics::default();
        let bad = |i: usize| Diagnostic::error(Code::InvalidValue, format!("row {i}")).at("data/t.csv", Some(i..i));
        for i in 0..1000 {
            d.push(bad(i));
        }
        d.push(Diagnostic::warning(Code::UnusedText, "another kind").in_file("data/t.csv"));
        assert!(
            !d.lists(Path::new("data/t.csv"), Code::InvalidValue) && d.lists(Path::new("data/t.csv"), Code::UnusedText)
        );
        let listed: Vec<&Diagnostic> = d.iter().collect();
        assert_eq!(listed.len(), 52);
        assert_eq!(listed[50].message, "… and 950 more like this");
        assert_eq!((listed[50].code, listed[50].span.clone()), (Code::InvalidValue, Some(50..50)));
        assert_eq!((d.error_count(), d.warning_count()), (1000, 1));
        // Another run's problems of the same kind add up, in one summary.
        let mut other = Diagnostics::default();
        (0..60).for_each(|i| other.push(bad(i)));
        d.append(other);
        assert_eq!(d.iter().count(), 52);
        assert_eq!(d.iter().nth(50).unwrap().message, "… and 1,010 more like this");
        assert_eq!(d.error_count(), 1060);
        d.retain_errors();
        assert_eq!((d.iter().count(), d.error_count(), d.warning_count()), (51, 1060, 0));
    }

    #[test]
    fn notes_are_neither_errors_nor_warnings() {
        let mut d = Diagnostics::default();
        d.push(Diagnostic::notice(Code::BuiltinWord, "a word of vlr's own").in_file("lang/en/ui.toml"));
        assert_eq!((d.error_count(), d.warning_count()), (0, 0));
        assert_eq!(render_short(&d), "lang/en/ui.toml: note[builtin-word]: a word of vlr's own\n");
    }

    #[test]
    fn the_closest_candidate_is_suggested() {
        assert_eq!(edit_distance("sdg13.nev_stok", "sdg13.nev_stock"), 1);
        assert_eq!(closest("nev_stok", ["nev_sales", "nev_stock"]), Some("nev_stock"));
        assert_eq!(closest("abcdef", ["uvwxyz"]), None);
    }
}
