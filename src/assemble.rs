//! Stage 5: assemble the Typst document.
//!
//! The book becomes *data*: one JSON file (`/book.json`) holding every block with its text as
//! runs, plus chart SVGs under `/charts/`. The templates in `styles/` read that JSON and lay it
//! out; `main.typ` is two lines. Text therefore never passes through Typst's parser, so nothing
//! a writer types can run Typst code or trip its markup.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::Serialize;

use crate::charts::{self, ChartInput};
use crate::ctx::Ctx;
use crate::data::{Data, Indicator};
use crate::diag::Diagnostic;
use crate::i18n::{Field, Lang, Rich, Run, plain_text};
use crate::manifest::{Block, BlockKind, ChapterKind, ChartKind, ChartSpec, FigureSource, Report};
use crate::styles::Theme;

/// Everything the compiler needs, in memory: main source, book data, charts.
pub struct Assembled {
    pub main: String,
    pub book_json: String,
    /// Virtual path (`chapters/<id>.json`) → one chapter's blocks as JSON.
    pub chapter_json: BTreeMap<String, String>,
    /// Virtual path (e.g. `charts/sdg13-ki-power-chart.svg`) → SVG text.
    pub charts: BTreeMap<String, String>,
    /// Prepared photos: virtual path (`images/<hash>-<width>.jpg`) → bytes.
    pub images: BTreeMap<String, Vec<u8>>,
    pub placeholders: Vec<Placeholder>,
}

#[derive(Debug, Clone)]
pub struct Placeholder {
    pub chapter: String,
    pub figure: String,
    pub caption: String,
}

pub const MAIN: &str = "main.typ";
pub const BOOK_JSON: &str = "book.json";
pub const TEMPLATE: &str = "styles/report.typ";

#[derive(Serialize)]
struct Book {
    meta: Meta,
    theme: ThemeOut,
    ui: BTreeMap<&'static str, String>,
    sdgs: Vec<SdgOut>,
    parts: Vec<PartOut>,
}

#[derive(Serialize)]
struct Meta {
    id: String,
    lang: String,
    region: Option<String>,
    title: Rich,
    subtitle: Option<Rich>,
    short: String,
    edition: i32,
    published: [i32; 3],
    page_size: String,
    distribution_label: Option<String>,
    /// PDF metadata authors: the bodies that directed the report.
    authors: Vec<String>,
    /// Font families after the theme's font (the pack's, e.g. a CJK face).
    fonts: Vec<String>,
    /// `screen` or `print`: the print edition adds bleed and crop marks.
    output: &'static str,
}

#[derive(Serialize)]
struct ThemeOut {
    font: String,
    neutral: String,
}

#[derive(Serialize)]
struct SdgOut {
    number: u8,
    color: String,
    name: String,
}

#[derive(Serialize)]
struct PartOut {
    id: String,
    title: Option<Rich>,
    matter: crate::manifest::Matter,
    opener: bool,
    /// Virtual paths of the chapters' JSON files (`/chapters/<id>.json`): one file per chapter,
    /// so an edit changes one file and Typst reuses the layout of the others.
    chapters: Vec<String>,
}

#[derive(Serialize)]
struct ChapterOut {
    id: String,
    kind: ChapterKind,
    goal: Option<u8>,
    color: String,
    title: Rich,
    statement: Option<Rich>,
    blocks: Vec<BlockOut>,
}

#[derive(Serialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
enum BlockOut {
    Text { paras: Vec<Rich> },
    Heading { text: Rich },
    Section { name: String, text: String },
    Measure { number: u32, text: Rich },
    Subheading { text: Rich },
    Case { title: Rich, paras: Vec<Rich> },
    Figure(FigureOut),
    Table { caption: Rich, columns: Vec<f64>, header: Vec<Rich>, rows: Vec<Vec<Rich>>, note: Option<Rich> },
    Indicators { id: String, chapter: String, title: Rich, tiles: Vec<TileOut>, charts: Vec<ChartOut> },
    Pagebreak,
    Appendix { groups: Vec<AppendixGroup> },
}

