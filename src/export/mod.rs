//! Stage 5: export each laid-out edition as PDF bytes with `typst-pdf` ([`pdf`]), and the side
//! outputs (open data, an emitted Typst project); the driver then writes them all at once, or
//! nothing ([`crate::files::write`]).

pub mod data;
pub mod emit;
pub mod pdfx;
pub mod pdfx_check;

use std::num::NonZeroUsize;

use typst::diag::SourceDiagnostic;
use typst::ecow::EcoVec;
use typst::foundations::{Datetime, Smart};
use typst::layout::PageRanges;
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};

use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::edition::{Edition, Target};
use crate::typeset::Typesetter;

pub const CREATOR: &str = concat!("vlr ", env!("CARGO_PKG_VERSION"), " (Typst 0.15)");

/// PDF bytes. The ident and timestamp come from the report, so equal inputs give equal bytes.
/// The screen edition is tagged and checked against PDF/A-2a (archival) and PDF/UA-1
/// (accessible): Typst refuses to write it when, say, a figure lacks alt text or headings skip
/// a level. The print edition is PDF/X-4 for the theme's printing condition ([`pdfx`]): Typst
/// writes it as untagged PDF 1.6 and vlr adds the rest (one file cannot carry both output
/// intents; accessibility stays in the screen edition).
///
/// With `pages` (1-based, inclusive) only those pages are written, as a preview: Typst cannot
/// tag part of a document, so such a PDF is untagged and claims no standard.
pub fn pdf(doc: &PagedDocument, meta: &PdfMeta, pages: Option<(usize, usize)>) -> Result<Vec<u8>, PdfError> {
    let (ident, date, edition) = (&meta.ident, meta.date, meta.edition);
    let timestamp = Datetime::from_ymd(date.0, date.1, date.2).map(Timestamp::new_utc);
    let list: &[PdfStandard] = match edition {
        Edition::Screen if pages.is_none() => &[PdfStandard::A_2a, PdfStandard::Ua_1],
        Edition::Screen => &[],
        Edition::Print => &[PdfStandard::V_1_6],
        Edition::Web => return Err(PdfError::Other("the web edition is not a PDF".into())),
    };
    let standards = PdfStandards::new(list).map_err(|e| PdfError::Other(e.message().to_string()))?;
    let options = PdfOptions {
        ident: Smart::Custom(ident.clone()),
        creator: Smart::Custom(Some(CREATOR.to_string())),
        timestamp,
        standards,
        tagged: pages.is_none() && edition == Edition::Screen,
        page_ranges: pages
            .map(|(first, last)| PageRanges::new(vec![NonZeroUsize::new(first)..=NonZeroUsize::new(last)])),
        ..PdfOptions::default()
    };
    let bytes = typst_pdf::pdf(doc, &options).map_err(PdfError::Typst)?;
    match edition {
        Edition::Screen | Edition::Web => Ok(bytes),
        Edition::Print => {
            let print = pdfx::Print { date, bleed_mm: meta.bleed_mm, condition: &meta.condition, creator: CREATOR };
            pdfx::convert(&bytes, &print).map_err(PdfError::Other)
        }
    }
}

/// What a PDF says about itself besides its pages.
pub struct PdfMeta {
    /// The document identifier (the file stem, `<report id>-<lang>[-print]`).
    pub ident: String,
    /// The document date.
    pub date: (i32, u8, u8),
    pub edition: Edition,
    /// The print edition's bleed, for its BleedBox.
    pub bleed_mm: f64,
    /// The print edition's printing condition, for its output intent.
    pub condition: crate::project::theme::Condition,
}

impl PdfMeta {
    /// What the PDF of `target` says of itself: the project's identity, theme and `date`.
    pub fn new(project: &crate::project::Project, target: &Target, date: (i32, u8, u8)) -> Self {
        Self {
            ident: target.stem(&project.report.id),
            date,
            edition: target.edition,
            bleed_mm: project.theme.bleed_mm,
            condition: project.theme.condition.clone(),
        }
    }
}

/// Why an edition could not be exported. It stays apart from [`Diagnostic`] for one reason:
/// Typst's errors carry spans that only the edition's Typst World can turn into a file and a
/// line, and that World lives in the typesetter; [`PdfError::report`] makes them ours there.
#[derive(Debug)]
pub enum PdfError {
    /// What Typst refused (a PDF/A or PDF/UA rule), with its place in the sources.
    Typst(EcoVec<SourceDiagnostic>),
    Other(String),
}

impl PdfError {
    /// This error as diagnostics, located through the typesetter's World for `target`.
    pub fn report(&self, diags: &mut Diagnostics, typesetter: &Typesetter, target: &Target) {
        match self {
            PdfError::Typst(errors) => typesetter.convert(diags, target, errors),
            PdfError::Other(msg) => diags.push(Diagnostic::error(Code::Pdf, format!("PDF export failed: {msg}"))),
        }
    }
}

/// One laid-out edition to export.
pub struct Job<'a> {
    pub document: &'a PagedDocument,
    /// What the PDF says of itself.
    pub meta: PdfMeta,
    /// The pages to write (1-based, inclusive); `None`: all of them.
    pub pages: Option<(usize, usize)>,
}

/// Stage 5 for every laid-out edition, one thread each (typst-pdf writes a document on one
/// core): PDF bytes, in the order of `jobs`.
pub fn all(jobs: &[Job]) -> Vec<Result<Vec<u8>, PdfError>> {
    std::thread::scope(|s| {
        let handles: Vec<_> = jobs.iter().map(|j| s.spawn(move || pdf(j.document, &j.meta, j.pages))).collect();
        handles.into_iter().map(|h| h.join().expect("an export thread panicked")).collect()
    })
}
