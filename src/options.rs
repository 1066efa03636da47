//! What a run is asked for: the project, its languages and editions, where outputs go, and how
//! far the pipeline goes ([`Until`]).

use std::path::PathBuf;

use crate::ctx::Progress;
use crate::edition::Edition;
use crate::project::Languages;
use crate::session::Session;

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

    /// Where the web edition's site is written: `<out>/web`.
    pub fn site_dir(&self) -> PathBuf {
        self.out_dir().join(crate::web::DIR)
    }

    /// A session for these options (fonts, and empty caches).
    pub fn session(&self) -> Session {
        Session::new(&self.font_paths, self.system_fonts)
    }

    /// Whether the run also writes the open data: asked for, and never for a chapter preview.
    pub fn open_data(&self) -> bool {
        self.data && self.chapter.is_none()
    }
}

/// How far a run goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Until {
    /// Stages 1–3 and the font check: `vlr check`.
    Check,
    /// Stages 1–4: laid out, nothing exported or written.
    Typeset,
    /// Stages 1–4, then the pages inspected ([`crate::preflight`]): `vlr preflight`.
    Preflight,
    /// Everything: PDFs written.
    Write,
}
