//! vlr — a city's UN SDG Voluntary Local Review, from plain files to a print-ready PDF.
//!
//! A build runs five stages, one module each, in this order:
//!
//! 1. [`project`] — load the project (`report.toml`, `chapters/`, `data/`, `styles/theme.toml`,
//!    `lang/`) and check every reference from one file to another, once
//! 2. [`resolve`] — the book for one language and edition as plain data (`book.json`): texts
//!    looked up, numbers formatted, charts as points; no I/O
//! 3. [`render`]  — the assets the book names: charts drawn as SVG, photos prepared for print
//! 4. [`typeset`] — lay the book out in-process with Typst and the templates in `styles/`
//! 5. [`export`]  — PDF bytes with `typst-pdf`; then every output is written, or none is
//!
//! The web edition ([`web`]) takes the book data and assets of stages 2–3 (never typeset) and
//! makes a static site, written with the PDFs.
//!
//! [`run`] drives them and reads like this list. Every stage reports into one
//! [`diag::Diagnostics`] and keeps going, so a run shows all problems at once. The outcome is
//! decided before anything is written: with errors (or denied warnings, or an output that
//! cannot be written) no file is created or replaced.
//!
//! Around the pipeline: [`session`] (caches kept between builds), [`watch`], [`preflight`]
//! (the laid-out pages checked as a proofreader would), [`release`],
//! [`translate`] (the translators' `vlr i18n` tools) and [`new`] (`vlr new`).

// A diagnostic is an error value on cold paths only (a problem found): its size does not matter.
#![allow(clippy::result_large_err, reason = "Diagnostic is the error type; errors are rare and cheap enough")]

pub mod builtin;
pub mod ctx;
pub mod diag;
pub mod edition;
pub mod files;
pub mod inline;
pub mod numbers;
pub mod script;

pub mod export;
pub mod preflight;
pub mod project;
pub mod render;
pub mod resolve;
pub mod typeset;
pub mod web;

pub mod new;
pub mod release;
pub mod session;
pub mod translate;
pub mod watch;

use std::path::{Path, PathBuf};
use std::time::Instant;

pub use ctx::Progress;
use ctx::{Ctx, Timings, ms};
use diag::{Diagnostic, Diagnostics};
use edition::{Edition, Target};
use export::{Output, PdfError};
use project::{Languages, Project};
use session::{Seed, Session};
use typeset::{Job, Layout, Typeset};

/// What to build and where.
#[derive(Debug, Clone)]
pub struct Options {
    pub root: PathBuf,
    pub languages: Languages,
    pub editions: Vec<Edition>,
    /// Where PDFs go (default `<root>/build`).
    pub out_dir: Option<PathBuf>,
    pub emit_typst: Option<PathBuf>,
    /// Also write the book's numbers as open data (CSV, JSON, Data Package, Open SDG files).
    pub data: bool,
    /// Where to write the per-stage timings as JSON.
    pub timings: Option<PathBuf>,
    pub font_paths: Vec<PathBuf>,
    /// Also search the system's fonts (off in tests, for a hermetic font set).
    pub system_fonts: bool,
    /// Write only this chapter's pages, as an untagged preview `<stem>-<chapter>-preview.pdf`,
    /// numbered as in the book (a session lays the chapter out alone when it safely can).
    pub chapter: Option<String>,
    /// Treat warnings as errors: nothing is written when there are any.
    pub deny_warnings: bool,
    /// `SOURCE_DATE_EPOCH` as given (seconds since 1970): the document date, when set.
    pub source_date_epoch: Option<String>,
    /// Hears how many steps a run has, then of each step done (edition typeset, PDF written).
    pub progress: Option<std::sync::mpsc::Sender<Progress>>,
}

impl Options {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self {
            root: root.into(),
            languages: Languages::Default,
            editions: vec![Edition::Screen],
            out_dir: None,
            emit_typst: None,
            data: false,
            timings: None,
            font_paths: Vec::new(),
            system_fonts: true,
            chapter: None,
            deny_warnings: false,
            source_date_epoch: None,
            progress: None,
        }
    }

    pub fn out_dir(&self) -> PathBuf {
        self.out_dir.clone().unwrap_or_else(|| self.root.join("build"))
    }

    /// A session for these options (fonts, and empty caches).
    pub fn session(&self) -> Session {
        Session::new(&self.font_paths, self.system_fonts)
    }
}

