//! `styles/theme.toml`: the values the templates and the Rust stages share — fonts, colours,
//! page geometry, type sizes, chart and figure sizes, image targets, which sections start a
//! page. The built-in theme has them all; a project's `styles/theme.toml` overrides any of
//! them, key by key (a complete file works too).
//!
//! Goal colours are the official SDG palette and stay exactly as the UN defines them: every
//! field (opener tile, band, grid tile, bar, rule) is printed in them. Contrast is reached by
//! choosing the colour of the text instead:
//! - text set *on* a goal's field is white where white reaches WCAG AA on it, else a dark
//!   shade of the goal ([`OnField`], decided per goal and for two text sizes, normal and large;
//!   `[goals.text]` and `[goals.large_text]` override it);
//! - text set *in* a goal's colour on white or on its light tint uses its *ink*: the official
//!   colour darkened just enough to reach AA there ([`Rgb::ink`]).
//!
//! [`contrast`] and [`aa_threshold`] are the WCAG rules themselves, for any check that reads
//! colours and sizes back from laid-out pages.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use serde::Deserialize;
use toml::Spanned;

use super::report::PageSize;
use crate::ctx::Ctx;
use crate::diag::{Code, Loc};

/// The printing condition vlr carries a profile for.
const BUILTIN_CONDITION: &str = "FOGRA39";

pub const THEME_FILE: &str = "styles/theme.toml";

/// An sRGB colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    pub const WHITE: Rgb = Rgb(255, 255, 255);
    pub const BLACK: Rgb = Rgb(0, 0, 0);

    /// `#RRGGBB`.
    pub fn parse(hex: &str) -> Option<Self> {
        let h = hex.strip_prefix('#')?;
        if h.len() != 6 || !h.is_ascii() {
            return None;
        }
        let v = u32::from_str_radix(h, 16).ok()?;
        Some(Rgb((v >> 16) as u8, (v >> 8) as u8, v as u8))
    }

    /// `#RRGGBB`, upper case.
    pub fn hex(self) -> String {
        format!("#{:02X}{:02X}{:02X}", self.0, self.1, self.2)
    }

    /// WCAG 2 relative luminance.
    pub fn luminance(self) -> f64 {
        let lin = |c: u8| {
            let c = c as f64 / 255.0;
            if c <= 0.04045 { c / 12.92 } else { ((c + 0.055) / 1.055).powf(2.4) }
        };
        0.2126 * lin(self.0) + 0.7152 * lin(self.1) + 0.0722 * lin(self.2)
    }

    /// WCAG 2 contrast ratio (1 to 21), in either order; see [`contrast`].
    pub fn contrast(self, other: Rgb) -> f64 {
        let (a, b) = (self.luminance(), other.luminance());
        (a.max(b) + 0.05) / (a.min(b) + 0.05)
    }

    /// Mixed with `other`: `amount` 0 is self, 1 is other (as Typst's `lighten`/`darken` mix
    /// towards white/black).
    pub fn mix(self, other: Rgb, amount: f64) -> Rgb {
        let m = |a: u8, b: u8| (a as f64 + (b as f64 - a as f64) * amount).round() as u8;
        Rgb(m(self.0, other.0), m(self.1, other.1), m(self.2, other.2))
    }

    /// The light tint the templates set panels and tiles on (`color.lighten(88%)`).
    pub fn tint(self) -> Rgb {
        self.mix(Rgb::WHITE, 0.88)
    }

    /// This colour darkened in small steps until it reaches `ratio` against every one of
    /// `backgrounds` (black if no shade does).
    fn darkened_against(self, ratio: f64, backgrounds: &[Rgb]) -> Rgb {
        (0..=100)
            .map(|step| self.mix(Rgb::BLACK, step as f64 / 100.0))
            .find(|c| backgrounds.iter().all(|b| c.contrast(*b) >= ratio))
            .unwrap_or(Rgb::BLACK)
    }

    /// The colour for text set in this colour on white and on its own tint: itself where it
    /// reaches `ratio` on both, else darkened just enough.
    pub fn ink(self, ratio: f64) -> Rgb {
        self.darkened_against(ratio, &[Rgb::WHITE, self.tint()])
    }

    /// The colours of text set on a field of this colour, as vlr chooses them: white where
    /// white reaches AA on the field (4.5:1 for text of any size, 3:1 for large text), else a
    /// dark shade of the field's own colour that reaches 4.5:1 on it. One dark shade serves
    /// both sizes, so a tile whose number and name both need it prints them alike.
    pub fn text_on(self) -> OnField {
        let dark = self.darkened_against(AA, &[self]);
        let pick = |size: TextSize| if Rgb::WHITE.contrast(self) >= size.threshold() { Rgb::WHITE } else { dark };
        OnField { text: pick(TextSize::Normal), large: pick(TextSize::Large) }
    }
}

