//! Stage 1: load and validate `report.toml` and `chapters/*.toml`.
//!
//! Files are parsed into `Raw*` structs that mirror the TOML exactly (`deny_unknown_fields`,
//! spans kept), then validated in one place into the typed model the later stages use.
//! Manifests hold structure only; every word lives in the language packs.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use crate::ctx::{Ctx, is_valid_id, project_relative};
use crate::diag::Diagnostic;

// ---------------------------------------------------------------------------------------------
// The typed model.

#[derive(Debug, Clone)]
pub struct Report {
    pub id: String,
    pub edition: i32,
    /// `YYYY-MM-DD`; the document date, so builds never depend on the clock.
    pub published: (i32, u8, u8),
    pub languages: Vec<String>,
    pub default_language: String,
    pub page_size: String,
    pub distribution_label: bool,
    pub parts: Vec<Part>,
}

#[derive(Debug, Clone)]
pub struct Part {
    pub id: String,
    pub matter: Matter,
    /// Whether the part gets a title page of its own.
    pub opener: bool,
    pub chapters: Vec<Chapter>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Matter {
    Front,
    Main,
    Back,
}

#[derive(Debug, Clone)]
pub struct Chapter {
    pub id: String,
    pub file: PathBuf,
    pub kind: ChapterKind,
    pub goal: Option<u8>,
    pub blocks: Vec<Block>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ChapterKind {
    /// Unnumbered pages before the main matter (profile pages).
    Front,
    /// A plain chapter with a title (Introduction).
    Chapter,
    /// An SDG chapter with a goal opener.
    Sdg,
    /// The data appendix: generated from the indicators the chapters before it cite.
    Appendix,
}

/// Where a manifest item sits, for diagnostics raised by later stages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Loc {
    pub file: PathBuf,
    pub span: Range<usize>,
}

impl Loc {
    pub fn error(&self, code: &'static str, message: impl Into<String>) -> Diagnostic {
        Diagnostic::error(code, message).at(&self.file, Some(self.span.clone()))
    }
}

#[derive(Debug, Clone)]
pub struct Block {
    pub loc: Loc,
    pub kind: BlockKind,
}

#[derive(Debug, Clone)]
pub enum BlockKind {
    Text {
        id: String,
    },
    Heading {
        id: String,
    },
    Section {
        name: String,
    },
    Measure {
        id: String,
        number: Option<u32>,
    },
    Subheading {
        id: String,
    },
    Case {
        id: String,
    },
    Figure(Figure),
    /// `columns`: relative column widths (empty = equal).
    Table {
        id: String,
        columns: Vec<f64>,
    },
    Indicators {
        id: String,
        tiles: Vec<Tile>,
        charts: Vec<ChartSpec>,
    },
    Pagebreak,
}

#[derive(Debug, Clone)]
pub struct Figure {
    pub id: String,
    pub source: FigureSource,
    /// Width / height of the frame (placeholders) or of the image box.
    pub aspect: f64,
    /// Printed width as a fraction of the text width.
    pub width: f64,
    pub caption_reconstructed: bool,
}

#[derive(Debug, Clone)]
pub enum FigureSource {
    Image(PathBuf),
    Chart(ChartSpec),
    /// A photo we do not have: a frame with the caption, listed by the build.
    Placeholder,
}

#[derive(Debug, Clone)]
pub struct Tile {
    pub id: String,
    pub data: String,
    pub year: Option<i32>,
    pub loc: Loc,
}

#[derive(Debug, Clone)]
pub struct ChartSpec {
    pub id: String,
    pub kind: ChartKind,
    pub data: Vec<(String, Loc)>,
    pub loc: Loc,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChartKind {
    Bar,
    Line,
    /// Grouped bars: first vs last year of each series (e.g. 2015 vs 2020).
    Pair,
    /// The 17 SDG tiles in their official colours.
    SdgGrid,
}

impl Block {
    /// The pack key of this block's text, if it has one.
    pub fn text_id(&self) -> Option<&str> {
        match &self.kind {
            BlockKind::Text { id }
            | BlockKind::Heading { id }
            | BlockKind::Measure { id, .. }
            | BlockKind::Subheading { id }
            | BlockKind::Case { id }
            | BlockKind::Table { id, .. }
            | BlockKind::Indicators { id, .. } => Some(id),
            BlockKind::Figure(f) => Some(&f.id),
            BlockKind::Section { .. } | BlockKind::Pagebreak => None,
        }
    }
}

impl Report {
    pub fn chapters(&self) -> impl Iterator<Item = &Chapter> {
        self.parts.iter().flat_map(|p| p.chapters.iter())
    }
}

// ---------------------------------------------------------------------------------------------
// The files as written.

#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawReport {
    id: Spanned<String>,
    edition: i32,
    published: Spanned<toml::value::Datetime>,
    languages: Spanned<Vec<String>>,
    default_language: Spanned<String>,
    page_size: Spanned<String>,
    #[serde(default)]
    distribution_label: bool,
    parts: Vec<RawPart>,
}

#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPart {
    id: Spanned<String>,
    matter: Matter,
    #[serde(default)]
    opener: bool,
    chapters: Vec<Spanned<String>>,
}