/// One PDF a run made (or, for `vlr check`, one edition it checked).
#[derive(Debug, Clone)]
pub struct Pdf {
    pub target: Target,
    pub path: Option<PathBuf>,
    /// Pages of the book.
    pub pages: usize,
    /// The pages written (1-based, inclusive) when only a chapter was asked for.
    pub range: Option<(usize, usize)>,
    pub bytes: usize,
    pub placeholders: Vec<resolve::Placeholder>,
}

/// The outcome of a run: what was made, and every diagnostic with the sources to show them.
#[derive(Default)]
pub struct Outcome {
    pub diags: Diagnostics,
    pub pdfs: Vec<Pdf>,
    /// Every file written.
    pub written: Vec<PathBuf>,
    pub timings: Timings,
    /// A request the report cannot serve (an unknown `--lang`): exit code 2.
    pub usage: Option<String>,
    /// Warnings were denied (`deny_warnings`), so nothing was written.
    pub denied: bool,
    /// The web edition's site, when it was made.
    pub site: Option<web::Summary>,
}

impl Outcome {
    pub fn ok(&self) -> bool {
        self.usage.is_none() && !self.diags.has_errors() && !self.denied
    }

    /// 0 success, 1 content errors (nothing written or replaced), 2 usage errors.
    pub fn exit_code(&self) -> u8 {
        if self.usage.is_some() {
            2
        } else if self.ok() {
            0
        } else {
            1
        }
    }
}

/// How far a run goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Until {
    /// Stages 1–3 and the font check: `vlr check`.
    Check,
    /// Stages 1–4: laid out, nothing exported or written.
    Typeset,
    /// Stages 1–4, then the pages inspected ([`preflight`]): `vlr preflight`.
    Preflight,
    /// Everything: PDFs written.
    Write,
}

/// The whole pipeline: one PDF per requested language and edition.
pub fn build(opts: &Options) -> Outcome {
    run(&mut opts.session(), opts, Until::Write).0
}

/// Stages 1–3 for every requested language and edition, without typesetting.
pub fn check(opts: &Options) -> Outcome {
    run(&mut opts.session(), opts, Until::Check).0
}

/// Stages 1–4, and every laid-out page inspected: `vlr preflight`.
pub fn preflight(opts: &Options) -> Outcome {
    run(&mut opts.session(), opts, Until::Preflight).0
}

/// Stages 1–4: the laid-out documents, in memory.
pub fn typeset(opts: &Options) -> (Outcome, Vec<Typeset>) {
    run(&mut opts.session(), opts, Until::Typeset)
}

/// With `--chapter`, after a whole-book layout: lays the chapter out alone once, writing
/// nothing. Watch calls this while the editor reads the PDF, so Typst's caches hold that
/// layout and the next edit rebuilds at full speed instead of paying for the first one.
pub fn warm_up(session: &mut Session, opts: &Options) {
    if !session.warm {
        let _ = run(session, opts, Until::Typeset);
    }
}

/// The driver: the stages in order, as far as `until`, with the session's caches.
pub fn run(session: &mut Session, opts: &Options, until: Until) -> (Outcome, Vec<Typeset>) {
    let started = Instant::now();
    let mut ctx = Ctx::new(&opts.root, std::mem::take(&mut session.files));
    session.assets.images.dir = Some(render::cache_dir(&opts.out_dir()));
    let mut outcome = Outcome::default();
    let typeset = stages(session, opts, until, &mut ctx, &mut outcome);
    session.files = std::mem::take(&mut ctx.files.cache);
    ctx.timings.total = ms(started);
    outcome.diags.append(std::mem::take(&mut ctx.diags));
    outcome.timings = ctx.timings;
    let warnings = outcome.diags.warning_count();
    if opts.deny_warnings && warnings > 0 {
        outcome.denied = true;
        outcome.diags.push(
            Diagnostic::error(
                "warnings-denied",
                format!("{warnings} warning(s) denied (--deny-warnings); nothing was written"),
            )
            .hint("fix the warnings above, or build without --deny-warnings"),
        );
    }
    (outcome, typeset)
}

