//! The command line's arguments, as clap reads them: one struct per command, and the options
//! commands share ([`Common`], [`OutputArgs`]). What each command does is in its own module.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use vlr::Edition;

#[derive(Parser)]
#[command(name = "vlr", version, about = "Build a city's UN SDG Voluntary Local Review from TOML files into a PDF")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// Typeset the report: one PDF per language in build/.
    Build(BuildCommand),
    /// Build every language for publishing: PDFs, SHA256SUMS and build-manifest.json.
    Release(ReleaseCommand),
    /// Build, then rebuild on every change to the sources (Ctrl-C stops).
    Watch(WatchCommand),
    /// Watch with the web edition, and serve the site on 127.0.0.1; its pages reload themselves
    /// after each good rebuild (Ctrl-C stops).
    Serve(ServeCommand),
    /// Validate manifests, data, language packs and references without typesetting.
    Check(CheckCommand),
    /// Typeset every edition asked for and check the pages as a proofreader would: text out of
    /// its box, overlapping, too small, in a fallback face; soft photos; low contrast.
    Preflight(PreflightCommand),
    /// Translator tools: status of a language pack, PO export and import.
    I18n {
        #[command(subcommand)]
        command: I18nCommand,
    },
    /// Start a new city's report in DIR: it builds at once, and every text says what to write.
    New(NewCommand),
    /// The design: copy the built-in templates and theme into a project's styles/.
    Styles {
        #[command(subcommand)]
        command: StylesCommand,
    },
}

#[derive(Args)]
pub struct BuildCommand {
    #[command(flatten)]
    pub common: Common,
    #[command(flatten)]
    pub output: OutputArgs,
    /// Also write a self-contained Typst project (main.typ, styles, data, charts, fonts)
    #[arg(long, value_name = "DIR")]
    pub emit_typst: Option<PathBuf>,
    /// Write per-stage wall times (ms) as JSON, and a summary line on stderr
    #[arg(long, value_name = "FILE")]
    pub timings: Option<PathBuf>,
    /// Also write the numbers as open data: <id>-data.csv and .json, datapackage.json, open-sdg/
    #[arg(long)]
    pub data: bool,
}

#[derive(Args)]
pub struct ReleaseCommand {
    #[command(flatten)]
    pub common: Common,
    /// Output folder [default: <root>/build/release]
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Let the release contain placeholders, pending values or untranslated strings
    #[arg(long, value_name = "KINDS", value_delimiter = ',')]
    pub allow: Vec<vlr::Allow>,
    /// Also refuse derived and uncertain values (allowed otherwise: the book marks them)
    #[arg(long)]
    pub strict: bool,
}

#[derive(Args)]
pub struct WatchCommand {
    #[command(flatten)]
    pub common: Common,
    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Args)]
pub struct ServeCommand {
    #[command(flatten)]
    pub common: Common,
    /// Output folder [default: <root>/build]; the site is served from its web/
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Which editions to rebuild; the web edition is always among them
    #[arg(long, value_name = "EDITION", default_value = "web")]
    pub edition: EditionArg,
    /// The port on 127.0.0.1 (0: any free port, printed at the start)
    #[arg(long, default_value_t = 8000)]
    pub port: u16,
}

#[derive(Args)]
pub struct CheckCommand {
    #[command(flatten)]
    pub common: Common,
}

#[derive(Args)]
pub struct PreflightCommand {
    #[command(flatten)]
    pub common: Common,
    /// Which edition: screen, print, web (every page rendered through the templates, nothing
    /// written) or all
    #[arg(long, value_name = "EDITION", default_value = "screen")]
    pub edition: EditionArg,
}

#[derive(Args)]
pub struct NewCommand {
    /// The new project's folder (created; must be empty unless --force)
    pub dir: PathBuf,
    /// The city
    #[arg(long)]
    pub city: String,
    /// The year the report reviews
    #[arg(long)]
    pub year: i32,
    /// The goals it reviews, e.g. 6,7,17
    #[arg(long, value_delimiter = ',', required = true)]
    pub goals: Vec<u8>,
    /// Its languages (built-in: ar, en, es, fr, ru, zh); the first is the one written first
    #[arg(long, value_delimiter = ',', default_value = "en")]
    pub lang: Vec<String>,
    /// The report's title in the first language [default: the city, VLR and year]
    #[arg(long)]
    pub title: Option<String>,
    /// Page size: a4, a5 or us-letter
    #[arg(long, default_value = "a4")]
    pub page_size: String,
    /// Also copy the built-in templates into styles/, for a designer
    #[arg(long)]
    pub styles: bool,
    /// Write into DIR even if it is not empty
    #[arg(long)]
    pub force: bool,
}

#[derive(Subcommand)]
pub enum StylesCommand {
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
pub struct OutputArgs {
    /// Output folder for the PDFs [default: <root>/build]
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Which edition: screen (tagged PDF/A + PDF/UA), print (bleed, crop marks), web (a static
    /// site in <out>/web) or all
    #[arg(long, value_name = "EDITION", default_value = "screen")]
    pub edition: EditionArg,
    /// Write only this chapter's pages, as an untagged preview PDF (<stem>-<ID>-preview.pdf);
    /// with watch, the fastest loop while editing one chapter
    #[arg(long, value_name = "ID")]
    pub chapter: Option<String>,
}

#[derive(Subcommand)]
pub enum I18nCommand {
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
pub enum EditionArg {
    Screen,
    Print,
    Web,
    All,
}

impl EditionArg {
    pub fn editions(self) -> Vec<Edition> {
        match self {
            EditionArg::Screen => vec![Edition::Screen],
            EditionArg::Print => vec![Edition::Print],
            EditionArg::Web => vec![Edition::Web],
            EditionArg::All => Edition::ALL.to_vec(),
        }
    }
}

/// The options every project command takes.
#[derive(Args)]
pub struct Common {
    /// Project folder (holding report.toml) [default: the nearest one above the current folder]
    #[arg(long, value_name = "DIR")]
    pub root: Option<PathBuf>,
    /// Language to build (repeatable or comma-separated: fr,en), or `all` for every language in report.toml
    #[arg(long, value_name = "LANG", value_delimiter = ',')]
    pub lang: Vec<String>,
    /// Extra folder of fonts (repeatable)
    #[arg(long, value_name = "DIR")]
    pub font_path: Vec<PathBuf>,
    /// How to print diagnostics
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Exit 1 on warnings too, and write nothing
    #[arg(long)]
    pub deny_warnings: bool,
    /// Print errors only (no warnings, notes or summary)
    #[arg(long, short, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Also print the per-stage timings
    #[arg(long, short)]
    pub verbose: bool,
    /// The document date as seconds since 1970 (reproducible builds) [default: report.toml's]
    #[arg(long, env = "SOURCE_DATE_EPOCH", value_name = "SECONDS", hide_env_values = true)]
    pub source_date_epoch: Option<String>,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Human,
    Json,
}
