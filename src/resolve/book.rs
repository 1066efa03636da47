//! The book data contract: what the templates in `styles/` receive, as `book.json` plus one
//! `chapters/<id>.json` per chapter. Documented for designers in `styles/README.md`; its
//! version is [`BOOK_VERSION`] and a test checks the documentation against these types.
//!
//! Every text is a list of runs ([`Run`]): the templates insert their strings as text, so
//! nothing a writer types is ever read as Typst markup.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::edition::Edition;
use crate::project::{ChapterKind, Matter, PageSize, Status};

/// Bumped whenever a field is removed or changes meaning (adding one is compatible).
pub const BOOK_VERSION: u32 = 1;

/// One run of inline text.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "k", rename_all = "lowercase")]
pub enum Run {
    Text {
        s: String,
    },
    Em {
        s: String,
    },
    Strong {
        s: String,
    },
    /// A number from `data/`, formatted for the language.
    Value {
        s: String,
        status: Status,
        /// The status's mark (derived †, uncertain ‡), printed after the number.
        mark: Option<&'static str>,
        id: String,
    },
    /// A value the source lost: printed as the pack's word for "pending".
    Pending {
        s: String,
        id: String,
    },
}

impl Run {
    pub fn text(&self) -> &str {
        match self {
            Run::Text { s } | Run::Em { s } | Run::Strong { s } | Run::Value { s, .. } | Run::Pending { s, .. } => s,
        }
    }
}

pub type Rich = Vec<Run>;

pub fn plain_text(rich: &[Run]) -> String {
    rich.iter().map(Run::text).collect()
}

#[derive(Serialize)]
pub struct Book {
    pub version: u32,
    pub meta: Meta,
    pub theme: ThemeOut,
    pub ui: UiOut,
    pub sdgs: Vec<SdgOut>,
    pub parts: Vec<PartOut>,
}

/// The interface words of the edition's language.
#[derive(Serialize)]
pub struct UiOut {
    /// By key (`contents`, `figure`, …), from the packs' `ui.toml`, the edition's language first.
    pub words: BTreeMap<String, String>,
    /// The source language's ui.toml, where a missing word is to be added.
    pub file: String,
}

#[derive(Serialize)]
pub struct Meta {
    pub id: String,
    pub lang: String,
    pub region: Option<String>,
    pub title: Rich,
    pub subtitle: Option<Rich>,
    pub short: String,
    /// The year the report reviews, and whether the cover prints it (not when the title has it).
    pub year: i32,
    pub show_year: bool,
    pub published: [i32; 3],
    pub page_size: PageSize,
    pub distribution_label: Option<String>,
    /// PDF metadata authors: the bodies that directed the report.
    pub authors: Vec<String>,
    /// Font families after the theme's font (the pack's, e.g. a CJK face).
    pub fonts: Vec<String>,
    /// Whether justified text is hyphenated (the pack decides; on where Typst has patterns).
    pub hyphenate: bool,
    /// Line spacing in em, as the script needs it.
    pub leading: f64,
    /// Whether the language is written right to left (page numbers, rules and chart axes
    /// follow).
    pub rtl: bool,
    /// `screen` or `print`: the print edition adds bleed and crop marks.
    pub output: Edition,
}

/// The theme's values (styles/theme.toml): lengths in millimetres, sizes in points.
#[derive(Serialize)]
pub struct ThemeOut {
    pub font: String,
    /// The neutral colour (for fields), its ink (for text in it on white), and the colours of
    /// text on it: of any size, and large (at least 18 pt, or 14 pt bold).
    pub neutral: String,
    pub neutral_ink: String,
    pub on_neutral: String,
    pub on_neutral_large: String,
    pub margins: crate::project::theme::Margins,
    pub text_width: f64,
    pub body: f64,
    pub chart: f64,
    /// The least size anything prints at.
    pub minimum: f64,
    pub bleed: f64,
    pub slug: f64,
}

/// A goal's (or, for no goal, the neutral) colours as the templates use them: the official
/// colour (for fields), the ink (for text in the colour on white or its tint), and the colours
/// of text on the official colour, of any size and large.
#[derive(Serialize)]
pub struct Colours {
    pub color: String,
    pub ink: String,
    pub on_color: String,
    pub on_color_large: String,
    /// In the print edition only: the field colour as C, M, Y, K in percent (theme `[goals.cmyk]`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cmyk: Option<[f64; 4]>,
    /// What `cmyk` is in the print edition.
    #[serde(skip)]
    pub print_cmyk: Option<[f64; 4]>,
}

