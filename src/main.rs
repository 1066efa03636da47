//! The `vlr` command line: a thin layer over the library (see `lib.rs` for the pipeline).
//! Exit codes: 0 success, 1 content errors (nothing written or replaced), 2 usage errors.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};
use vlr::diag::{self, Diagnostics};
use vlr::edition::Edition;
use vlr::project::Languages;
use vlr::{Options, Outcome, Until};

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
        #[command(flatten)]
        output: OutputArgs,
        /// Also write a self-contained Typst project (main.typ, styles, data, charts, fonts)
        #[arg(long, value_name = "DIR")]
        emit_typst: Option<PathBuf>,
        /// Write per-stage wall times (ms) as JSON, and a summary line on stderr
        #[arg(long, value_name = "FILE")]
        timings: Option<PathBuf>,
        /// Also write the numbers as open data: <id>-data.csv and .json, datapackage.json, open-sdg/
        #[arg(long)]
        data: bool,
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
        /// Also refuse derived and uncertain values (allowed otherwise: the book marks them)
        #[arg(long)]
        strict: bool,
    },
    /// Build, then rebuild on every change to the sources (Ctrl-C stops).
    Watch {
        #[command(flatten)]
        common: Common,
        #[command(flatten)]
        output: OutputArgs,
    },
    /// Validate manifests, data, language packs and references without typesetting.
    Check {
        #[command(flatten)]
        common: Common,
    },
    /// Typeset every edition asked for and check the pages as a proofreader would: text out of
    /// its box, overlapping, too small, in a fallback face; soft photos; low contrast.
    Preflight {
        #[command(flatten)]
        common: Common,
        /// Which edition: screen, print or all
        #[arg(long, value_name = "EDITION", default_value = "screen")]
        edition: EditionArg,
    },
    /// Translator tools: status of a language pack, PO export and import.
    I18n {
        #[command(subcommand)]
        command: I18nCommand,
    },
    /// Start a new city's report in DIR: it builds at once, and every text says what to write.
    New {
        /// The new project's folder (created; must be empty unless --force)
        dir: PathBuf,
        /// The city
        #[arg(long)]
        city: String,
        /// The year the report reviews
        #[arg(long)]
        year: i32,
        /// The goals it reviews, e.g. 6,7,17
        #[arg(long, value_delimiter = ',', required = true)]
        goals: Vec<u8>,
        /// Its languages (built-in: ar, en, es, fr, ru, zh); the first is the one written first
        #[arg(long, value_delimiter = ',', default_value = "en")]
        lang: Vec<String>,
        /// The report's title in the first language [default: the city, VLR and year]
        #[arg(long)]
        title: Option<String>,
        /// Page size: a4, a5 or us-letter
        #[arg(long, default_value = "a4")]
        page_size: String,
        /// Also copy the built-in templates into styles/, for a designer
        #[arg(long)]
        styles: bool,
        /// Write into DIR even if it is not empty
        #[arg(long)]
        force: bool,
    },
    /// The design: copy the built-in templates and theme into a project's styles/.
    Styles {
        #[command(subcommand)]
        command: StylesCommand,
    },
}

#[derive(Subcommand)]
enum StylesCommand {
    /// Copy the built-in templates and theme into <root>/styles/ (existing files are kept
    /// unless --force).
    Eject {
        #[arg(long, value_name = "DIR")]
        root: Option<PathBuf>,
        /// Replace files that are already there
        #[arg(long)]
        force: bool,
    },
}

