//! Stage 7: export the PDF and write it atomically.

use std::io::Write;
use std::num::NonZeroUsize;
use std::path::Path;

use typst::ecow::EcoString;
use typst::foundations::{Datetime, Label, Selector, Smart, Value};
use typst::introspection::{Introspector, MetadataElem};
use typst::layout::PageRanges;
use typst::utils::PicoStr;
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};

pub const CREATOR: &str = concat!("vlr ", env!("CARGO_PKG_VERSION"), " (Typst 0.15)");

/// PDF bytes. The ident and timestamp come from the report, so equal inputs give equal bytes.
/// The PDF is tagged and checked against PDF/A-2a (archival) and PDF/UA-1 (accessible):
/// Typst refuses to write it when, say, a figure lacks alt text or headings skip a level.
/// The print edition is tagged too, but not PDF/A: vlr adds its BleedBox afterwards.
///
/// With `pages` (1-based, inclusive) only those pages are written, as a preview: Typst cannot
/// tag part of a document, so such a PDF is untagged and claims no standard.
pub fn pdf(
    doc: &PagedDocument,
    ident: &str,
    date: (i32, u8, u8),
    output: crate::Output,
    pages: Option<(usize, usize)>,
) -> Result<Vec<u8>, String> {
    let timestamp = Datetime::from_ymd(date.0, date.1, date.2).map(Timestamp::new_utc);
    let list: &[PdfStandard] = match output {
        crate::Output::Screen if pages.is_none() => &[PdfStandard::A_2a, PdfStandard::Ua_1],
        _ => &[],
    };
    let standards = PdfStandards::new(list).map_err(|e| e.message().to_string())?;
    let options = PdfOptions {
        ident: Smart::Custom(ident.to_string()),
        creator: Smart::Custom(Some(CREATOR.to_string())),
        timestamp,
        standards,
        tagged: pages.is_none(),
        page_ranges: pages
            .map(|(first, last)| PageRanges::new(vec![NonZeroUsize::new(first)..=NonZeroUsize::new(last)])),
        ..PdfOptions::default()
    };
    let bytes = typst_pdf::pdf(doc, &options)
        .map_err(|errors| errors.iter().map(|e| e.message.to_string()).collect::<Vec<_>>().join("; "))?;
    match output {
        crate::Output::Screen => Ok(bytes),
        crate::Output::Print => add_bleed_box(&bytes),
    }
}

/// Where a chapter starts in a laid-out book, as the templates' `chapter-mark` records it: the
/// page and figure counters there, which `report(book, only: ..)` needs to lay out the
/// chapter alone exactly as it is in the book.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChapterStart {
    /// The physical page (1-based) the chapter starts on.
    pub physical: usize,
    /// The printed page number there, and whether pages are numbered.
    pub page: i64,
    pub numbered: bool,
    /// Figures and tables before the chapter.
    pub image: i64,
    pub table: i64,
}

/// Every chapter mark in the document, in page order: its physical page, and the chapter
/// that starts there. Marks without an id (part openers) only end the chapter before them.
fn chapter_marks(doc: &PagedDocument) -> Vec<(usize, Option<(String, ChapterStart)>)> {
    let Some(label) = Label::new(PicoStr::intern("vlr-chapter")) else { return Vec::new() };
    let introspector = doc.introspector();
    let mut marks: Vec<_> = introspector
        .query(&Selector::Label(label))
        .iter()
        .filter_map(|c| {
            let Value::Dict(d) = &c.to_packed::<MetadataElem>()?.value else { return None };
            let physical = introspector.page(c.location()?)?.get();
            let get = |k: &str| d.get(k).ok().cloned();
            let chapter = get("id").and_then(|id| id.cast::<EcoString>().ok()).and_then(|id| {
                let int = |k: &str| get(k)?.cast::<i64>().ok();
                let numbered = get("numbered")?.cast::<bool>().ok()?;
                Some((
                    id.to_string(),
                    ChapterStart { physical, page: int("page")?, numbered, image: int("image")?, table: int("table")? },
                ))
            });
            Some((physical, chapter))
        })
        .collect();
    marks.sort_by_key(|(physical, _)| *physical);
    marks
}

/// Chapter `id`'s pages (1-based, inclusive): from its mark to the page before the next
/// mark, with where it starts.
pub fn chapter_pages(doc: &PagedDocument, id: &str) -> Option<((usize, usize), ChapterStart)> {
    let marks = chapter_marks(doc);
    let at = marks.iter().position(|(_, c)| c.as_ref().is_some_and(|(m, _)| m == id))?;
    let start = marks[at].1.as_ref()?.1;
    let last = marks.get(at + 1).map_or(doc.pages().len(), |(next, _)| next.saturating_sub(1).max(start.physical));
    Some(((start.physical, last), start))
}

/// 3 mm in PDF points: the bleed the print templates draw past the trim.
const BLEED_PT: f32 = 3.0 * 72.0 / 25.4;

/// Typst writes each page's TrimBox; printers also want the BleedBox, 3 mm outside it (the
/// MediaBox beyond that holds the slug with the crop marks).
fn add_bleed_box(pdf: &[u8]) -> Result<Vec<u8>, String> {
    use lopdf::Object;
    let mut doc = lopdf::Document::load_mem(pdf).map_err(|e| format!("cannot reopen the PDF: {e}"))?;
    let pages: Vec<_> = doc.get_pages().into_values().collect();
    for id in pages {
        let page = doc.get_object_mut(id).and_then(Object::as_dict_mut).map_err(|e| e.to_string())?;
        let Ok(trim) = page.get(b"TrimBox").and_then(Object::as_array) else { continue };
        let n: Vec<f32> = trim.iter().filter_map(|o| o.as_float().ok()).collect();
        if let [x0, y0, x1, y1] = n[..] {
            let bleed = vec![x0 - BLEED_PT, y0 - BLEED_PT, x1 + BLEED_PT, y1 + BLEED_PT]
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

/// Writes to a temporary file beside the target and renames it over, so readers never see a
/// half-written PDF and a failed build leaves the previous one untouched.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_write_replaces_whole_file_and_leaves_no_temp() {
        let dir = std::env::temp_dir().join(format!("vlr-atomic-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let target = dir.join("out.pdf");
        write_atomic(&target, b"first").unwrap();
        write_atomic(&target, b"second").unwrap();
        assert_eq!(std::fs::read(&target).unwrap(), b"second");
        assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
