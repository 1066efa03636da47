//! The blocks of a chapter manifest (`[[blocks]]` with a `type`), one raw struct per block
//! type, so an unknown field lists only the fields of that type.
//!
//! Block, chart and figure kinds are types; their names in the files come from one table each.

use std::collections::BTreeSet;
use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde::de::DeserializeOwned;
use toml::Spanned;
use toml::de::{DeTable, DeValue, ValueDeserializer};

use crate::ctx::Ctx;
use crate::diag::{Code, Diagnostic, Diagnostics, Loc};
use crate::files::{is_valid_id, project_relative, toml_error};

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
    /// A section of the project's own: its heading is the pack's word `name` (ui.toml).
    Section {
        name: String,
        loc: Loc,
    },
    /// `number` only to reproduce a published slip; otherwise numbered in order.
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

    /// The charts this block draws: a chart figure's, or a panel's.
    pub fn charts(&self) -> Vec<&ChartSpec> {
        match &self.kind {
            BlockKind::Indicators { charts, .. } => charts.iter().collect(),
            BlockKind::Figure(Figure { source: FigureSource::Chart(c), .. }) => vec![c],
            _ => Vec::new(),
        }
    }
}

/// The block types, by the name a manifest gives them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockType {
    Text,
    Heading,
    Section,
    Measure,
    Subheading,
    Case,
    Figure,
    Table,
    Indicators,
    Pagebreak,
}

impl BlockType {
    const ALL: [(&'static str, BlockType); 10] = [
        ("text", BlockType::Text),
        ("heading", BlockType::Heading),
        ("section", BlockType::Section),
        ("measure", BlockType::Measure),
        ("subheading", BlockType::Subheading),
        ("case", BlockType::Case),
        ("figure", BlockType::Figure),
        ("table", BlockType::Table),
        ("indicators", BlockType::Indicators),
        ("pagebreak", BlockType::Pagebreak),
    ];

    fn parse(name: &str) -> Option<Self> {
        Self::ALL.iter().find(|(n, _)| *n == name).map(|(_, t)| *t)
    }

    pub fn name(self) -> &'static str {
        Self::ALL.iter().find(|(_, t)| *t == self).map_or("", |(n, _)| n)
    }

    fn names() -> String {
        Self::ALL.iter().map(|(n, _)| *n).collect::<Vec<_>>().join(", ")
    }
}

#[derive(Debug, Clone)]
pub struct Figure {
    pub id: String,
    pub source: FigureSource,
    /// Width / height of the frame (placeholders) or of the image box.
    pub aspect: f64,
    /// Printed width as a fraction of the text width (the theme's default when not given).
    pub width: Option<f64>,
    pub caption_reconstructed: bool,
}

#[derive(Debug, Clone)]
pub enum FigureSource {
    /// A project file (checked to exist, stay inside the project and decode by the validation).
    Image {
        path: PathBuf,
        loc: Loc,
    },
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ChartKind {
    Bar,
    Line,
    /// Grouped bars: first vs last year of each series (e.g. 2015 vs 2020).
    Pair,
    /// The 17 SDG tiles in their official colours.
    SdgGrid,
}

impl ChartKind {
    const ALL: [(&'static str, ChartKind); 4] = [
        ("bar", ChartKind::Bar),
        ("line", ChartKind::Line),
        ("pair", ChartKind::Pair),
        ("sdg-grid", ChartKind::SdgGrid),
    ];

    fn parse(name: &str) -> Option<Self> {
        Self::ALL.iter().find(|(n, _)| *n == name).map(|(_, k)| *k)
    }

    fn names() -> String {
        Self::ALL.iter().map(|(n, _)| *n).collect::<Vec<_>>().join(", ")
    }
}

// ---------------------------------------------------------------------------------------------
// The files as written.

#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct WithId {
    id: Option<Spanned<String>>,
}

#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSection {
    name: Option<Spanned<String>>,
}

#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMeasure {
    id: Option<Spanned<String>>,
    number: Option<Spanned<u32>>,
}