fn stages(session: &mut Session, opts: &Options, until: Until, ctx: &mut Ctx, out: &mut Outcome) -> Vec<Typeset> {
    // 1. The project, checked.
    let start = Instant::now();
    let web_edition = opts.editions.contains(&Edition::Web);
    let project = match project::load_for(ctx, &opts.languages, web_edition) {
        Ok(p) => p,
        Err(usage) => {
            out.usage = Some(usage.0);
            return Vec::new();
        }
    };
    let Some(mut project) = project else { return Vec::new() };
    // One place decides the document date: SOURCE_DATE_EPOCH, else report.toml.
    let published = document_date(&mut ctx.diags, opts.source_date_epoch.as_deref(), project.report.published);
    project.report.published = published;
    if let Some(id) = &opts.chapter {
        check_chapter(&mut ctx.diags, &project, id);
    }
    // The open data speaks every language: the packs of those not built are loaded and
    // checked now, so their problems stop the run before anything is typeset.
    let open_data = opts.data && opts.chapter.is_none();
    if open_data {
        project.load_every_pack(ctx);
    }
    ctx.timings.load += ms(start);

    // 2–3. Each language resolved, its assets rendered, its characters checked against the
    // fonts; then its editions, which differ only in what the templates draw around the page.
    let languages: Vec<String> = project.languages.iter().filter(|l| project.packs.contains_key(*l)).cloned().collect();
    if let Some(p) = &opts.progress {
        let pdfs = opts.editions.iter().filter(|e| e.is_pdf()).count();
        let _ = p.send(Progress::Start { steps: languages.len() * pdfs * 2 });
    }
    let mut prepared = Vec::new();
    let mut site = Vec::new();
    for lang in languages {
        let start = Instant::now();
        let mut resolved = resolve::resolve(&mut ctx.diags, &project, &lang);
        ctx.timings.resolve += ms(start);
        // The fonts first (they may need the system's scanned), so charts measure with them.
        let texts = resolve::texts::Texts::new(&project, &lang);
        let screen = resolve::data_files(&mut resolved, Edition::Screen);
        let in_charts = resolved.charts.iter().flat_map(|c| c.data.printed()).map(str::as_bytes);
        let printed: Vec<&[u8]> = screen.iter().map(|(_, b)| b.as_slice()).chain(in_charts).collect();
        session.typesetter.check_fonts(&mut ctx.diags, &project.theme, texts.chain(), &printed);
        let typesetter = &session.typesetter;
        let metrics =
            |families: &[String]| -> Box<dyn render::charts::Measure + '_> { Box::new(typesetter.metrics(families)) };
        let assets = render::render(ctx, &resolved, &session.assets, &project.theme, &metrics);
        for edition in opts.editions.iter().filter(|e| e.is_pdf()) {
            // The screen edition's data is already serialized (for the font check).
            let mut files = match edition {
                Edition::Screen => screen.clone(),
                _ => resolve::data_files(&mut resolved, *edition),
            };
            files.extend(assets.iter().cloned());
            let target = Target { lang: lang.clone(), edition: *edition };
            prepared.push((target, files, resolved.placeholders.clone()));
        }
        // The web edition reads the book data as the screen edition's (its RGB colours).
        if web_edition {
            resolve::data_files(&mut resolved, Edition::Web);
            site.push(web::Language { resolved, assets });
        }
    }
    if until == Until::Check {
        out.pdfs = prepared
            .into_iter()
            .map(|(target, _, placeholders)| Pdf { target, path: None, pages: 0, range: None, bytes: 0, placeholders })
            .collect();
        return Vec::new();
    }
    // Content errors: do not typeset, keep the previous PDFs.
    if ctx.diags.has_errors() {
        return Vec::new();
    }

    // 4. Typeset, one thread per edition.
    let start = Instant::now();
    let mut placeholders = Vec::new();
    let mut contexts = std::collections::BTreeMap::new();
    let jobs: Vec<Job> = prepared
        .into_iter()
        .map(|(target, files, placeholders_of)| {
            let (layout, context) = layout(session, opts, &target, &files);
            contexts.insert(target.clone(), context);
            placeholders.push(placeholders_of);
            Job { target, files, layout }
        })
        .collect();
    let typeset = session.typesetter.typeset(&opts.root, published, jobs, opts.progress.as_ref());
    ctx.timings.typeset += ms(start);
    let mut laid_out = Vec::new();
    for (mut t, placeholders) in typeset.into_iter().zip(placeholders) {
        ctx.diags.append(std::mem::take(&mut t.diags));
        if t.document.is_some() {
            laid_out.push((t, placeholders));
        }
    }
    if until == Until::Preflight {
        for (t, placeholders) in &laid_out {
            preflight::check(&mut ctx.diags, &project, t, published);
            let pages = t.document.as_ref().map_or(0, |d| d.pages().len());
            let (target, placeholders) = (t.target.clone(), placeholders.clone());
            out.pdfs.push(Pdf { target, path: None, pages, range: None, bytes: 0, placeholders });
        }
    }
    if until <= Until::Preflight || ctx.diags.has_errors() {
        return laid_out.into_iter().map(|(t, _)| t).collect();
    }

    // 5. Export, one thread per edition; then decide, then write everything or nothing.
    let start = Instant::now();
    let exported = export_all(&laid_out, opts.chapter.as_deref(), &project, published);
    ctx.timings.export += ms(start);
    let start = Instant::now();
    let mut outputs = Vec::new();
    let mut downloads = Vec::new();
    let several = laid_out.len() > 1;
    for ((t, placeholders), result) in laid_out.iter().zip(exported) {
        let mut pdf = match result {
            Ok(pdf) => pdf,
            Err(PdfError::Typst(errors)) => {
                session.typesetter.convert(&mut ctx.diags, &t.target, &errors);
                continue;
            }
            Err(PdfError::Other(msg)) => {
                ctx.diags.push(Diagnostic::error("pdf", format!("PDF export failed: {msg}")));
                continue;
            }
        };
        let stem = t.target.stem(&project.report.id);
        let name = match &opts.chapter {
            Some(id) => format!("{stem}-{id}-preview.pdf"),
            None => format!("{stem}.pdf"),
        };
        let path = opts.out_dir().join(&name);
        if let Some(mut seed) = pdf.seed.take() {
            seed.context = contexts.get(&t.target).copied().unwrap_or_default();
            session.seeds.insert(t.target.clone(), seed);
            session.warm = false;
        }
        if let (Layout::Alone { .. }, Some((first, last)), Some(seed)) =
            (&t.layout, pdf.range, session.seeds.get(&t.target))
        {
            // Laid out alone: the book grew or shrank by what the chapter did.
            pdf.book_pages = (seed.book_pages + last + 1 - first).saturating_sub(seed.chapter_pages);
        }
        if let (Some(dir), Some(doc)) = (&opts.emit_typst, &t.document) {
            let dir = if several { dir.join(&stem) } else { dir.clone() };
            let sources = session
                .typesetter
                .dependencies_of(&t.target)
                .into_iter()
                .filter_map(|rel| ctx.files.read_bytes(&rel).ok().map(|b| (rel, b)))
                .collect();
            outputs.extend(export::emit::typst_project(&dir, &t.files, sources, doc));
        }
        let mut placeholders = placeholders.clone();
        if let Some(id) = &opts.chapter {
            placeholders.retain(|p| &p.chapter == id);
        }
        out.pdfs.push(Pdf {
            target: t.target.clone(),
            path: Some(path.clone()),
            pages: pdf.book_pages,
            range: pdf.range,
            bytes: pdf.bytes.len(),
            placeholders,
        });
        if web_edition && opts.chapter.is_none() {
            downloads.extend(web::Download::pdf(&t.target, name, pdf.bytes.clone()));
        }
        outputs.push(Output { path, bytes: pdf.bytes });
    }
    // The numbers as open data, beside the PDFs (never for a chapter preview).
    if open_data {
        let data = export::data::files(&project, &mut ctx.diags);
        downloads
            .extend(data.iter().filter(|_| web_edition).filter_map(|(name, bytes)| web::Download::data(name, bytes)));
        outputs.extend(data.into_iter().map(|(name, bytes)| Output { path: opts.out_dir().join(name), bytes }));
    }
    // The web edition: the site, with the PDFs and open data this run made as its downloads.
    if web_edition {
        let start = Instant::now();
        if let Some((files, summary)) = web::site(ctx, &project, &site, &downloads, session.typesetter.fonts()) {
            let dir = opts.out_dir().join(web::DIR);
            outputs.extend(files.into_iter().map(|(rel, bytes)| Output { path: dir.join(rel), bytes }));
            out.site = Some(web::Summary { dir, ..summary });
        }
        ctx.timings.web += ms(start);
    }
    write(ctx, opts, out, outputs, session);
    ctx.timings.write += ms(start);
    laid_out.into_iter().map(|(t, _)| t).collect()
}

