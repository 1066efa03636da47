//! vlr — a city's UN SDG Voluntary Local Review, from plain files to a print-ready PDF.
//!
//! A build runs five stages, one private module each, in this order:
//!
//! 1. `project` — load the project (`report.toml`, `chapters/`, `data/`, `styles/theme.toml`,
//!    `lang/`) and check every reference from one file to another, once
//! 2. `resolve` — the book for one language and edition as plain data (`book.json`): texts
//!    looked up, numbers formatted, charts as points; no I/O
//! 3. `render`  — the assets the book names: charts drawn as SVG, photos prepared for print
//! 4. `typeset` — lay the book out in-process with Typst and the templates in `styles/`
//! 5. `export`  — PDF bytes with `typst-pdf`; then every output is written, or none is
//!
//! The web edition (`web`) takes the book data and assets of stages 2–3 (never typeset) and
//! makes a static site, written with the PDFs.
//!
//! [`run`] drives them and reads like this list. Every stage reports into one [`Diagnostics`]
//! and keeps going, so a run shows all problems at once. The outcome is decided before
//! anything is written: with errors (or denied warnings, or an output that cannot be written)
//! no file is created or replaced ([`write_all`]).
//!
//! Around the pipeline: `options` and `outcome` (what a run is asked and what it gives),
//! `preview` (`--chapter`), `session` (caches kept between builds), `watch`, `preflight` (the
//! laid-out pages checked as a proofreader would), `release`, `translate` (the translators'
//! `vlr i18n` tools) and `new` (`vlr new`). README.md maps every module.
//!
//! # Use as a library
//!
//! The modules are private; what the command line, the tests and a library user need is
//! re-exported here. A build is [`Options`] in, [`Outcome`] out:
//!
//! ```no_run
//! let mut opts = vlr::Options::new("path/to/report");
//! opts.languages = vlr::Languages::All;
//! opts.editions = vlr::Edition::ALL.to_vec();
//! let outcome = vlr::build(&opts);
//! eprint!("{}", vlr::render_human(&outcome.diags, false));
//! std::process::exit(outcome.exit_code().into());
//! ```

// A diagnostic is an error value on cold paths only (a problem found): its size does not matter.
#![allow(clippy::result_large_err, reason = "Diagnostic is the error type; errors are rare and cheap enough")]

pub mod builtin;
mod ctx;
mod diag;
mod edition;
mod files;
mod inline;
mod numbers;
mod script;

mod export;
mod preflight;
mod project;
mod render;
mod resolve;
mod typeset;
mod web;

mod options;
mod outcome;
mod preview;
mod session;

mod new;
mod release;
mod translate;
mod watch;

use std::path::{Path, PathBuf};
use std::time::Instant;

use ctx::{Ctx, ms};
use resolve::Placeholder;
use typeset::Job;

// The public API. The modules above are private; these are what the command line, the tests
// and a library user need, each documented where it is defined.

// A run: what it is asked, the caches it keeps, what it makes and finds.
pub use ctx::{Progress, Timings};
pub use diag::{Code, Diagnostic, Diagnostics, Severity, render_human, render_json};
pub use edition::{Edition, Target};
pub use files::{Output, write_all, write_atomic};
pub use options::{Options, Until};
pub use outcome::{Outcome, Pdf};
pub use project::{Languages, Project, Rgb};
pub use session::Session;
pub use typeset::Typeset;
pub use web::Summary as Site;

// The commands around the pipeline.
pub use release::{Allow, release};
pub use watch::watch;

// What the book data and the number formats promise.
pub use numbers::{Format, NumberRules, Ratio};
pub use resolve::book::BOOK_VERSION;
pub use resolve::texts::Texts;
pub use script::{is_invisible, is_rtl};

/// `vlr new` and `vlr styles eject`: a new city's report that builds at once, and the built-in
/// design for a designer to change.
pub mod starter {
    pub use crate::new::{NewReport, files, languages, styles, write};
}

/// `vlr i18n`: a pack's status against the source language, and PO export and import.
pub mod i18n {
    pub use crate::translate::{Action, FileStatus, Report, render_status, run};
}

/// The laid-out pages checked as a proofreader would (`vlr preflight`), and the WCAG contrast
/// rules its colour checks use.
pub mod checks {
    pub use crate::preflight::{Check, Finding, Rules, inspect};
    pub use crate::project::theme::{AA, aa_threshold, contrast};
}