#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFigure {
    id: Option<Spanned<String>>,
    aspect: Option<Spanned<f64>>,
    width: Option<Spanned<f64>>,
    image: Option<Spanned<String>>,
    chart: Option<Spanned<RawChart>>,
    caption_reconstructed: Option<bool>,
}

#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTable {
    id: Option<Spanned<String>>,
    columns: Option<Spanned<Vec<f64>>>,
}

#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawIndicators {
    id: Option<Spanned<String>>,
    tiles: Option<Vec<Spanned<RawTile>>>,
    charts: Option<Vec<Spanned<RawChart>>>,
}

#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPagebreak {}

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

/// One block as written: its type and the fields that type takes.
#[derive(Clone)]
pub struct RawBlock {
    pub span: Range<usize>,
    ty: BlockType,
    fields: RawFields,
}

#[derive(Clone)]
enum RawFields {
    Id(WithId),
    Section(RawSection),
    Measure(RawMeasure),
    Figure(RawFigure),
    Table(RawTable),
    Indicators(RawIndicators),
    Pagebreak,
    /// A block whose type or fields are wrong: reported by [`validate`] on every load.
    Invalid(Box<Diagnostic>),
}

/// Parses a chapter manifest: its head (`kind`, `goal`) as `H`, and every block by its type.
/// A file that is not TOML, or whose head is wrong, fails; a wrong block is kept as
/// [`RawFields::Invalid`], so the other blocks are still checked.
pub fn parse_chapter<H: DeserializeOwned>(
    diags: &mut Diagnostics,
    file: &Path,
    text: &str,
) -> Option<(H, Vec<RawBlock>)> {
    let mut table = match DeTable::parse(text) {
        Ok(t) => t,
        Err(e) => {
            diags.push(toml_error(file, &e));
            return None;
        }
    };
    let span = table.span();
    let blocks = table.get_mut().remove("blocks");
    let head = match H::deserialize(toml::de::Deserializer::from(Spanned::new(span, table.into_inner()))) {
        Ok(h) => Some(h),
        Err(e) => {
            diags.push(toml_error(file, &e));
            None
        }
    };
    let mut ok = head.is_some();
    let mut out = Vec::new();
    match blocks.map(|b| (b.span(), b.into_inner())) {
        None => {}
        Some((_, DeValue::Array(items))) => {
            for item in items {
                let span = item.span();
                out.push(raw_block(file, item).unwrap_or_else(|d| RawBlock {
                    span,
                    ty: BlockType::Text,
                    fields: RawFields::Invalid(Box::new(d)),
                }));
            }
        }
        Some((span, _)) => {
            diags.push(
                Diagnostic::error(Code::Toml, "`blocks` must be a list of tables")
                    .at(file, Some(span))
                    .hint("write each block as [[blocks]] followed by its fields"),
            );
            ok = false;
        }
    }
    head.filter(|_| ok).map(|h| (h, out))
}

fn raw_block(file: &Path, item: Spanned<DeValue<'_>>) -> Result<RawBlock, Diagnostic> {
    let span = item.span();
    let DeValue::Table(mut table) = item.into_inner() else {
        return Err(Diagnostic::error(Code::Toml, "a block must be a table").at(file, Some(span)));
    };
    let Some(ty) = table.remove("type") else {
        return Err(Diagnostic::error(Code::MissingField, "a block needs a `type`")
            .at(file, Some(span.start..span.start))
            .hint(format!("use one of: {}", BlockType::names())));
    };
    let ty_span = ty.span();
    let Some(name) = ty.get_ref().as_str() else {
        return Err(Diagnostic::error(Code::InvalidValue, "the block `type` must be a string").at(file, Some(ty_span)));
    };
    let ty = BlockType::parse(name).ok_or_else(|| {
        Diagnostic::error(Code::InvalidValue, format!("unknown block type `{name}`"))
            .at(file, Some(ty_span))
            .hint(format!("use one of: {}", BlockType::names()))
    })?;
    let value = Spanned::new(span.clone(), DeValue::Table(table));
    fn de<T: DeserializeOwned>(file: &Path, v: Spanned<DeValue<'_>>) -> Result<T, Diagnostic> {
        T::deserialize(ValueDeserializer::from(v)).map_err(|e| toml_error(file, &e))
    }
    let fields = match ty {
        BlockType::Text | BlockType::Heading | BlockType::Subheading | BlockType::Case => {
            RawFields::Id(de(file, value)?)
        }
        BlockType::Section => RawFields::Section(de(file, value)?),
        BlockType::Measure => RawFields::Measure(de(file, value)?),
        BlockType::Figure => RawFields::Figure(de(file, value)?),
        BlockType::Table => RawFields::Table(de(file, value)?),
        BlockType::Indicators => RawFields::Indicators(de(file, value)?),
        BlockType::Pagebreak => {
            de::<RawPagebreak>(file, value)?;
            RawFields::Pagebreak
        }
    };
    Ok(RawBlock { span, ty, fields })
}