#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawChapter {
    kind: ChapterKind,
    goal: Option<Spanned<u8>>,
    #[serde(default)]
    blocks: Vec<Spanned<RawBlock>>,
}

#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBlock {
    #[serde(rename = "type")]
    kind: Spanned<String>,
    id: Option<Spanned<String>>,
    name: Option<Spanned<String>>,
    number: Option<Spanned<u32>>,
    aspect: Option<Spanned<f64>>,
    width: Option<Spanned<f64>>,
    image: Option<Spanned<String>>,
    chart: Option<Spanned<RawChart>>,
    caption_reconstructed: Option<bool>,
    tiles: Option<Vec<Spanned<RawTile>>>,
    charts: Option<Vec<Spanned<RawChart>>>,
    columns: Option<Spanned<Vec<f64>>>,
}

#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTile {
    id: Spanned<String>,
    data: Spanned<String>,
    year: Option<i32>,
}

#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawChart {
    id: Option<Spanned<String>>,
    kind: Spanned<String>,
    #[serde(default)]
    data: Vec<Spanned<String>>,
}

/// Figures print at this fraction of the text width unless the manifest says `width`.
pub const DEFAULT_FIGURE_WIDTH: f64 = 0.82;

pub const PAGE_SIZES: &[&str] = &["a4", "a5", "us-letter"];
pub const SECTION_NAMES: &[&str] = &["key-indicators", "work-overview", "main-progress", "specific-measures"];
const BLOCK_TYPES: &str = "text, heading, section, measure, subheading, case, figure, table, indicators, pagebreak";

// ---------------------------------------------------------------------------------------------
// Loading and validation.