/// WCAG 2 AA: the least contrast of text of normal size against its background.
pub const AA: f64 = 4.5;
/// WCAG 2 AA for large text ([`LARGE_PT`], or [`LARGE_BOLD_PT`] bold).
pub const AA_LARGE: f64 = 3.0;
/// Text this size or larger is large text.
pub const LARGE_PT: f64 = 18.0;
/// Bold text this size or larger is large text.
pub const LARGE_BOLD_PT: f64 = 14.0;

/// The WCAG 2 contrast ratio of two colours, from 1 (the same luminance) to 21 (black on
/// white); the order does not matter.
pub fn contrast(a: Rgb, b: Rgb) -> f64 {
    a.contrast(b)
}

/// The contrast WCAG 2 AA asks of text of `size_pt` points against its background: 3:1 for
/// large text — at least 18 pt, or 14 pt when `bold` (a weight of 700 or more) — else 4.5:1.
/// Sizes are compared with a hundredth of a point to spare, as sizes read back from a
/// laid-out page carry rounding.
pub fn aa_threshold(size_pt: f64, bold: bool) -> f64 {
    let large = if bold { LARGE_BOLD_PT } else { LARGE_PT };
    if size_pt + 0.01 >= large { AA_LARGE } else { AA }
}

/// The colours of text on a colour field: `text` for text of any size, `large` for large text
/// only (which may be white where `text` cannot).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OnField {
    pub text: Rgb,
    pub large: Rgb,
}

/// The two sizes of text WCAG sets apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextSize {
    Normal,
    /// At least [`LARGE_PT`], or [`LARGE_BOLD_PT`] bold.
    Large,
}

impl TextSize {
    /// The contrast AA asks of it.
    pub fn threshold(self) -> f64 {
        match self {
            TextSize::Normal => AA,
            TextSize::Large => AA_LARGE,
        }
    }
}

impl OnField {
    pub fn get(self, size: TextSize) -> Rgb {
        match size {
            TextSize::Normal => self.text,
            TextSize::Large => self.large,
        }
    }

    fn set(&mut self, size: TextSize, colour: Rgb) {
        match size {
            TextSize::Normal => self.text = colour,
            TextSize::Large => self.large = colour,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Theme {
    /// The font family of text and charts.
    pub font: String,
    /// Where `font` is written, for a family no font file provides.
    pub font_at: Loc,
    pub neutral: Rgb,
    /// Text on the neutral colour.
    pub on_neutral: OnField,
    goals: BTreeMap<u8, Rgb>,
    /// Text on each goal's colour: vlr's choice, or the theme's `[goals.text]`/`[goals.large_text]`.
    on_goals: BTreeMap<u8, OnField>,
    /// Each goal's field colour in print (`[goals.cmyk]`): C, M, Y, K in percent.
    goals_cmyk: BTreeMap<u8, [f64; 4]>,
    /// Page margins in millimetres.
    pub margins: Margins,
    /// Type sizes in points: body text, chart labels, and the least size anything prints at
    /// (`[type] minimum`; the other sizes are at least this).
    pub body_pt: f64,
    pub chart_pt: f64,
    pub min_pt: f64,
    /// Print edition: bleed and slug in millimetres.
    pub bleed_mm: f64,
    pub slug_mm: f64,
    /// Print edition: the printing condition of its PDF/X output intent.
    pub condition: Condition,
    /// Default printed widths, as fractions of the text width.
    pub figure_width: f64,
    pub chart_width: f64,
    /// Chart height / width.
    pub chart_aspect: f64,
    pub ppi: f64,
    pub min_ppi: f64,
    pub jpeg_quality: u8,
    /// Sections that start a new page.
    pub new_page_sections: Vec<String>,
}

#[derive(Debug, Clone, Copy, serde::Serialize)]
pub struct Margins {
    pub inside: f64,
    pub outside: f64,
    pub top: f64,
    pub bottom: f64,
}

impl Theme {
    /// The official colour of a goal (the neutral colour for anything else).
    pub fn goal(&self, goal: u8) -> Rgb {
        self.goals.get(&goal).copied().unwrap_or(self.neutral)
    }

    /// A goal's field colour in the print edition, C, M, Y, K in percent, if the theme gives one.
    pub fn goal_cmyk(&self, goal: u8) -> Option<[f64; 4]> {
        self.goals_cmyk.get(&goal).copied()
    }

    /// The colours of text on a goal's field (on the neutral colour for anything else).
    pub fn on_goal(&self, goal: u8) -> OnField {
        self.on_goals.get(&goal).copied().unwrap_or(self.on_neutral)
    }

    /// The text width on a page of `size`, in millimetres.
    pub fn text_width_mm(&self, size: PageSize) -> f64 {
        size.size_mm().0 - self.margins.inside - self.margins.outside
    }
}

// ---------------------------------------------------------------------------------------------
// The file as written: every key optional, so a project's file may set only what it changes.

#[derive(Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTheme {
    font: Option<Spanned<String>>,
    neutral: Option<Spanned<String>>,
    neutral_text: Option<Spanned<String>>,
    neutral_large_text: Option<Spanned<String>>,
    page: Option<RawPage>,
    #[serde(rename = "type")]
    sizes: Option<RawType>,
    print: Option<RawPrint>,
    figures: Option<RawFigures>,
    charts: Option<RawCharts>,
    images: Option<RawImages>,
    sections: Option<RawSections>,
    #[serde(default)]
    goals: RawGoals,
}

/// `[goals]`: the colours by goal number, and the tables `text` and `large_text` of colours for
/// text on them.
#[derive(Clone, Default)]
struct RawGoals {
    colours: BTreeMap<String, Spanned<String>>,
    text: BTreeMap<String, Spanned<String>>,
    large_text: BTreeMap<String, Spanned<String>>,
    /// The print edition's field colours: C, M, Y, K in percent.
    cmyk: BTreeMap<String, Spanned<Vec<f64>>>,
}

impl<'de> Deserialize<'de> for RawGoals {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = RawGoals;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("goal colours (`7 = \"#FCC30B\"`) and the tables `text` and `large_text`")
            }
            // Each value is read as its key says, so its place in the file is kept.
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<RawGoals, A::Error> {
                let mut goals = RawGoals::default();
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "text" => goals.text = map.next_value()?,
                        "large_text" => goals.large_text = map.next_value()?,
                        "cmyk" => goals.cmyk = map.next_value()?,
                        _ => {
                            let colour = map.next_value()?;
                            goals.colours.insert(key, colour);
                        }
                    }
                }
                Ok(goals)
            }
        }
        d.deserialize_map(Visitor)
    }
}

