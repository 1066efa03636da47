//! What a run made and found: the PDFs, the files written, every diagnostic, the timings; and
//! the exit code that follows from them.

use std::path::PathBuf;

use crate::ctx::Timings;
use crate::diag::Diagnostics;
use crate::edition::Target;
use crate::resolve::Placeholder;

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
    pub placeholders: Vec<Placeholder>,
}

/// The outcome of a run: what was made, and every diagnostic with the sources to show them.
#[derive(Default)]
pub struct Outcome {
    pub diags: Diagnostics,
    pub pdfs: Vec<Pdf>,
    /// Every file written.
    pub written: Vec<PathBuf>,
    pub timings: Timings,
    /// Warnings were denied (`deny_warnings`), so nothing was written.
    pub denied: bool,
    /// The web edition's site, when it was made and written.
    pub site: Option<crate::web::Summary>,
}

impl Outcome {
    pub fn ok(&self) -> bool {
        !self.diags.has_errors() && !self.denied
    }

    /// 0 success, 1 content errors (nothing written or replaced), 2 usage errors (a request
    /// the report cannot serve, such as an unknown `--lang`).
    pub fn exit_code(&self) -> u8 {
        if self.diags.has_usage_errors() {
            2
        } else if self.ok() {
            0
        } else {
            1
        }
    }
}