/// The data appendix: per chapter, every indicator it shows or cites and where it comes from.
#[derive(Serialize)]
struct AppendixGroup {
    title: Rich,
    rows: Vec<AppendixRow>,
}

#[derive(Serialize)]
struct AppendixRow {
    id: String,
    title: String,
    value: String,
    unit: String,
    date: String,
    status: crate::data::Status,
    status_text: String,
    source: String,
}

#[derive(Serialize)]
struct FigureOut {
    id: String,
    /// image | chart | sdg-grid | placeholder
    kind: &'static str,
    path: Option<String>,
    aspect: f64,
    width: f64,
    caption: Rich,
    credit: Option<Rich>,
    alt: String,
    reconstructed: bool,
}

#[derive(Serialize)]
struct TileOut {
    value: Run,
    unit: String,
    qualifier: Option<String>,
    label: Rich,
    date: Option<String>,
}

#[derive(Serialize)]
struct ChartOut {
    title: Rich,
    path: String,
    alt: String,
}

/// Interface words the templates print; each must exist in the source pack's ui.toml.
pub const UI_KEYS: &[&str] = &[
    "contents",
    "figure",
    "table",
    "key-indicators",
    "work-overview",
    "main-progress",
    "specific-measures",
    "source",
    "pending",
    "derived",
    "placeholder",
    "reconstructed",
    "goal",
    "note",
    "indicator",
    "value",
    "unit",
    "date",
    "status",
    "status-reported",
    "status-derived",
    "status-pending",
];

pub fn assemble(
    ctx: &mut Ctx,
    report: &Report,
    data: &Data,
    lang: &Lang,
    theme: &Theme,
    cache: &charts::ChartCache,
    output: crate::Output,
) -> Assembled {
    let start = std::time::Instant::now();
    let mut a = Assembler {
        ctx,
        data,
        lang,
        theme,
        cache,
        charts: BTreeMap::new(),
        chapter_json: BTreeMap::new(),
        images: BTreeMap::new(),
        placeholders: Vec::new(),
        cited: Vec::new(),
    };
    let mut book = a.book(report);
    book.meta.output = output.name();
    let book_json = serde_json::to_string(&book).expect("book serializes");
    // Unused texts are only worth a warning once the errors are fixed: a rejected block
    // leaves its texts unused, and that is noise next to the error itself.
    if !a.ctx.diags.has_errors() {
        lang.report_unused(a.ctx);
    }
    a.ctx.timings.assemble += crate::ctx::ms(start);
    Assembled {
        main: format!("#import \"/{TEMPLATE}\": report\n#report(json(\"/{BOOK_JSON}\"))\n"),
        book_json,
        chapter_json: a.chapter_json,
        charts: a.charts,
        images: a.images,
        placeholders: a.placeholders,
    }
}

/// `main.typ` for laying out chapter `id` alone, from where it starts in the book.
pub fn main_for_chapter(id: &str, start: &crate::export::ChapterStart) -> String {
    // Chapter ids are validated (letters, digits, `-`, `_`), so the id is safe in a string.
    format!(
        "#import \"/{TEMPLATE}\": report\n#report(json(\"/{BOOK_JSON}\"), only: (id: \"{id}\", physical: {}, page: {}, numbered: {}, image: {}, table: {}))\n",
        start.physical, start.page, start.numbered, start.image, start.table
    )
}

struct Assembler<'a> {
    ctx: &'a mut Ctx,
    data: &'a Data,
    lang: &'a Lang,
    theme: &'a Theme,
    cache: &'a charts::ChartCache,
    charts: BTreeMap<String, String>,
    chapter_json: BTreeMap<String, String>,
    images: BTreeMap<String, Vec<u8>>,
    placeholders: Vec<Placeholder>,
    /// Per chapter so far: its title and the indicators it shows or cites, in order.
    cited: Vec<(Rich, Vec<String>)>,
}

