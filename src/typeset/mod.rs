//! Stage 4: lay the book out in-process with Typst and the templates in `styles/`, one edition
//! per thread, and turn Typst's diagnostics (with their call trace through the templates) and
//! the templates' own reports into ours.
//!
//! [`Typesetter`] is what survives between builds: the fonts, and one Typst `World` per edition
//! so a rebuild reuses Typst's caches.

pub mod chapters;
pub mod fonts;
pub mod world;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use typst::World;
use typst::WorldExt;
use typst::diag::{Severity as TSeverity, SourceDiagnostic};
use typst::ecow::EcoString;
use typst::foundations::{Label, Selector, Value};
use typst::introspection::{Introspector, MetadataElem};
use typst::utils::PicoStr;
use typst_kit::fonts::FontStore;
use typst_layout::PagedDocument;

use crate::diag::{Code, Diagnostic, Diagnostics, Loc};
use crate::edition::Target;
use crate::project::{Pack, Theme};
pub use chapters::ChapterStart;
use world::VlrWorld;

pub const MAIN: &str = "main.typ";
pub const TEMPLATE: &str = "styles/report.typ";

/// What to lay out of the book.
#[derive(Debug, Clone, PartialEq)]
pub enum Layout {
    /// The whole book.
    Whole,
    /// One chapter alone, from the counters it has in the book (see `chapter-mark`).
    Alone { id: String, start: ChapterStart },
}

impl Layout {
    /// The two-line `main.typ` that hands the book to the templates.
    pub fn main(&self) -> String {
        match self {
            Layout::Whole => format!("#import \"/{TEMPLATE}\": report\n#report(json(\"/book.json\"))\n"),
            // Chapter ids are validated (letters, digits, `-`), so the id is safe in a string.
            Layout::Alone { id, start } => format!(
                "#import \"/{TEMPLATE}\": report\n#report(json(\"/book.json\"), only: (id: \"{id}\", physical: {}, page: {}, numbered: {}, image: {}, table: {}))\n",
                start.physical, start.page, start.numbered, start.image, start.table
            ),
        }
    }
}

/// One edition to lay out: its in-memory files (book data, charts, photos) and layout.
pub struct Job {
    pub target: Target,
    pub files: Vec<(String, Vec<u8>)>,
    pub layout: Layout,
}

/// One edition laid out (or its errors).
pub struct Typeset {
    pub target: Target,
    pub layout: Layout,
    pub diags: Diagnostics,
    pub document: Option<PagedDocument>,
    /// The in-memory files it was laid out from (for `--emit-typst`).
    pub files: Vec<(String, Vec<u8>)>,
}

pub struct Typesetter {
    font_paths: Vec<PathBuf>,
    /// Whether the system's fonts may be used (off in tests, for a hermetic font set).
    system_fonts: bool,
    fonts: Arc<FontStore>,
    /// Whether `fonts` includes the system's fonts. They are scanned only when an edition
    /// needs a family or a character the bundled and `--font-path` fonts lack (scanning
    /// hundreds of system faces costs more than laying out a chapter).
    system_loaded: bool,
    worlds: BTreeMap<Target, VlrWorld>,
    coverage: fonts::Coverage,
}

impl Typesetter {
    pub fn new(font_paths: &[PathBuf], system_fonts: bool) -> Self {
        Self {
            font_paths: font_paths.to_vec(),
            system_fonts,
            fonts: Arc::new(fonts::store(font_paths, false)),
            system_loaded: false,
            worlds: BTreeMap::new(),
            coverage: fonts::Coverage::default(),
        }
    }

    pub fn fonts(&self) -> &FontStore {
        &self.fonts
    }

