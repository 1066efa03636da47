//! `vlr release`: every language in every edition (both PDFs and the website), with checksums
//! and a build manifest, for publishing. A release is a build into a staging folder, then the gate, then the manifest;
//! only a release that passes the gate is moved into place.
//!
//! The gate refuses what a reader should not get by accident — placeholder figures, pending
//! values, missing or stale translations — unless each kind is explicitly allowed, and lists
//! every offender. It also refuses a print PDF that is not PDF/X-4, listing each failure.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::ctx::Ctx;
use crate::diag::{Code, Diagnostic};
use crate::edition::Edition;
use crate::preflight::Check;
use crate::project::{Languages, Project, Status, Value};
use crate::{Options, Outcome, Until};

/// What a release may contain when allowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Allow {
    Placeholders,
    Pending,
    Untranslated,
    /// Values worked out from the report's figures (marked † in the book).
    Derived,
    /// Values the report prints unclearly (marked ‡ in the book).
    Uncertain,
    /// Pages with preflight findings of this kind (`overflow`, `low-contrast`, …).
    Preflight(Check),
}

impl Allow {
    const ALL: [(&'static str, Allow); 5] = [
        ("placeholders", Allow::Placeholders),
        ("pending", Allow::Pending),
        ("untranslated", Allow::Untranslated),
        ("derived", Allow::Derived),
        ("uncertain", Allow::Uncertain),
    ];

    /// What a release allows unless told to be strict: values the book marks as what they are.
    pub const MARKED: [Allow; 2] = [Allow::Derived, Allow::Uncertain];

    pub fn name(self) -> &'static str {
        match self {
            Allow::Preflight(check) => check.code().name(),
            _ => Self::ALL.iter().find(|(_, a)| *a == self).map_or("", |(n, _)| n),
        }
    }
}

impl std::str::FromStr for Allow {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let named = Self::ALL.iter().find(|(n, _)| *n == s).map(|(_, a)| *a);
        named.or_else(|| Code::from_name(s).and_then(Check::of).map(Allow::Preflight)).ok_or_else(|| {
            let names: Vec<&str> =
                Self::ALL.iter().map(|(n, _)| *n).chain(Check::ALL.iter().map(|c| c.code().name())).collect();
            format!("unknown allowance `{s}` (use {})", names.join(", "))
        })
    }
}

/// The preflight findings of a run, as the release takes them: errors, except those of a kind
/// `--allow` names, which stay in the record as warnings.
fn preflight_gate(diags: &crate::diag::Diagnostics, allow: &[Allow]) -> Vec<Diagnostic> {
    diags
        .iter()
        .filter_map(|d| Some((Check::of(d.code)?, d)))
        .map(|(check, d)| {
            let mut d = d.clone();
            if allow.contains(&Allow::Preflight(check)) {
                d.severity = crate::diag::Severity::Warning;
            } else if d.is_error() {
                d.hint = Some(format!(
                    "{} Or release with --allow {} to publish it anyway.",
                    d.hint.unwrap_or_default(),
                    check.code()
                ));
            }
            d
        })
        .collect()
}

#[derive(Serialize)]
struct Manifest {
    tool: String,
    report: String,
    inputs: BTreeMap<String, String>,
    fonts: Vec<FontUse>,
    pdfs: Vec<PdfEntry>,
    /// The open data written beside the PDFs.
    data: Vec<FileEntry>,
    /// The web edition's site (`web/`): every file of it.
    web: Vec<FileEntry>,
    warnings: Vec<String>,
    allowed: Vec<String>,
}

#[derive(Serialize, PartialEq, Eq, PartialOrd, Ord)]
struct FontUse {
    family: String,
    file: String,
    sha256: String,
}

#[derive(Serialize)]
struct PdfEntry {
    file: String,
    lang: String,
    pages: usize,
    bytes: usize,
    sha256: String,
}

#[derive(Serialize)]
struct FileEntry {
    file: String,
    bytes: usize,
    sha256: String,
}

fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// The sources a release is made from, with their hashes (sorted, project-relative).
fn inputs(ctx: &mut Ctx) -> BTreeMap<String, String> {
    fn walk(ctx: &mut Ctx, dir: &Path, out: &mut BTreeMap<String, String>) {
        let Ok(entries) = ctx.files.list(dir, &[]) else { return };
        for rel in entries {
            if ctx.files.is_dir(&rel) {
                walk(ctx, &rel, out);
            } else if let Ok(bytes) = ctx.files.read_bytes(&rel) {
                out.insert(rel.display().to_string(), sha256(&bytes));
            }
        }
    }
    let mut out = BTreeMap::new();
    if let Ok(b) = ctx.files.read_bytes(Path::new("report.toml")) {
        out.insert("report.toml".into(), sha256(&b));
    }
    for d in ["chapters", "data", "lang", "styles", "figures"] {
        walk(ctx, Path::new(d), &mut out);
    }
    out
}

/// Builds every language in both editions into `out`, gated by `allow`. Returns the outcome
/// (with every offender as an error) and the files published.
///
/// The gate comes first: the project is checked (without typesetting) and every offender
/// listed before anything is built. Then the build goes into a staging folder, and only when
/// every step of publishing works is it moved into place. Each reason a release cannot be
/// published is an error: a release never ends without errors and without files.
pub fn release(opts: &Options, out: &Path, allow: &[Allow]) -> Outcome {
    let mut opts = opts.clone();
    opts.languages = Languages::All;
    opts.editions = Edition::ALL.to_vec();
    opts.chapter = None;
    opts.data = true;
    let name = out.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "release".into());
    let staging = out.with_file_name(format!(".{name}.staging-{}", std::process::id()));
    opts.out_dir = Some(staging.clone());
    let mut session = opts.session();

    // 1. The gate: the project's problems and every offender, before anything is typeset.
    let (mut checked, _) = crate::run(&mut session, &opts, Until::Check);
    let mut ctx = Ctx::new(&opts.root, std::mem::take(&mut session.files));
    let inputs_before = inputs(&mut ctx);
    let mut report = String::new();
    let mut print = None;
    if !checked.diags.has_usage_errors() {
        match crate::project::load(&mut ctx, &Languages::All) {
            Some(project) => {
                checked.diags.extend(gate(&checked.pdfs, &project, allow));
                print = Some(crate::export::pdfx_check::Expect::for_theme(&project.theme));
                report = project.report.id;
            }
            _ if checked.diags.has_errors() => {} // the check said why the project cannot be read
            _ => {
                checked.diags.append(std::mem::take(&mut ctx.diags));
                checked.diags.push(refused("the project could not be read for the release gate"));
            }
        }
    }
    session.files = std::mem::take(&mut ctx.files.cache);
    if !checked.ok() {
        checked.pdfs.iter_mut().for_each(|p| p.path = None);
        return checked;
    }

    // 2. Preflight: every edition laid out and its pages checked as a proofreader would (the
    //    build then reuses the layouts).
    let (inspected, _) = crate::run(&mut session, &opts, Until::Preflight);
    let findings = preflight_gate(&inspected.diags, allow);
    if findings.iter().any(Diagnostic::is_error) {
        checked.diags.extend(findings);
        checked.diags.push(refused("preflight found pages a reader should not get"));
        checked.pdfs.iter_mut().for_each(|p| p.path = None);
        return checked;
    }

    // 3. The build, into the staging folder.
    let (mut outcome, typeset) = crate::run(&mut session, &opts, Until::Write);
    outcome.diags.extend(findings);
    if outcome.ok()
        && let Some(expect) = &print
    {
        outcome.diags.extend(print_check(&outcome.pdfs, expect));
    }
    let published = if outcome.ok() {
        let mut ctx = Ctx::new(&opts.root, std::mem::take(&mut session.files));
        let changed: Vec<String> = changed(&inputs_before, &inputs(&mut ctx));
        if changed.is_empty() {
            let release = Release { out, staging: &staging, allow, inputs: inputs_before, report };
            publish(&release, &outcome, &typeset)
        } else {
            Err(changed
                .into_iter()
                .map(|file| {
                    Diagnostic::error(Code::ReleaseChanged, format!("`{file}` changed while the release was made"))
                        .in_file(&file)
                        .hint("the books may not match the manifest's input hashes: release again once editing is done")
                })
                .collect())
        }
    } else {
        Err(Vec::new()) // the build's errors say why
    };
    let _ = std::fs::remove_dir_all(&staging);
    match published {
        Ok(written) => outcome.written = written,
        Err(problems) => {
            outcome.diags.extend(problems);
            outcome.written.clear();
            if outcome.ok() {
                outcome.diags.push(refused("nothing was published"));
            }
        }
    }
    let published = !outcome.written.is_empty();
    for pdf in &mut outcome.pdfs {
        pdf.path = pdf.path.as_ref().and_then(|p| Some(out.join(p.file_name()?))).filter(|_| published);
    }
    outcome
}

