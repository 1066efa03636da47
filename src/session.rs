//! A build session: what survives between builds in watch mode, and the driver of stages 1–7.
//!
//! Fonts are loaded once; each language keeps its Typst `World`, so a rebuild resets the
//! changed files and reuses Typst's caches; charts are redrawn only when their inputs change;
//! source files are re-read only when their modification time or size changed. Editions are
//! laid out concurrently, sharing the fonts.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Instant;

use typst_kit::fonts::FontStore;

use crate::ctx::{FileCache, ms};
use crate::{
    Ctx, Edition, Options, Outcome, Typeset, assemble, charts, compile, diag, emit, export, fonts, i18n, world,
};

/// One edition after stages 1–5; `ok` when it has no errors and may be typeset.
struct Prepared {
    key: (String, crate::Output),
    assembled: assemble::Assembled,
    ok: bool,
}

pub struct Session {
    opts: Options,
    fonts: Arc<FontStore>,
    /// Whether `fonts` includes the system's fonts. They are scanned only when an edition
    /// needs a family or a character the bundled and `--font-path` fonts lack (scanning
    /// hundreds of system faces costs more than laying out a chapter).
    system_fonts_loaded: bool,
    worlds: BTreeMap<(String, crate::Output), world::VlrWorld>,
    charts: charts::ChartCache,
    files: FileCache,
    coverage: fonts::Coverage,
    /// With `--chapter`, per edition: where the chapter sat in the last whole-book layout.
    seeds: BTreeMap<(String, crate::Output), Seed>,
    /// Editions laid out as their chapter alone so far (for tests and curious users).
    alone: usize,
    /// Whether the chapter has been laid out alone since the last whole-book layout (see
    /// [`Session::warm_up`]).
    warm: bool,
}

/// How a `--chapter` edition was laid out.
#[derive(Debug, Clone)]
pub enum Preview {
    /// The whole book. `context` fingerprints everything but the chapter's own text.
    Whole { context: u64 },
    /// The chapter alone, started from where the last whole layout put it.
    Alone(Seed),
}

/// Where the chapter sat in the last whole-book layout. While nothing but the chapter's own
/// text changes (`context` stays the same), the chapter can be laid out alone from here and
/// comes out as it would in the book: everything before it is unchanged.
#[derive(Debug, Clone)]
pub struct Seed {
    pub start: export::ChapterStart,
    pub book_pages: usize,
    pub chapter_pages: usize,
    pub context: u64,
}

impl Session {
    pub fn new(opts: Options) -> Self {
        let fonts = Arc::new(fonts::store(&opts.font_paths, false));
        Self {
            opts,
            fonts,
            system_fonts_loaded: false,
            worlds: BTreeMap::new(),
            charts: charts::ChartCache::default(),
            files: FileCache::default(),
            coverage: fonts::Coverage::default(),
            seeds: BTreeMap::new(),
            alone: 0,
            warm: true,
        }
    }