#[derive(Args)]
struct OutputArgs {
    /// Output folder for the PDFs [default: <root>/build]
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Which edition: screen (tagged PDF/A + PDF/UA), print (bleed, crop marks), web (a static
    /// site in <out>/web) or all
    #[arg(long, value_name = "EDITION", default_value = "screen")]
    edition: EditionArg,
    /// Write only this chapter's pages, as an untagged preview PDF (<stem>-<ID>-preview.pdf);
    /// with watch, the fastest loop while editing one chapter
    #[arg(long, value_name = "ID")]
    chapter: Option<String>,
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
        /// Output folder [default: <root>/build/po/<LANG>]
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        #[arg(long, value_name = "DIR")]
        root: Option<PathBuf>,
    },
    /// Read PO files back into lang/<LANG>/ (fuzzy messages stay stale; nothing is written if
    /// any PO file has an error).
    Import {
        #[arg(long, value_name = "LANG")]
        lang: String,
        /// Folder of PO files, inside the project [default: <root>/build/po/<LANG>]
        #[arg(long, value_name = "DIR")]
        from: Option<PathBuf>,
        /// Remove pack entries the source language no longer has (otherwise kept and reported)
        #[arg(long)]
        prune: bool,
        #[arg(long, value_name = "DIR")]
        root: Option<PathBuf>,
    },
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum EditionArg {
    Screen,
    Print,
    Web,
    All,
}

impl EditionArg {
    fn editions(self) -> Vec<Edition> {
        match self {
            EditionArg::Screen => vec![Edition::Screen],
            EditionArg::Print => vec![Edition::Print],
            EditionArg::Web => vec![Edition::Web],
            EditionArg::All => Edition::ALL.to_vec(),
        }
    }
}

#[derive(Args)]
struct Common {
    /// Project folder (holding report.toml) [default: the nearest one above the current folder]
    #[arg(long, value_name = "DIR")]
    root: Option<PathBuf>,
    /// Language to build (repeatable or comma-separated: fr,en), or `all` for every language in report.toml
    #[arg(long, value_name = "LANG", value_delimiter = ',')]
    lang: Vec<String>,
    /// Extra folder of fonts (repeatable)
    #[arg(long, value_name = "DIR")]
    font_path: Vec<PathBuf>,
    /// How to print diagnostics
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Exit 1 on warnings too, and write nothing
    #[arg(long)]
    deny_warnings: bool,
    /// Print errors only (no warnings, notes or summary)
    #[arg(long, short, conflicts_with = "verbose")]
    quiet: bool,
    /// Also print the per-stage timings
    #[arg(long, short)]
    verbose: bool,
    /// The document date as seconds since 1970 (reproducible builds) [default: report.toml's]
    #[arg(long, env = "SOURCE_DATE_EPOCH", value_name = "SECONDS", hide_env_values = true)]
    source_date_epoch: Option<String>,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Human,
    Json,
}

/// Colours only on a terminal, and never when NO_COLOR is set (no-color.org).
fn color() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// Prints diagnostics: human on stderr, or one JSON array on stdout.
fn print_diagnostics(diags: &Diagnostics, format: Format) {
    match format {
        Format::Json => println!("{}", diag::render_json(diags)),
        Format::Human => eprint!("{}", diag::render_human(diags, color())),
    }
}

fn usage_error(message: &str, hint: &str) -> ExitCode {
    eprintln!("error: {message}");
    eprintln!("  = hint: {hint}");
    ExitCode::from(2)
}

fn project_root(given: Option<&PathBuf>) -> Result<PathBuf, ExitCode> {
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let root = match given {
        Some(r) => r.clone(),
        None => vlr::find_root(&cwd).ok_or_else(|| {
            usage_error(
                &format!("no report.toml in {} or any folder above it", cwd.display()),
                "run vlr inside a report project, or pass --root DIR",
            )
        })?,
    };
    if !root.join("report.toml").is_file() {
        return Err(usage_error(
            &format!("{} has no report.toml", root.display()),
            "pass the folder that holds report.toml to --root",
        ));
    }
    Ok(root)
}

fn options(common: &Common) -> Result<Options, ExitCode> {
    let mut opts = Options::new(project_root(common.root.as_ref())?);
    opts.languages = if common.lang.iter().any(|l| l == "all") {
        Languages::All
    } else if common.lang.is_empty() {
        Languages::Default
    } else {
        Languages::Some(common.lang.clone())
    };
    opts.font_paths = common.font_path.clone();
    opts.deny_warnings = common.deny_warnings;
    opts.source_date_epoch = common.source_date_epoch.clone();
    Ok(opts)
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match &cli.command {
        Command::Build { common, output, emit_typst, timings, data } => {
            let mut opts = match options(common) {
                Ok(o) => o,
                Err(code) => return code,
            };
            output.apply(&mut opts);
            opts.emit_typst = emit_typst.clone();
            opts.data = *data;
            opts.timings = timings.clone();
            finish(run_with_progress(&mut opts, common, Until::Write), common, timings.as_deref())
        }
        Command::Check { common } => match options(common) {
            Ok(mut opts) => finish(run_with_progress(&mut opts, common, Until::Check), common, None),
            Err(code) => code,
        },
        Command::Preflight { common, edition } => match options(common) {
            Ok(mut opts) => {
                opts.editions = edition.editions();
                finish(run_with_progress(&mut opts, common, Until::Preflight), common, None)
            }
            Err(code) => code,
        },
        Command::Watch { common, output } => watch(common, output),
        Command::Release { common, out, allow, strict } => {
            let mut allow = allow.clone();
            if !strict {
                allow.extend(vlr::release::Allow::MARKED);
            }
            let opts = match options(common) {
                Ok(o) => o,
                Err(code) => return code,
            };
            let out = out.clone().unwrap_or_else(|| opts.root.join("build/release"));
            let started = std::time::Instant::now();
            let mut outcome = vlr::release::release(&opts, &out, &allow);
            if outcome.diags.has_errors() {
                print_diagnostics(&outcome.diags, common.format);
                eprintln!(
                    "release refused: {} problem(s) listed above; nothing was published",
                    outcome.diags.error_count()
                );
                return ExitCode::from(outcome.exit_code());
            }
            if common.quiet {
                outcome.diags.retain_errors();
            }
            print_diagnostics(&outcome.diags, common.format);
            for f in &outcome.written {
                eprintln!("wrote {}", f.display());
            }
            eprintln!("released {} file(s) in {:.2}s", outcome.written.len(), started.elapsed().as_secs_f64());
            ExitCode::from(outcome.exit_code())
        }
        Command::I18n { command } => i18n(command),
        Command::New { dir, city, year, goals, lang, title, page_size, styles, force } => {
            let r = vlr::new::NewReport {
                title: title.clone(),
                city: city.clone(),
                year: *year,
                goals: goals.clone(),
                languages: lang.clone(),
                page_size: page_size.clone(),
                styles: *styles,
            };
            let files = match vlr::new::files(&r) {
                Ok(f) => f,
                Err(e) => return usage_error(&e.0, "see vlr new --help"),
            };
            match vlr::new::write(dir, files, *force) {
                Ok(written) => {
                    eprintln!(
                        "started {} ({} files): build it with `vlr build --root {}`",
                        dir.display(),
                        written.len(),
                        dir.display()
                    );
                    ExitCode::SUCCESS
                }
                Err(e) => usage_error(&e.0, "vlr new writes into a new or empty folder"),
            }
        }
        Command::Styles { command: StylesCommand::Eject { root, force } } => {
            let root = match project_root(root.as_ref()) {
                Ok(r) => r,
                Err(code) => return code,
            };
            let files: Vec<_> = vlr::new::styles()
                .into_iter()
                .filter(|(rel, _)| *force || !root.join(rel).exists())
                .map(|(rel, text)| vlr::export::Output { path: root.join(rel), bytes: text.into_bytes() })
                .collect();
            match vlr::export::write_all(&files) {
                Ok(written) => {
                    for f in &written {
                        eprintln!("wrote {}", f.display());
                    }
                    eprintln!("{} file(s) of the built-in design are now in {}/styles", written.len(), root.display());
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    print_diagnostics(&Diagnostics::from_vec(e), Format::Human);
                    ExitCode::from(1)
                }
            }
        }
    }
}

impl OutputArgs {
    fn apply(&self, opts: &mut Options) {
        opts.out_dir = self.out.clone();
        opts.editions = self.edition.editions();
        opts.chapter = self.chapter.clone();
    }
}

/// Prints the outcome and its summary; the exit code.
fn finish(mut outcome: Outcome, common: &Common, timings: Option<&Path>) -> ExitCode {
    if let Some(usage) = &outcome.usage {
        return usage_error(usage, "see report.toml's `languages`");
    }
    if common.quiet {
        outcome.diags.retain_errors();
    }
    print_diagnostics(&outcome.diags, common.format);
    if common.format == Format::Human && !common.quiet {
        summary(&outcome, common);
    }
    if let (Some(file), true) = (timings, outcome.ok()) {
        let t = &outcome.timings;
        eprintln!(
            "timings: load {:.0} ms, resolve {:.0} ms, charts {:.0} ms, images {:.0} ms, typeset {:.0} ms, export {:.0} ms, web {:.0} ms, write {:.0} ms; total {:.0} ms",
            t.load, t.resolve, t.charts, t.images, t.typeset, t.export, t.web, t.write, t.total
        );
        let json = serde_json::to_string_pretty(t).expect("timings serialize") + "\n";
        // Its path was checked before the PDFs were written.
        if let Err(e) = vlr::export::write::write_atomic(file, json.as_bytes()) {
            print_diagnostics(&Diagnostics::from_vec(e), common.format);
            return ExitCode::from(1);
        }
    }
    ExitCode::from(outcome.exit_code())
}

fn summary(outcome: &Outcome, common: &Common) {
    let diags = &outcome.diags;
    for e in &outcome.pdfs {
        if !e.placeholders.is_empty() {
            eprintln!(
                "note: {} figure(s) in the {} edition are placeholder frames (no image file):",
                e.placeholders.len(),
                e.target.lang
            );
            for p in &e.placeholders {
                eprintln!("  {}/{}: {}", p.chapter, p.figure, p.caption);
            }
        }
        match (&e.path, e.range) {
            (Some(path), Some((first, last))) => eprintln!(
                "wrote {} (pages {first}–{last} of {}, {} KiB, untagged preview)",
                path.display(),
                e.pages,
                e.bytes.div_ceil(1024)
            ),
            (Some(path), None) => {
                eprintln!("wrote {} ({} pages, {} KiB)", path.display(), e.pages, e.bytes.div_ceil(1024))
            }
            (None, _) if e.bytes == 0 => {
                eprintln!("checked the {} edition ({})", e.target.lang, e.target.edition.name())
            }
            (None, _) => {}
        }
    }
    if let Some(site) = outcome.site.as_ref().filter(|_| outcome.ok()) {
        eprintln!(
            "wrote {} ({} pages, {} files, {} KiB)",
            site.dir.display(),
            site.pages,
            site.files,
            site.bytes.div_ceil(1024)
        );
    }
    let (errors, warnings) = (diags.error_count(), diags.warning_count());
    let secs = outcome.timings.total / 1000.0;
    if errors > 0 {
        eprintln!("failed with {errors} error(s) and {warnings} warning(s); no file was written or replaced");
    } else if !outcome.denied {
        // Pages written: a chapter preview holds only its chapter's.
        let pages: usize = outcome.pdfs.iter().map(|e| e.range.map_or(e.pages, |(first, last)| last + 1 - first)).sum();
        let pdfs = outcome.pdfs.iter().filter(|e| e.path.is_some()).count();
        if let (0, Some(site)) = (pdfs, &outcome.site) {
            eprintln!("done in {secs:.2}s: the web edition, {} pages ({warnings} warning(s))", site.pages);
        } else if pdfs == 0 {
            eprintln!("done in {secs:.2}s: {} edition(s) checked ({warnings} warning(s))", outcome.pdfs.len());
        } else {
            eprintln!("done in {secs:.2}s: {pdfs} PDF(s), {pages} pages ({warnings} warning(s))");
        }
    }
    if common.verbose {
        let t = &outcome.timings;
        eprintln!(
            "stages: load {:.0} ms, resolve {:.0} ms, charts {:.0} ms, images {:.0} ms, typeset {:.0} ms, export {:.0} ms, web {:.0} ms, write {:.0} ms",
            t.load, t.resolve, t.charts, t.images, t.typeset, t.export, t.web, t.write
        );
    }
}

fn watch(common: &Common, output: &OutputArgs) -> ExitCode {
    let mut opts = match options(common) {
        Ok(o) => o,
        Err(code) => return code,
    };
    output.apply(&mut opts);
    let format = common.format;
    let result = vlr::watch::watch(opts, |outcome, line| {
        print_diagnostics(&outcome.diags, format);
        eprintln!("{line}");
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(vlr::watch::Stop::Usage(usage)) => usage_error(&usage, "see report.toml's `languages`"),
        Err(vlr::watch::Stop::Failed(e)) => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
    }
}

/// Runs the pipeline with a progress bar on a terminal when it makes several PDFs (each
/// edition counts twice: typeset, written). Elsewhere the run stays quiet until its summary.
fn run_with_progress(opts: &mut Options, common: &Common, until: Until) -> Outcome {
    let run = |opts: &Options| vlr::run(&mut opts.session(), opts, until).0;
    if until != Until::Write || common.quiet || !std::io::stderr().is_terminal() {
        return run(opts);
    }
    let (tx, rx) = std::sync::mpsc::channel();
    opts.progress = Some(tx);
    // Hidden until the run knows it makes several PDFs.
    let bar = indicatif::ProgressBar::hidden();
    bar.set_style(
        indicatif::ProgressStyle::with_template("{bar:30} {pos}/{len} {msg}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    let outcome = std::thread::scope(|s| {
        let opts = &*opts;
        let worker = s.spawn(move || run(opts));
        loop {
            match rx.recv_timeout(std::time::Duration::from_millis(50)) {
                Ok(vlr::Progress::Start { steps }) if steps > 2 => {
                    bar.set_length(steps as u64);
                    bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
                }
                Ok(vlr::Progress::Start { .. }) => {}
                Ok(vlr::Progress::Step(msg)) => {
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

fn i18n(command: &I18nCommand) -> ExitCode {
    let (root, lang) = match command {
        I18nCommand::Status { root, lang, .. } => (root, lang.clone()),
        I18nCommand::Export { root, lang, .. } | I18nCommand::Import { root, lang, .. } => (root, Some(lang.clone())),
    };
    let root = match project_root(root.as_ref()) {
        Ok(r) => r,
        Err(code) => return code,
    };
    let languages = match &lang {
        Some(l) => Languages::Some(vec![l.clone()]),
        None => Languages::All,
    };
    let (mut ctx, project) = match vlr::translate::load(&root, &languages) {
        Ok(loaded) => loaded,
        Err(usage) => return usage_error(&usage.0, "see report.toml's `languages`"),
    };
    let Some(project) = project else {
        print_diagnostics(&ctx.diags, Format::Human);
        return ExitCode::from(1);
    };
    // Every language but the source, unless one is named.
    let codes: Vec<String> = match lang {
        Some(l) => vec![l],
        None => project.languages.iter().filter(|l| **l != project.report.default_language).cloned().collect(),
    };
    let mut failed = false;
    for code in codes {
        let Some(t) = vlr::translate::Translation::new(&project, &code) else {
            print_diagnostics(&ctx.diags, Format::Human);
            return ExitCode::from(1);
        };
        match command {
            I18nCommand::Status { strict, .. } => {
                let files = vlr::translate::status(&t);
                print!("{}", vlr::translate::render_status(&code, &files));
                let problems = files.iter().any(vlr::translate::FileStatus::has_problems);
                if *strict && problems {
                    eprintln!(
                        "error: lang/{code}/ has missing or stale strings, or translations that print other numbers (listed above)"
                    );
                    failed = true;
                }
            }
            I18nCommand::Export { out, .. } => {
                let dir = out.clone().unwrap_or_else(|| root.join("build/po").join(&code));
                match vlr::export::write_all(&vlr::translate::po::export(&t, &dir)) {
                    Ok(files) => eprintln!("wrote {} PO files to {}", files.len(), dir.display()),
                    Err(e) => {
                        print_diagnostics(&Diagnostics::from_vec(e), Format::Human);
                        failed = true;
                    }
                }
            }
            I18nCommand::Import { from, prune, .. } => {
                let dir = from.clone().unwrap_or_else(|| root.join("build/po").join(&code));
                let Some(rel) = vlr::files::within(&root, &dir) else {
                    return usage_error(
                        &format!("{} is not inside the project {}", dir.display(), root.display()),
                        "copy the PO files into the project (e.g. build/po/<LANG>/) and import from there",
                    );
                };
                let imported = vlr::translate::po::import(&mut ctx, &t, &rel, *prune);
                print_diagnostics(&ctx.diags, Format::Human);
                match imported {
                    Some(import) => match vlr::export::write_all(&import.outputs) {
                        Ok(files) => eprintln!(
                            "updated {} entries in {} pack file(s) of lang/{code}/ from {}",
                            import.updated,
                            files.len(),
                            dir.display()
                        ),
                        Err(e) => {
                            print_diagnostics(&Diagnostics::from_vec(e), Format::Human);
                            failed = true;
                        }
                    },
                    None => {
                        eprintln!("error: nothing was imported: fix the problems above and import again");
                        failed = true;
                    }
                }
            }
        }
    }
    if failed { ExitCode::from(1) } else { ExitCode::SUCCESS }
}
