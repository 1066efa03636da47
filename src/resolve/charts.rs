//! A chart as data: its points with their labels and printed values in one language, ready to
//! draw (stage 3) and to describe in words (the alt text a screen reader reads).

use std::hash::{Hash, Hasher};

use super::texts::{Texts, format_value};
use crate::diag::Diagnostics;
use crate::project::{ChartKind, Field, Indicator, Rgb, Status, Value};

/// Everything that shapes a chart's picture, resolved: drawing needs nothing else.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartData {
    pub kind: ChartKind,
    /// The size it prints at.
    pub size: Size,
    pub series: Vec<Series>,
    pub color: Rgb,
    /// The font families the SVG names, in order: the pack's first (a CJK face has Latin
    /// letters too, so a Chinese label is set in one face, not a fallback one), then the theme's.
    pub fonts: Vec<String>,
    /// Whether the edition is written right to left: time then runs from right to left.
    pub rtl: bool,
    /// The edition's language (its script decides the labels' line spacing).
    pub lang: String,
    /// How a value the source lost is printed.
    pub pending: String,
}

/// A chart's printed size: width and height, and the size of its labels, in points.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Size {
    pub width: f64,
    pub height: f64,
    pub label: f64,
}

/// One indicator of a chart: its label and points (a year each; one point for a single value).
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub label: String,
    pub unit: String,
    /// A single value, not a series: charts of several of them compare them side by side.
    pub single: Option<Point>,
    pub points: Vec<Point>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Point {
    pub label: String,
    /// `None`: pending.
    pub value: Option<f64>,
    pub text: String,
}

impl Hash for ChartData {
    fn hash<H: Hasher>(&self, h: &mut H) {
        (self.kind, &self.fonts, self.rtl, &self.lang, self.color, &self.pending).hash(h);
        [self.size.width, self.size.height, self.size.label].map(f64::to_bits).hash(h);
        for s in &self.series {
            (&s.label, &s.unit).hash(h);
            for p in s.single.iter().chain(&s.points) {
                (&p.label, p.value.map(f64::to_bits), &p.text).hash(h);
            }
        }
    }
}

impl ChartData {
    /// The bars or points of a one-dimensional chart: the years of one series, or one value per
    /// indicator when several single values are compared (e.g. a share at two dates of a year).
    pub fn axis_points(&self) -> Vec<Point> {
        if let [s] = self.series.as_slice() {
            return s.points.clone();
        }
        self.series
            .iter()
            .map(|s| {
                let mut p =
                    s.single.clone().unwrap_or(Point { label: String::new(), value: None, text: self.pending.clone() });
                p.label = s.label.clone();
                p
            })
            .collect()
    }

    /// Every text the chart prints (labels and values), for the font check.
    pub fn printed(&self) -> impl Iterator<Item = &str> {
        self.series.iter().flat_map(|s| {
            std::iter::once(s.label.as_str())
                .chain(s.single.iter().chain(&s.points).flat_map(|p| [p.label.as_str(), p.text.as_str()]))
        })
    }

    /// A text description of the chart's data, for alt text (screen readers): every value,
    /// with its label and the unit in the edition's language.
    pub fn describe(&self, title: &str) -> String {
        let parts: Vec<String> = self
            .series
            .iter()
            .map(|s| match &s.single {
                Some(p) if s.points.is_empty() => format!("{}: {}", s.label, p.text),
                _ => {
                    let values: Vec<String> = s.points.iter().map(|p| format!("{} {}", p.label, p.text)).collect();
                    format!("{}: {}", s.label, values.join(", "))
                }
            })
            .collect();
        let unit = self.series.first().map_or("", |s| s.unit.as_str());
        // No unit when the values carry it (%) or the title already names it.
        if unit.is_empty() || crate::numbers::is_percent(unit) || title.contains(unit) {
            format!("{title}: {}", parts.join("; "))
        } else {
            format!("{title} ({unit}): {}", parts.join("; "))
        }
    }
}

/// The series of one indicator in a language.
fn series(
    diags: &mut Diagnostics,
    ind: &Indicator,
    label: String,
    unit: String,
    texts: &Texts,
    pending: &str,
) -> Series {
    let numbers = texts.numbers();
    // A value prints as the data appendix prints it: with its hedge ("about") and its status's
    // mark (derived †, uncertain ‡).
    let mut point = |label: String, year: Option<i32>, v: &Value| match v {
        Value::Known(n) => Point {
            label,
            value: Some(n.as_f64()),
            text: texts.hedged(diags, ind, year, format_value(ind, *n, numbers)),
        },
        Value::Pending => Point { label, value: None, text: pending.to_string() },
    };
    let single = match ind.value {
        Some(v) if ind.status != Status::Pending => Some(point(String::new(), None, &v)),
        _ => None,
    };
    let points = ind.series.iter().map(|(year, v)| point(year.to_string(), Some(*year), v)).collect();
    Series { label, unit, single, points }
}

/// The chart of `kind` over `indicators`, labelled in the language of `texts`.
pub fn chart(
    diags: &mut Diagnostics,
    texts: &Texts,
    kind: ChartKind,
    indicators: &[&Indicator],
    color: Rgb,
    theme_font: &str,
    size: Size,
) -> ChartData {
    let pending = texts.pending_word();
    let compare_values = kind != ChartKind::Pair && indicators.len() > 1;
    let mut labelled: Vec<(&Indicator, String)> = indicators
        .iter()
        .map(|ind| {
            let label = match &ind.short {
                Some(s) => texts.indicator_text(diags, ind, Field::Short).unwrap_or_else(|| s.clone()),
                None => texts.indicator_text(diags, ind, Field::Title).unwrap_or_else(|| ind.title.clone()),
            };
            (*ind, label)
        })
        .collect();
    // Compared single values with equal names say nothing apart: label them by date.
    if compare_values && labelled.windows(2).all(|w| w[0].1 == w[1].1) {
        for (ind, label) in &mut labelled {
            if let Some(d) = super::indicator_date(diags, texts, ind) {
                *label = d;
            }
        }
    }
    let series = labelled
        .into_iter()
        .map(|(ind, label)| {
            let unit = texts.unit(diags, ind, None);
            series(diags, ind, label, unit, texts, &pending)
        })
        .collect();
    let pack = texts.chain().first().map(|p| &p.meta);
    let mut fonts: Vec<String> = pack.map(|p| p.fonts.clone()).unwrap_or_default();
    fonts.push(theme_font.to_string());
    let lang = pack.map(|p| p.lang.clone()).unwrap_or_default();
    let rtl = crate::script::is_rtl(&lang);
    ChartData { kind, size, series, color, fonts, rtl, lang, pending }
}