    /// How text measures in `families` with these fonts (for chart labels).
    pub fn metrics(&self, families: &[String]) -> fonts::Metrics<'_> {
        fonts::Metrics::new(&self.fonts, families)
    }

    fn has_family(&self, family: &str) -> bool {
        self.fonts.book().contains_family(&family.to_lowercase())
    }

    /// The theme's font and every printed character must be in some font: Typst would quietly
    /// use a fallback face, or print an empty box. The system's fonts are scanned only the
    /// first time an edition needs a family or a character the loaded ones lack.
    pub fn check_fonts(&mut self, diags: &mut Diagnostics, theme: &Theme, packs: &[&Pack], printed: &[&[u8]]) {
        let bytes = || printed.iter().copied();
        let pack_fonts = packs.first().map(|p| p.meta.fonts.clone()).unwrap_or_default();
        let families: Vec<String> = std::iter::once(theme.font.clone()).chain(pack_fonts).collect();
        let mut found = self.coverage.check(self.fonts.book(), &families, bytes());
        let families_present = families.iter().all(|f| self.has_family(f));
        let incomplete = !found.missing.is_empty() || !found.fallback.is_empty();
        if self.system_fonts && !self.system_loaded && (!families_present || incomplete) {
            self.fonts = Arc::new(fonts::store(&self.font_paths, true));
            self.system_loaded = true;
            self.worlds.clear(); // they hold the old font set
            self.coverage = fonts::Coverage::default();
            found = self.coverage.check(self.fonts.book(), &families, bytes());
        }
        if !self.has_family(&theme.font) {
            let fix =
                "install the font, pass its folder with --font-path, or name another family (Noto Sans is built in)";
            let hint = match self.closest_family(&theme.font) {
                Some(near) => format!("did you mean `{near}`? Otherwise {fix}"),
                None => fix.to_string(),
            };
            diags.push(
                theme
                    .font_at
                    .error(Code::UnknownFont, format!("no font of the family `{}` is available", theme.font))
                    .hint(hint),
            );
        }
        fonts::report_uncovered(diags, packs, &theme.font, found);
    }

    fn closest_family(&self, family: &str) -> Option<String> {
        // Compared without case (Typst looks families up so), named as the font names itself.
        let names: Vec<(String, &str)> =
            self.fonts.book().families().map(|(name, _)| (name.to_lowercase(), name)).collect();
        let near = crate::diag::closest(&family.to_lowercase(), names.iter().map(|(lower, _)| lower.as_str()))?;
        names.iter().find(|(lower, _)| lower == near).map(|(_, name)| name.to_string())
    }

    /// Lays out every job, one thread each (fonts are shared; each edition keeps its World).
    /// `progress` hears of each edition laid out.
    pub fn typeset(
        &mut self,
        root: &Path,
        published: (i32, u8, u8),
        jobs: Vec<Job>,
        progress: Option<&std::sync::mpsc::Sender<crate::ctx::Progress>>,
    ) -> Vec<Typeset> {
        for job in &jobs {
            let fonts = self.fonts.clone();
            self.worlds.entry(job.target.clone()).or_insert_with(|| VlrWorld::new(root, fonts, published));
        }
        let order: Vec<Target> = jobs.iter().map(|j| j.target.clone()).collect();
        let mut by_target: BTreeMap<Target, Job> = jobs.into_iter().map(|j| (j.target.clone(), j)).collect();
        let work: Vec<(Job, &mut VlrWorld)> =
            self.worlds.iter_mut().filter_map(|(t, w)| Some((by_target.remove(t)?, w))).collect();
        std::thread::scope(|s| {
            let handles: Vec<_> = work
                .into_iter()
                .map(|(job, world)| {
                    let progress = progress.cloned();
                    s.spawn(move || {
                        let mut files = job.files;
                        files.push((MAIN.to_string(), job.layout.main().into_bytes()));
                        world.set_generated(files.clone());
                        let mut diags = Diagnostics::default();
                        let document = compile(&mut diags, world);
                        words_set(&mut diags, world);
                        if let Some(p) = progress {
                            let msg = format!("typeset {} ({})", job.target.lang, job.target.edition.name());
                            let _ = p.send(crate::ctx::Progress::Step(msg));
                        }
                        Typeset { target: job.target, layout: job.layout, diags, document, files }
                    })
                })
                .collect();
            let mut done: Vec<Typeset> =
                handles.into_iter().map(|h| h.join().expect("a compile thread panicked")).collect();
            // In the order asked (the report's languages), not the worlds' order.
            done.sort_by_key(|t| order.iter().position(|o| *o == t.target));
            done
        })
    }

    /// The project files the last layouts read (templates, images): what `watch` follows
    /// besides the project's inputs.
    pub fn dependencies(&mut self) -> Vec<PathBuf> {
        let mut deps: Vec<PathBuf> = self.worlds.values_mut().flat_map(|w| w.dependencies()).collect();
        deps.sort();
        deps.dedup();
        deps
    }

    /// The project files one edition's last layout read (for `--emit-typst`).
    pub fn dependencies_of(&mut self, target: &Target) -> Vec<PathBuf> {
        self.worlds.get_mut(target).map(|w| w.dependencies()).unwrap_or_default()
    }

    /// Typst's diagnostics of an edition (from its export, say) as ours.
    pub fn convert(&self, diags: &mut Diagnostics, target: &Target, errors: &[SourceDiagnostic]) {
        match self.worlds.get(target) {
            Some(world) => {
                for e in errors {
                    let d = convert(diags, world, e);
                    diags.push(d);
                }
            }
            None => errors.iter().for_each(|e| diags.push(Diagnostic::error(Code::Typst, e.message.to_string()))),
        }
    }

    pub fn font_paths(&self) -> &[PathBuf] {
        &self.font_paths
    }
}