impl Assembler<'_> {
    fn book(&mut self, report: &Report) -> Book {
        let rloc = crate::manifest::Loc { file: PathBuf::from("report.toml"), span: 0..0 };
        let (data, lang) = (self.data, self.lang);
        let ctx = &mut *self.ctx;
        let title = lang.line(ctx, data, "report", "report", Field::Title, &rloc);
        let subtitle = lang.line_opt(ctx, data, "report", "report", Field::Subtitle);
        let short = lang
            .line_opt(ctx, data, "report", "report", Field::Short)
            .map_or_else(|| plain_text(&title), |s| plain_text(&s));
        // Looked up even when off, so a pack's label is checked (and not reported unused).
        let label = lang.line_opt(ctx, data, "report", "distribution-label", Field::Text);
        let distribution_label = match (report.distribution_label, label) {
            (true, Some(l)) => Some(plain_text(&l)),
            (true, None) => {
                ctx.push(
                    rloc.error("missing-text", "distribution_label = true but the pack has no label text")
                        .hint("add [distribution-label] text = \"...\" to the pack's report.toml"),
                );
                None
            }
            (false, _) => None,
        };
        let meta = Meta {
            id: report.id.clone(),
            lang: lang.typst_lang().to_string(),
            region: lang.region().map(str::to_string),
            title,
            subtitle,
            short,
            edition: report.edition,
            published: [report.published.0, report.published.1 as i32, report.published.2 as i32],
            page_size: report.page_size.clone(),
            distribution_label,
            authors: lang.names(ctx, "report", "authors").unwrap_or_default(),
            fonts: lang.fonts().to_vec(),
            output: "screen",
        };
        let ui = UI_KEYS.iter().map(|k| (*k, lang.ui(ctx, k))).collect();
        let sdgs = (1..=17u8)
            .map(|n| SdgOut {
                number: n,
                color: self.theme.goal_hex(n).to_string(),
                name: lang.ui(ctx, &format!("sdg-{n}")),
            })
            .collect();
        let mut parts = Vec::new();
        for part in &report.parts {
            let title = if part.opener {
                lang.line_opt(self.ctx, data, "report", &format!("part-{}", part.id), Field::Title)
            } else {
                None
            };
            if part.opener && title.is_none() {
                self.ctx.push(
                    Diagnostic::error("missing-text", format!("part `{}` has a title page but no title", part.id))
                        .in_file(format!("lang/{}/report.toml", report.default_language))
                        .hint(format!("add [part-{}] title = \"...\"", part.id)),
                );
            }
            let mut chapters = Vec::new();
            for c in &part.chapters {
                let out = self.chapter(c);
                let path = format!("chapters/{}.json", c.id);
                self.chapter_json.insert(path.clone(), serde_json::to_string(&out).expect("chapter serializes"));
                chapters.push(format!("/{path}"));
            }
            parts.push(PartOut { id: part.id.clone(), title, matter: part.matter, opener: part.opener, chapters });
        }
        let theme = ThemeOut { font: self.theme.font.clone(), neutral: self.theme.neutral.clone() };
        Book { meta, theme, ui, sdgs, parts }
    }

    fn chapter(&mut self, ch: &crate::manifest::Chapter) -> ChapterOut {
        let (data, lang) = (self.data, self.lang);
        let loc = crate::manifest::Loc { file: ch.file.clone(), span: 0..0 };
        let title = lang.line(self.ctx, data, &ch.id, "chapter", Field::Title, &loc);
        let statement = match ch.kind {
            ChapterKind::Sdg => Some(lang.line(self.ctx, data, &ch.id, "chapter", Field::Goal, &loc)),
            _ => None,
        };
        let color = match ch.goal {
            Some(g) => self.theme.goal_hex(g).to_string(),
            None => self.theme.neutral.clone(),
        };
        let mut measure = 0;
        let blocks: Vec<BlockOut> = if ch.kind == ChapterKind::Appendix {
            vec![self.appendix()]
        } else {
            ch.blocks.iter().map(|b| self.block(ch, b, &mut measure, &color)).collect()
        };
        self.warn_typed_numbers(ch, &blocks);
        self.cited.push((title.clone(), cited_ids(ch, &blocks)));
        ChapterOut { id: ch.id.clone(), kind: ch.kind, goal: ch.goal, color, title, statement, blocks }
    }

    fn block(&mut self, ch: &crate::manifest::Chapter, b: &Block, measure: &mut u32, color: &str) -> BlockOut {
        let (data, lang) = (self.data, self.lang);
        let file = ch.id.as_str();
        let loc = &b.loc;
        match &b.kind {
            BlockKind::Text { id } => BlockOut::Text { paras: lang.rich(self.ctx, data, file, id, Field::Text, loc) },
            BlockKind::Heading { id } => {
                BlockOut::Heading { text: lang.line(self.ctx, data, file, id, Field::Text, loc) }
            }
            BlockKind::Section { name } => BlockOut::Section { name: name.clone(), text: lang.ui(self.ctx, name) },
            BlockKind::Measure { id, number } => {
                *measure += 1;
                BlockOut::Measure {
                    number: number.unwrap_or(*measure),
                    text: lang.line(self.ctx, data, file, id, Field::Text, loc),
                }
            }
            BlockKind::Subheading { id } => {
                BlockOut::Subheading { text: lang.line(self.ctx, data, file, id, Field::Text, loc) }
            }
            BlockKind::Case { id } => BlockOut::Case {
                title: lang.line(self.ctx, data, file, id, Field::Title, loc),
                paras: lang.rich(self.ctx, data, file, id, Field::Text, loc),
            },
            BlockKind::Table { id, columns } => {
                let caption = lang.line(self.ctx, data, file, id, Field::Caption, loc);
                let (header, rows) = lang.table(self.ctx, data, file, id, loc);
                let note = lang.line_opt(self.ctx, data, file, id, Field::Note);
                if !columns.is_empty() && columns.len() != header.len() {
                    self.ctx.push(
                        loc.error(
                            "invalid-value",
                            format!(
                                "table `{id}` has {} column widths but {} header cells",
                                columns.len(),
                                header.len()
                            ),
                        )
                        .hint("give one width per column"),
                    );
                }
                BlockOut::Table { caption, columns: columns.clone(), header, rows, note }
            }
            BlockKind::Figure(f) => {
                let caption = lang.line(self.ctx, data, file, &f.id, Field::Caption, loc);
                let credit = lang.line_opt(self.ctx, data, file, &f.id, Field::Credit);
                let alt_text = lang.line_opt(self.ctx, data, file, &f.id, Field::Alt).map(|r| plain_text(&r));
                let (kind, path, alt) = match &f.source {
                    FigureSource::Image(p) => {
                        match self.prepare_image(p, f.width * crate::images::TEXT_WIDTH_MM, loc) {
                            Some(name) => ("image", Some(format!("/{name}")), alt_text),
                            None => ("placeholder", None, alt_text),
                        }
                    }
                    FigureSource::Chart(spec) if spec.kind == ChartKind::SdgGrid => ("sdg-grid", None, alt_text),
                    FigureSource::Chart(spec) => {
                        let title = plain_text(&caption);
                        let (path, described) = self.chart(ch, spec, color, &title);
                        ("chart", Some(path), alt_text.or(Some(described)))
                    }
                    FigureSource::Placeholder => {
                        self.placeholders.push(Placeholder {
                            chapter: ch.id.clone(),
                            figure: f.id.clone(),
                            caption: plain_text(&caption),
                        });
                        ("placeholder", None, alt_text)
                    }
                };
                let alt = alt.unwrap_or_else(|| {
                    self.ctx.push(loc.error("missing-text", format!("figure `{}` has no alt text", f.id)).hint(
                        format!(
                            "add alt = \"...\" to [{}] in lang/{}/{file}.toml: it is read to blind readers",
                            f.id,
                            lang.code()
                        ),
                    ));
                    String::new()
                });
                BlockOut::Figure(FigureOut {
                    id: f.id.clone(),
                    kind,
                    path,
                    aspect: f.aspect,
                    width: f.width,
                    caption,
                    credit,
                    alt,
                    reconstructed: f.caption_reconstructed,
                })
            }
            BlockKind::Indicators { id, tiles, charts } => {
                let title = lang.line(self.ctx, data, file, id, Field::Title, loc);
                let tiles = tiles.iter().map(|t| self.tile(file, t)).collect();
                let charts = charts
                    .iter()
                    .map(|spec| {
                        let title = lang.line_opt(self.ctx, data, file, &spec.id, Field::Title);
                        let title = title.unwrap_or_else(|| self.default_chart_title(spec));
                        let (path, alt) = self.chart(ch, spec, color, &plain_text(&title));
                        ChartOut { title, path, alt }
                    })
                    .collect();
                BlockOut::Indicators { id: id.clone(), chapter: ch.id.clone(), title, tiles, charts }
            }
            BlockKind::Pagebreak => BlockOut::Pagebreak,
        }
    }

    fn appendix(&mut self) -> BlockOut {
        let cited = std::mem::take(&mut self.cited);
        let mut groups = Vec::new();
        for (title, ids) in cited {
            let rows: Vec<AppendixRow> =
                ids.iter().filter_map(|id| self.data.get(id)).map(|ind| self.appendix_row(ind)).collect();
            if !rows.is_empty() {
                groups.push(AppendixGroup { title, rows });
            }
        }
        BlockOut::Appendix { groups }
    }

    fn appendix_row(&mut self, ind: &Indicator) -> AppendixRow {
        use crate::data::{Status, Value};
        let numbers = self.lang.numbers();
        let pending = self.lang.ui(self.ctx, "pending");
        let fmt = |v: &Value| match v {
            Value::Known(n) => ind.format(*n, numbers),
            Value::Pending => pending.clone(),
        };
        let value = match (&ind.value, ind.status) {
            (_, Status::Pending) => pending.clone(),
            (Some(v), _) => {
                let q = ind
                    .qualifier
                    .as_ref()
                    .map(|q| self.lang.ui(self.ctx, &format!("qualifier-{}", q.replace(' ', "-"))) + " ");
                format!("{}{}", q.unwrap_or_default(), fmt(v))
            }
            (None, _) => ind.series.iter().map(|(y, v)| format!("{y}: {}", fmt(v))).collect::<Vec<_>>().join("; "),
        };
        let status_key = match ind.status {
            Status::Reported => "status-reported",
            Status::Derived => "status-derived",
            Status::Pending => "status-pending",
        };
        AppendixRow {
            id: ind.id.clone(),
            title: self.indicator_title(ind),
            value,
            unit: self.indicator_unit(ind),
            date: self.indicator_date(ind).unwrap_or_default(),
            status: ind.status,
            status_text: self.lang.ui(self.ctx, status_key),
            source: self.lang.indicator_text(self.ctx, &ind.id, Field::Source).unwrap_or_else(|| ind.source.clone()),
        }
    }

    /// A number shown in a tile or chart but typed into the prose would not follow a change of
    /// the data: warn, pointing at the typed number in the pack file.
    fn warn_typed_numbers(&mut self, ch: &crate::manifest::Chapter, blocks: &[BlockOut]) {
        let mut shown: Vec<(String, &str)> = Vec::new();
        for b in &ch.blocks {
            let BlockKind::Indicators { tiles, charts, .. } = &b.kind else { continue };
            let ids = tiles
                .iter()
                .map(|t| t.data.as_str())
                .chain(charts.iter().flat_map(|c| c.data.iter().map(|(id, _)| id.as_str())));
            for id in ids {
                let Some(ind) = self.data.get(id) else { continue };
                let values = ind.value.iter().chain(ind.series.values());
                for v in values {
                    if let crate::data::Value::Known(n) = v {
                        let s = ind.format(*n, self.lang.numbers());
                        // Short numbers ("80") match too much ordinary text to be worth a warning.
                        if s.chars().filter(char::is_ascii_digit).count() >= 3 {
                            shown.push((s, &ind.id));
                        }
                    }
                }
            }
        }
        if shown.is_empty() {
            return;
        }
        let pack = PathBuf::from("lang").join(self.lang.code()).join(format!("{}.toml", ch.id));
        // Most prose has no three-digit number at all; skip it before searching for each.
        let prose =
            blocks.iter().flat_map(prose_runs).filter(|t| t.bytes().filter(u8::is_ascii_digit).nth(2).is_some());
        for text in prose {
            for (number, id) in &shown {
                if find_number(text, number).is_some() {
                    let span = self
                        .ctx
                        .sources
                        .get(&pack)
                        .and_then(|src| find_number(src, number))
                        .map(|i| i..i + number.len());
                    self.ctx.push(
                        Diagnostic::warning(
                            "typed-number",
                            format!("{number} is typed as text but is also shown from `{id}`"),
                        )
                        .at(&pack, span)
                        .hint(format!("write {{{id}}} so the sentence follows the data")),
                    );
                }
            }
        }
    }

    /// Runs a photo through the image pipeline; the prepared file is served from memory.
    fn prepare_image(&mut self, rel: &std::path::Path, placed_mm: f64, loc: &crate::manifest::Loc) -> Option<String> {
        let start = std::time::Instant::now();
        let cache = self.ctx.root.join("build/cache");
        let result = crate::images::prepare(&self.ctx.root.join(rel), placed_mm, &cache);
        self.ctx.timings.images += crate::ctx::ms(start);
        match result {
            Ok(p) => {
                if p.source_ppi < crate::images::MIN_PPI {
                    self.ctx.push(
                        Diagnostic::warning(
                            "low-resolution",
                            format!(
                                "{} prints at {:.0} ppi (under {:.0})",
                                rel.display(),
                                p.source_ppi,
                                crate::images::MIN_PPI
                            ),
                        )
                        .at(&loc.file, Some(loc.span.clone()))
                        .hint(format!(
                            "use a file at least {} pixels wide",
                            (placed_mm / 25.4 * crate::images::MIN_PPI).ceil()
                        )),
                    );
                }
                self.images.insert(p.name.clone(), p.bytes);
                Some(p.name)
            }
            Err(why) => {
                self.ctx.push(
                    loc.error("bad-image", format!("{} cannot be read: {why}", rel.display()))
                        .hint("use a PNG, JPEG, WebP or TIFF file"),
                );
                None
            }
        }
    }

    fn tile(&mut self, file: &str, t: &crate::manifest::Tile) -> TileOut {
        let (data, lang) = (self.data, self.lang);
        let value = lang.value_run(self.ctx, data, &t.data, t.year, &t.loc);
        let ind = data.get(&t.data);
        let label = lang
            .line_opt(self.ctx, data, file, &t.id, Field::Text)
            .unwrap_or_else(|| vec![Run::Text { s: ind.map(|i| self.indicator_title(i)).unwrap_or_default() }]);
        TileOut {
            value,
            unit: ind.map(|i| self.indicator_unit(i)).unwrap_or_default(),
            qualifier: ind
                .and_then(|i| i.qualifier.as_ref())
                .map(|q| lang.ui(self.ctx, &format!("qualifier-{}", q.replace(' ', "-")))),
            label,
            date: ind.and_then(|i| self.indicator_date(i)).or(t.year.map(|y| y.to_string())),
        }
    }

    fn indicator_title(&mut self, i: &Indicator) -> String {
        self.lang.indicator_text(self.ctx, &i.id, Field::Title).unwrap_or_else(|| i.title.clone())
    }

    /// The indicator's date (or year) in this language.
    fn indicator_date(&mut self, i: &Indicator) -> Option<String> {
        match &i.date {
            Some(d) => Some(self.lang.indicator_text(self.ctx, &i.id, Field::Date).unwrap_or_else(|| d.clone())),
            None => i.year.map(|y| y.to_string()),
        }
    }

    fn indicator_unit(&mut self, i: &Indicator) -> String {
        self.lang.indicator_text(self.ctx, &i.id, Field::Unit).unwrap_or_else(|| i.unit.clone())
    }

    fn default_chart_title(&mut self, spec: &ChartSpec) -> Rich {
        let s = spec
            .data
            .first()
            .and_then(|(id, _)| self.data.get(id))
            .map(|i| self.indicator_title(i))
            .unwrap_or_default();
        vec![Run::Text { s }]
    }

    /// Draws one chart; returns its virtual path and a description of its data.
    fn chart(&mut self, ch: &crate::manifest::Chapter, spec: &ChartSpec, color: &str, title: &str) -> (String, String) {
        let path = format!("charts/{}-{}.svg", ch.id, spec.id);
        let mut series = Vec::new();
        // A pair chart compares series; bar and line charts show one series, or compare
        // several single values.
        let compare_values = spec.kind != ChartKind::Pair && spec.data.len() > 1;
        for (id, loc) in &spec.data {
            match self.data.lookup(id, loc) {
                Ok(ind) if !compare_values && ind.series.is_empty() => self.ctx.push(
                    loc.error("invalid-reference", format!("`{id}` has no series to chart"))
                        .hint("give it `series = { 2019 = ..., 2020 = ... }`, or compare several single values in one bar chart"),
                ),
                Ok(ind) if compare_values && !ind.series.is_empty() => self.ctx.push(
                    loc.error("invalid-reference", format!("`{id}` is a series; this chart compares single values"))
                        .hint("chart a series on its own, or use kind = \"pair\" to compare series"),
                ),
                Ok(ind) => {
                    let label = match &ind.short {
                        Some(s) => self.lang.indicator_text(self.ctx, &ind.id, Field::Short).unwrap_or_else(|| s.clone()),
                        None => self.indicator_title(ind),
                    };
                    series.push((ind, label));
                }
                Err(d) => self.ctx.push(d),
            }
        }
        if series.is_empty() {
            return (format!("/{path}"), String::new());
        }
        // Compared single values with equal names say nothing apart: label them by date.
        if compare_values && series.windows(2).all(|w| w[0].1 == w[1].1) {
            for (ind, label) in &mut series {
                if let Some(d) = self.indicator_date(ind) {
                    *label = d;
                }
            }
        }
        let pending = self.lang.ui(self.ctx, "pending");
        let input = ChartInput {
            kind: spec.kind,
            series,
            color: charts::parse_hex(color).unwrap_or(plotters::style::RGBColor(0x33, 0x33, 0x33)),
            numbers: self.lang.numbers(),
            pending_word: &pending,
            font: &self.theme.font,
        };
        let alt = charts::describe(&input, title);
        let start = std::time::Instant::now();
        match self.cache.draw(&input) {
            Ok(svg) => {
                self.charts.insert(path.clone(), svg);
            }
            Err(e) => self.ctx.push(spec.loc.error("chart", e)),
        }
        self.ctx.timings.charts += crate::ctx::ms(start);
        (format!("/{path}"), alt)
    }
}