pub fn load(ctx: &mut Ctx) -> Option<Report> {
    let file = PathBuf::from("report.toml");
    let raw: RawReport = ctx.read_toml(&file)?;
    let at = |span: Range<usize>| Loc { file: file.clone(), span };

    if !is_valid_id(raw.id.get_ref(), &['-']) {
        ctx.push(at(raw.id.span()).error(
            "invalid-id",
            format!("report id `{}` must be lowercase letters, digits and `-`", raw.id.get_ref()),
        ));
    }
    let published = match date_parts(raw.published.get_ref()) {
        Some(d) => d,
        None => {
            ctx.push(at(raw.published.span()).error("invalid-date", "`published` must be a date like 2021-10-31"));
            (raw.edition, 1, 1)
        }
    };
    if !PAGE_SIZES.contains(&raw.page_size.get_ref().as_str()) {
        ctx.push(
            at(raw.page_size.span())
                .error("invalid-value", format!("unknown page size `{}`", raw.page_size.get_ref()))
                .hint(format!("use one of: {}", PAGE_SIZES.join(", "))),
        );
    }
    if raw.languages.get_ref().is_empty() {
        ctx.push(at(raw.languages.span()).error("invalid-value", "`languages` must list at least one language pack"));
    }
    if !raw.languages.get_ref().contains(raw.default_language.get_ref()) {
        ctx.push(
            at(raw.default_language.span())
                .error(
                    "invalid-value",
                    format!("default language `{}` is not in `languages`", raw.default_language.get_ref()),
                )
                .hint("add it to `languages`"),
        );
    }

    let mut seen_parts = BTreeSet::new();
    let mut seen_chapters = BTreeMap::new();
    let mut parts = Vec::new();
    for rp in raw.parts {
        if !seen_parts.insert(rp.id.get_ref().clone()) {
            ctx.push(at(rp.id.span()).error("duplicate-id", format!("part `{}` is defined twice", rp.id.get_ref())));
        }
        let mut chapters = Vec::new();
        for ch in rp.chapters {
            let id = ch.get_ref().clone();
            if !is_valid_id(&id, &['-']) {
                ctx.push(
                    at(ch.span())
                        .error("invalid-id", format!("chapter id `{id}` must be lowercase letters, digits and `-`")),
                );
                continue;
            }
            if seen_chapters.insert(id.clone(), ()).is_some() {
                ctx.push(at(ch.span()).error("duplicate-id", format!("chapter `{id}` is listed twice")));
                continue;
            }
            let path = PathBuf::from("chapters").join(format!("{id}.toml"));
            if !ctx.root.join(&path).is_file() {
                ctx.push(
                    at(ch.span())
                        .error("missing-file", format!("chapter `{id}` has no manifest"))
                        .hint(format!("create {} or remove the chapter from this list", path.display())),
                );
                continue;
            }
            if let Some(chapter) = load_chapter(ctx, &id, &path) {
                chapters.push(chapter);
            }
        }
        parts.push(Part { id: rp.id.into_inner(), matter: rp.matter, opener: rp.opener, chapters });
    }

    Some(Report {
        id: raw.id.into_inner(),
        edition: raw.edition,
        published,
        languages: raw.languages.into_inner(),
        default_language: raw.default_language.into_inner(),
        page_size: raw.page_size.into_inner(),
        distribution_label: raw.distribution_label,
        parts,
    })
}

/// Raster images must decode (checked from their header); SVG is left to Typst.
fn decodable(path: &Path) -> Result<(), String> {
    if path.extension().is_some_and(|e| e.eq_ignore_ascii_case("svg")) {
        return Ok(());
    }
    let reader = image::ImageReader::open(path).and_then(|r| r.with_guessed_format()).map_err(|e| e.to_string())?;
    if reader.format().is_none() {
        return Err("not a PNG, JPEG, WebP or TIFF image".into());
    }
    reader.into_dimensions().map(|_| ()).map_err(|e| e.to_string())
}

fn date_parts(d: &toml::value::Datetime) -> Option<(i32, u8, u8)> {
    match (d.date, d.time) {
        (Some(date), None) => Some((date.year as i32, date.month, date.day)),
        _ => None,
    }
}

