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
    },
    /// Validate manifests, data, language packs and references without typesetting.
    Check {
        #[command(flatten)]
        common: Common,
    },
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
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Human,
    Json,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let (common, run): (&Common, fn(&Options) -> Outcome) = match &cli.command {
        Command::Build { common, .. } => (common, vlr::build),
        Command::Check { common } => (common, vlr::check),
    };
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let root = match &common.root {
        Some(r) => r.clone(),
        None => match vlr::find_root(&cwd) {
            Some(r) => r,
            None => {
                eprintln!("error: no report.toml in {} or any folder above it", cwd.display());
                eprintln!("  = hint: run vlr inside a report project, or pass --root DIR");
                return ExitCode::from(2);
            }
        },
    };
    if !root.join("report.toml").is_file() {
        eprintln!("error: {} has no report.toml", root.display());
        eprintln!("  = hint: pass the folder that holds report.toml to --root");
        return ExitCode::from(2);
    }
    let mut opts = Options::new(root);
    opts.all_langs = common.lang.iter().any(|l| l == "all");
    opts.langs = common.lang.iter().filter(|l| *l != "all").cloned().collect();
    opts.font_paths = common.font_path.clone();
    if let Command::Build { out, emit_typst, .. } = &cli.command {
        opts.out_dir = out.clone();
        opts.emit_typst = emit_typst.clone();
    }

    let started = std::time::Instant::now();
    let outcome = run(&opts);
    report(&outcome, common.format, started.elapsed());
    if outcome.ok() { ExitCode::SUCCESS } else { ExitCode::from(1) }
}

fn report(outcome: &Outcome, format: Format, elapsed: std::time::Duration) {
    let diags = &outcome.ctx.diags;
    match format {
        Format::Json => println!("{}", diag::render_json(diags, &outcome.ctx.sources)),
        Format::Human => {
            eprint!("{}", diag::render_human(diags, &outcome.ctx.sources, std::io::stderr().is_terminal()));
            for e in &outcome.editions {
                if !e.placeholders.is_empty() {
                    eprintln!("note: {} figure(s) in the {} edition are placeholder frames (no image file):", e.placeholders.len(), e.lang);
                    for p in &e.placeholders {
                        eprintln!("  {}/{}: {}", p.chapter, p.figure, p.caption);
                    }
                }
                match &e.pdf {
                    Some(path) => eprintln!("wrote {} ({} pages, {} KiB)", path.display(), e.pages, e.bytes.div_ceil(1024)),
                    None => eprintln!("checked the {} edition", e.lang),
                }
            }
            let (errors, warnings) = (diags.error_count(), diags.warning_count());
            if errors > 0 {
                eprintln!("failed with {errors} error(s) and {warnings} warning(s); no PDF was written or replaced for the editions with errors");
            } else {
                eprintln!("done in {:.2}s ({warnings} warning(s))", elapsed.as_secs_f64());
            }
        }
    }
}