/// Writes the run's outputs when the outcome allows it: no errors, no denied warnings, and
/// every target (the timings file too) writable. Otherwise nothing is written.
fn write(ctx: &mut Ctx, opts: &Options, out: &mut Outcome, outputs: Vec<Output>, session: &Session) {
    let denied = opts.deny_warnings && ctx.diags.warning_count() > 0;
    let mut problems: Vec<Diagnostic> =
        opts.timings.iter().filter_map(|t| export::write::check_option("--timings", t)).collect();
    if ctx.diags.has_errors() || denied || !problems.is_empty() {
        ctx.diags.extend(problems);
        out.pdfs.iter_mut().for_each(|p| p.path = None);
        out.site = None;
        return;
    }
    match export::write_all(&outputs) {
        Ok(written) => {
            for path in &written {
                if let Some(p) = &opts.progress
                    && path.extension().is_some_and(|e| e == "pdf")
                {
                    let _ = p.send(Progress::Step(format!("wrote {}", path.display())));
                }
            }
            out.written = written;
            // The cache only saves time: a failure to write it is not an error.
            let fresh = session.assets.images.fresh().into_iter().map(|(path, bytes)| Output { path, bytes });
            let _ = export::write_all(&fresh.collect::<Vec<_>>());
        }
        Err(e) => {
            problems = e;
            ctx.diags.extend(problems);
            out.pdfs.iter_mut().for_each(|p| p.path = None);
            out.site = None;
        }
    }
}