    /// Charts drawn so far (not served from the cache).
    pub fn charts_drawn(&self) -> usize {
        self.charts.drawn.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// `--chapter` editions laid out as the chapter alone (not the whole book) so far.
    pub fn chapter_alone_layouts(&self) -> usize {
        self.alone
    }

    /// Source files read from disk so far (not served from the cache).
    pub fn files_read(&self) -> usize {
        self.files.reads
    }

    /// Stages 1–6 for every requested language.
    pub fn typeset(&mut self) -> (Ctx, Vec<Typeset>) {
        let started = Instant::now();
        let mut ctx = Ctx::new(&self.opts.root);
        ctx.cache = std::mem::take(&mut self.files);
        let result = self.typeset_with(&mut ctx);
        self.files = std::mem::take(&mut ctx.cache);
        ctx.timings.total = ms(started);
        (ctx, result)
    }

    /// With `--chapter`, after a whole-book layout: lays the chapter out alone once, writing
    /// nothing. Watch calls this while the editor reads the PDF, so Typst's caches hold that
    /// layout and the next edit rebuilds at full speed instead of paying for the first one.
    pub fn warm_up(&mut self) {
        if !self.warm {
            let _ = self.typeset();
        }
    }

    /// Stages 1–3 for one language from the session's caches: files a build already read are
    /// neither read nor parsed again (a release's gate checks run after its build).
    pub fn load_language(&mut self, code: &str) -> Option<crate::Loaded> {
        let mut ctx = Ctx::new(&self.opts.root);
        ctx.cache = std::mem::take(&mut self.files);
        let loaded = crate::load_language_in(&mut ctx, code);
        self.files = std::mem::take(&mut ctx.cache);
        loaded
    }

    /// Stages 1–5 for every requested language and edition, without typesetting (`vlr check`).
    pub fn check(&mut self) -> Outcome {
        let mut ctx = Ctx::new(&self.opts.root);
        ctx.cache = std::mem::take(&mut self.files);
        let editions = match self.prepare(&mut ctx) {
            Some((_, prepared)) => prepared
                .into_iter()
                .map(|p| Edition {
                    lang: p.key.0,
                    pdf: None,
                    pages: 0,
                    range: None,
                    bytes: 0,
                    placeholders: p.assembled.placeholders,
                })
                .collect(),
            None => Vec::new(),
        };
        self.files = std::mem::take(&mut ctx.cache);
        Outcome { ctx, editions }
    }

    /// Stages 1–5: load, then per language and edition resolve the texts, assemble and check
    /// the fonts (cheap, and they share the file cache).
    fn prepare(&mut self, ctx: &mut Ctx) -> Option<(crate::Shared, Vec<Prepared>)> {
        let start = Instant::now();
        let shared = crate::load_shared(ctx)?;
        let codes = crate::languages(ctx, &self.opts, &shared.report);
        if let Some(id) = &self.opts.chapter {
            check_chapter(ctx, &shared.report, id);
        }
        ctx.timings.load += ms(start);
        // Shared errors stop typesetting, but every edition is still checked so that one run
        // reports all problems.
        let shared_errors = ctx.diags.has_errors();
        let mut prepared = Vec::new();
        let outputs = self.opts.outputs.clone();
        for (code, output) in codes.iter().flat_map(|c| outputs.iter().map(move |o| (c.clone(), *o))) {
            let errors_before = ctx.diags.error_count();
            let start = Instant::now();
            let Some(lang) = i18n::load(ctx, &shared.report, &shared.data, &code) else { continue };
            ctx.timings.i18n += ms(start);
            let assembled =
                assemble::assemble(ctx, &shared.report, &shared.data, &lang, &shared.theme, &self.charts, output);
            self.check_fonts(ctx, &shared.theme.font, &lang, &assembled);
            let ok = !shared_errors && ctx.diags.error_count() == errors_before;
            prepared.push(Prepared { key: (code, output), assembled, ok });
        }
        Some((shared, prepared))
    }

    /// Every printed character must be in some font. The system's fonts are scanned only the
    /// first time an edition needs a family or a character the loaded ones lack.
    fn check_fonts(&mut self, ctx: &mut Ctx, theme_font: &str, lang: &i18n::Lang, assembled: &assemble::Assembled) {
        let mut missing = self.coverage.uncovered(self.fonts.book(), assembled);
        let families_present = std::iter::once(theme_font)
            .chain(lang.fonts().iter().map(String::as_str))
            .all(|f| self.fonts.book().contains_family(&f.to_lowercase()));
        if self.opts.system_fonts && !self.system_fonts_loaded && (!families_present || !missing.is_empty()) {
            self.fonts = Arc::new(fonts::store(&self.opts.font_paths, true));
            self.system_fonts_loaded = true;
            self.worlds.clear(); // they hold the old font set
            self.coverage = fonts::Coverage::default();
            missing = self.coverage.uncovered(self.fonts.book(), assembled);
        }
        fonts::report_uncovered(ctx, lang, missing);
    }

    fn typeset_with(&mut self, ctx: &mut Ctx) -> Vec<Typeset> {
        let Some((shared, prepared)) = self.prepare(ctx) else { return Vec::new() };
        // Content errors: do not typeset, keep the previous PDF.
        let ready: Vec<_> = prepared.into_iter().filter(|p| p.ok).map(|p| (p.key, p.assembled)).collect();

        // Stage 6, one thread per edition: each has its own World; fonts are shared.
        let (root, published) = (self.opts.root.clone(), shared.report.published);
        for (code, _) in &ready {
            self.worlds
                .entry(code.clone())
                .or_insert_with(|| world::VlrWorld::new(&root, self.fonts.clone(), published));
        }
        let mut jobs: Vec<((String, crate::Output), assemble::Assembled, &mut world::VlrWorld)> = Vec::new();
        let mut by_code: BTreeMap<(String, crate::Output), assemble::Assembled> = ready.into_iter().collect();
        let mut previews: BTreeMap<(String, crate::Output), Preview> = BTreeMap::new();
        if let Some(id) = &self.opts.chapter {
            for (code, assembled) in by_code.iter_mut() {
                let context = context_fingerprint(assembled, id);
                let preview = match self.seeds.get(code).filter(|s| s.context == context) {
                    Some(seed) => {
                        assembled.main = assemble::main_for_chapter(id, &seed.start);
                        self.alone += 1;
                        self.warm = true;
                        Preview::Alone(seed.clone())
                    }
                    None => Preview::Whole { context },
                };
                previews.insert(code.clone(), preview);
            }
        }
        for (code, w) in self.worlds.iter_mut() {
            if let Some(a) = by_code.remove(code) {
                jobs.push((code.clone(), a, w));
            }
        }
        let start = Instant::now();
        let results: Vec<((String, crate::Output), assemble::Assembled, Ctx, Option<typst_layout::PagedDocument>)> =
            std::thread::scope(|s| {
                let handles: Vec<_> = jobs
                    .into_iter()
                    .map(|(code, assembled, world)| {
                        let root = root.clone();
                        let progress = self.opts.progress.clone();
                        s.spawn(move || {
                            let mut local = Ctx::new(root);
                            world.set_generated(crate::generated_files(&assembled));
                            let doc = compile::compile(&mut local, world);
                            if let Some(p) = progress {
                                let _ = p.send(format!("typeset {} ({})", code.0, code.1.name()));
                            }
                            (code, assembled, local, doc)
                        })
                    })
                    .collect();
                handles.into_iter().map(|h| h.join().expect("a compile thread panicked")).collect()
            });
        ctx.timings.compile += ms(start);

        let mut done = Vec::new();
        for ((code, output), assembled, local, doc) in results {
            ctx.diags.extend(local.diags.iter().cloned());
            ctx.sources.extend(local.sources);
            if let Some(document) = doc {
                let suffix = if output == crate::Output::Print { "-print" } else { "" };
                let ident = format!("{}-{}{suffix}", shared.report.id, code);
                let preview = previews.remove(&(code.clone(), output));
                done.push(Typeset { lang: code, output, ident, published, document, assembled, preview });
            }
        }
        done
    }

    /// The whole pipeline: one PDF per requested language, written atomically.
    pub fn build(&mut self) -> Outcome {
        let started = Instant::now();
        let (mut ctx, typeset) = self.typeset();
        let mut editions = Vec::new();
        let several = typeset.len() > 1;
        let start = Instant::now();
        let exported = export_editions(&typeset, self.opts.chapter.as_deref());
        ctx.timings.export += ms(start);
        for (t, result) in typeset.into_iter().zip(exported) {
            let Exported { bytes, range, book_pages, seed } = match result {
                Ok(done) => done,
                Err(d) => {
                    ctx.push(d);
                    continue;
                }
            };
            if let Some(seed) = seed {
                self.seeds.insert((t.lang.clone(), t.output), seed);
                self.warm = false;
            }
            let start = Instant::now();
            if let Some(dir) = &self.opts.emit_typst {
                let dir = if several { dir.join(&t.ident) } else { dir.clone() };
                if let Err(e) = emit::emit(&self.opts.root, &dir, &t.assembled, &t.document) {
                    ctx.push(diag::Diagnostic::error(
                        "emit",
                        format!("cannot write the Typst project to {}: {e}", dir.display()),
                    ));
                }
            }
            let out_dir = self.opts.out_dir.clone().unwrap_or_else(|| self.opts.root.join("build"));
            let name = match &self.opts.chapter {
                Some(id) => format!("{}-{id}-preview.pdf", t.ident),
                None => format!("{}.pdf", t.ident),
            };
            let path = out_dir.join(name);
            let written = export::write_atomic(&path, &bytes);
            ctx.timings.write += ms(start);
            if let Err(e) = written {
                ctx.push(diag::Diagnostic::error("write", format!("cannot write {}: {e}", path.display())));
                continue;
            }
            if let Some(p) = &self.opts.progress {
                let _ = p.send(format!("wrote {}", path.display()));
            }
            let mut placeholders = t.assembled.placeholders;
            if let Some(id) = &self.opts.chapter {
                placeholders.retain(|p| &p.chapter == id);
            }
            editions.push(Edition {
                lang: t.lang,
                pdf: Some(path),
                pages: book_pages,
                range,
                bytes: bytes.len(),
                placeholders,
            });
        }
        ctx.timings.total = ms(started);
        Outcome { ctx, editions }
    }
}

/// One edition's PDF, ready to write.
pub(crate) struct Exported {
    pub bytes: Vec<u8>,
    /// With `--chapter`: the book's pages the preview holds, and how many pages the book has.
    pub range: Option<(usize, usize)>,
    pub book_pages: usize,
    /// A whole-book layout tells where the chapter starts, for laying it out alone next time.
    pub seed: Option<Seed>,
}

/// Stage 7 for every edition, one thread each (typst-pdf writes a document on one core), in
/// the order given.
pub(crate) fn export_editions(typeset: &[Typeset], chapter: Option<&str>) -> Vec<Result<Exported, diag::Diagnostic>> {
    std::thread::scope(|s| {
        let handles: Vec<_> = typeset.iter().map(|t| s.spawn(move || export_edition(t, chapter))).collect();
        handles.into_iter().map(|h| h.join().expect("an export thread panicked")).collect()
    })
}

/// One edition's PDF bytes; with `chapter`, only that chapter's pages.
fn export_edition(t: &Typeset, chapter: Option<&str>) -> Result<Exported, diag::Diagnostic> {
    let pages = t.document.pages().len();
    let (written, range, book_pages, seed) = match (chapter, &t.preview) {
        (None, _) => (None, None, pages, None),
        (Some(_), Some(Preview::Alone(seed))) => {
            // The document is the chapter alone, after a blank page when it starts on a left page.
            let first = if seed.start.physical % 2 == 0 { 2 } else { 1 };
            let now = pages + 1 - first;
            let book_pages = (seed.book_pages + now).saturating_sub(seed.chapter_pages);
            (Some((first, pages)), Some((seed.start.physical, seed.start.physical + now - 1)), book_pages, None)
        }
        (Some(id), preview) => {
            let ((first, last), start) = export::chapter_pages(&t.document, id).ok_or_else(|| {
                diag::Diagnostic::error("chapter-mark", format!("the {} edition marks no page as the start of chapter `{id}`", t.lang))
                    .hint("the templates must call `chapter-mark(ch.id)` on the first page of every chapter (styles/pages.typ)")
            })?;
            let seed = match preview {
                Some(Preview::Whole { context }) => {
                    Some(Seed { start, book_pages: pages, chapter_pages: last + 1 - first, context: *context })
                }
                _ => None,
            };
            (Some((first, last)), Some((first, last)), pages, seed)
        }
    };
    let bytes = export::pdf(&t.document, &t.ident, t.published, t.output, written)
        .map_err(|msg| diag::Diagnostic::error("pdf", format!("PDF export failed: {msg}")))?;
    Ok(Exported { bytes, range, book_pages, seed })
}

/// Everything laid out before or after chapter `id`, as one number: the book data and every
/// other chapter (charts and images never change where pages break).
fn context_fingerprint(assembled: &assemble::Assembled, id: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let own = format!("chapters/{id}.json");
    let mut h = std::collections::hash_map::DefaultHasher::new();
    assembled.book_json.hash(&mut h);
    assembled.chapter_json.iter().filter(|(path, _)| **path != own).for_each(|kv| kv.hash(&mut h));
    h.finish()
}

/// `--chapter ID` must name a chapter of the report.
fn check_chapter(ctx: &mut Ctx, report: &crate::manifest::Report, id: &str) {
    let ids: Vec<&str> = report.parts.iter().flat_map(|p| &p.chapters).map(|c| c.id.as_str()).collect();
    if !ids.contains(&id) {
        ctx.push(
            diag::Diagnostic::error("unknown-chapter", format!("report.toml has no chapter `{id}`"))
                .in_file("report.toml")
                .hint(format!("--chapter takes one of: {}", ids.join(", "))),
        );
    }
}

/// The document date: `SOURCE_DATE_EPOCH` (seconds since 1970, as reproducible-build tools
/// set it) when present, else the report's publication date. Never the clock.
pub fn document_date(ctx: &mut Ctx, published: (i32, u8, u8)) -> (i32, u8, u8) {
    let Some(raw) = std::env::var_os("SOURCE_DATE_EPOCH") else { return published };
    // Years 1..=9999 only: PDF dates have four digits.
    match raw
        .to_str()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .filter(|s| (-62_135_596_800..=253_402_300_799).contains(s))
    {
        Some(secs) => civil_from_days(secs.div_euclid(86_400)),
        None => {
            ctx.push(
                diag::Diagnostic::error("invalid-value", format!("SOURCE_DATE_EPOCH={} is not a number of seconds", raw.to_string_lossy()))
                    .hint("set it to seconds since 1970-01-01 (e.g. `git log -1 --format=%ct`), or unset it to use report.toml's date"),
            );
            published
        }
    }
}

/// Days since 1970-01-01 → (year, month, day), proleptic Gregorian (H. Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i32, u8, u8) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y as i32, m, d)
}

#[cfg(test)]
mod tests {
    #[test]
    fn epoch_days_to_dates() {
        assert_eq!(super::civil_from_days(0), (1970, 1, 1));
        assert_eq!(super::civil_from_days(18_931), (2021, 10, 31));
        assert_eq!(super::civil_from_days(19_052), (2022, 3, 1));
    }
}
