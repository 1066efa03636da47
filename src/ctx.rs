//! What the stages that touch the project share during one run: the project's files (read
//! through one door), the problems found, and the time each stage took.

use std::path::Path;
use std::time::Instant;

use crate::diag::Diagnostics;
use crate::files::{FileCache, Files};

pub struct Ctx {
    pub files: Files,
    pub diags: Diagnostics,
    pub timings: Timings,
}

impl Ctx {
    pub fn new(root: &Path, cache: FileCache) -> Self {
        Self { files: Files::new(root, cache), diags: Diagnostics::default(), timings: Timings::default() }
    }
}

/// Milliseconds per pipeline stage: wall time, so stages that run editions concurrently
/// (typeset, export) count once.
#[derive(Debug, Default, Clone, serde::Serialize)]
pub struct Timings {
    pub load: f64,
    pub resolve: f64,
    pub charts: f64,
    pub images: f64,
    pub typeset: f64,
    pub export: f64,
    /// The web edition's site (pages, style sheets, fonts).
    pub web: f64,
    pub write: f64,
    pub total: f64,
}

/// Milliseconds since `start`.
pub fn ms(start: Instant) -> f64 {
    start.elapsed().as_secs_f64() * 1000.0
}

/// A run's progress, for a progress bar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Progress {
    /// The run will take this many steps (two per PDF: typeset, written).
    Start {
        steps: usize,
    },
    Step(String),
}
