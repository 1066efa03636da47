//! Where each chapter landed in a laid-out book, from the templates' `chapter-mark`s: the pages
//! a `--chapter` preview writes, and the counters to lay that chapter out alone next time.

use typst::ecow::EcoString;
use typst::foundations::{Label, Selector, Value};
use typst::introspection::{Introspector, MetadataElem};
use typst::utils::PicoStr;
use typst_layout::PagedDocument;

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
