//! The `vlr` command line: a thin layer over the library (see `lib.rs` for the pipeline).

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};
use vlr::{Options, Outcome, diag};

#[derive(Parser)]
#[command(name = "vlr", version, about = "Build a city's UN SDG Voluntary Local Review from TOML files into a PDF")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Typeset the report: one PDF per language in build/.
    Build {
        #[command(flatten)]
        common: Common,
        /// Output folder for the PDFs [default: <root>/build]
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// Also write a self-contained Typst project (main.typ, styles, data, charts, fonts)
        #[arg(long, value_name = "DIR")]
        emit_typst: Option<PathBuf>,
        /// Write per-stage wall times (ms) as JSON, and a summary line on stderr
        #[arg(long, value_name = "FILE")]
        timings: Option<PathBuf>,
        /// Which edition: screen (tagged PDF/A + PDF/UA), print (bleed, crop marks) or all
        #[arg(long, value_name = "EDITION", default_value = "screen")]
        edition: EditionArg,
        /// Write only this chapter's pages, as an untagged preview PDF (<stem>-<ID>-preview.pdf)
        #[arg(long, value_name = "ID")]
        chapter: Option<String>,
    },
    /// Build every language for publishing: PDFs, SHA256SUMS and build-manifest.json.
    Release {
        #[command(flatten)]
        common: Common,
        /// Output folder [default: <root>/build/release]
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// Let the release contain placeholders, pending values or untranslated strings
        #[arg(long, value_name = "KINDS", value_delimiter = ',')]
        allow: Vec<vlr::release::Allow>,
    },
    /// Build, then rebuild on every change to the sources (Ctrl-C stops).
    Watch {
        #[command(flatten)]
        common: Common,
        /// Output folder for the PDFs [default: <root>/build]
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// Which edition: screen (tagged PDF/A + PDF/UA), print (bleed, crop marks) or all
        #[arg(long, value_name = "EDITION", default_value = "screen")]
        edition: EditionArg,
        /// Write only this chapter's pages, as an untagged preview PDF (<stem>-<ID>-preview.pdf);
        /// the fastest loop while editing one chapter
        #[arg(long, value_name = "ID")]
        chapter: Option<String>,
    },
    /// Validate manifests, data, language packs and references without typesetting.
    Check {
        #[command(flatten)]
        common: Common,
    },
    /// Translator tools: status of a language pack, PO export and import.
    I18n {
        #[command(subcommand)]
        command: I18nCommand,
    },
}