#[derive(Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPage {
    inside: Option<Spanned<f64>>,
    outside: Option<Spanned<f64>>,
    top: Option<Spanned<f64>>,
    bottom: Option<Spanned<f64>>,
}

#[derive(Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawType {
    body: Option<Spanned<f64>>,
    chart: Option<Spanned<f64>>,
    minimum: Option<Spanned<f64>>,
}

#[derive(Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPrint {
    bleed: Option<Spanned<f64>>,
    slug: Option<Spanned<f64>>,
    condition: Option<RawCondition>,
}

/// `[print.condition]`: a project's replaces the built-in one as a whole.
#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCondition {
    identifier: Spanned<String>,
    registry: Option<String>,
    info: Spanned<String>,
    /// A project file; without it, the built-in FOGRA39 profile.
    profile: Option<Spanned<String>>,
}

#[derive(Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFigures {
    width: Option<Spanned<f64>>,
}

#[derive(Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCharts {
    width: Option<Spanned<f64>>,
    aspect: Option<Spanned<f64>>,
}

#[derive(Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawImages {
    ppi: Option<Spanned<f64>>,
    min_ppi: Option<Spanned<f64>>,
    jpeg_quality: Option<Spanned<i64>>,
}

#[derive(Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSections {
    new_page: Option<Vec<Spanned<String>>>,
}

/// A value and the file it was written in (the project's, or the built-in theme).
struct Val<T> {
    value: T,
    loc: Loc,
}