/// Indicators a chapter shows (tiles, charts) or cites (references), first use first.
fn cited_ids(ch: &crate::manifest::Chapter, blocks: &[BlockOut]) -> Vec<String> {
    let mut ids: Vec<String> = Vec::new();
    let mut add = |id: &str| {
        if !ids.iter().any(|i| i == id) {
            ids.push(id.to_string());
        }
    };
    for (b, out) in ch.blocks.iter().zip(blocks) {
        if let BlockKind::Indicators { tiles, charts, .. } = &b.kind {
            tiles.iter().for_each(|t| add(&t.data));
            charts.iter().flat_map(|c| &c.data).for_each(|(id, _)| add(id));
        }
        if let BlockKind::Figure(crate::manifest::Figure { source: FigureSource::Chart(c), .. }) = &b.kind {
            c.data.iter().for_each(|(id, _)| add(id));
        }
        for run in block_runs(out) {
            if let Run::Value { id, .. } | Run::Pending { id, .. } = run {
                add(id);
            }
        }
    }
    ids
}

/// Every run of text a block prints, in reading order.
fn block_runs(b: &BlockOut) -> Box<dyn Iterator<Item = &Run> + '_> {
    match b {
        BlockOut::Text { paras } => Box::new(paras.iter().flatten()),
        BlockOut::Heading { text } | BlockOut::Measure { text, .. } | BlockOut::Subheading { text } => {
            Box::new(text.iter())
        }
        BlockOut::Case { title, paras } => Box::new(title.iter().chain(paras.iter().flatten())),
        BlockOut::Figure(f) => Box::new(f.caption.iter().chain(f.credit.iter().flatten())),
        BlockOut::Table { caption, header, rows, note, .. } => Box::new(
            caption
                .iter()
                .chain(header.iter().flatten())
                .chain(rows.iter().flatten().flatten())
                .chain(note.iter().flatten()),
        ),
        BlockOut::Indicators { title, tiles, charts, .. } => Box::new(
            title
                .iter()
                .chain(tiles.iter().flat_map(|t| std::iter::once(&t.value).chain(&t.label)))
                .chain(charts.iter().flat_map(|c| &c.title)),
        ),
        BlockOut::Section { .. } | BlockOut::Pagebreak | BlockOut::Appendix { .. } => Box::new(std::iter::empty()),
    }
}