fn load_chapter(ctx: &mut Ctx, id: &str, file: &Path) -> Option<Chapter> {
    let raw: RawChapter = ctx.read_toml(file)?;
    let goal = match (raw.kind, raw.goal) {
        (ChapterKind::Sdg, Some(g)) if (1..=17).contains(g.get_ref()) => Some(*g.get_ref()),
        (ChapterKind::Sdg, Some(g)) => {
            ctx.push(
                Diagnostic::error("invalid-value", format!("goal {} does not exist", g.get_ref()))
                    .at(file, Some(g.span()))
                    .hint("SDGs are numbered 1 to 17"),
            );
            None
        }
        (ChapterKind::Sdg, None) => {
            ctx.push(Diagnostic::error("missing-field", "an SDG chapter needs `goal = N`").in_file(file));
            None
        }
        (_, Some(g)) => {
            ctx.push(
                Diagnostic::error("invalid-field", "`goal` is only allowed when kind = \"sdg\"")
                    .at(file, Some(g.span())),
            );
            None
        }
        (_, None) => None,
    };
    if raw.kind == ChapterKind::Appendix && !raw.blocks.is_empty() {
        ctx.push(
            Diagnostic::error("invalid-field", "the data appendix is generated: it takes no blocks")
                .at(file, Some(raw.blocks[0].span()))
                .hint("remove the [[blocks]] tables"),
        );
    }
    let mut ids = BTreeMap::<String, ()>::new();
    let mut blocks = Vec::new();
    for rb in raw.blocks {
        let span = rb.span();
        if let Some(block) = validate_block(ctx, file, span, rb.into_inner(), &mut ids) {
            blocks.push(block);
        }
    }
    Some(Chapter { id: id.to_string(), file: file.to_path_buf(), kind: raw.kind, goal, blocks })
}

struct BlockCheck<'a> {
    ctx: &'a mut Ctx,
    file: &'a Path,
    ty: String,
    ids: &'a mut BTreeMap<String, ()>,
}

impl BlockCheck<'_> {
    fn loc(&self, span: Range<usize>) -> Loc {
        Loc { file: self.file.to_path_buf(), span }
    }

    fn err(&mut self, span: Range<usize>, code: &'static str, msg: impl Into<String>, hint: Option<String>) {
        let mut d = self.loc(span).error(code, msg);
        if let Some(h) = hint {
            d = d.hint(h);
        }
        self.ctx.push(d);
    }

    /// A fresh id: well formed and not used before in this chapter.
    fn id(&mut self, id: Option<Spanned<String>>, block_span: &Range<usize>) -> Option<String> {
        let Some(id) = id else {
            let ty = self.ty.clone();
            self.err(
                block_span.clone(),
                "missing-field",
                format!("a `{ty}` block needs an `id`"),
                Some("add `id = \"...\"`: it names the block's text in the language packs".into()),
            );
            return None;
        };
        self.claim(&id)
    }

    fn claim(&mut self, id: &Spanned<String>) -> Option<String> {
        let s = id.get_ref();
        if !is_valid_id(s, &['-']) {
            self.err(id.span(), "invalid-id", format!("id `{s}` must be lowercase letters, digits and `-`"), None);
            return None;
        }
        if self.ids.insert(s.clone(), ()).is_some() {
            self.err(
                id.span(),
                "duplicate-id",
                format!("id `{s}` is used twice in this chapter"),
                Some("ids name texts in the language packs, so each must be unique".into()),
            );
            return None;
        }
        Some(s.clone())
    }

    fn forbid<T>(&mut self, field: &str, value: &Option<Spanned<T>>) {
        if let Some(v) = value {
            let ty = self.ty.clone();
            self.err(
                v.span(),
                "invalid-field",
                format!("`{field}` is not allowed in a `{ty}` block"),
                Some("remove it".into()),
            );
        }
    }

    fn chart(&mut self, raw: Spanned<RawChart>, default_id: Option<&str>) -> Option<ChartSpec> {
        let span = raw.span();
        let raw = raw.into_inner();
        let id = match (&raw.id, default_id) {
            (Some(id), _) => self.claim(id)?,
            (None, Some(d)) => d.to_string(),
            (None, None) => {
                self.err(
                    span,
                    "missing-field",
                    "a chart in a key-indicator panel needs an `id`",
                    Some("add `id = \"...\"`: it names the chart's title in the language packs".into()),
                );
                return None;
            }
        };
        let kind = match raw.kind.get_ref().as_str() {
            "bar" => ChartKind::Bar,
            "line" => ChartKind::Line,
            "pair" => ChartKind::Pair,
            "sdg-grid" => ChartKind::SdgGrid,
            other => {
                self.err(
                    raw.kind.span(),
                    "invalid-value",
                    format!("unknown chart kind `{other}`"),
                    Some("use one of: bar, line, pair, sdg-grid".into()),
                );
                return None;
            }
        };
        if kind != ChartKind::SdgGrid && raw.data.is_empty() {
            self.err(span, "missing-field", "a chart needs `data = [\"group.indicator\", ...]`", None);
            return None;
        }
        let data = raw.data.into_iter().map(|d| (d.get_ref().clone(), self.loc(d.span()))).collect();
        Some(ChartSpec { id, kind, data, loc: self.loc(span) })
    }
}