/// The project's theme over the built-in one.
pub fn load(ctx: &mut Ctx) -> Option<Theme> {
    let file = Path::new(THEME_FILE);
    let builtin: RawTheme = toml::from_str(crate::builtin::style(THEME_FILE).expect("the built-in theme exists"))
        .expect("the built-in theme parses (tested)");
    let own: RawTheme =
        if ctx.files.exists(file) { ctx.files.read_toml(&mut ctx.diags, file)? } else { RawTheme::default() };
    let mut t = Merge { ctx, file };

    let font = t.pick(own.font, builtin.font);
    let neutral = t.pick(own.neutral, builtin.neutral);
    let neutral = t.colour(&neutral, "the neutral");
    let (op, bp) = (own.page.unwrap_or_default(), builtin.page.unwrap_or_default());
    let margin = |t: &mut Merge, o, b, name| t.number(t.pick(o, b), name, 0.0..=80.0, "millimetres");
    let margins = Margins {
        inside: margin(&mut t, op.inside, bp.inside, "page.inside"),
        outside: margin(&mut t, op.outside, bp.outside, "page.outside"),
        top: margin(&mut t, op.top, bp.top, "page.top"),
        bottom: margin(&mut t, op.bottom, bp.bottom, "page.bottom"),
    };
    let (ot, bt) = (own.sizes.unwrap_or_default(), builtin.sizes.unwrap_or_default());
    let minimum = t.pick(ot.minimum, bt.minimum);
    let min_at = minimum.loc.clone();
    // At most 10: the templates' smallest headings and their fixed sizes are 10 pt or more.
    let min_pt = t.number(minimum, "type.minimum", 6.0..=10.0, "points");
    let body = t.pick(ot.body, bt.body);
    let body_pt = t.size(body, "type.body", 5.0..=30.0, min_pt, &min_at);
    let chart = t.pick(ot.chart, bt.chart);
    let chart_pt = t.size(chart, "type.chart", 6.0..=20.0, min_pt, &min_at);
    let (opr, bpr) = (own.print.unwrap_or_default(), builtin.print.unwrap_or_default());
    let bleed_mm = t.number(t.pick(opr.bleed, bpr.bleed), "print.bleed", 0.0..=10.0, "millimetres");
    let slug_mm = t.number(t.pick(opr.slug, bpr.slug), "print.slug", 3.0..=20.0, "millimetres");
    let builtin_condition = bpr.condition.expect("the built-in theme sets [print.condition] (tested)");
    let condition = t.condition(opr.condition.unwrap_or(builtin_condition));
    let (of, bf) = (own.figures.unwrap_or_default(), builtin.figures.unwrap_or_default());
    let figure_width = t.number(t.pick(of.width, bf.width), "figures.width", 0.1..=1.0, "a fraction of the text width");
    let (oc, bc) = (own.charts.unwrap_or_default(), builtin.charts.unwrap_or_default());
    let chart_width = t.number(t.pick(oc.width, bc.width), "charts.width", 0.2..=1.0, "a fraction of the text width");
    let chart_aspect = t.number(t.pick(oc.aspect, bc.aspect), "charts.aspect", 0.2..=2.0, "height / width");
    let (oi, bi) = (own.images.unwrap_or_default(), builtin.images.unwrap_or_default());
    let ppi = t.number(t.pick(oi.ppi, bi.ppi), "images.ppi", 72.0..=1200.0, "pixels per inch");
    let min_ppi = t.number(t.pick(oi.min_ppi, bi.min_ppi), "images.min_ppi", 36.0..=1200.0, "pixels per inch");
    let quality = t.pick(oi.jpeg_quality, bi.jpeg_quality);
    let jpeg_quality = t.number(
        Val { value: quality.value as f64, loc: quality.loc },
        "images.jpeg_quality",
        30.0..=100.0,
        "a JPEG quality from 30 to 100",
    ) as u8;
    let (os, bs) = (own.sections.unwrap_or_default(), builtin.sections.unwrap_or_default());
    let new_page_sections =
        os.new_page.or(bs.new_page).unwrap_or_default().into_iter().map(Spanned::into_inner).collect();

    // Goal colours: the project's replace the built-in ones goal by goal.
    let mut goals = BTreeMap::new();
    let written = builtin
        .goals
        .colours
        .into_iter()
        .map(|(k, v)| (k, v, false))
        .chain(own.goals.colours.into_iter().map(|(k, v)| (k, v, true)));
    for (k, v, in_project) in written {
        let loc = if in_project { Loc::new(file, v.span()) } else { Loc::new(file, 0..0) };
        if let Some(n) = t.goal_number(&k, &loc) {
            let c = t.colour(&Val { value: v.into_inner(), loc }, &format!("SDG {n}"));
            goals.insert(n, c);
        }
    }
    // Text on them: vlr's choice, unless the project names a colour (only a project does).
    let on_neutral = OnField {
        text: t.text_colour(own.neutral_text, neutral, "neutral_text", "the neutral colour", TextSize::Normal),
        large: t.text_colour(
            own.neutral_large_text,
            neutral,
            "neutral_large_text",
            "the neutral colour",
            TextSize::Large,
        ),
    };
    let mut on_goals: BTreeMap<u8, OnField> = goals.iter().map(|(n, c)| (*n, c.text_on())).collect();
    for (table, size, written) in
        [("goals.text", TextSize::Normal, own.goals.text), ("goals.large_text", TextSize::Large, own.goals.large_text)]
    {
        for (k, v) in written {
            let loc = Loc::new(file, v.span());
            let Some(n) = t.goal_number(&k, &loc) else { continue };
            let field = goals[&n];
            let key = format!("{table}.{n}");
            let chosen = t.text_colour(Some(v), field, &key, &format!("SDG {n}"), size);
            on_goals.get_mut(&n).expect("every goal has a colour").set(size, chosen);
        }
    }
    // Goal colours in print: the project's replace the built-in ones goal by goal.
    let mut goals_cmyk = BTreeMap::new();
    let written = builtin.goals.cmyk.into_iter().map(|(k, v)| (k, v, false));
    for (k, v, in_project) in written.chain(own.goals.cmyk.into_iter().map(|(k, v)| (k, v, true))) {
        let loc = if in_project { Loc::new(file, v.span()) } else { Loc::new(file, 0..0) };
        let Some(n) = t.goal_number(&k, &loc) else { continue };
        match <[f64; 4]>::try_from(v.into_inner()) {
            Ok(c) if c.iter().all(|v| (0.0..=100.0).contains(v)) => {
                goals_cmyk.insert(n, c);
            }
            _ => t.ctx.diags.push(
                loc.error(Code::InvalidValue, format!("`goals.cmyk.{n}` is not four percentages"))
                    .hint("give C, M, Y and K from 0 to 100, e.g. 13 = [74, 32, 95, 19]"),
            ),
        }
    }
    if font.value.trim().is_empty() {
        t.ctx.diags.push(
            font.loc
                .error(Code::InvalidValue, "the theme font is empty")
                .hint("name a font family, e.g. font = \"Noto Sans\""),
        );
    }
    Some(Theme {
        font: font.value,
        font_at: font.loc,
        neutral,
        on_neutral,
        goals,
        on_goals,
        goals_cmyk,
        margins,
        body_pt,
        chart_pt,
        min_pt,
        bleed_mm,
        slug_mm,
        condition,
        figure_width,
        chart_width,
        chart_aspect,
        ppi,
        min_ppi,
        jpeg_quality,
        new_page_sections,
    })
}