/// With `--chapter`: the chapter alone when nothing else changed since the last whole-book
/// layout, else the whole book; and the fingerprint of everything but the chapter.
fn layout(session: &mut Session, opts: &Options, target: &Target, files: &[(String, Vec<u8>)]) -> (Layout, u64) {
    let Some(id) = &opts.chapter else { return (Layout::Whole, 0) };
    let context = context_fingerprint(files, id);
    match session.seeds.get(target).filter(|s| s.context == context) {
        Some(seed) => {
            session.alone += 1;
            session.warm = true;
            (Layout::Alone { id: id.clone(), start: seed.start }, context)
        }
        None => (Layout::Whole, context),
    }
}

/// Everything laid out before or after chapter `id`, as one number: the book data and every
/// other chapter (charts and images never change where pages break).
fn context_fingerprint(files: &[(String, Vec<u8>)], id: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let own = format!("chapters/{id}.json");
    let mut h = std::collections::hash_map::DefaultHasher::new();
    files.iter().filter(|(path, _)| path.ends_with(".json") && **path != own).for_each(|kv| kv.hash(&mut h));
    h.finish()
}

/// One edition's PDF, ready to write.
struct Exported {
    bytes: Vec<u8>,
    /// With `--chapter`: the book's pages the preview holds.
    range: Option<(usize, usize)>,
    book_pages: usize,
    /// A whole-book layout tells where the chapter starts, for laying it out alone next time.
    seed: Option<Seed>,
}

