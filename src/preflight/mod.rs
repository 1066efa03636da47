//! `vlr preflight`: the laid-out pages checked for what a proofreader would mark, before a
//! book goes to print. Every edition asked for is typeset, and its pages ([`frames`]) are
//! inspected: text running out of its box, clip or page; text on other text; text below the
//! theme's minimum size; glyphs missing or set in a face the theme and pack did not choose;
//! photos below the theme's resolution at their printed size; and text whose contrast with
//! the area vlr painted under it is below WCAG AA.
//!
//! Each finding names the edition, the page, the chapter and block, and the block's place in
//! its chapter manifest and language pack. `vlr release` runs the same checks.

pub mod frames;

use std::collections::BTreeMap;

use typst_layout::PagedDocument;

use crate::diag::{Code, Diagnostic, Loc};
use crate::edition::Target;
use crate::project::{Project, Rgb};
use frames::{Origin, Rect, Text};

/// Inspects one laid-out edition and reports every finding into `diags`; a print edition is
/// also written in memory and read back against PDF/X-4 ([`crate::export::pdfx_check`]).
pub fn check(
    diags: &mut crate::diag::Diagnostics,
    project: &Project,
    typeset: &crate::typeset::Typeset,
    date: (i32, u8, u8),
) {
    let Some(doc) = &typeset.document else { return };
    let rules = Rules::new(project, &typeset.target.lang);
    for f in inspect(doc, &rules) {
        diags.push(f.diagnostic(project, &typeset.target));
    }
    if typeset.target.edition == crate::edition::Edition::Print {
        let meta = crate::export::PdfMeta::new(project, &typeset.target, date);
        use crate::export::pdfx_check::{Expect, check, diagnostics};
        match crate::export::pdf(doc, &meta, None) {
            Ok(bytes) => diags.extend(diagnostics(
                &format!("{}.pdf", meta.ident),
                &check(&bytes, &Expect::for_theme(&project.theme)),
            )),
            Err(_) => diags.push(Diagnostic::error(
                Code::Pdf,
                format!("the print edition ({}) could not be written", typeset.target.lang),
            )),
        }
    }
}

/// What preflight looks for. One source of truth for the codes, severities and the names
/// `vlr release --allow` takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Check {
    /// Text running out of its box, its clip or the page.
    Overflow,
    /// Text printed on other text.
    Overlap,
    /// Text below the theme's minimum size (`[type] minimum`).
    SmallText,
    /// A glyph the font does not have (an empty box).
    Tofu,
    /// Text set in a face the theme and the pack did not choose.
    FallbackFace,
    /// A photo below the theme's `min_ppi` at its printed size.
    LowResolution,
    /// Text whose contrast with what vlr painted under it is below WCAG AA.
    Contrast,
}

impl Check {
    pub const ALL: [Check; 7] = [
        Check::Overflow,
        Check::Overlap,
        Check::SmallText,
        Check::Tofu,
        Check::FallbackFace,
        Check::LowResolution,
        Check::Contrast,
    ];

    /// The diagnostic code, whose name `--allow` also takes.
    pub fn code(self) -> Code {
        match self {
            Check::Overflow => Code::Overflow,
            Check::Overlap => Code::Overlap,
            Check::SmallText => Code::SmallText,
            Check::Tofu => Code::Tofu,
            Check::FallbackFace => Code::FallbackFace,
            Check::LowResolution => Code::LowResolution,
            Check::Contrast => Code::LowContrast,
        }
    }

    /// The check that reports `code`, if one does.
    pub fn of(code: Code) -> Option<Check> {
        Check::ALL.into_iter().find(|c| c.code() == code)
    }

    /// Errors stop a release; a fallback face and a soft photo are warnings (the build
    /// already warns of both before typesetting).
    pub fn is_error(self) -> bool {
        !matches!(self, Check::FallbackFace | Check::LowResolution)
    }
}

/// Ink closer than this (pt, both ways) is not counted as touching: glyph boxes of
/// neighbouring letters may meet where their ink does not.
const TOLERANCE: f64 = 0.3;
/// How far text may reach past the edge of the area painted under it (pt) before it is an
/// overflow: a superscript or an accent may touch a table row's edge; a reader sees more.
const OVERFLOW: f64 = 1.0;