/// The plain-text runs of body prose (not tiles, captions or tables).
fn prose_runs(b: &BlockOut) -> Vec<&str> {
    let runs: Vec<&Run> = match b {
        BlockOut::Text { paras } | BlockOut::Case { paras, .. } => paras.iter().flatten().collect(),
        _ => Vec::new(),
    };
    runs.into_iter().filter_map(|r| if let Run::Text { s } = r { Some(s.as_str()) } else { None }).collect()
}

/// Where `number` occurs in `text` as a whole number (not inside a longer one).
fn find_number(text: &str, number: &str) -> Option<usize> {
    let part_of_number = |c: Option<char>| c.is_some_and(|c| c.is_ascii_digit() || c == ',' || c == '.');
    text.match_indices(number).map(|(i, _)| i).find(|&i| {
        let before = text[..i].chars().next_back();
        let after = text[i + number.len()..].chars().next();
        // A trailing full stop ends the sentence; any other digit-ish neighbour extends the number.
        let after_digit = after.is_some_and(|c| c.is_ascii_digit())
            || (after == Some(',') && text[i + number.len() + 1..].starts_with(|c: char| c.is_ascii_digit()));
        !part_of_number(before)
            && !after_digit
            && !(after == Some('.') && text[i + number.len() + 1..].starts_with(|c: char| c.is_ascii_digit()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_numbers_are_found_as_whole_numbers() {
        assert!(find_number("about 424,000 NEVs.", "424,000").is_some());
        assert!(find_number("rose to 424,000.", "424,000").is_some());
        assert!(!find_number("about 1,424,000 NEVs", "424,000").is_some());
        assert!(!find_number("about 424,0001", "424,000").is_some());
        assert!(!find_number("571.456", "571.45").is_some());
        assert!(find_number("(571.45)", "571.45").is_some());
    }
}