/// A print PDF checked against PDF/X-4 and what a print shop asks of it.
pub mod pdfx {
    pub use crate::export::pdfx_check::{Expect, Finding, Rule, check, diagnostics};
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
                diag::Code::WarningsDenied,
                format!("{warnings} warning(s) denied (--deny-warnings); nothing was written"),
            )
            .hint("fix the warnings above, or build without --deny-warnings"),
        );
    }
    (outcome, typeset)
}

/// One edition ready to lay out: its book data and assets, and its placeholder photos.
struct Prepared {
    target: Target,
    files: Vec<(String, Vec<u8>)>,
    placeholders: Vec<Placeholder>,
}

fn stages(session: &mut Session, opts: &Options, until: Until, ctx: &mut Ctx, out: &mut Outcome) -> Vec<Typeset> {
    // 1. The project, checked.
    let start = Instant::now();
    let Some(project) = load(ctx, opts) else { return Vec::new() };
    ctx.timings.load += ms(start);

    // 2–3. Each language resolved and its assets rendered; then its editions (the web
    // edition's book data and assets are kept for its site).
    let (prepared, site) = prepare(session, ctx, &project, opts);
    if until == Until::Check {
        out.pdfs = prepared.into_iter().map(|p| checked(p.target, 0, p.placeholders)).collect();
        out.site = web_check(session, ctx, &project, opts, &site);
        return Vec::new();
    }
    // Content errors: do not typeset, keep the previous PDFs.
    if ctx.diags.has_errors() {
        return Vec::new();
    }

    // 4. Typeset, one thread per edition.
    let start = Instant::now();
    let laid_out = lay_out(session, ctx, &project, opts, prepared);
    ctx.timings.typeset += ms(start);
    if until == Until::Preflight {
        for (t, _, placeholders) in &laid_out {
            preflight::check(&mut ctx.diags, &project, t, project.report.published);
            let pages = t.document.as_ref().map_or(0, |d| d.pages().len());
            out.pdfs.push(checked(t.target.clone(), pages, placeholders.clone()));
        }
        out.site = web_check(session, ctx, &project, opts, &site);
    }
    if until <= Until::Preflight || ctx.diags.has_errors() {
        return laid_out.into_iter().map(|(t, ..)| t).collect();
    }

    // 5. Export, one thread per edition; then decide, then write everything or nothing.
    let start = Instant::now();
    let mut outputs = export(session, ctx, &project, opts, &laid_out, out);
    ctx.timings.export += ms(start);

    // The web edition: its site, with the PDFs and open data of this run as downloads.
    if opts.editions.contains(&Edition::Web) {
        let start = Instant::now();
        outputs.extend(web_site(session, ctx, &project, opts, &site, &outputs, out));
        ctx.timings.web += ms(start);
    }
    let start = Instant::now();
    commit(ctx, opts, out, outputs, session);
    ctx.timings.write += ms(start);
    laid_out.into_iter().map(|(t, ..)| t).collect()
}

/// Stage 1: the project, with the document date decided and `--chapter` checked. The open
/// data speaks every language: the packs of those not built are loaded and checked now, so
/// their problems stop the run before anything is typeset.
fn load(ctx: &mut Ctx, opts: &Options) -> Option<Project> {
    let mut project = project::load_for(ctx, &opts.languages, opts.editions.contains(&Edition::Web))?;
    let published =
        project::date::document_date(&mut ctx.diags, opts.source_date_epoch.as_deref(), project.report.published);
    project.report.published = published;
    if let Some(id) = &opts.chapter {
        preview::check(&mut ctx.diags, &project, id);
    }
    if opts.open_data() {
        project.load_every_pack(ctx);
    }
    Some(project)
}

/// Stages 2–3 for each language: resolved, its characters checked against the fonts, its
/// assets rendered; then its editions, which differ only in what the templates draw around
/// the page.
fn prepare(
    session: &mut Session,
    ctx: &mut Ctx,
    project: &Project,
    opts: &Options,
) -> (Vec<Prepared>, Vec<web::Language>) {
    let languages: Vec<&String> = project.languages.iter().filter(|l| project.packs.contains_key(*l)).collect();
    let pdfs = opts.editions.iter().filter(|e| e.is_pdf()).count();
    if let Some(p) = &opts.progress {
        let _ = p.send(Progress::Start { steps: languages.len() * pdfs * 2 });
    }
    let mut prepared = Vec::new();
    let mut site = Vec::new();
    for lang in languages {
        let start = Instant::now();
        let mut resolved = resolve::resolve(&mut ctx.diags, project, lang);
        ctx.timings.resolve += ms(start);
        // The fonts first (they may need the system's scanned), so charts measure with them.
        let texts = resolve::texts::Texts::new(project, lang);
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
            prepared.push(Prepared { target, files, placeholders: resolved.placeholders.clone() });
        }
        // The web edition reads the book data as the screen edition's (its RGB colours).
        if opts.editions.contains(&Edition::Web) {
            resolve::data_files(&mut resolved, Edition::Web);
            site.push(web::Language { resolved, assets });
        }
    }
    (prepared, site)
}