/// What the pages are held to, from the theme and the edition's pack.
#[derive(Debug, Clone)]
pub struct Rules {
    pub min_pt: f64,
    /// The page's top and bottom margins (pt): what prints there is the running head and folio.
    pub margins: (f64, f64),
    pub min_ppi: f64,
    /// The faces text may be set in (lower case): the theme's and the pack's.
    pub families: Vec<String>,
    /// The goals' print colours (CMYK, 0–1) and the official RGB colours they stand for.
    pub print: Vec<([f32; 4], [u8; 3])>,
}

impl Rules {
    pub fn new(project: &Project, lang: &str) -> Self {
        let pack_fonts = project.packs.get(lang).map(|p| p.meta.fonts.clone()).unwrap_or_default();
        let families =
            std::iter::once(project.theme.font.clone()).chain(pack_fonts).map(|f| f.to_lowercase()).collect();
        let m = &project.theme.margins;
        let margins = (m.top * 72.0 / 25.4, m.bottom * 72.0 / 25.4);
        let theme = &project.theme;
        let print = (1..=17)
            .filter_map(|n| {
                let cmyk = theme.goal_cmyk(n)?.map(|v| (v / 100.0) as f32);
                let rgb = theme.goal(n);
                Some((cmyk, [rgb.0, rgb.1, rgb.2]))
            })
            .collect();
        Self { min_pt: theme.min_pt, margins, min_ppi: theme.min_ppi, families, print }
    }
}

/// One problem on one page.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub check: Check,
    /// The physical page, from 1.
    pub page: usize,
    pub origin: Origin,
    pub message: String,
    /// Like it on the same page and block, not listed one by one.
    pub more: usize,
}

/// Every finding in a laid-out edition, one per check, page and block (with a count of the
/// others like it there).
pub fn inspect(doc: &PagedDocument, rules: &Rules) -> Vec<Finding> {
    let mut findings = Vec::new();
    let mut origin = Origin::default();
    for (i, page) in doc.pages().iter().enumerate() {
        let mut flat = frames::flatten(&page.frame, &mut origin, &rules.print);
        let size = page.frame.size();
        let trim = Rect { x0: 0.0, y0: 0.0, x1: size.x.to_pt(), y1: size.y.to_pt() };
        for t in &mut flat.texts {
            if t.ink.y1 <= rules.margins.0 || t.ink.y0 >= trim.y1 - rules.margins.1 {
                t.origin = Origin { chapter: t.origin.chapter.take(), block: None, margin: true };
            }
        }
        // What a finding is about, and a detail that keeps different problems of one kind
        // apart (text at 6.5 pt and at 7.5 pt are two things to fix).
        let mut found: Vec<(Check, Origin, String, String)> = Vec::new();
        for t in &flat.texts {
            let mut say = |check: Check, what: String| {
                let detail = if check == Check::SmallText { format!("{:.2}", t.size) } else { String::new() };
                found.push((check, t.origin.clone(), detail, what))
            };
            if t.size < rules.min_pt - 0.05 {
                say(
                    Check::SmallText,
                    format!("{} is set at {:.1} pt, under the minimum {} pt", quote(t), t.size, rules.min_pt),
                );
            }
            if t.missing > 0 {
                say(Check::Tofu, format!("{} has {} glyph(s) that {} lacks", quote(t), t.missing, t.family));
            }
            if !rules.families.contains(&t.family.to_lowercase()) && !t.text.trim().is_empty() {
                say(
                    Check::FallbackFace,
                    format!("{} is set in {}, a face the theme and pack did not choose", quote(t), t.family),
                );
            }
            if let Some(what) = overflow(t, &trim, &flat.fills) {
                say(Check::Overflow, what);
            }
            if let Some(what) = contrast(t, &flat) {
                say(Check::Contrast, what);
            }
        }
        for (a, b) in overlaps(&flat.texts) {
            let what = format!("{} and {} print on each other", quote(a), quote(b));
            found.push((Check::Overlap, a.origin.clone(), String::new(), what));
        }
        for p in &flat.pictures {
            let Some(pixels) = p.pixels else { continue };
            let ppi = pixels / ((p.area.x1 - p.area.x0) / 72.0);
            if ppi < rules.min_ppi {
                let what = format!("a photo prints at {ppi:.0} ppi, under the theme's {} ppi", rules.min_ppi);
                found.push((Check::LowResolution, p.origin.clone(), String::new(), what));
            }
        }
        // One finding per check and block on a page, with a count of the rest.
        let mut grouped: BTreeMap<(Check, Origin, String), Finding> = BTreeMap::new();
        for (check, origin, detail, message) in found {
            let key = (check, origin.clone(), detail);
            grouped.entry(key).and_modify(|f| f.more += 1).or_insert(Finding {
                check,
                page: i + 1,
                origin,
                message,
                more: 0,
            });
        }
        findings.extend(grouped.into_values());
    }
    findings
}