struct Merge<'a> {
    ctx: &'a mut Ctx,
    file: &'a Path,
}

impl Merge<'_> {
    /// The project's value if it has one, else the built-in one.
    fn pick<T>(&self, own: Option<Spanned<T>>, builtin: Option<Spanned<T>>) -> Val<T> {
        match own {
            Some(v) => Val { loc: Loc::new(self.file, v.span()), value: v.into_inner() },
            None => Val {
                value: builtin.expect("the built-in theme sets every key (tested)").into_inner(),
                loc: Loc::new(self.file, 0..0),
            },
        }
    }

    /// A goal number (1-17) of a `[goals]` key.
    fn goal_number(&mut self, key: &str, loc: &Loc) -> Option<u8> {
        match key.parse::<u8>() {
            Ok(n) if (1..=17).contains(&n) => Some(n),
            _ => {
                self.ctx.diags.push(loc.error(Code::InvalidValue, format!("`{key}` is not a goal number (1-17)")));
                None
            }
        }
    }

    /// The colour of `size` text on `field`: the project's (`written`, which must reach AA on
    /// it), else vlr's choice.
    fn text_colour(
        &mut self,
        written: Option<Spanned<String>>,
        field: Rgb,
        key: &str,
        what: &str,
        size: TextSize,
    ) -> Rgb {
        let computed = field.text_on().get(size);
        let ratio = size.threshold();
        let Some(v) = written else { return computed };
        let v = Val { loc: Loc::new(self.file, v.span()), value: v.into_inner() };
        let Some(c) = Rgb::parse(&v.value) else {
            self.colour(&v, &format!("`{key}`"));
            return computed;
        };
        let reached = c.contrast(field);
        if reached < ratio {
            let size = match size {
                TextSize::Normal => "text",
                TextSize::Large => "large text (18 pt, or 14 pt bold)",
            };
            self.ctx.diags.push(
                v.loc
                    .error(
                        Code::LowContrast,
                        format!(
                            "`{key}` = \"{}\" reaches {reached:.2}:1 on {what} ({}); {size} needs {ratio}:1 (WCAG AA)",
                            v.value,
                            field.hex()
                        ),
                    )
                    .hint(format!(
                        "choose a colour that contrasts more, or remove the line for vlr's {}",
                        computed.hex()
                    )),
            );
            return computed;
        }
        c
    }

    /// A type size, which may not be below the theme's minimum (`min_at`: where it is set).
    fn size(
        &mut self,
        v: Val<f64>,
        name: &str,
        range: std::ops::RangeInclusive<f64>,
        min_pt: f64,
        min_at: &Loc,
    ) -> f64 {
        let size = self.number(Val { value: v.value, loc: v.loc.clone() }, name, range, "points");
        if size < min_pt {
            // Point at whichever of the two the project wrote (the size, if both).
            let loc = if v.loc.span.is_empty() { min_at } else { &v.loc };
            self.ctx.diags.push(
                loc.error(Code::InvalidValue, format!("`{name}` = {size} pt is below `type.minimum` = {min_pt} pt"))
                    .hint("nothing may print below the theme's minimum: raise the size, or lower `minimum`"),
            );
            return min_pt;
        }
        size
    }

    /// The printing condition, its profile read from the project (or built in for FOGRA39) and
    /// checked to be a CMYK output profile.
    fn condition(&mut self, raw: RawCondition) -> Condition {
        let identifier = raw.identifier.get_ref().trim().to_string();
        let info = raw.info.get_ref().trim().to_string();
        let builtin = || Condition::builtin(&identifier, raw.registry.as_deref(), &info);
        for (value, key) in [(&raw.identifier, "identifier"), (&raw.info, "info")] {
            if value.get_ref().trim().is_empty() {
                let loc = Loc::new(self.file, value.span());
                self.ctx.diags.push(loc.error(Code::InvalidValue, format!("`print.condition.{key}` is empty")));
            }
        }
        let Some(profile) = raw.profile else {
            if identifier != BUILTIN_CONDITION {
                let loc = Loc::new(self.file, raw.identifier.span());
                self.ctx.diags.push(
                    loc.error(
                        Code::InvalidValue,
                        format!("vlr's built-in profile is for {BUILTIN_CONDITION}, not `{identifier}`"),
                    )
                    .hint("name the condition's CMYK output profile: profile = \"styles/<profile>.icc\""),
                );
            }
            return builtin();
        };
        let loc = Loc::new(self.file, profile.span());
        let rel = match crate::files::project_relative(profile.get_ref()) {
            Ok(rel) => rel,
            Err(why) => {
                self.ctx.diags.push(loc.error(Code::InvalidValue, format!("`print.condition.profile`: {why}")));
                return builtin();
            }
        };
        let bytes = match self.ctx.files.read_bytes(&rel) {
            Ok(bytes) => bytes,
            Err(e) => {
                let d = e.diagnostic(&rel);
                self.ctx.diags.push(loc.error(d.code, d.message).hint("give a profile file inside the project"));
                return builtin();
            }
        };
        match super::icc::icc_header(&bytes) {
            Ok(h) if h.is_cmyk_output() => {}
            Ok(h) => self.ctx.diags.push(
                loc.error(
                    Code::InvalidValue,
                    format!(
                        "`{}` is a {} profile for {}, not a CMYK output profile",
                        rel.display(),
                        String::from_utf8_lossy(&h.class).trim(),
                        String::from_utf8_lossy(&h.colour_space).trim()
                    ),
                )
                .hint("the printing condition needs the printer's CMYK output (class `prtr`) profile"),
            ),
            Err(why) => self.ctx.diags.push(loc.error(Code::InvalidValue, format!("`{}` is {why}", rel.display()))),
        }
        Condition { identifier, registry: raw.registry, info, profile: bytes.into() }
    }

    fn colour(&mut self, v: &Val<String>, what: &str) -> Rgb {
        Rgb::parse(&v.value).unwrap_or_else(|| {
            self.ctx
                .diags
                .push(v.loc.error(Code::InvalidValue, format!("{what} colour `{}` is not a #RRGGBB colour", v.value)));
            Rgb(0x33, 0x33, 0x33)
        })
    }

    fn number(&mut self, v: Val<f64>, name: &str, range: std::ops::RangeInclusive<f64>, unit: &str) -> f64 {
        if range.contains(&v.value) {
            return v.value;
        }
        self.ctx.diags.push(
            v.loc.error(Code::InvalidValue, format!("`{name}` = {} is out of range", v.value)).hint(format!(
                "give {unit}, from {} to {}",
                range.start(),
                range.end()
            )),
        );
        v.value.clamp(*range.start(), *range.end())
    }
}

