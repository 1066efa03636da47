//! `--chapter ID`: only that chapter's pages, as an untagged preview PDF numbered as in the
//! book. After one whole-book layout, a session remembers where the chapter sat ([`Seed`]);
//! while nothing but the chapter changes, the next build lays the chapter out alone from there,
//! which is what makes `vlr watch --chapter` fast.

use std::hash::{Hash, Hasher};

use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::edition::Target;
use crate::project::Project;
use crate::session::{Seed, Session};
use crate::typeset::{Layout, Typeset};

/// `--chapter ID` must name a chapter of the report.
pub fn check(diags: &mut Diagnostics, project: &Project, id: &str) {
    let ids: Vec<&str> = project.report.chapters().map(|c| c.id.as_str()).collect();
    if !ids.contains(&id) {
        diags.push(
            Diagnostic::error(Code::UnknownChapter, format!("report.toml has no chapter `{id}`"))
                .in_file(crate::project::report::REPORT_FILE)
                .hint(format!("--chapter takes one of: {}", ids.join(", "))),
        );
    }
}

/// The chapter alone when nothing else changed since the last whole-book layout, else the
/// whole book; and the fingerprint of everything but the chapter.
pub fn layout(
    session: &mut Session,
    chapter: Option<&str>,
    target: &Target,
    files: &[(String, Vec<u8>)],
) -> (Layout, u64) {
    let Some(id) = chapter else { return (Layout::Whole, 0) };
    let context = context_fingerprint(files, id);
    match session.seeds.get(target).filter(|s| s.context == context) {
        Some(seed) => {
            session.alone += 1;
            session.warm = true;
            (Layout::Alone { id: id.to_string(), start: seed.start }, context)
        }
        None => (Layout::Whole, context),
    }
}

/// Everything laid out before or after chapter `id`, as one number: the book data and every
/// other chapter (charts and images never change where pages break).
fn context_fingerprint(files: &[(String, Vec<u8>)], id: &str) -> u64 {
    let own = format!("chapters/{id}.json");
    let mut h = std::collections::hash_map::DefaultHasher::new();
    files.iter().filter(|(path, _)| path.ends_with(".json") && **path != own).for_each(|kv| kv.hash(&mut h));
    h.finish()
}

/// Which of a laid-out edition's pages a run writes, and what they are in the book.
#[derive(Debug, Clone)]
pub struct Pages {
    /// The document's pages to write (1-based, inclusive); `None`: all of them.
    pub written: Option<(usize, usize)>,
    /// With `--chapter`: the book's pages the preview holds.
    pub range: Option<(usize, usize)>,
    /// The book's length (for a chapter laid out alone, known after [`remember`]).
    pub book_pages: usize,
    /// A whole-book layout tells where the chapter starts, for laying it out alone next time.
    pub seed: Option<Seed>,
}

/// The pages of `t` to write: every page, or the chapter's.
pub fn pages(t: &Typeset, chapter: Option<&str>) -> Result<Pages, Diagnostic> {
    let pages = t.document.as_ref().map_or(0, |d| d.pages().len());
    Ok(match (&t.layout, chapter, &t.document) {
        (_, None, _) | (_, _, None) => Pages { written: None, range: None, book_pages: pages, seed: None },
        (Layout::Alone { start, .. }, Some(_), _) => {
            // The document is the chapter alone, after a blank page when it starts on a left page.
            let first = if start.physical % 2 == 0 { 2 } else { 1 };
            let now = pages + 1 - first;
            let range = Some((start.physical, start.physical + now - 1));
            Pages { written: Some((first, pages)), range, book_pages: 0, seed: None }
        }
        (Layout::Whole, Some(id), Some(doc)) => {
            let ((first, last), start) = crate::typeset::chapters::chapter_pages(doc, id).ok_or_else(|| {
                Diagnostic::error(
                    Code::Pdf,
                    format!(
                        "PDF export failed: the {} edition marks no page as the start of chapter `{id}`",
                        t.target.lang
                    ),
                )
                .hint("the templates must call `chapter-mark(ch.id)` on the first page of every chapter (styles/pages.typ)")
            })?;
            let seed = Seed { start, book_pages: pages, chapter_pages: last + 1 - first, context: 0 };
            Pages { written: Some((first, last)), range: Some((first, last)), book_pages: pages, seed: Some(seed) }
        }
    })
}

/// After an edition is exported: a whole-book layout's seed is kept for next time, and a
/// chapter laid out alone learns the book's length (it grew or shrank by what the chapter did).
pub fn remember(session: &mut Session, t: &Typeset, pages: &mut Pages, context: u64) {
    if let Some(mut seed) = pages.seed.take() {
        seed.context = context;
        session.seeds.insert(t.target.clone(), seed);
        session.warm = false;
    }
    if let (Layout::Alone { .. }, Some((first, last)), Some(seed)) =
        (&t.layout, pages.range, session.seeds.get(&t.target))
    {
        pages.book_pages = (seed.book_pages + last + 1 - first).saturating_sub(seed.chapter_pages);
    }
}