#[derive(Subcommand)]
enum I18nCommand {
    /// Per file: strings translated, missing, stale (source changed) and orphaned.
    Status {
        /// Language pack [default: every language but the source]
        #[arg(long, value_name = "LANG")]
        lang: Option<String>,
        /// Exit 1 on any missing or stale string
        #[arg(long)]
        strict: bool,
        #[arg(long, value_name = "DIR")]
        root: Option<PathBuf>,
    },
    /// Write gettext PO files (msgctxt = stable id, msgid = source, msgstr = translation).
    Export {
        #[arg(long, value_name = "LANG")]
        lang: String,
        #[arg(long, value_enum, default_value_t = PoFormat::Po)]
        format: PoFormat,
        /// Output folder [default: <root>/build/po/<LANG>]
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        #[arg(long, value_name = "DIR")]
        root: Option<PathBuf>,
    },
    /// Read PO files back into lang/<LANG>/ (fuzzy messages stay stale).
    Import {
        #[arg(long, value_name = "LANG")]
        lang: String,
        /// Folder of PO files [default: <root>/build/po/<LANG>]
        #[arg(long, value_name = "DIR")]
        from: Option<PathBuf>,
        #[arg(long, value_name = "DIR")]
        root: Option<PathBuf>,
    },
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum EditionArg {
    Screen,
    Print,
    All,
}

impl EditionArg {
    fn outputs(self) -> Vec<vlr::Output> {
        match self {
            EditionArg::Screen => vec![vlr::Output::Screen],
            EditionArg::Print => vec![vlr::Output::Print],
            EditionArg::All => vec![vlr::Output::Screen, vlr::Output::Print],
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum PoFormat {
    Po,
}

#[derive(Args)]
struct Common {
    /// Project folder (holding report.toml) [default: the nearest one above the current folder]
    #[arg(long, value_name = "DIR")]
    root: Option<PathBuf>,
    /// Language to build (repeatable), or `all` for every language in report.toml
    #[arg(long, value_name = "LANG")]
    lang: Vec<String>,
    /// Extra folder of fonts (repeatable)
    #[arg(long, value_name = "DIR")]
    font_path: Vec<PathBuf>,
    /// How to print diagnostics
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Exit 1 on warnings too
    #[arg(long)]
    deny_warnings: bool,
    /// Print errors only (no warnings, notes or summary)
    #[arg(long, short, conflicts_with = "verbose")]
    quiet: bool,
    /// Also print the per-stage timings
    #[arg(long, short)]
    verbose: bool,
}

/// Colours only on a terminal, and never when NO_COLOR is set (no-color.org).
fn color() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Human,
    Json,
}

fn project_root(given: Option<&PathBuf>) -> Result<PathBuf, ExitCode> {
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let root = match given {
        Some(r) => r.clone(),
        None => match vlr::find_root(&cwd) {
            Some(r) => r,
            None => {
                eprintln!("error: no report.toml in {} or any folder above it", cwd.display());
                eprintln!("  = hint: run vlr inside a report project, or pass --root DIR");
                return Err(ExitCode::from(2));
            }
        },
    };
    if !root.join("report.toml").is_file() {
        eprintln!("error: {} has no report.toml", root.display());
        eprintln!("  = hint: pass the folder that holds report.toml to --root");
        return Err(ExitCode::from(2));
    }
    Ok(root)
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let (common, run): (&Common, fn(&Options) -> Outcome) = match &cli.command {
        Command::Build { common, .. } => (common, vlr::build),
        Command::Check { common } => (common, vlr::check),
        Command::Watch { common, out, edition, chapter } => {
            return watch(common, out.clone(), *edition, chapter.clone());
        }
        Command::Release { common, out, allow } => return release(common, out.clone(), allow),
        Command::I18n { command } => return i18n(command),
    };
    let mut opts = match options(common) {
        Ok(o) => o,
        Err(code) => return code,
    };
    let mut timings_file = None;
    if let Command::Build { out, emit_typst, timings, edition, chapter, .. } = &cli.command {
        opts.outputs = edition.outputs();
        opts.chapter = chapter.clone();
        opts.out_dir = out.clone();
        opts.emit_typst = emit_typst.clone();
        timings_file = timings.clone();
    }

    let started = std::time::Instant::now();
    let mut outcome = with_progress(&mut opts, common, run);
    if common.quiet {
        outcome.ctx.diags.retain_errors();
    }
    report(&outcome, common, started.elapsed());
    if let Some(file) = timings_file {
        let t = &outcome.ctx.timings;
        eprintln!(
            "timings: load {:.0} ms, i18n {:.0} ms, charts {:.0} ms, assemble {:.0} ms, compile {:.0} ms, export {:.0} ms, write {:.0} ms; total {:.0} ms",
            t.load, t.i18n, t.charts, t.assemble, t.compile, t.export, t.write, t.total
        );
        let json = serde_json::to_string_pretty(t).expect("timings serialize");
        if let Err(e) = std::fs::write(&file, json + "\n") {
            eprintln!("error: cannot write {}: {e}", file.display());
            return ExitCode::from(1);
        }
    }
    let warned = common.deny_warnings && outcome.ctx.diags.warning_count() > 0;
    if warned && common.format == Format::Human {
        eprintln!("error: warnings are denied (--deny-warnings)");
    }
    if outcome.ok() && !warned { ExitCode::SUCCESS } else { ExitCode::from(1) }
}

fn report(outcome: &Outcome, common: &Common, elapsed: std::time::Duration) {
    let diags = &outcome.ctx.diags;
    match common.format {
        Format::Json => println!("{}", diag::render_json(diags, &outcome.ctx.sources)),
        Format::Human => {
            eprint!("{}", diag::render_human(diags, &outcome.ctx.sources, color()));
            if common.quiet {
                return;
            }
            for e in &outcome.editions {
                if !e.placeholders.is_empty() {
                    eprintln!(
                        "note: {} figure(s) in the {} edition are placeholder frames (no image file):",
                        e.placeholders.len(),
                        e.lang
                    );
                    for p in &e.placeholders {
                        eprintln!("  {}/{}: {}", p.chapter, p.figure, p.caption);
                    }
                }
                match (&e.pdf, e.range) {
                    (Some(path), Some((first, last))) => {
                        eprintln!(
                            "wrote {} (pages {first}–{last} of {}, {} KiB, untagged preview)",
                            path.display(),
                            e.pages,
                            e.bytes.div_ceil(1024)
                        )
                    }
                    (Some(path), None) => {
                        eprintln!("wrote {} ({} pages, {} KiB)", path.display(), e.pages, e.bytes.div_ceil(1024))
                    }
                    (None, _) => eprintln!("checked the {} edition", e.lang),
                }
            }
            let (errors, warnings) = (diags.error_count(), diags.warning_count());
            if errors > 0 {
                eprintln!(
                    "failed with {errors} error(s) and {warnings} warning(s); no PDF was written or replaced for the editions with errors"
                );
            } else {
                // Pages written: a chapter preview holds only its chapter's.
                let pages: usize =
                    outcome.editions.iter().map(|e| e.range.map_or(e.pages, |(first, last)| last + 1 - first)).sum();
                let pdfs = outcome.editions.iter().filter(|e| e.pdf.is_some()).count();
                if pdfs == 0 {
                    eprintln!(
                        "done in {:.2}s: {} edition(s) checked ({warnings} warning(s))",
                        elapsed.as_secs_f64(),
                        outcome.editions.len()
                    );
                } else {
                    eprintln!(
                        "done in {:.2}s: {pdfs} PDF(s), {pages} pages ({warnings} warning(s))",
                        elapsed.as_secs_f64()
                    );
                }
            }
            if common.verbose {
                let t = &outcome.ctx.timings;
                eprintln!(
                    "stages: load {:.0} ms, i18n {:.0} ms, charts {:.0} ms, assemble {:.0} ms, compile {:.0} ms, export {:.0} ms, write {:.0} ms",
                    t.load, t.i18n, t.charts, t.assemble, t.compile, t.export, t.write
                );
            }
        }
    }
}

fn i18n(command: &I18nCommand) -> ExitCode {
    let (root, lang) = match command {
        I18nCommand::Status { root, lang, .. } => (root, lang.clone()),
        I18nCommand::Export { root, lang, .. } | I18nCommand::Import { root, lang, .. } => (root, Some(lang.clone())),
    };
    let root = match project_root(root.as_ref()) {
        Ok(r) => r,
        Err(code) => return code,
    };
    // Every language but the source, unless one is named.
    let codes = match lang {
        Some(l) => vec![l],
        None => {
            let mut ctx = vlr::Ctx::new(&root);
            match vlr::manifest::load(&mut ctx) {
                Some(r) => r.languages.iter().filter(|l| **l != r.default_language).cloned().collect(),
                None => {
                    eprint!("{}", diag::render_human(&ctx.diags, &ctx.sources, color()));
                    return ExitCode::from(1);
                }
            }
        }
    };
    let mut failed = false;
    for code in codes {
        let (mut ctx, loaded) = vlr::load_language(&root, &code);
        let Some(loaded) = loaded else {
            eprint!("{}", diag::render_human(&ctx.diags, &ctx.sources, color()));
            return ExitCode::from(1);
        };
        let stems = vlr::i18n::stems(&loaded.report, &loaded.data);
        match command {
            I18nCommand::Status { strict, .. } => {
                let files = vlr::translate::status(&loaded.lang, &loaded.data, &stems);
                print!("{}", vlr::translate::render_status(&code, &files));
                let problems = files.iter().any(|f| !f.missing.is_empty() || !f.stale.is_empty());
                if *strict && problems {
                    eprintln!("error: lang/{code}/ has missing or stale strings (listed above)");
                    failed = true;
                }
            }
            I18nCommand::Export { out, .. } => {
                let dir = out.clone().unwrap_or_else(|| root.join("build/po").join(&code));
                match vlr::translate::export_po(&loaded.lang, &loaded.data, &stems, &dir) {
                    Ok(files) => eprintln!("wrote {} PO files to {}", files.len(), dir.display()),
                    Err(e) => {
                        eprintln!("error: cannot write PO files to {}: {e}", dir.display());
                        failed = true;
                    }
                }
            }
            I18nCommand::Import { from, .. } => {
                let dir = from.clone().unwrap_or_else(|| root.join("build/po").join(&code));
                let files = vlr::translate::import_po(&mut ctx, &loaded.lang, &loaded.data, &stems, &dir);
                eprint!("{}", diag::render_human(&ctx.diags, &ctx.sources, color()));
                failed |= ctx.diags.has_errors();
                eprintln!("updated {} pack files in lang/{code}/ from {}", files.len(), dir.display());
            }
        }
    }
    if failed { ExitCode::from(1) } else { ExitCode::SUCCESS }
}

fn options(common: &Common) -> Result<Options, ExitCode> {
    let root = project_root(common.root.as_ref())?;
    let mut opts = Options::new(root);
    opts.all_langs = common.lang.iter().any(|l| l == "all");
    opts.langs = common.lang.iter().filter(|l| *l != "all").cloned().collect();
    opts.font_paths = common.font_path.clone();
    Ok(opts)
}

fn watch(common: &Common, out: Option<PathBuf>, edition: EditionArg, chapter: Option<String>) -> ExitCode {
    let mut opts = match options(common) {
        Ok(o) => o,
        Err(code) => return code,
    };
    opts.out_dir = out;
    opts.outputs = edition.outputs();
    opts.chapter = chapter;
    let format = common.format;
    let result = vlr::watch::watch(opts, |outcome, line| {
        match format {
            Format::Json => println!("{}", diag::render_json(&outcome.ctx.diags, &outcome.ctx.sources)),
            Format::Human => eprint!("{}", diag::render_human(&outcome.ctx.diags, &outcome.ctx.sources, color())),
        }
        eprintln!("{line}");
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
    }
}

fn release(common: &Common, out: Option<PathBuf>, allow: &[vlr::release::Allow]) -> ExitCode {
    let opts = match options(common) {
        Ok(o) => o,
        Err(code) => return code,
    };
    let out = out.unwrap_or_else(|| opts.root.join("build/release"));
    let started = std::time::Instant::now();
    let (ctx, written) = vlr::release::release(&opts, &out, allow);
    match common.format {
        Format::Json => println!("{}", diag::render_json(&ctx.diags, &ctx.sources)),
        Format::Human => eprint!("{}", diag::render_human(&ctx.diags, &ctx.sources, color())),
    }
    if ctx.diags.has_errors() {
        eprintln!("release refused: {} problem(s) listed above; nothing was published", ctx.diags.error_count());
        return ExitCode::from(1);
    }
    for f in &written {
        eprintln!("wrote {}", f.display());
    }
    eprintln!("released {} file(s) in {:.2}s", written.len(), started.elapsed().as_secs_f64());
    if common.deny_warnings && ctx.diags.warning_count() > 0 { ExitCode::from(1) } else { ExitCode::SUCCESS }
}

/// Runs a build with a progress bar on a terminal when it makes several PDFs (each edition
/// counts twice: typeset, written). Elsewhere the run stays quiet until its summary.
fn with_progress(opts: &mut Options, common: &Common, run: fn(&Options) -> Outcome) -> Outcome {
    let langs = if opts.all_langs { 2 } else { opts.langs.len().max(1) };
    let steps = (langs * opts.outputs.len() * 2) as u64;
    if common.quiet || !std::io::stderr().is_terminal() || steps <= 2 {
        return run(opts);
    }
    let (tx, rx) = std::sync::mpsc::channel();
    opts.progress = Some(tx);
    let bar = indicatif::ProgressBar::new(steps);
    bar.set_style(
        indicatif::ProgressStyle::with_template("{bar:30} {pos}/{len} {msg}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    let outcome = std::thread::scope(|s| {
        let worker = s.spawn(|| run(opts));
        loop {
            match rx.recv_timeout(std::time::Duration::from_millis(50)) {
                Ok(msg) => {
                    bar.inc(1);
                    bar.set_message(msg);
                }
                Err(std::sync::mpsc::RecvTimeoutError::Timeout) if !worker.is_finished() => {}
                Err(_) => break,
            }
        }
        worker.join().expect("the build thread panicked")
    });
    bar.finish_and_clear();
    outcome
}