/// Stage 4: every edition laid out (the chapter alone, when a preview can be); each with the
/// fingerprint of what surrounds the chapter, and its placeholders.
fn lay_out(
    session: &mut Session,
    ctx: &mut Ctx,
    project: &Project,
    opts: &Options,
    prepared: Vec<Prepared>,
) -> Vec<(Typeset, u64, Vec<Placeholder>)> {
    let mut rest = Vec::new();
    let jobs: Vec<Job> = prepared
        .into_iter()
        .map(|p| {
            let (layout, context) = preview::layout(session, opts.chapter.as_deref(), &p.target, &p.files);
            rest.push((context, p.placeholders));
            Job { target: p.target, files: p.files, layout }
        })
        .collect();
    let typeset = session.typesetter.typeset(&opts.root, project.report.published, jobs, opts.progress.as_ref());
    let mut laid_out = Vec::new();
    for (mut t, (context, placeholders)) in typeset.into_iter().zip(rest) {
        ctx.diags.append(std::mem::take(&mut t.diags));
        if t.document.is_some() {
            laid_out.push((t, context, placeholders));
        }
    }
    laid_out
}

/// Stage 5: the PDFs (the chapter's pages only, for a preview), an emitted Typst project when
/// asked, and the open data: every file the run would write.
fn export(
    session: &mut Session,
    ctx: &mut Ctx,
    project: &Project,
    opts: &Options,
    laid_out: &[(Typeset, u64, Vec<Placeholder>)],
    out: &mut Outcome,
) -> Vec<Output> {
    let date = project.report.published;
    let mut pages = Vec::new();
    let mut jobs = Vec::new();
    for (t, ..) in laid_out {
        match (preview::pages(t, opts.chapter.as_deref()), &t.document) {
            (Ok(p), Some(doc)) => {
                jobs.push(export::Job {
                    document: doc,
                    meta: export::PdfMeta::new(project, &t.target, date),
                    pages: p.written,
                });
                pages.push(Some(p));
            }
            (Err(d), _) => {
                ctx.diags.push(d);
                pages.push(None);
            }
            (Ok(_), None) => pages.push(None),
        }
    }
    let mut exported = export::all(&jobs).into_iter();
    let mut outputs = Vec::new();
    let several = laid_out.len() > 1;
    for ((t, context, placeholders), pages) in laid_out.iter().zip(pages) {
        let Some(mut pages) = pages else { continue };
        let bytes = match exported.next().expect("one export per job") {
            Ok(bytes) => bytes,
            Err(e) => {
                e.report(&mut ctx.diags, &session.typesetter, &t.target);
                continue;
            }
        };
        preview::remember(session, t, &mut pages, *context);
        let stem = t.target.stem(&project.report.id);
        let name = match &opts.chapter {
            Some(id) => format!("{stem}-{id}-preview.pdf"),
            None => format!("{stem}.pdf"),
        };
        let path = opts.out_dir().join(name);
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
        let (target, range) = (t.target.clone(), pages.range);
        out.pdfs.push(Pdf {
            target,
            path: Some(path.clone()),
            pages: pages.book_pages,
            range,
            bytes: bytes.len(),
            placeholders,
        });
        outputs.push(Output { path, bytes });
    }
    if opts.open_data() {
        let data = export::data::files(project, &mut ctx.diags);
        outputs.extend(data.into_iter().map(|(name, bytes)| Output { path: opts.out_dir().join(name), bytes }));
    }
    outputs
}