/// Stage 5 for every edition, one thread each (typst-pdf writes a document on one core).
fn export_all(
    laid_out: &[(Typeset, Vec<resolve::Placeholder>)],
    chapter: Option<&str>,
    project: &Project,
    date: (i32, u8, u8),
) -> Vec<Result<Exported, PdfError>> {
    std::thread::scope(|s| {
        let handles: Vec<_> = laid_out
            .iter()
            .map(|(t, _)| {
                let meta = export::PdfMeta::new(project, &t.target, date);
                s.spawn(move || export_one(t, chapter, &meta))
            })
            .collect();
        handles.into_iter().map(|h| h.join().expect("an export thread panicked")).collect()
    })
}

fn export_one(t: &Typeset, chapter: Option<&str>, meta: &export::PdfMeta) -> Result<Exported, PdfError> {
    let doc = t.document.as_ref().ok_or_else(|| PdfError::Other("nothing was laid out".into()))?;
    let pages = doc.pages().len();
    let (written, range, book_pages, seed) = match (&t.layout, chapter) {
        (_, None) => (None, None, pages, None),
        (Layout::Alone { start, .. }, Some(_)) => {
            // The document is the chapter alone, after a blank page when it starts on a left page.
            let first = if start.physical % 2 == 0 { 2 } else { 1 };
            let now = pages + 1 - first;
            (Some((first, pages)), Some((start.physical, start.physical + now - 1)), 0, None)
        }
        (Layout::Whole, Some(id)) => {
            let ((first, last), start) = typeset::chapters::chapter_pages(doc, id).ok_or_else(|| {
                PdfError::Other(format!(
                    "the {} edition marks no page as the start of chapter `{id}`: the templates must call \
                     `chapter-mark(ch.id)` on the first page of every chapter (styles/pages.typ)",
                    t.target.lang
                ))
            })?;
            let seed = Seed { start, book_pages: pages, chapter_pages: last + 1 - first, context: 0 };
            (Some((first, last)), Some((first, last)), pages, Some(seed))
        }
    };
    let bytes = export::pdf(doc, meta, written)?;
    Ok(Exported { bytes, range, book_pages, seed })
}

/// `--chapter ID` must name a chapter of the report.
fn check_chapter(diags: &mut Diagnostics, project: &Project, id: &str) {
    let ids: Vec<&str> = project.report.chapters().map(|c| c.id.as_str()).collect();
    if !ids.contains(&id) {
        diags.push(
            Diagnostic::error("unknown-chapter", format!("report.toml has no chapter `{id}`"))
                .in_file(project::report::REPORT_FILE)
                .hint(format!("--chapter takes one of: {}", ids.join(", "))),
        );
    }
}

/// The document date: `SOURCE_DATE_EPOCH` (seconds since 1970, as reproducible-build tools
/// set it) when given, else the report's publication date. Never the clock.
fn document_date(diags: &mut Diagnostics, epoch: Option<&str>, published: (i32, u8, u8)) -> (i32, u8, u8) {
    let Some(raw) = epoch else { return published };
    // Years 1..=9999 only: PDF dates have four digits.
    match raw.trim().parse::<i64>().ok().filter(|s| (-62_135_596_800..=253_402_300_799).contains(s)) {
        Some(secs) => civil_from_days(secs.div_euclid(86_400)),
        None => {
            diags.push(
                Diagnostic::error("invalid-value", format!("SOURCE_DATE_EPOCH={raw} is not a number of seconds")).hint(
                    "set it to seconds since 1970-01-01 (e.g. `git log -1 --format=%ct`), or unset it to use report.toml's date",
                ),
            );
            published
        }
    }
}

/// Days since 1970-01-01 → (year, month, day), proleptic Gregorian (H. Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i32, u8, u8) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y as i32, m, d)
}

/// Finds the project root: the given folder, or the nearest ancestor with a report.toml.
pub fn find_root(start: &Path) -> Option<PathBuf> {
    start.ancestors().find(|d| d.join("report.toml").is_file()).map(Path::to_path_buf)
}

#[cfg(test)]
mod tests {
    #[test]
    fn epoch_days_to_dates() {
        assert_eq!(super::civil_from_days(0), (1970, 1, 1));
        assert_eq!(super::civil_from_days(18_931), (2021, 10, 31));
        assert_eq!(super::civil_from_days(19_052), (2022, 3, 1));
    }
}