/// Every print PDF read back and checked against PDF/X-4 ([`crate::export::pdfx_check`]): each
/// failure is an error, so a print shop never gets a file its preflight would refuse.
fn print_check(pdfs: &[crate::Pdf], expect: &crate::export::pdfx_check::Expect) -> Vec<Diagnostic> {
    use crate::export::pdfx_check::{check, diagnostics};
    let mut diags = Vec::new();
    for path in pdfs.iter().filter(|p| p.target.edition == Edition::Print).filter_map(|p| p.path.as_ref()) {
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        match std::fs::read(path) {
            Ok(bytes) => diags.extend(diagnostics(&name, &check(&bytes, expect))),
            Err(e) => diags.push(refused(&format!("cannot read the staged {name} back: {e}"))),
        }
    }
    if !diags.is_empty() {
        diags.push(refused("a print PDF is not PDF/X-4"));
    }
    diags
}

/// An error that refuses the release for a reason no other diagnostic gives.
fn refused(why: &str) -> Diagnostic {
    Diagnostic::error(Code::Release, format!("release refused: {why}"))
        .hint("nothing was published; fix the problems above and release again")
}

/// The input files whose hash differs between two readings (added, removed or edited).
fn changed(before: &BTreeMap<String, String>, after: &BTreeMap<String, String>) -> Vec<String> {
    let files: BTreeSet<&String> = before.keys().chain(after.keys()).collect();
    files.into_iter().filter(|f| before.get(*f) != after.get(*f)).cloned().collect()
}

/// Where a release goes and what it was made from.
struct Release<'a> {
    out: &'a Path,
    staging: &'a Path,
    allow: &'a [Allow],
    /// The input files' hashes, read before the build (and found unchanged after it).
    inputs: BTreeMap<String, String>,
    /// The report's id.
    report: String,
}

/// The staged files, their checksums and the manifest, moved into `out` together. Every
/// step that fails is an error (and then nothing is published).
fn publish(
    r: &Release,
    outcome: &Outcome,
    typeset: &[crate::typeset::Typeset],
) -> Result<Vec<PathBuf>, Vec<Diagnostic>> {
    let problem = |what: String| vec![refused(&what)];
    let mut fonts = BTreeSet::new();
    for t in typeset {
        if let Some(doc) = &t.document {
            for (file, font) in crate::export::emit::used_fonts(doc) {
                fonts.insert(FontUse { family: font.info().family.clone(), file, sha256: sha256(font.data()) });
            }
        }
    }
    // Every file the build wrote (PDFs, and the open data), by its path in the release.
    let mut written: Vec<(String, Vec<u8>)> = Vec::new();
    for path in &outcome.written {
        let Ok(rel) = path.strip_prefix(r.staging) else {
            return Err(problem(format!("{} was written outside the staging folder", path.display())));
        };
        let bytes =
            std::fs::read(path).map_err(|e| problem(format!("cannot read the staged {}: {e}", path.display())))?;
        written.push((rel.to_string_lossy().replace('\\', "/"), bytes));
    }
    written.sort();
    if !written.iter().any(|(f, _)| f.ends_with(".pdf")) {
        return Err(problem("the build made no PDF".into()));
    }
    let mut sums = String::new();
    for (file, bytes) in &written {
        sums.push_str(&format!("{}  {file}\n", sha256(bytes)));
    }
    let mut pdfs = Vec::new();
    for pdf in &outcome.pdfs {
        let file = pdf.path.as_ref().and_then(|p| p.file_name()).map(|n| n.to_string_lossy().into_owned());
        let Some((file, bytes)) = file.and_then(|f| written.iter().find(|(w, _)| *w == f)) else {
            return Err(problem(format!(
                "the {} edition ({}) was not written",
                pdf.target.lang,
                pdf.target.edition.name()
            )));
        };
        pdfs.push(PdfEntry {
            file: file.clone(),
            lang: pdf.target.lang.clone(),
            pages: pdf.pages,
            bytes: bytes.len(),
            sha256: sha256(bytes),
        });
    }
    let entry =
        |(file, bytes): &(String, Vec<u8>)| FileEntry { file: file.clone(), bytes: bytes.len(), sha256: sha256(bytes) };
    let site = |f: &str| f.starts_with(&format!("{}/", crate::web::DIR));
    let data = written.iter().filter(|(f, _)| !f.ends_with(".pdf") && !site(f)).map(entry).collect();
    let web = written.iter().filter(|(f, _)| site(f)).map(entry).collect();
    let manifest = Manifest {
        tool: crate::export::CREATOR.to_string(),
        report: r.report.clone(),
        inputs: r.inputs.clone(),
        fonts: fonts.into_iter().collect(),
        pdfs,
        data,
        web,
        warnings: outcome.diags.short().lines().map(str::to_string).collect(),
        allowed: r.allow.iter().map(|a| a.name().to_string()).collect(),
    };
    let manifest = serde_json::to_string_pretty(&manifest).expect("manifest serializes") + "\n";
    let mut files: Vec<(PathBuf, Vec<u8>)> = written.into_iter().map(|(f, b)| (PathBuf::from(f), b)).collect();
    files.push(("SHA256SUMS".into(), sums.into_bytes()));
    files.push(("build-manifest.json".into(), manifest.into_bytes()));
    let outputs: Vec<crate::files::Output> =
        files.into_iter().map(|(name, bytes)| crate::files::Output { path: r.out.join(name), bytes }).collect();
    crate::files::write_all(&outputs)
}