/// The web edition's site from the languages `prepare` kept; the run's PDFs and open data (in
/// `outputs`, never for a chapter preview) become its downloads.
fn web_site(
    session: &Session,
    ctx: &mut Ctx,
    project: &Project,
    opts: &Options,
    languages: &[web::Language],
    outputs: &[Output],
    out: &mut Outcome,
) -> Vec<Output> {
    let mut downloads = Vec::new();
    if opts.chapter.is_none() {
        for pdf in &out.pdfs {
            let made = outputs.iter().find(|o| Some(&o.path) == pdf.path.as_ref());
            if let Some((o, name)) = made.and_then(|o| Some((o, o.path.file_name()?.to_string_lossy().into_owned()))) {
                downloads.extend(web::Download::pdf(&pdf.target, name, o.bytes.clone()));
            }
        }
        let data = outputs.iter().filter(|o| o.path.parent() == Some(opts.out_dir().as_path()));
        let named = data.filter_map(|o| Some((o.path.file_name()?.to_str()?, &o.bytes)));
        downloads.extend(named.filter_map(|(name, bytes)| web::Download::data(name, bytes)));
    }
    let Some((files, summary)) = web::site(ctx, project, languages, &downloads, session.typesetter.fonts()) else {
        return Vec::new();
    };
    let dir = opts.site_dir();
    out.site = Some(web::Summary { dir: Some(dir.clone()), ..summary });
    files.into_iter().map(|(rel, bytes)| Output { path: dir.join(rel), bytes }).collect()
}

/// The web edition checked without writing it (`check`, `preflight`): every page rendered
/// through the templates and the faces looked up, so a designer's template error or a face
/// that may not be copied is found before a build. Nothing is written.
fn web_check(
    session: &Session,
    ctx: &mut Ctx,
    project: &Project,
    opts: &Options,
    languages: &[web::Language],
) -> Option<web::Summary> {
    if !opts.editions.contains(&Edition::Web) {
        return None;
    }
    web::site(ctx, project, languages, &[], session.typesetter.fonts()).map(|(_, summary)| summary)
}

/// An edition checked (or inspected) without writing it.
fn checked(target: Target, pages: usize, placeholders: Vec<Placeholder>) -> Pdf {
    Pdf { target, path: None, pages, range: None, bytes: 0, placeholders }
}

/// Writes the run's outputs when the outcome allows it: no errors, no denied warnings, and
/// every target (the timings file too) writable. Otherwise nothing is written.
fn commit(ctx: &mut Ctx, opts: &Options, out: &mut Outcome, outputs: Vec<Output>, session: &Session) {
    let denied = opts.deny_warnings && ctx.diags.warning_count() > 0;
    let problems: Vec<Diagnostic> =
        opts.timings.iter().filter_map(|t| files::write::check_option("--timings", t)).collect();
    let written = if ctx.diags.has_errors() || denied || !problems.is_empty() {
        Err(problems)
    } else {
        files::write_all(&outputs)
    };
    match written {
        Ok(written) => {
            if let Some(p) = &opts.progress {
                for path in written.iter().filter(|p| p.extension().is_some_and(|e| e == "pdf")) {
                    let _ = p.send(Progress::Step(format!("wrote {}", path.display())));
                }
            }
            // The site folder holds this run's site and nothing older (a preview's site is
            // one chapter, so it leaves the rest alone).
            if let (Some(dir), None) = (out.site.as_ref().and_then(|s| s.dir.as_ref()), &opts.chapter) {
                for path in files::write::prune(dir, &written) {
                    if let Some(p) = &opts.progress {
                        let _ = p.send(Progress::Step(format!("removed {}", path.display())));
                    }
                }
            }
            out.written = written;
            // The cache only saves time: a failure to write it is not an error.
            let fresh = session.assets.images.fresh().into_iter().map(|(path, bytes)| Output { path, bytes });
            let _ = files::write_all(&fresh.collect::<Vec<_>>());
        }
        Err(problems) => {
            ctx.diags.extend(problems);
            out.pdfs.iter_mut().for_each(|p| p.path = None);
            out.site = None;
        }
    }
}

/// Stage 1 alone: the project at `root` loaded and checked for `languages`, and what was found
/// (`None` when it cannot be read far enough), for tools that work on the project itself.
pub fn load_project(root: &Path, languages: &project::Languages) -> (diag::Diagnostics, Option<Project>) {
    let mut ctx = Ctx::new(root, files::FileCache::default());
    let project = project::load(&mut ctx, languages);
    (ctx.diags, project)
}

/// Whether vlr finds a font family (Typst's lowercase name, e.g. `noto sans cjk sc`) among its
/// own fonts, Typst's and the system's: what a tool checks before building a script's edition.
pub fn has_font_family(family: &str) -> bool {
    typeset::fonts::store(&[], true).book().contains_family(family)
}

/// Finds the project root: the given folder, or the nearest ancestor with a report.toml.
pub fn find_root(start: &Path) -> Option<PathBuf> {
    start.ancestors().find(|d| d.join("report.toml").is_file()).map(Path::to_path_buf)
}