fn compile(diags: &mut Diagnostics, world: &VlrWorld) -> Option<PagedDocument> {
    let warned = typst::compile::<PagedDocument>(world);
    for w in &warned.warnings {
        let d = convert(diags, world, w);
        diags.push(d);
    }
    match warned.output {
        Ok(doc) => {
            for d in template_reports(&doc) {
                diags.push(d);
            }
            Some(doc)
        }
        Err(errors) => {
            for e in errors.iter() {
                let d = convert(diags, world, e);
                diags.push(d);
            }
            None
        }
    }
}

/// A chart whose picture the templates printed without its words (a design made before the
/// words moved out of the SVG): its labels would be lost without a word said.
fn words_set(diags: &mut Diagnostics, world: &mut VlrWorld) {
    let read = world.generated_read();
    for svg in read.iter().filter(|k| k.starts_with("charts/") && k.ends_with(".svg")) {
        let labels = svg.replace(".svg", ".json");
        if !read.contains(&labels) {
            diags.push(
                Diagnostic::warning(
                    Code::ChartWords,
                    format!("the templates print `{svg}` without its words (`{labels}`)"),
                )
                .in_file("styles/blocks.typ")
                .hint(
                    "print charts with `chart(path, labels, alt)` of the built-in styles/blocks.typ \
                         (`vlr styles eject --force` copies it; then re-apply your changes)",
                ),
            );
        }
    }
}

/// Problems only layout can see (an overfull key-indicator panel), which the templates report
/// as `metadata((code: .., message: .., chapter: ..)) <vlr-diagnostic>`.
fn template_reports(doc: &PagedDocument) -> Vec<Diagnostic> {
    let Some(label) = Label::new(PicoStr::intern("vlr-diagnostic")) else { return Vec::new() };
    let mut out = Vec::new();
    for content in doc.introspector().query(&Selector::Label(label)) {
        let Some(meta) = content.to_packed::<MetadataElem>() else { continue };
        let Value::Dict(dict) = &meta.value else { continue };
        let field = |k: &str| dict.get(k).ok().and_then(|v| v.clone().cast::<EcoString>().ok()).map(|s| s.to_string());
        let code = match field("code").as_deref().and_then(Code::from_name) {
            Some(code @ (Code::OverfullPanel | Code::OverfullText)) => code,
            _ => Code::Template,
        };
        let mut d =
            Diagnostic::warning(code, field("message").unwrap_or_else(|| "the template reported a problem".into()));
        if let Some(ch) = field("chapter") {
            d = d.in_file(format!("chapters/{ch}.toml"));
        }
        match code {
            Code::OverfullPanel => {
                d = d.hint("split the panel into two, or use fewer tiles or charts: a panel must fit on one page")
            }
            Code::OverfullText => {
                d = d.hint("give a shorter text in the language pack, or a larger box in the templates")
            }
            _ => {}
        }
        out.push(d);
    }
    out
}

/// A place Typst names, as a project-relative location (its text kept for the snippet).
fn place(diags: &mut Diagnostics, world: &VlrWorld, span: impl Into<typst::syntax::DiagSpan>) -> Option<Loc> {
    let span = span.into();
    let id = span.id()?;
    let path = world.display_path(id);
    if diags.sources.get(&path).is_none()
        && let Ok(source) = world.source(id)
    {
        diags.sources.insert(&path, source.text().to_string());
    }
    Some(Loc::new(path, world.range(span)?))
}

/// Typst's diagnostic as ours: its place, its hints (spanned ones as secondary places) and its
/// call trace through the templates, outermost last.
pub fn convert(diags: &mut Diagnostics, world: &VlrWorld, d: &SourceDiagnostic) -> Diagnostic {
    let mut out = match d.severity {
        TSeverity::Error => Diagnostic::error(Code::Typst, d.message.to_string()),
        TSeverity::Warning => Diagnostic::warning(Code::Typst, d.message.to_string()),
    };
    if let Some(loc) = place(diags, world, d.span) {
        out = out.at(loc.file, Some(loc.span));
    }
    let mut hints = Vec::new();
    for h in &d.hints {
        match place(diags, world, h.span) {
            Some(loc) => out = out.note(loc, h.v.to_string()),
            None => hints.push(h.v.to_string()),
        }
    }
    if !hints.is_empty() {
        out = out.hint(hints.join("; "));
    }
    for t in &d.trace {
        if let Some(loc) = place(diags, world, t.span) {
            out = out.note(loc, t.v.to_string());
        }
    }
    out
}
