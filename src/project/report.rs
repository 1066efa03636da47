//! `report.toml` and the chapter manifests `chapters/<id>.toml`: the book's structure.
//!
//! Files are parsed into `Raw*` structs that mirror the TOML exactly (`deny_unknown_fields`,
//! spans kept), then validated into the typed model the later stages use. Manifests hold
//! structure only; every word lives in the language packs.

use std::collections::BTreeSet;
use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use super::blocks::{self, Block};
use crate::ctx::Ctx;
use crate::diag::{Code, Diagnostic, Loc};
use crate::files::is_valid_id;

#[derive(Debug, Clone)]
pub struct Report {
    pub id: String,
    /// The year the report reviews (`year = 2021`).
    pub year: i32,
    /// The publication date; the document date, so builds never depend on the clock.
    pub published: (i32, u8, u8),
    pub languages: Vec<String>,
    /// Where `languages` is written, for problems with one of them.
    pub languages_at: Loc,
    pub default_language: String,
    pub page_size: PageSize,
    pub distribution_label: bool,
    /// The licence of the published data (an SPDX id such as `CC-BY-4.0`, or a URL).
    pub license: Option<String>,
    pub parts: Vec<Part>,
}

impl Report {
    pub fn chapters(&self) -> impl Iterator<Item = &Chapter> {
        self.parts.iter().flat_map(|p| p.chapters.iter())
    }
}

/// The paper sizes a report can be set on (Typst's names).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum PageSize {
    #[serde(rename = "a4")]
    A4,
    #[serde(rename = "a5")]
    A5,
    #[serde(rename = "us-letter")]
    UsLetter,
}