/// The printing condition a print edition is made for: its PDF/X output intent.
#[derive(Clone, PartialEq)]
pub struct Condition {
    /// `OutputConditionIdentifier`: a reference name from the ICC registry (`FOGRA39`), or
    /// the printer's own name for the condition.
    pub identifier: String,
    /// `RegistryName`: where `identifier` is registered (`http://www.color.org`), if it is.
    pub registry: Option<String>,
    /// `Info`: the condition in words (process, paper, standard).
    pub info: String,
    /// The ICC output profile (class `prtr`, CMYK) embedded as `DestOutputProfile`.
    pub profile: Arc<[u8]>,
}

impl std::fmt::Debug for Condition {
    /// The profile by its size: its bytes say nothing to a reader.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Condition")
            .field("identifier", &self.identifier)
            .field("registry", &self.registry)
            .field("info", &self.info)
            .field("profile", &format_args!("{} bytes", self.profile.len()))
            .finish()
    }
}

impl Condition {
    /// The built-in condition: FOGRA39 (offset on coated paper), with vlr's own profile made
    /// from the FOGRA39L characterization data (src/builtin/icc/README.md).
    pub fn builtin(identifier: &str, registry: Option<&str>, info: &str) -> Self {
        Condition {
            identifier: identifier.to_string(),
            registry: registry.map(str::to_string),
            info: info.to_string(),
            profile: Arc::from(crate::builtin::FOGRA39_PROFILE),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The theme of a project whose `styles/theme.toml` is `own` (none: the built-in theme).
    fn load_with(own: Option<&str>) -> (Option<Theme>, crate::diag::Diagnostics) {
        static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = N.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let root = std::env::temp_dir().join(format!("vlr-theme-{}-{n}", std::process::id()));
        std::fs::create_dir_all(root.join("styles")).unwrap();
        if let Some(text) = own {
            std::fs::write(root.join(THEME_FILE), text).unwrap();
        }
        let mut ctx = Ctx::new(&root, crate::files::FileCache::default());
        let theme = load(&mut ctx);
        std::fs::remove_dir_all(&root).unwrap();
        (theme, ctx.diags)
    }

    fn official() -> Vec<(u8, Rgb)> {
        let theme = toml::from_str::<RawTheme>(crate::builtin::style(THEME_FILE).unwrap()).unwrap();
        theme.goals.colours.iter().map(|(n, hex)| (n.parse().unwrap(), Rgb::parse(hex.get_ref()).unwrap())).collect()
    }

    /// The built-in theme sets every key (a missing one would panic in `pick`).
    #[test]
    fn the_builtin_theme_is_complete_and_valid() {
        let (theme, diags) = load_with(None);
        let theme = theme.expect("the built-in theme loads");
        assert!(diags.is_empty(), "{}", diags.short());
        assert_eq!(theme.font, "Noto Sans");
        assert_eq!(theme.min_pt, 8.0);
        assert!((1..=17).all(|g| theme.goals.contains_key(&g) && theme.on_goals.contains_key(&g)));
    }

    /// The UN's colours, as its guidelines define them: the theme keeps them exactly.
    #[test]
    fn the_goal_colours_are_the_official_ones() {
        let un = "#E5243B #DDA63A #4C9F38 #C5192D #FF3A21 #26BDE2 #FCC30B #A21942 #FD6925 #DD1367 #FD9D24 #BF8B2E \
                  #3F7E44 #0A97D9 #56C02B #00689D #19486A";
        let (theme, _) = load_with(None);
        let theme = theme.unwrap();
        let ours: Vec<String> = (1..=17).map(|g| theme.goal(g).hex()).collect();
        assert_eq!(ours.join(" "), un.split_whitespace().collect::<Vec<_>>().join(" "));
    }

    #[test]
    fn aa_thresholds_follow_wcag() {
        assert_eq!(aa_threshold(9.5, false), 4.5);
        assert_eq!(aa_threshold(17.9, false), 4.5);
        assert_eq!(aa_threshold(18.0, false), 3.0);
        assert_eq!(aa_threshold(13.9, true), 4.5);
        assert_eq!(aa_threshold(14.0, true), 3.0);
        // A size read back from a page, a hair under 14 pt.
        assert_eq!(aa_threshold(13.999_9, true), 3.0);
        assert!((contrast(Rgb::BLACK, Rgb::WHITE) - 21.0).abs() < 1e-9);
        assert_eq!(contrast(Rgb::WHITE, Rgb::WHITE), 1.0);
        let yellow = Rgb::parse("#FCC30B").unwrap();
        assert_eq!(contrast(yellow, Rgb::WHITE), contrast(Rgb::WHITE, yellow));
    }

    /// Text in each goal's ink on white and on its tint reaches WCAG AA; the ink is the official
    /// colour itself where that already does.
    #[test]
    fn every_goal_ink_reaches_aa_contrast() {
        for (n, official) in official() {
            let ink = official.ink(AA);
            for (what, against) in [("white", Rgb::WHITE), ("its tint", official.tint())] {
                let ratio = ink.contrast(against);
                assert!(ratio >= AA, "SDG {n}: ink {} on {what} is {ratio:.2}:1", ink.hex());
            }
            if official.contrast(Rgb::WHITE) >= AA && official.contrast(official.tint()) >= AA {
                assert_eq!(ink, official, "SDG {n}");
            }
        }
    }

    /// Text on each goal's official colour reaches AA at both sizes; it is white wherever white
    /// does, else one dark shade of the goal.
    #[test]
    fn text_on_every_goal_reaches_aa_and_is_white_where_white_does() {
        for (n, field) in official() {
            let on = field.text_on();
            for size in [TextSize::Normal, TextSize::Large] {
                let c = on.get(size);
                let ratio = c.contrast(field);
                assert!(ratio >= size.threshold(), "SDG {n} {size:?}: {} on {} is {ratio:.2}:1", c.hex(), field.hex());
                let white_reaches = Rgb::WHITE.contrast(field) >= size.threshold();
                assert_eq!(c == Rgb::WHITE, white_reaches, "SDG {n} {size:?}");
            }
            // The dark shade is the goal's own hue: no channel brighter than the goal's.
            let dark = on.text;
            assert!(dark == Rgb::WHITE || (dark.0 <= field.0 && dark.1 <= field.1 && dark.2 <= field.2), "SDG {n}");
        }
        let on = |hex| Rgb::parse(hex).unwrap().text_on();
        // Yellow and orange carry dark text at every size; dark green white at every size;
        // green (SDG 3) white only where the text is large.
        for hex in ["#FCC30B", "#FD9D24"] {
            assert_ne!(on(hex).text, Rgb::WHITE, "{hex}");
            assert_eq!(on(hex).text, on(hex).large, "{hex}");
        }
        assert_eq!(on("#3F7E44"), OnField { text: Rgb::WHITE, large: Rgb::WHITE });
        assert_ne!(on("#4C9F38").text, Rgb::WHITE);
        assert_eq!(on("#4C9F38").large, Rgb::WHITE);
    }

    #[test]
    fn a_project_chooses_text_colours_that_reach_aa() {
        let (theme, diags) = load_with(Some(
            "neutral_text = \"#FFFFFF\"\n[goals.text]\n7 = \"#1A1A1A\"\n[goals.large_text]\n3 = \"#102008\"\n",
        ));
        assert!(diags.is_empty(), "{}", diags.short());
        let theme = theme.unwrap();
        assert_eq!(theme.on_goal(7).text, Rgb(0x1A, 0x1A, 0x1A));
        assert_eq!(theme.on_goal(7).large, Rgb::parse("#FCC30B").unwrap().text_on().large);
        assert_eq!(theme.on_goal(3).large, Rgb(0x10, 0x20, 0x08));
        // The colour the text sits on stays the official one.
        assert_eq!(theme.goal(7).hex(), "#FCC30B");

        // White on yellow is refused, at the line that asks for it.
        let own = "[goals]\n[goals.text]\n7 = \"#FFFFFF\"\n";
        let (theme, diags) = load_with(Some(own));
        let d = diags.iter().next().expect("an error");
        assert_eq!(d.code, crate::diag::Code::LowContrast);
        assert!(d.message.contains("`goals.text.7` = \"#FFFFFF\" reaches 1.62:1 on SDG 7 (#FCC30B)"), "{}", d.message);
        assert_eq!(d.span.clone().map(|s| &own[s]), Some("\"#FFFFFF\""));
        assert_eq!(theme.unwrap().on_goal(7).text, Rgb::parse("#FCC30B").unwrap().text_on().text);

        // Large text may reach 3:1 only; a bad colour and goal are named too.
        let (_, diags) = load_with(Some("[goals.large_text]\n3 = \"#FFFFFF\"\n14 = \"#FFF\"\n18 = \"#000000\"\n"));
        let messages: Vec<&str> = diags.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(messages.len(), 2, "{messages:?}");
        assert!(messages[0].contains("`goals.large_text.14` colour `#FFF` is not a #RRGGBB colour"), "{messages:?}");
        assert!(messages[1].contains("`18` is not a goal number"), "{messages:?}");
    }

    #[test]
    fn no_size_is_below_the_minimum() {
        let (theme, diags) = load_with(Some("[type]\nminimum = 9\nchart = 9\n"));
        assert!(diags.is_empty(), "{}", diags.short());
        assert_eq!(theme.unwrap().min_pt, 9.0);

        // The project's size is named where it is below; the project's minimum where a built-in
        // size falls below it.
        let own = "[type]\nminimum = 10\nchart = 9\n";
        let (_, diags) = load_with(Some(own));
        let found: Vec<(String, &str)> =
            diags.iter().map(|d| (d.message.clone(), &own[d.span.clone().unwrap()])).collect();
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(found[0], ("`type.body` = 9.5 pt is below `type.minimum` = 10 pt".to_string(), "10"));
        assert_eq!(found[1], ("`type.chart` = 9 pt is below `type.minimum` = 10 pt".to_string(), "9"));

        let (_, diags) = load_with(Some("[type]\nminimum = 3\n"));
        assert!(diags.iter().any(|d| d.message.contains("`type.minimum` = 3 is out of range")), "{}", diags.short());
    }
}
