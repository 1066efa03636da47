//! One diagnostic type for every stage: a file, a byte span in it, a message and a hint.
//!
//! Stages never stop at the first problem: they push into [`Diagnostics`] and carry on, so a
//! run reports everything that is wrong at once (like a compiler). Line and column are computed
//! from the byte span against [`Sources`], which keeps the text of every file the run read.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::ops::Range;
use std::path::{Path, PathBuf};

use codespan_reporting::diagnostic as cs;
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term::{self, termcolor};
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// A short stable code (`toml`, `unknown-data`, ...) for tools and tests.
    pub code: &'static str,
    /// Path relative to the project root (or as given, for files outside it).
    pub file: Option<PathBuf>,
    /// Byte range in `file`.
    pub span: Option<Range<usize>>,
    pub message: String,
    pub hint: Option<String>,
}

impl Diagnostic {
    pub fn error(code: &'static str, message: impl Into<String>) -> Self {
        Self { severity: Severity::Error, code, file: None, span: None, message: message.into(), hint: None }
    }

    pub fn warning(code: &'static str, message: impl Into<String>) -> Self {
        Self { severity: Severity::Warning, ..Self::error(code, message) }
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

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// The collected problems of one run.
#[derive(Debug, Default)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn push(&mut self, diagnostic: Diagnostic) {
        if !self.items.contains(&diagnostic) {
            self.items.push(diagnostic);
        }
    }

    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        for d in other {
            self.push(d);
        }
    }

    /// Drops warnings (`--quiet`).
    pub fn retain_errors(&mut self) {
        self.items.retain(Diagnostic::is_error);
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }

    pub fn error_count(&self) -> usize {
        self.items.iter().filter(|d| d.is_error()).count()
    }

    pub fn warning_count(&self) -> usize {
        self.items.len() - self.error_count()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
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
        let text = self.get(path)?;
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let before = &text[..offset];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        Some((line, before[line_start..].chars().count() + 1))
    }
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
    pub code: &'a str,
    pub message: &'a str,
    pub hint: Option<&'a str>,
}

pub fn locate<'a>(d: &'a Diagnostic, sources: &Sources) -> Located<'a> {
    let pos = match (&d.file, &d.span) {
        (Some(file), Some(span)) => sources.line_col(file, span.start),
        _ => None,
    };
    Located {
        file: d.file.as_ref().map(|f| f.display().to_string()),
        line: pos.map(|p| p.0),
        column: pos.map(|p| p.1),
        severity: d.severity,
        code: d.code,
        message: &d.message,
        hint: d.hint.as_deref(),
    }
}

/// Human output: `error: message` + `--> file:line:col` + snippet + hint, codespan style.
pub fn render_human(diags: &Diagnostics, sources: &Sources, color: bool) -> String {
    let mut files = SimpleFiles::new();
    let mut ids = BTreeMap::new();
    for d in diags.iter() {
        if let Some(file) = &d.file
            && let Some(text) = sources.get(file)
            && !ids.contains_key(file)
        {
            ids.insert(file.clone(), files.add(file.display().to_string(), text.to_string()));
        }
    }
    let config = term::Config::default();
    let mut out = if color { termcolor::Buffer::ansi() } else { termcolor::Buffer::no_color() };
    let mut plain = String::new();
    for d in diags.iter() {
        let severity = match d.severity {
            Severity::Error => cs::Severity::Error,
            Severity::Warning => cs::Severity::Warning,
        };
        let mut cd = cs::Diagnostic::new(severity).with_code(d.code).with_message(&d.message);
        let file_id = d.file.as_ref().and_then(|f| ids.get(f));
        match (file_id, &d.span) {
            (Some(&id), Some(span)) => {
                let len = files.get(id).map(|f| f.source().len()).unwrap_or(0);
                let span = span.start.min(len)..span.end.min(len).max(span.start.min(len));
                cd = cd.with_labels(vec![cs::Label::primary(id, span)]);
            }
            _ => {
                if let Some(file) = &d.file {
                    cd.notes.push(format!("in {}", file.display()));
                }
            }
        }
        if let Some(hint) = &d.hint {
            cd.notes.push(format!("hint: {hint}"));
        }
        if term::emit(&mut out, &config, &files, &cd).is_err() {
            // The snippet could not be drawn (should not happen): fall back to one line.
            let _ = writeln!(plain, "{}: {}", d.code, d.message);
        }
    }
    String::from_utf8_lossy(out.as_slice()).into_owned() + &plain
}

/// Machine output: one JSON array with a stable schema (see README, "Diagnostics").
pub fn render_json(diags: &Diagnostics, sources: &Sources) -> String {
    let located: Vec<_> = diags.iter().map(|d| locate(d, sources)).collect();
    serde_json::to_string_pretty(&located).expect("diagnostics serialize")
}

/// One line per diagnostic: `file:line:col: error[code]: message`. Used by tests and summaries.
pub fn render_short(diags: &Diagnostics, sources: &Sources) -> String {
    let mut out = String::new();
    for d in diags.iter() {
        let l = locate(d, sources);
        let sev = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
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
        let mut s = Sources::default();
        s.insert("d.toml", "[a]\nvalue = 1\n");
        let mut d = Diagnostics::default();
        d.push(Diagnostic::error("x", "bad value").at("d.toml", Some(12..13)).hint("fix it"));
        assert_eq!(render_short(&d, &s), "d.toml:2:9: error[x]: bad value (hint: fix it)\n");
    }
}
