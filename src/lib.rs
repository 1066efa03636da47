//! vlr — a city's UN SDG Voluntary Local Review, from plain files to a print-ready PDF.
//!
//! The pipeline, one module per stage, in the order a build runs them:
//!
//! 1. [`manifest`] — load and validate `report.toml` and `chapters/*.toml` (structure only)
//! 2. [`data`]     — load `data/*.toml`: the indicators tiles, charts and sentences cite
//! 3. [`i18n`]     — load the language pack (`lang/<code>/`) and its fallback; resolve text
//!    into runs (inline syntax in [`inline`], numbers formatted by [`numfmt`])
//! 4. [`charts`]   — draw charts from data with plotters, as SVG in memory
//! 5. [`assemble`] — turn the book into data (`book.json`) + `main.typ` for the templates
//!    in `styles/`
//! 6. [`world`] + [`compile`] — typeset in-process with the `typst` crate
//! 7. [`export`]   — write the PDF with `typst-pdf`, atomically
//!
//! Every stage reports problems into one [`diag::Diagnostics`] held by [`ctx::Ctx`] and keeps
//! going, so a run shows all problems at once. [`build`] drives the whole flow; `vlr check`
//! ([`check`]) stops before typesetting.

pub mod assemble;
pub mod charts;
pub mod compile;
pub mod ctx;
pub mod data;
pub mod diag;
pub mod emit;
pub mod export;
pub mod fonts;
pub mod i18n;
pub mod images;
pub mod inline;
pub mod manifest;
pub mod numfmt;
pub mod release;
pub mod session;
pub mod styles;
pub mod translate;
pub mod watch;
pub mod world;

use std::path::{Path, PathBuf};

pub use ctx::Ctx;

/// What to build and where.
#[derive(Debug, Clone)]
pub struct Options {
    pub root: PathBuf,
    /// Language codes, or empty for the report's default language.
    pub langs: Vec<String>,
    /// `true` builds every language the report lists.
    pub all_langs: bool,
    pub out_dir: Option<PathBuf>,
    pub emit_typst: Option<PathBuf>,
    pub font_paths: Vec<PathBuf>,
    /// Also search the system's fonts (off in tests, for a hermetic font set).
    pub system_fonts: bool,
    /// Which editions to make (screen by default).
    pub outputs: Vec<Output>,
    /// Receives one message per finished step (edition typeset, PDF written), for progress.
    pub progress: Option<std::sync::mpsc::Sender<String>>,
    /// Write only this chapter's pages, as an untagged preview `<id>-<lang>-<chapter>-preview.pdf`,
    /// numbered as in the book (a session lays the chapter out alone when it safely can).
    pub chapter: Option<String>,
}

/// The two editions one build can make.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Output {
    /// Tagged PDF/A-2a + PDF/UA-1, for screens and screen readers: `<id>-<lang>.pdf`.
    Screen,
    /// 3 mm bleed (BleedBox), TrimBox, crop marks in the slug: `<id>-<lang>-print.pdf`.
    Print,
}

impl Output {
    pub fn name(self) -> &'static str {
        match self {
            Output::Screen => "screen",
            Output::Print => "print",
        }
    }
}

impl Options {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self {
            root: root.into(),
            langs: Vec::new(),
            all_langs: false,
            out_dir: None,
            emit_typst: None,
            font_paths: Vec::new(),
            system_fonts: true,
            outputs: vec![Output::Screen],
            progress: None,
            chapter: None,
        }
    }
}

/// One language's result.
#[derive(Debug, Clone)]
pub struct Edition {
    pub lang: String,
    pub pdf: Option<PathBuf>,
    pub pages: usize,
    /// The pages written (1-based, inclusive) when only a chapter was asked for.
    pub range: Option<(usize, usize)>,
    pub bytes: usize,
    pub placeholders: Vec<assemble::Placeholder>,
}

/// The outcome of a run: what was made, and every diagnostic with the sources to show them.
pub struct Outcome {
    pub ctx: Ctx,
    pub editions: Vec<Edition>,
}

impl Outcome {
    pub fn ok(&self) -> bool {
        !self.ctx.diags.has_errors()
    }
}

/// Stages 1–2 and the palette: what every edition shares.
pub(crate) struct Shared {
    pub(crate) report: manifest::Report,
    pub(crate) data: data::Data,
    pub(crate) theme: styles::Theme,
}

pub(crate) fn load_shared(ctx: &mut Ctx) -> Option<Shared> {
    let report = manifest::load(ctx);
    let data = data::load(ctx);
    let theme = styles::load(ctx);
    let mut report = report?;
    // One place decides the document date: SOURCE_DATE_EPOCH, else report.toml.
    report.published = session::document_date(ctx, report.published);
    validate_references(ctx, &report, &data);
    Some(Shared { report, data, theme: theme? })
}