fn validate_block(
    ctx: &mut Ctx,
    file: &Path,
    span: Range<usize>,
    raw: RawBlock,
    ids: &mut BTreeMap<String, ()>,
) -> Option<Block> {
    let ty = raw.kind.get_ref().clone();
    let mut c = BlockCheck { ctx, file, ty: ty.clone(), ids };
    let loc = c.loc(span.clone());

    // Fields that only some block types take.
    if ty != "section" {
        c.forbid("name", &raw.name);
    }
    if ty != "measure" {
        c.forbid("number", &raw.number);
    }
    if ty != "figure" {
        c.forbid("aspect", &raw.aspect);
        c.forbid("width", &raw.width);
        c.forbid("image", &raw.image);
        c.forbid("chart", &raw.chart);
    }
    if ty != "table" {
        c.forbid("columns", &raw.columns);
    }
    if ty != "indicators" && (raw.tiles.is_some() || raw.charts.is_some()) {
        c.err(
            span.clone(),
            "invalid-field",
            format!("`tiles` and `charts` are only allowed in an `indicators` block, not `{ty}`"),
            None,
        );
    }

    let kind = match ty.as_str() {
        "text" => BlockKind::Text { id: c.id(raw.id, &span)? },
        "heading" => BlockKind::Heading { id: c.id(raw.id, &span)? },
        "subheading" => BlockKind::Subheading { id: c.id(raw.id, &span)? },
        "case" => BlockKind::Case { id: c.id(raw.id, &span)? },
        "table" => {
            let id = c.id(raw.id, &span)?;
            let columns = raw.columns.map(|c| c.into_inner()).unwrap_or_default();
            if columns.iter().any(|w| !(*w > 0.0 && w.is_finite())) {
                c.err(
                    span,
                    "invalid-value",
                    "column widths must be positive",
                    Some("e.g. columns = [1, 3]: the second column three times as wide".into()),
                );
                return None;
            }
            BlockKind::Table { id, columns }
        }
        "measure" => BlockKind::Measure { id: c.id(raw.id, &span)?, number: raw.number.map(|n| *n.get_ref()) },
        "pagebreak" => {
            c.forbid("id", &raw.id);
            BlockKind::Pagebreak
        }
        "section" => {
            c.forbid("id", &raw.id);
            let Some(name) = raw.name else {
                c.err(
                    span,
                    "missing-field",
                    "a `section` block needs `name`",
                    Some(format!("use one of: {}", SECTION_NAMES.join(", "))),
                );
                return None;
            };
            if !SECTION_NAMES.contains(&name.get_ref().as_str()) {
                c.err(
                    name.span(),
                    "invalid-value",
                    format!("unknown section `{}`", name.get_ref()),
                    Some(format!("use one of: {}, or a `heading` block for a free heading", SECTION_NAMES.join(", "))),
                );
                return None;
            }
            BlockKind::Section { name: name.into_inner() }
        }
        "figure" => {
            let id = c.id(raw.id, &span)?;
            let source = match (raw.image, raw.chart) {
                (Some(_), Some(chart)) => {
                    c.err(chart.span(), "invalid-field", "a figure has either `image` or `chart`, not both", None);
                    return None;
                }
                (Some(image), None) => match project_relative(image.get_ref()) {
                    Ok(rel) => {
                        // A bad image is reported here once; the figure then stays a frame.
                        if !c.ctx.root.join(&rel).is_file() {
                            c.err(image.span(), "missing-file", format!("image `{}` does not exist", image.get_ref()), Some("add the file, fix the path (relative to the project root), or remove `image` to print a placeholder frame".into()));
                            FigureSource::Placeholder
                        } else if let Err(why) = decodable(&c.ctx.root.join(&rel)) {
                            c.err(
                                image.span(),
                                "bad-image",
                                format!("image `{}` cannot be read: {why}", image.get_ref()),
                                Some("use a PNG, JPEG, WebP, TIFF or SVG file".into()),
                            );
                            FigureSource::Placeholder
                        } else {
                            FigureSource::Image(rel)
                        }
                    }
                    Err(why) => {
                        c.err(
                            image.span(),
                            "path-outside-project",
                            format!("image path `{}` is not allowed: {why}", image.get_ref()),
                            Some("put the file under figures/ and give its path relative to the project root".into()),
                        );
                        return None;
                    }
                },
                (None, Some(chart)) => FigureSource::Chart(c.chart(chart, Some(&id))?),
                (None, None) => FigureSource::Placeholder,
            };
            let aspect = match raw.aspect {
                Some(a) if *a.get_ref() > 0.1 && *a.get_ref() < 10.0 => *a.get_ref(),
                Some(a) => {
                    c.err(
                        a.span(),
                        "invalid-value",
                        format!("aspect {} is out of range", a.get_ref()),
                        Some("aspect is width / height, between 0.1 and 10 (1.5 for a landscape photo)".into()),
                    );
                    1.5
                }
                None => 1.5,
            };
            let width = match raw.width {
                Some(w) if *w.get_ref() >= 0.1 && *w.get_ref() <= 1.0 => *w.get_ref(),
                Some(w) => {
                    c.err(
                        w.span(),
                        "invalid-value",
                        format!("width {} is out of range", w.get_ref()),
                        Some("width is a fraction of the text width, from 0.1 to 1 (0.5 for half)".into()),
                    );
                    DEFAULT_FIGURE_WIDTH
                }
                None => DEFAULT_FIGURE_WIDTH,
            };
            BlockKind::Figure(Figure {
                id,
                source,
                aspect,
                width,
                caption_reconstructed: raw.caption_reconstructed.unwrap_or(false),
            })
        }
        "indicators" => {
            let id = c.id(raw.id, &span)?;
            if raw.tiles.as_ref().is_none_or(Vec::is_empty) && raw.charts.as_ref().is_none_or(Vec::is_empty) {
                c.err(span.clone(), "missing-field", "a key-indicator panel needs `tiles` or `charts`", None);
            }
            let mut tiles = Vec::new();
            for t in raw.tiles.unwrap_or_default() {
                let t = t.into_inner();
                if let Some(tid) = c.claim(&t.id) {
                    tiles.push(Tile {
                        id: tid,
                        data: t.data.get_ref().clone(),
                        year: t.year,
                        loc: c.loc(t.data.span()),
                    });
                }
            }
            let mut charts = Vec::new();
            for ch in raw.charts.unwrap_or_default() {
                if let Some(chart) = c.chart(ch, None) {
                    charts.push(chart);
                }
            }
            BlockKind::Indicators { id, tiles, charts }
        }
        other => {
            c.err(
                raw.kind.span(),
                "invalid-value",
                format!("unknown block type `{other}`"),
                Some(format!("use one of: {BLOCK_TYPES}")),
            );
            return None;
        }
    };
    Some(Block { loc, kind })
}