// ---------------------------------------------------------------------------------------------
// Validation: the structure of each block (references to other files are checked later, in
// `validate`, once the whole project is loaded).

struct Check<'a> {
    ctx: &'a mut Ctx,
    file: &'a Path,
    ty: BlockType,
    ids: &'a mut BTreeSet<String>,
}

impl Check<'_> {
    fn loc(&self, span: Range<usize>) -> Loc {
        Loc::new(self.file, span)
    }

    fn err(&mut self, span: Range<usize>, code: Code, msg: impl Into<String>, hint: Option<String>) {
        let mut d = self.loc(span).error(code, msg);
        if let Some(h) = hint {
            d = d.hint(h);
        }
        self.ctx.diags.push(d);
    }

    /// A fresh id: present, well formed and not used before in this chapter.
    fn id(&mut self, id: Option<Spanned<String>>, block_span: &Range<usize>) -> Option<String> {
        let Some(id) = id else {
            let ty = self.ty.name();
            self.err(
                block_span.clone(),
                Code::MissingField,
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
            self.err(id.span(), Code::InvalidId, format!("id `{s}` must be lowercase letters, digits and `-`"), None);
            return None;
        }
        if !self.ids.insert(s.clone()) {
            self.err(
                id.span(),
                Code::DuplicateId,
                format!("id `{s}` is used twice in this chapter"),
                Some("ids name texts in the language packs, so each must be unique".into()),
            );
            return None;
        }
        Some(s.clone())
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
                    Code::MissingField,
                    "a chart in a key-indicator panel needs an `id`",
                    Some("add `id = \"...\"`: it names the chart's title in the language packs".into()),
                );
                return None;
            }
        };
        let Some(kind) = ChartKind::parse(raw.kind.get_ref()) else {
            self.err(
                raw.kind.span(),
                Code::InvalidValue,
                format!("unknown chart kind `{}`", raw.kind.get_ref()),
                Some(format!("use one of: {}", ChartKind::names())),
            );
            return None;
        };
        if kind != ChartKind::SdgGrid && raw.data.is_empty() {
            self.err(span, Code::MissingField, "a chart needs `data = [\"group.indicator\", ...]`", None);
            return None;
        }
        let data = raw.data.into_iter().map(|d| (d.get_ref().clone(), self.loc(d.span()))).collect();
        Some(ChartSpec { id, kind, data, loc: self.loc(span) })
    }
}

/// The typed blocks of one chapter; each problem is reported and its block left out.
pub fn validate(ctx: &mut Ctx, file: &Path, raw: Vec<RawBlock>) -> Vec<Block> {
    let mut ids = BTreeSet::new();
    raw.into_iter()
        .filter_map(|rb| {
            let mut c = Check { ctx, file, ty: rb.ty, ids: &mut ids };
            let loc = c.loc(rb.span.clone());
            block(&mut c, rb).map(|kind| Block { loc, kind })
        })
        .collect()
}