impl Colours {
    pub fn new(theme: &crate::project::Theme, goal: Option<u8>) -> Self {
        let color = goal.map_or(theme.neutral, |g| theme.goal(g));
        let on = goal.map_or(theme.on_neutral, |g| theme.on_goal(g));
        Self {
            color: color.hex(),
            ink: color.ink(crate::project::theme::AA).hex(),
            on_color: on.text.hex(),
            on_color_large: on.large.hex(),
            cmyk: None,
            print_cmyk: goal.and_then(|g| theme.goal_cmyk(g)),
        }
    }

    /// The CMYK values only in the print edition's data.
    pub fn for_edition(&mut self, print: bool) {
        self.cmyk = self.print_cmyk.filter(|_| print);
    }
}

#[derive(Serialize)]
pub struct SdgOut {
    pub number: u8,
    #[serde(flatten)]
    pub colours: Colours,
    /// Short name ("Climate Action"), label ("SDG 13"), statement label ("Goal 13").
    pub name: String,
    pub label: String,
    pub goal_label: String,
    pub statement: Rich,
}

#[derive(Serialize)]
pub struct PartOut {
    pub id: String,
    pub title: Option<Rich>,
    pub matter: Matter,
    pub opener: bool,
    /// Virtual paths of the chapters' JSON files (`/chapters/<id>.json`): one file per chapter,
    /// so an edit changes one file and Typst reuses the layout of the others.
    pub chapters: Vec<String>,
}

#[derive(Serialize)]
pub struct ChapterOut {
    pub id: String,
    pub kind: ChapterKind,
    pub goal: Option<u8>,
    #[serde(flatten)]
    pub colours: Colours,
    pub title: Rich,
    pub statement: Option<Rich>,
    pub blocks: Vec<BlockOut>,
}

#[derive(Serialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum BlockOut {
    Text {
        paras: Vec<Rich>,
    },
    Heading {
        text: Rich,
    },
    /// `new_page`: the theme starts this section on a new page.
    Section {
        name: String,
        text: String,
        new_page: bool,
    },
    Measure {
        number: u32,
        text: Rich,
    },
    Subheading {
        text: Rich,
    },
    Case {
        title: Rich,
        paras: Vec<Rich>,
    },
    Figure(FigureOut),
    Table {
        caption: Rich,
        columns: Vec<f64>,
        header: Vec<Rich>,
        rows: Vec<Vec<Rich>>,
        note: Option<Rich>,
    },
    Indicators {
        id: String,
        chapter: String,
        title: Rich,
        tiles: Vec<TileOut>,
        charts: Vec<ChartOut>,
    },
    Pagebreak,
    Appendix {
        groups: Vec<AppendixGroup>,
        /// What the marks in the tables mean: each mark used, with its status word.
        legend: Vec<(&'static str, String)>,
    },
}

/// The data appendix: per chapter, every indicator it shows or cites and where it comes from.
#[derive(Serialize)]
pub struct AppendixGroup {
    pub title: Rich,
    pub rows: Vec<AppendixRow>,
}

#[derive(Serialize)]
pub struct AppendixRow {
    pub id: String,
    pub title: String,
    /// The global SDG codes it serves, comma-separated ("11.6, 11.6.2"), or empty.
    pub codes: String,
    pub value: String,
    pub unit: String,
    pub date: String,
    /// The indicator's status: its values' one status, or `reported` when they differ.
    pub status: Status,
    /// The status in words: one word, or year by year when the values differ
    /// ("2017: derived; 2020: reported").
    pub status_text: String,
    pub source: String,
}

/// What a figure shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FigureKind {
    Image,
    Chart,
    SdgGrid,
    Placeholder,
}

#[derive(Serialize)]
pub struct FigureOut {
    pub id: String,
    pub kind: FigureKind,
    /// The virtual path of the image or chart.
    pub path: Option<String>,
    /// A chart's words, set over its picture (`charts/<id>.json`).
    pub labels: Option<String>,
    pub aspect: f64,
    /// Printed width as a fraction of the text width.
    pub width: f64,
    pub caption: Rich,
    pub credit: Option<Rich>,
    pub alt: String,
    pub reconstructed: bool,
}

#[derive(Serialize)]
pub struct TileOut {
    pub value: Run,
    pub unit: String,
    pub qualifier: Option<String>,
    /// The status word of a value that is not simply reported ("derived", "uncertain").
    pub status: Option<String>,
    pub label: Rich,
    pub date: Option<String>,
}

#[derive(Serialize)]
pub struct ChartOut {
    pub title: Rich,
    pub path: String,
    /// Its words, set over the picture (`charts/<id>.json`).
    pub labels: String,
    pub alt: String,
    /// The width it is drawn at and prints at, in points.
    pub width: f64,
}

impl BlockOut {
    /// Every run of text the block prints, in reading order.
    pub fn runs(&self) -> Box<dyn Iterator<Item = &Run> + '_> {
        match self {
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
}
