//! Stage 5: export each laid-out edition as PDF bytes with `typst-pdf` ([`pdf`]); then write
//! everything a run makes — PDFs and side outputs — at once, or nothing ([`write_all`]).

pub mod data;
pub mod emit;
pub mod write;

use std::num::NonZeroUsize;

use typst::diag::SourceDiagnostic;
use typst::ecow::EcoVec;
use typst::foundations::{Datetime, Smart};
use typst::layout::PageRanges;
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};

use crate::edition::Edition;
pub use write::{Output, write_all};

pub const CREATOR: &str = concat!("vlr ", env!("CARGO_PKG_VERSION"), " (Typst 0.15)");

/// PDF bytes. The ident and timestamp come from the report, so equal inputs give equal bytes.
/// The PDF is tagged and checked against PDF/A-2a (archival) and PDF/UA-1 (accessible):
/// Typst refuses to write it when, say, a figure lacks alt text or headings skip a level.
/// The print edition is tagged too, but not PDF/A: vlr adds its BleedBox afterwards.
///
/// With `pages` (1-based, inclusive) only those pages are written, as a preview: Typst cannot
/// tag part of a document, so such a PDF is untagged and claims no standard.
pub fn pdf(doc: &PagedDocument, meta: &PdfMeta, pages: Option<(usize, usize)>) -> Result<Vec<u8>, PdfError> {
    let (ident, date, edition) = (&meta.ident, meta.date, meta.edition);
    let timestamp = Datetime::from_ymd(date.0, date.1, date.2).map(Timestamp::new_utc);
    let list: &[PdfStandard] = match edition {
        Edition::Screen if pages.is_none() => &[PdfStandard::A_2a, PdfStandard::Ua_1],
        _ => &[],
    };
    let standards = PdfStandards::new(list).map_err(|e| PdfError::Other(e.message().to_string()))?;
    let options = PdfOptions {
        ident: Smart::Custom(ident.clone()),
        creator: Smart::Custom(Some(CREATOR.to_string())),
        timestamp,
        standards,
        tagged: pages.is_none(),
        page_ranges: pages
            .map(|(first, last)| PageRanges::new(vec![NonZeroUsize::new(first)..=NonZeroUsize::new(last)])),
        ..PdfOptions::default()
    };
    let bytes = typst_pdf::pdf(doc, &options).map_err(PdfError::Typst)?;
    match edition {
        Edition::Screen => Ok(bytes),
        Edition::Print => add_bleed_box(&bytes, meta.bleed_mm).map_err(PdfError::Other),
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
}

/// Why an edition could not be exported.
#[derive(Debug)]
pub enum PdfError {
    /// What Typst refused (a PDF/A or PDF/UA rule), with its place in the sources.
    Typst(EcoVec<SourceDiagnostic>),
    Other(String),
}

/// Typst writes each page's TrimBox; printers also want the BleedBox, the bleed outside it
/// (the MediaBox beyond that holds the slug with the crop marks).
fn add_bleed_box(pdf: &[u8], bleed_mm: f64) -> Result<Vec<u8>, String> {
    let bleed_pt = (bleed_mm * 72.0 / 25.4) as f32;
    use lopdf::Object;
    let mut doc = lopdf::Document::load_mem(pdf).map_err(|e| format!("cannot reopen the PDF: {e}"))?;
    let pages: Vec<_> = doc.get_pages().into_values().collect();
    for id in pages {
        let page = doc.get_object_mut(id).and_then(Object::as_dict_mut).map_err(|e| e.to_string())?;
        let Ok(trim) = page.get(b"TrimBox").and_then(Object::as_array) else { continue };
        let n: Vec<f32> = trim.iter().filter_map(|o| o.as_float().ok()).collect();
        if let [x0, y0, x1, y1] = n[..] {
            let bleed = vec![x0 - bleed_pt, y0 - bleed_pt, x1 + bleed_pt, y1 + bleed_pt]
                .into_iter()
                .map(Object::Real)
                .collect();
            page.set("BleedBox", Object::Array(bleed));
        }
    }
    let mut out = Vec::new();
    doc.save_to(&mut out).map_err(|e| format!("cannot write the PDF: {e}"))?;
    Ok(out)
}