fn block(c: &mut Check, rb: RawBlock) -> Option<BlockKind> {
    let span = rb.span;
    Some(match rb.fields {
        RawFields::Invalid(d) => {
            c.ctx.diags.push(*d);
            return None;
        }
        RawFields::Id(raw) => {
            let id = c.id(raw.id, &span)?;
            match rb.ty {
                BlockType::Heading => BlockKind::Heading { id },
                BlockType::Subheading => BlockKind::Subheading { id },
                BlockType::Case => BlockKind::Case { id },
                _ => BlockKind::Text { id },
            }
        }
        RawFields::Pagebreak => BlockKind::Pagebreak,
        RawFields::Measure(raw) => {
            BlockKind::Measure { id: c.id(raw.id, &span)?, number: raw.number.map(|n| *n.get_ref()) }
        }
        RawFields::Table(raw) => {
            let id = c.id(raw.id, &span)?;
            let columns = raw.columns.map(|c| c.into_inner()).unwrap_or_default();
            if columns.iter().any(|w| !(*w > 0.0 && w.is_finite())) {
                c.err(
                    span,
                    Code::InvalidValue,
                    "column widths must be positive",
                    Some("e.g. columns = [1, 3]: the second column three times as wide".into()),
                );
                return None;
            }
            BlockKind::Table { id, columns }
        }
        RawFields::Section(raw) => {
            let Some(name) = raw.name else {
                c.err(
                    span,
                    Code::MissingField,
                    "a `section` block needs `name`",
                    Some("name it, e.g. name = \"key-indicators\": its heading is that word of the language pack's ui.toml".into()),
                );
                return None;
            };
            if !is_valid_id(name.get_ref(), &['-']) {
                c.err(
                    name.span(),
                    Code::InvalidId,
                    format!("section name `{}` must be lowercase letters, digits and `-`", name.get_ref()),
                    None,
                );
                return None;
            }
            let loc = c.loc(name.span());
            BlockKind::Section { name: name.into_inner(), loc }
        }
        RawFields::Figure(raw) => {
            let id = c.id(raw.id, &span)?;
            let source = match (raw.image, raw.chart) {
                (Some(_), Some(chart)) => {
                    c.err(chart.span(), Code::InvalidField, "a figure has either `image` or `chart`, not both", None);
                    return None;
                }
                (Some(image), None) => match project_relative(image.get_ref()) {
                    Ok(path) => FigureSource::Image { path, loc: c.loc(image.span()) },
                    Err(why) => {
                        c.err(
                            image.span(),
                            Code::PathOutsideProject,
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
                        Code::InvalidValue,
                        format!("aspect {} is out of range", a.get_ref()),
                        Some("aspect is width / height, between 0.1 and 10 (1.5 for a landscape photo)".into()),
                    );
                    1.5
                }
                None => 1.5,
            };
            let width = match raw.width {
                Some(w) if *w.get_ref() >= 0.1 && *w.get_ref() <= 1.0 => Some(*w.get_ref()),
                Some(w) => {
                    c.err(
                        w.span(),
                        Code::InvalidValue,
                        format!("width {} is out of range", w.get_ref()),
                        Some("width is a fraction of the text width, from 0.1 to 1 (0.5 for half)".into()),
                    );
                    None
                }
                None => None,
            };
            BlockKind::Figure(Figure {
                id,
                source,
                aspect,
                width,
                caption_reconstructed: raw.caption_reconstructed.unwrap_or(false),
            })
        }
        RawFields::Indicators(raw) => {
            let id = c.id(raw.id, &span)?;
            if raw.tiles.as_ref().is_none_or(Vec::is_empty) && raw.charts.as_ref().is_none_or(Vec::is_empty) {
                c.err(span.clone(), Code::MissingField, "a key-indicator panel needs `tiles` or `charts`", None);
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
            let charts = raw.charts.unwrap_or_default().into_iter().filter_map(|ch| c.chart(ch, None)).collect();
            BlockKind::Indicators { id, tiles, charts }
        }
    })
}