/// Everything a reader should not get by accident, each offender an error unless allowed.
fn gate(pdfs: &[crate::Pdf], project: &Project, allow: &[Allow]) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    if !allow.contains(&Allow::Placeholders) {
        for pdf in pdfs.iter().filter(|p| p.target.edition == Edition::Screen) {
            for p in &pdf.placeholders {
                diags.push(
                    Diagnostic::error(
                        Code::ReleasePlaceholder,
                        format!(
                            "{} edition: figure `{}` of chapter `{}` is a placeholder ({})",
                            pdf.target.lang, p.figure, p.chapter, p.caption
                        ),
                    )
                    .in_file(format!("chapters/{}.toml", p.chapter))
                    .hint("add the image, or release with --allow placeholders"),
                );
            }
        }
    }
    if !allow.contains(&Allow::Pending) {
        for ind in project.data.indicators.values() {
            let pending_years: Vec<String> =
                ind.series.iter().filter(|(_, v)| **v == Value::Pending).map(|(y, _)| y.to_string()).collect();
            let message = if ind.status == Status::Pending || ind.value == Some(Value::Pending) {
                format!("`{}` is pending: the PDF prints it as pending", ind.id)
            } else if !pending_years.is_empty() {
                format!("`{}` is pending for {}: the PDF prints it as pending", ind.id, pending_years.join(", "))
            } else {
                continue;
            };
            diags.push(
                ind.loc.error(Code::ReleasePending, message).hint("add the value, or release with --allow pending"),
            );
        }
    }
    for (kind, status) in [(Allow::Derived, Status::Derived), (Allow::Uncertain, Status::Uncertain)] {
        if allow.contains(&kind) {
            continue;
        }
        for ind in project.data.indicators.values().filter(|i| i.statuses().contains(&status)) {
            let years: Vec<String> =
                ind.series.keys().filter(|y| ind.status_at(Some(**y)) == status).map(|y| y.to_string()).collect();
            let which = if years.is_empty() { String::new() } else { format!(" for {}", years.join(", ")) };
            diags.push(
                ind.loc
                    .error(Code::ReleaseMarked, format!("`{}` is {}{which}: the PDF marks it", ind.id, status.name()))
                    .hint(format!("confirm the value, or release without --strict (or with --allow {})", kind.name())),
            );
        }
    }
    if !allow.contains(&Allow::Untranslated) {
        for code in project.report.languages.iter().filter(|c| **c != project.report.default_language) {
            let Some(t) = crate::project::translation::Translation::new(project, code) else { continue };
            for f in crate::translate::status(&t) {
                for (what, ids) in [("missing", &f.missing), ("stale", &f.stale)] {
                    for id in ids {
                        diags.push(
                            Diagnostic::error(Code::ReleaseUntranslated, format!("{code}: {}/{id} is {what}", f.stem))
                                .in_file(format!("lang/{code}/{}.toml", f.stem))
                                .hint("translate it (vlr i18n status), or release with --allow untranslated"),
                        );
                    }
                }
            }
        }
    }
    diags
}
