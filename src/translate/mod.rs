//! The translators' tools (`vlr i18n …`): the status of a pack against the source language
//! ([`status`]), and gettext PO export and import ([`po`]), on the comparison of packs that
//! [`crate::project::translation`] makes.

pub mod po;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::ctx::Ctx;
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::files::FileCache;
use crate::project::Languages;
use crate::project::translation::{State, Translation, mismatches, state};

/// What `vlr i18n` is asked to do, for one language or for every language but the source.
#[derive(Debug, Clone)]
pub enum Action {
    /// Each pack's status; with `strict`, a missing, stale or mismatched string is an error.
    Status { strict: bool },
    /// PO files into `out` (default: `<root>/build/po/<lang>`).
    Export { out: Option<PathBuf> },
    /// PO files from `from`, a folder inside the project (default: `<root>/build/po/<lang>`),
    /// into the pack; with `prune`, entries the source no longer has are removed.
    Import { from: Option<PathBuf>, prune: bool },
}

/// What a translators' command found and did.
#[derive(Default)]
pub struct Report {
    pub diags: Diagnostics,
    /// Per language, its pack's status (`Action::Status`), for [`render_status`].
    pub status: Vec<(String, Vec<FileStatus>)>,
    /// What was done, one line each.
    pub done: Vec<String>,
    pub written: Vec<PathBuf>,
}

impl Report {
    /// 0 success, 1 problems (nothing written), 2 usage errors.
    pub fn exit_code(&self) -> u8 {
        if self.diags.has_usage_errors() {
            2
        } else if self.diags.has_errors() {
            1
        } else {
            0
        }
    }
}

/// Runs a translators' command on the project at `root`: for `lang`, or for every language
/// but the source. Writes only when nothing is wrong, through [`crate::write_all`].
pub fn run(root: &Path, lang: Option<&str>, action: &Action) -> Report {
    let languages = match lang {
        Some(l) => Languages::Some(vec![l.to_string()]),
        None => Languages::All,
    };
    let mut ctx = Ctx::new(root, FileCache::default());
    let mut report = Report::default();
    if let Some(project) = crate::project::load(&mut ctx, &languages) {
        // Status and export report on the packs, whatever else the project says (`vlr check`
        // reports that); an import writes into the project, so its problems are shown.
        if !matches!(action, Action::Import { .. }) {
            ctx.diags = Diagnostics::default();
        }
        let codes: Vec<String> = match lang {
            Some(l) => vec![l.to_string()],
            None => project.languages.iter().filter(|l| **l != project.report.default_language).cloned().collect(),
        };
        for code in codes {
            if let Some(t) = Translation::new(&project, &code) {
                act(&mut ctx, &t, action, &mut report);
            }
        }
    }
    report.diags.append(ctx.diags);
    report
}

/// One language's part of [`run`].
fn act(ctx: &mut Ctx, t: &Translation, action: &Action, report: &mut Report) {
    let code = &t.target.code;
    let root = ctx.files.root().to_path_buf();
    let default_dir = || root.join("build/po").join(code);
    match action {
        Action::Status { strict } => {
            let files = status(t);
            if *strict && files.iter().any(FileStatus::has_problems) {
                ctx.diags.push(
                    Diagnostic::error(
                        Code::I18nStrict,
                        format!("lang/{code}/ has missing or stale strings, or translations that print other numbers"),
                    )
                    .hint(format!("translate the strings listed for {code} above (vlr i18n export --lang {code})")),
                );
            }
            report.status.push((code.clone(), files));
        }
        Action::Export { out } => {
            let dir = out.clone().unwrap_or_else(default_dir);
            match crate::files::write_all(&po::export(t, &dir)) {
                Ok(files) => {
                    report.done.push(format!("wrote {} PO files to {}", files.len(), dir.display()));
                    report.written.extend(files);
                }
                Err(e) => ctx.diags.extend(e),
            }
        }
        Action::Import { from, prune } => {
            let dir = from.clone().unwrap_or_else(default_dir);
            let Some(rel) = crate::files::within(&root, &dir) else {
                ctx.diags.push(
                    Diagnostic::error(
                        Code::Usage,
                        format!("{} is not inside the project {}", dir.display(), root.display()),
                    )
                    .hint("copy the PO files into the project (e.g. build/po/<LANG>/) and import from there"),
                );
                return;
            };
            match po::import(ctx, t, &rel, *prune) {
                Some(import) => match crate::files::write_all(&import.outputs) {
                    Ok(files) => {
                        report.done.push(format!(
                            "updated {} entries in {} pack file(s) of lang/{code}/ from {}",
                            import.updated,
                            files.len(),
                            dir.display()
                        ));
                        report.written.extend(files);
                    }
                    Err(e) => ctx.diags.extend(e),
                },
                None => ctx.diags.push(
                    Diagnostic::error(Code::I18nImport, "nothing was imported")
                        .hint("fix the problems above and import again"),
                ),
            }
        }
    }
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