/// A text as a message quotes it: its first words.
fn quote(t: &Text) -> String {
    let s: String = t.text.chars().take(40).collect();
    let cut = if t.text.chars().count() > 40 { "…" } else { "" };
    format!("“{}{cut}”", s.trim())
}

/// Whether a text runs out of the page, out of the area that clips it, or out of a box vlr
/// painted under it (a tile, a band, a table cell: a filled area its middle is on).
fn overflow(t: &Text, trim: &Rect, fills: &[frames::Fill]) -> Option<String> {
    if t.glyphs.is_empty() {
        return None;
    }
    let off = t.ink.beyond(trim);
    if off > TOLERANCE {
        return Some(format!("{} runs {off:.1} pt off the page", quote(t)));
    }
    if let Some(clip) = &t.clip {
        let cut = t.ink.beyond(clip);
        if cut > TOLERANCE {
            return Some(format!("{} is cut off {cut:.1} pt by its box", quote(t)));
        }
    }
    let (cx, cy) = t.ink.centre();
    let under = fills.iter().filter(|f| f.order < t.order && f.area.contains(cx, cy)).max_by_key(|f| f.order)?;
    let out = t.ink.beyond(&under.area);
    (out > OVERFLOW).then(|| format!("{} runs {out:.1} pt out of its box", quote(t)))
}

/// Pairs of texts whose ink meets: glyph boxes that overlap by more than the tolerance both
/// ways.
fn overlaps(texts: &[Text]) -> Vec<(&Text, &Text)> {
    // A run without advance is a mark Typst set on its own over the letter it belongs to.
    let mut inked: Vec<&Text> =
        texts.iter().filter(|t| !t.glyphs.is_empty() && t.advance.1 - t.advance.0 > 0.01).collect();
    inked.sort_by(|a, b| a.ink.y0.total_cmp(&b.ink.y0));
    let mut pairs = Vec::new();
    for (i, a) in inked.iter().enumerate() {
        for b in inked[i + 1..].iter().take_while(|b| b.ink.y0 < a.ink.y1) {
            let (w, h) = a.ink.overlap(&b.ink);
            if w <= TOLERANCE || h <= TOLERANCE {
                continue;
            }
            // Runs of one line (a script change, a mark, a joining letter) meet by design:
            // on one baseline, only runs whose advances overlap are on each other.
            if (a.baseline - b.baseline).abs() < 0.1 {
                let shared = a.advance.1.min(b.advance.1) - a.advance.0.max(b.advance.0);
                if shared > TOLERANCE {
                    pairs.push((*a, *b));
                }
                continue;
            }
            let touch = a.glyphs.iter().any(|ga| {
                b.glyphs.iter().any(|gb| {
                    let (w, h) = ga.overlap(gb);
                    w > TOLERANCE && h > TOLERANCE
                })
            });
            if touch {
                pairs.push((*a, *b));
            }
        }
    }
    pairs
}

/// The WCAG contrast of a text with the area under it (the last area painted there before it;
/// the page is white), when that is below AA: 4.5:1, or 3:1 for large text (18 pt, or 14 pt
/// bold). Text on a photo is not judged.
fn contrast(t: &Text, page: &frames::Page) -> Option<String> {
    let fill = t.fill?;
    if t.glyphs.is_empty() {
        return None;
    }
    let (cx, cy) = t.ink.centre();
    let under = page.fills.iter().filter(|f| f.order < t.order && f.area.contains(cx, cy)).max_by_key(|f| f.order);
    let after = under.map_or(0, |f| f.order);
    if page.pictures.iter().any(|p| p.order > after && p.order < t.order && p.area.contains(cx, cy)) {
        return None;
    }
    let back = under.map_or(Rgb::WHITE, |f| over(f.rgba, Rgb::WHITE));
    let ink = over(fill, back);
    let ratio = ink.contrast(back);
    let needed = crate::project::theme::aa_threshold(t.size, t.bold);
    (ratio < needed - 0.005)
        .then(|| format!("{} in {} on {} has contrast {ratio:.2}:1, under {needed}:1", quote(t), ink.hex(), back.hex()))
}

