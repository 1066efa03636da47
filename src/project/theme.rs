//! `styles/theme.toml`: the values the templates and the Rust stages share — fonts, colours,
//! page geometry, type sizes, chart and figure sizes, image targets, which sections start a
//! page. The built-in theme has them all; a project's `styles/theme.toml` overrides any of
//! them, key by key (a complete file works too).
//!
//! Goal colours are the official SDG palette, used for fields (bands, bars, tints). Text set in
//! a goal colour, and white text on one, use its *ink*: the official colour darkened just
//! enough to reach WCAG AA contrast (4.5:1) against white and against the goal's light tint.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;
use toml::Spanned;

use super::report::PageSize;
use crate::ctx::Ctx;
use crate::diag::Loc;

pub const THEME_FILE: &str = "styles/theme.toml";

/// An sRGB colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    pub const WHITE: Rgb = Rgb(255, 255, 255);

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

    /// WCAG 2 contrast ratio (1 to 21).
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

    /// This colour darkened in small steps until text in it reaches `ratio` against white
    /// and against its own tint (and white text on it reaches `ratio` too).
    pub fn ink(self, ratio: f64) -> Rgb {
        let black = Rgb(0, 0, 0);
        let tint = self.tint();
        (0..=100)
            .map(|step| self.mix(black, step as f64 / 100.0))
            .find(|c| c.contrast(Rgb::WHITE) >= ratio && c.contrast(tint) >= ratio)
            .unwrap_or(black)
    }
}

/// WCAG AA for text of normal size.
pub const AA: f64 = 4.5;

#[derive(Debug, Clone)]
pub struct Theme {
    /// The font family of text and charts.
    pub font: String,
    /// Where `font` is written, for a family no font file provides.
    pub font_at: Loc,
    pub neutral: Rgb,
    goals: BTreeMap<u8, Rgb>,
    /// Page margins in millimetres.
    pub margins: Margins,
    /// Type sizes in points: body text, chart labels.
    pub body_pt: f64,
    pub chart_pt: f64,
    /// No text prints below this size (pt).
    pub min_pt: f64,
    /// Print edition: bleed and slug in millimetres.
    pub bleed_mm: f64,
    pub slug_mm: f64,
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
    page: Option<RawPage>,
    #[serde(rename = "type")]
    sizes: Option<RawType>,
    print: Option<RawPrint>,
    figures: Option<RawFigures>,
    charts: Option<RawCharts>,
    images: Option<RawImages>,
    sections: Option<RawSections>,
    #[serde(default)]
    goals: BTreeMap<String, Spanned<String>>,
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
}

#[derive(Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPrint {
    bleed: Option<Spanned<f64>>,
    slug: Option<Spanned<f64>>,
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
    let body_pt = t.number(t.pick(ot.body, bt.body), "type.body", 5.0..=30.0, "points");
    let chart_pt =
        t.number(t.pick(ot.chart, bt.chart), "type.chart", 6.0..=20.0, "points (6 at least, to stay readable)");
    let (opr, bpr) = (own.print.unwrap_or_default(), builtin.print.unwrap_or_default());
    let bleed_mm = t.number(t.pick(opr.bleed, bpr.bleed), "print.bleed", 0.0..=10.0, "millimetres");
    let slug_mm = t.number(t.pick(opr.slug, bpr.slug), "print.slug", 3.0..=20.0, "millimetres");
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
    let written =
        builtin.goals.into_iter().map(|(k, v)| (k, v, false)).chain(own.goals.into_iter().map(|(k, v)| (k, v, true)));
    for (k, v, in_project) in written {
        let loc = if in_project { Loc::new(file, v.span()) } else { Loc::new(file, 0..0) };
        match k.parse::<u8>() {
            Ok(n) if (1..=17).contains(&n) => {
                let c = t.colour(&Val { value: v.into_inner(), loc }, &format!("SDG {n}"));
                goals.insert(n, c);
            }
            _ => t.ctx.diags.push(loc.error("invalid-value", format!("`{k}` is not a goal number (1-17)"))),
        }
    }
    if font.value.trim().is_empty() {
        t.ctx.diags.push(
            font.loc
                .error("invalid-value", "the theme font is empty")
                .hint("name a font family, e.g. font = \"Noto Sans\""),
        );
    }
    Some(Theme {
        font: font.value,
        font_at: font.loc,
        neutral,
        goals,
        margins,
        body_pt,
        chart_pt,
        min_pt: 8.0,
        bleed_mm,
        slug_mm,
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

    fn colour(&mut self, v: &Val<String>, what: &str) -> Rgb {
        Rgb::parse(&v.value).unwrap_or_else(|| {
            self.ctx
                .diags
                .push(v.loc.error("invalid-value", format!("{what} colour `{}` is not a #RRGGBB colour", v.value)));
            Rgb(0x33, 0x33, 0x33)
        })
    }

    fn number(&mut self, v: Val<f64>, name: &str, range: std::ops::RangeInclusive<f64>, unit: &str) -> f64 {
        if range.contains(&v.value) {
            return v.value;
        }
        self.ctx.diags.push(
            v.loc.error("invalid-value", format!("`{name}` = {} is out of range", v.value)).hint(format!(
                "give {unit}, from {} to {}",
                range.start(),
                range.end()
            )),
        );
        v.value.clamp(*range.start(), *range.end())
    }
}

/// The built-in theme sets every key (a missing one would panic in `pick`).
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_builtin_theme_is_complete_and_valid() {
        let root = std::env::temp_dir().join(format!("vlr-theme-{}", std::process::id()));
        std::fs::create_dir_all(&root).unwrap();
        let mut ctx = Ctx::new(&root, crate::files::FileCache::default());
        let theme = load(&mut ctx).expect("the built-in theme loads");
        assert!(ctx.diags.is_empty(), "{}", ctx.diags.short());
        assert_eq!(theme.font, "Noto Sans");
        assert!((1..=17).all(|g| theme.goals.contains_key(&g)));
        std::fs::remove_dir_all(&root).unwrap();
    }

    /// Text in each goal's ink on white and on its tint, and white text on its ink, reach WCAG AA.
    #[test]
    fn every_goal_ink_reaches_aa_contrast() {
        let theme = toml::from_str::<RawTheme>(crate::builtin::style(THEME_FILE).unwrap()).unwrap();
        for (n, hex) in theme.goals {
            let official = Rgb::parse(hex.get_ref()).unwrap();
            let ink = official.ink(AA);
            for (what, against) in [("white", Rgb::WHITE), ("its tint", official.tint())] {
                let ratio = ink.contrast(against);
                assert!(ratio >= AA, "SDG {n}: ink {} on {what} is {ratio:.2}:1", ink.hex());
            }
            // No darker than it must be: the official colour itself where it already passes.
            if official.contrast(Rgb::WHITE) >= AA && official.contrast(official.tint()) >= AA {
                assert_eq!(ink, official, "SDG {n}");
            }
        }
        // The two cases the published palette fails worst: yellow and cyan.
        assert!(Rgb::parse("#FCC30B").unwrap().contrast(Rgb::WHITE) < 2.0);
        assert!(Rgb::parse("#26BDE2").unwrap().contrast(Rgb::WHITE) < 2.5);
    }
}