impl PageSize {
    const ALL: [(&'static str, PageSize); 3] =
        [("a4", PageSize::A4), ("a5", PageSize::A5), ("us-letter", PageSize::UsLetter)];

    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.iter().find(|(n, _)| *n == name).map(|(_, s)| *s)
    }

    pub fn names() -> String {
        Self::ALL.iter().map(|(n, _)| *n).collect::<Vec<_>>().join(", ")
    }

    /// Width and height in millimetres, as Typst defines the paper.
    pub fn size_mm(self) -> (f64, f64) {
        let name = Self::ALL.iter().find(|(_, s)| *s == self).map_or("a4", |(n, _)| n);
        let paper: typst::layout::Paper = name.parse().expect("Typst knows the paper sizes vlr names");
        (paper.width().to_mm(), paper.height().to_mm())
    }
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

#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawReport {
    id: Spanned<String>,
    #[serde(alias = "edition")]
    year: i32,
    published: Spanned<toml::value::Datetime>,
    languages: Spanned<Vec<String>>,
    default_language: Spanned<String>,
    page_size: Spanned<String>,
    #[serde(default)]
    distribution_label: bool,
    license: Option<String>,
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

pub const REPORT_FILE: &str = "report.toml";

pub fn load(ctx: &mut Ctx) -> Option<Report> {
    let file = PathBuf::from(REPORT_FILE);
    let raw: RawReport = ctx.files.read_toml(&mut ctx.diags, &file)?;
    let at = |span: Range<usize>| Loc::new(&file, span);

    if !is_valid_id(raw.id.get_ref(), &['-']) {
        ctx.diags.push(at(raw.id.span()).error(
            Code::InvalidId,
            format!("report id `{}` must be lowercase letters, digits and `-`", raw.id.get_ref()),
        ));
    }
    let published = match date_parts(raw.published.get_ref()) {
        Some(d) => d,
        None => {
            ctx.diags
                .push(at(raw.published.span()).error(Code::InvalidDate, "`published` must be a date like 2021-10-31"));
            (raw.year, 1, 1)
        }
    };
    let page_size = PageSize::parse(raw.page_size.get_ref()).unwrap_or_else(|| {
        ctx.diags.push(
            at(raw.page_size.span())
                .error(Code::InvalidValue, format!("unknown page size `{}`", raw.page_size.get_ref()))
                .hint(format!("use one of: {}", PageSize::names())),
        );
        PageSize::A4
    });
    if raw.languages.get_ref().is_empty() {
        ctx.diags.push(
            at(raw.languages.span()).error(Code::InvalidValue, "`languages` must list at least one language pack"),
        );
    }
    let mut seen_langs = BTreeSet::new();
    for l in raw.languages.get_ref() {
        if !seen_langs.insert(l) {
            ctx.diags
                .push(at(raw.languages.span()).error(Code::DuplicateId, format!("language `{l}` is listed twice")));
        }
    }
    if !raw.languages.get_ref().contains(raw.default_language.get_ref()) {
        ctx.diags.push(
            at(raw.default_language.span())
                .error(
                    Code::InvalidValue,
                    format!("default language `{}` is not in `languages`", raw.default_language.get_ref()),
                )
                .hint("add it to `languages`"),
        );
    }

    let mut seen_parts = BTreeSet::new();
    let mut seen_chapters = BTreeSet::new();
    let mut parts = Vec::new();
    for rp in raw.parts {
        if !seen_parts.insert(rp.id.get_ref().clone()) {
            ctx.diags.push(
                at(rp.id.span()).error(Code::DuplicateId, format!("part `{}` is defined twice", rp.id.get_ref())),
            );
        }
        let mut chapters = Vec::new();
        for ch in rp.chapters {
            let id = ch.get_ref().clone();
            if !is_valid_id(&id, &['-']) {
                ctx.diags.push(
                    at(ch.span())
                        .error(Code::InvalidId, format!("chapter id `{id}` must be lowercase letters, digits and `-`")),
                );
                continue;
            }
            if !seen_chapters.insert(id.clone()) {
                ctx.diags.push(at(ch.span()).error(Code::DuplicateId, format!("chapter `{id}` is listed twice")));
                continue;
            }
            let path = PathBuf::from("chapters").join(format!("{id}.toml"));
            if !ctx.files.exists(&path) {
                ctx.diags.push(
                    at(ch.span())
                        .error(Code::MissingFile, format!("chapter `{id}` has no manifest"))
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
        year: raw.year,
        published,
        languages_at: at(raw.languages.span()),
        languages: raw.languages.into_inner(),
        default_language: raw.default_language.into_inner(),
        page_size,
        distribution_label: raw.distribution_label,
        license: raw.license.filter(|l| !l.trim().is_empty()),
        parts,
    })
}

fn date_parts(d: &toml::value::Datetime) -> Option<(i32, u8, u8)> {
    match (d.date, d.time) {
        (Some(date), None) => Some((date.year as i32, date.month, date.day)),
        _ => None,
    }
}

#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHead {
    kind: ChapterKind,
    goal: Option<Spanned<u8>>,
}

fn load_chapter(ctx: &mut Ctx, id: &str, file: &Path) -> Option<Chapter> {
    let (head, raw_blocks) = ctx
        .files
        .read_parsed(&mut ctx.diags, file, |diags, text| blocks::parse_chapter::<RawHead>(diags, file, text))?;
    let goal = match (head.kind, head.goal) {
        (ChapterKind::Sdg, Some(g)) if (1..=17).contains(g.get_ref()) => Some(*g.get_ref()),
        (ChapterKind::Sdg, Some(g)) => {
            ctx.diags.push(
                Diagnostic::error(Code::InvalidValue, format!("goal {} does not exist", g.get_ref()))
                    .at(file, Some(g.span()))
                    .hint("SDGs are numbered 1 to 17"),
            );
            None
        }
        (ChapterKind::Sdg, None) => {
            ctx.diags.push(Diagnostic::error(Code::MissingField, "an SDG chapter needs `goal = N`").in_file(file));
            None
        }
        (_, Some(g)) => {
            ctx.diags.push(
                Diagnostic::error(Code::InvalidField, "`goal` is only allowed when kind = \"sdg\"")
                    .at(file, Some(g.span())),
            );
            None
        }
        (_, None) => None,
    };
    if head.kind == ChapterKind::Appendix && !raw_blocks.is_empty() {
        ctx.diags.push(
            Diagnostic::error(Code::InvalidField, "the data appendix is generated: it takes no blocks")
                .at(file, Some(raw_blocks[0].span.clone()))
                .hint("remove the [[blocks]] tables"),
        );
    }
    let blocks = blocks::validate(ctx, file, raw_blocks);
    Some(Chapter { id: id.to_string(), file: file.to_path_buf(), kind: head.kind, goal, blocks })
}