/// A colour with alpha, laid over an opaque one.
fn over([r, g, b, a]: [u8; 4], under: Rgb) -> Rgb {
    let a = a as f64 / 255.0;
    let mix = |top: u8, bottom: u8| (top as f64 * a + bottom as f64 * (1.0 - a)).round() as u8;
    Rgb(mix(r, under.0), mix(g, under.1), mix(b, under.2))
}

impl Finding {
    /// The finding as a diagnostic: the edition and page in the message, the block's place in
    /// its chapter manifest, and its text's place in the language pack as a note.
    pub fn diagnostic(&self, project: &Project, target: &Target) -> Diagnostic {
        let block = self.origin.chapter.as_deref().and_then(|id| {
            let ch = project.report.chapters().find(|c| c.id == id)?;
            Some((ch, self.origin.block.and_then(|i| ch.blocks.get(i))))
        });
        let place = match &block {
            Some((ch, Some(b))) => match b.text_id() {
                Some(id) => format!(", chapter `{}`, block `{id}`", ch.id),
                None => format!(", chapter `{}`, block {}", ch.id, self.origin.block.unwrap_or(0) + 1),
            },
            Some((ch, None)) if self.origin.margin => format!(", chapter `{}`, running head or folio", ch.id),
            Some((ch, None)) => format!(", chapter `{}`", ch.id),
            None if self.origin.margin => ", running head or folio".to_string(),
            None => String::new(),
        };
        let more = match self.more {
            0 => String::new(),
            n => format!(" (and {n} more like it there)"),
        };
        let message = format!(
            "{} edition ({}), page {}{place}: {}{more}",
            target.edition.name(),
            target.lang,
            self.page,
            self.message
        );
        let mut d = if self.check.is_error() {
            Diagnostic::error(self.check.code(), message)
        } else {
            Diagnostic::warning(self.check.code(), message)
        };
        match &block {
            Some((_, Some(b))) => d = d.at(&b.loc.file, Some(b.loc.span.clone())),
            Some((ch, None)) => d = d.in_file(&ch.file),
            None => {}
        }
        if let Some((ch, Some(b))) = &block
            && let Some(loc) = b.text_id().and_then(|id| pack_entry(project, &target.lang, &ch.id, id))
        {
            d = d.note(loc, "its text");
        }
        d.hint(hint(self.check))
    }
}

/// Where a block's text is, in the edition's pack or the pack it falls back to.
fn pack_entry(project: &Project, lang: &str, chapter: &str, id: &str) -> Option<Loc> {
    let mut code = Some(lang.to_string());
    while let Some(c) = code {
        let pack = project.packs.get(&c)?;
        if let Some(entry) = pack.files.get(chapter).and_then(|f| Some((f, f.entries.get(id)?))) {
            return Some(Loc::new(&entry.0.path, entry.1.span()));
        }
        code = pack.meta.fallback.as_ref().map(|f| f.get_ref().clone());
    }
    None
}

fn hint(check: Check) -> &'static str {
    match check {
        Check::Overflow => {
            "shorten the text in the language pack, or give it more room (theme sizes, chart or figure width)"
        }
        Check::Overlap => "shorten one of the texts, or give them more room; in a chart, shorten its labels",
        Check::SmallText => {
            "raise the size in the templates, or lower [type] minimum in styles/theme.toml if the design allows"
        }
        Check::Tofu => "install a font that covers these characters and name it in the pack's `fonts`",
        Check::FallbackFace => "name a face that covers these characters in the pack's `fonts` (lang/<L>/pack.toml)",
        Check::LowResolution => "use a larger photo, or print it smaller (the figure's `width`)",
        Check::Contrast => {
            "choose a text colour that reaches WCAG AA on this background (styles/theme.toml or the templates)"
        }
    }
}