/// Data ids named by manifests (tiles, charts) must exist, whatever the language.
fn validate_references(ctx: &mut Ctx, report: &manifest::Report, data: &data::Data) {
    use manifest::{BlockKind, FigureSource};
    for ch in report.chapters() {
        for b in &ch.blocks {
            let charts: Vec<&manifest::ChartSpec> = match &b.kind {
                BlockKind::Indicators { tiles, charts, .. } => {
                    for t in tiles {
                        match data.lookup(&t.data, &t.loc) {
                            Ok(ind) => {
                                if let Err(msg) = ind.at(t.year) {
                                    ctx.push(t.loc.error("invalid-reference", msg));
                                }
                            }
                            Err(d) => ctx.push(d),
                        }
                    }
                    charts.iter().collect()
                }
                BlockKind::Figure(manifest::Figure { source: FigureSource::Chart(c), .. }) => vec![c],
                _ => Vec::new(),
            };
            for c in charts {
                for (id, loc) in &c.data {
                    if let Err(d) = data.lookup(id, loc) {
                        ctx.push(d);
                    }
                }
            }
        }
    }
}

pub(crate) fn languages(ctx: &mut Ctx, opts: &Options, report: &manifest::Report) -> Vec<String> {
    if opts.all_langs {
        return report.languages.clone();
    }
    if opts.langs.is_empty() {
        return vec![report.default_language.clone()];
    }
    for l in &opts.langs {
        if !report.languages.contains(l) && !ctx.root.join("lang").join(l).is_dir() {
            ctx.push(
                diag::Diagnostic::error("unknown-language", format!("there is no language `{l}`"))
                    .in_file("report.toml")
                    .hint(format!("the report lists: {}", report.languages.join(", "))),
            );
        }
    }
    opts.langs.clone()
}

/// Stages 1–5 for every requested language, without typesetting.
pub fn check(opts: &Options) -> Outcome {
    session::Session::new(opts.clone()).check()
}

/// One typeset edition, before export.
pub struct Typeset {
    pub lang: String,
    pub output: Output,
    /// `<report id>-<lang>`: the PDF's file stem and document identifier.
    pub ident: String,
    /// The publication date: the PDF's date.
    pub published: (i32, u8, u8),
    pub document: typst_layout::PagedDocument,
    pub assembled: assemble::Assembled,
    /// With `--chapter`: whether the whole book or the chapter alone was laid out.
    pub preview: Option<session::Preview>,
}

/// Stages 1–6 for every requested language: the laid-out documents, in memory.
pub fn typeset(opts: &Options) -> (Ctx, Vec<Typeset>) {
    session::Session::new(opts.clone()).typeset()
}

/// The whole pipeline: one PDF per requested language.
pub fn build(opts: &Options) -> Outcome {
    session::Session::new(opts.clone()).build()
}

/// The in-memory files a compile needs: main.typ, book.json and the charts.
pub fn generated_files(a: &assemble::Assembled) -> Vec<(String, Vec<u8>)> {
    let mut files = vec![
        (assemble::MAIN.to_string(), a.main.clone().into_bytes()),
        (assemble::BOOK_JSON.to_string(), a.book_json.clone().into_bytes()),
    ];
    files.extend(a.chapter_json.iter().map(|(k, v)| (k.clone(), v.clone().into_bytes())));
    files.extend(a.charts.iter().map(|(k, v)| (k.clone(), v.clone().into_bytes())));
    files.extend(a.images.iter().map(|(k, v)| (k.clone(), v.clone())));
    files
}

/// Finds the project root: the given folder, or the nearest ancestor with a report.toml.
pub fn find_root(start: &Path) -> Option<PathBuf> {
    start.ancestors().find(|d| d.join("report.toml").is_file()).map(Path::to_path_buf)
}

/// What the translator commands work on: the report, its data and one language's packs.
pub struct Loaded {
    pub report: manifest::Report,
    pub data: data::Data,
    pub lang: i18n::Lang,
}

/// Loads the project and one language (stages 1–3) for `vlr i18n`.
pub fn load_language(root: &Path, code: &str) -> (Ctx, Option<Loaded>) {
    let mut ctx = Ctx::new(root);
    let loaded = load_language_in(&mut ctx, code);
    (ctx, loaded)
}

/// Stages 1–3 for one language with `ctx`'s file cache (a session's, say).
pub(crate) fn load_language_in(ctx: &mut Ctx, code: &str) -> Option<Loaded> {
    let shared = load_shared(ctx)?;
    let lang = i18n::load(ctx, &shared.report, &shared.data, code);
    lang.map(|lang| Loaded { report: shared.report, data: shared.data, lang })
}
