//! Charts drawn from their data: the geometry (bars, lines, grid, swatches) with plotters as
//! SVG, and the words (values, axis labels, legend) as [`Labels`] that the typesetter sets over
//! it, so chart text is shaped, ordered (bidi) and read back like any other text of the page.
//!
//! Charts are drawn at print size (1 SVG unit = 1 pt) and printed at that size, so their
//! words are exactly the theme's chart size. Where a label goes is decided here: it is broken
//! into lines at the line-break opportunities of Unicode's UAX #14 (never inside a word or a
//! grapheme cluster), measured with the faces that print it ([`Measure`], which the
//! typesetter provides), with lines at least 1.2 × the size apart.

use std::cell::RefCell;

use icu_segmenter::LineSegmenter;
use icu_segmenter::options::LineBreakOptions;
use plotters::prelude::*;
use serde::{Deserialize, Serialize};

use crate::project::{ChartKind, Rgb};
use crate::resolve::charts::{ChartData, Point};

const INK: RGBColor = RGBColor(0x33, 0x33, 0x33);
const GRID: RGBColor = RGBColor(0xDD, 0xDD, 0xDD);
/// Lines of labels under the axis at most; a longer label is cut with an ellipsis (and the
/// build warns, naming the chart and the label to shorten).
pub const MAX_LABEL_LINES: usize = 3;
/// Room between two neighbouring labels, in points.
const LABEL_GAP: f64 = 4.0;
/// Where a line of text sits around its baseline, in em: about the height of capitals and
/// accents above it, and of descenders below it.
const ASCENT: f64 = 0.8;
const DESCENT: f64 = 0.25;

/// How wide a text is, in points, set at `size` in the chart's fonts.
pub trait Measure {
    fn width(&self, text: &str, size: f64) -> f64;
}

fn rgb(c: Rgb) -> RGBColor {
    RGBColor(c.0, c.1, c.2)
}

/// A lighter tint of the goal colour for the "before" bars of a pair chart.
fn tint(c: RGBColor, amount: f64) -> RGBColor {
    let mix = |v: u8| (v as f64 + (255.0 - v as f64) * amount).round() as u8;
    RGBColor(mix(c.0), mix(c.1), mix(c.2))
}

/// A drawn chart: the picture, the words to set over it, and the labels that did not fit.
#[derive(Debug, Clone)]
pub struct Drawn {
    /// The geometry, as SVG text (no text elements).
    pub svg: String,
    pub labels: Labels,
    /// Labels that do not fit their place: wider than their slot even on a line of their own,
    /// or longer than [`MAX_LABEL_LINES`] lines (cut with an ellipsis).
    pub unfit: Vec<String>,
}

/// The words of a chart, as the templates receive them (`charts/<id>.json`): each label's
/// lines with the baseline of its first line and how it is aligned on `x`, in points from the
/// chart's top left corner.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Labels {
    pub width: f64,
    pub height: f64,
    /// The text size, pt.
    pub size: f64,
    /// From one baseline to the next, pt.
    pub pitch: f64,
    /// The text colour, `#RRGGBB`.
    pub ink: String,
    /// The font families, in order (those the labels were measured with).
    pub fonts: Vec<String>,
    pub labels: Vec<Label>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Label {
    pub x: f64,
    /// The baseline of the first line.
    pub y: f64,
    pub align: Align,
    pub lines: Vec<String>,
}

/// How a label stands on its `x`: starting there, centred on it, or ending there (absolute
/// directions: in a right-to-left edition the chart itself is mirrored, not the anchors).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Align {
    Left,
    Center,
    Right,
}

/// Where a label stands vertically on its `y`.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Anchor {
    /// Its first line's top at `y` (axis labels under the plot).
    Top,
    /// Its last line's bottom at `y` (values above a bar).
    Bottom,
    /// Its middle at `y` (the legend beside a swatch).
    Middle,
}

/// Charts drawn before, by a hash of everything that shapes them: a rebuild redraws only the
/// charts whose data, words or colours changed.
#[derive(Default)]
pub struct ChartCache {
    cache: std::sync::Mutex<std::collections::HashMap<u64, Drawn>>,
    /// Charts actually drawn (not served from the cache).
    pub drawn: std::sync::atomic::AtomicUsize,
}

impl ChartCache {
    pub fn draw(&self, input: &ChartData, measure: &dyn Measure) -> Result<Drawn, String> {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        input.hash(&mut h);
        let key = h.finish();
        if let Some(d) = self.cache.lock().unwrap_or_else(|e| e.into_inner()).get(&key) {
            return Ok(d.clone());
        }
        let drawn = draw(input, measure)?;
        self.drawn.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        self.cache.lock().unwrap_or_else(|e| e.into_inner()).insert(key, drawn.clone());
        Ok(drawn)
    }
}

/// Draws the chart. Returns its picture and words, or a message if plotters failed.
pub fn draw(input: &ChartData, measure: &dyn Measure) -> Result<Drawn, String> {
    let mut svg = String::new();
    let (w, h) = (input.size.width.round() as u32, input.size.height.round() as u32);
    let (labels, unfit) = {
        let root = SVGBackend::with_string(&mut svg, (w, h)).into_drawing_area();
        let chart = Chart::new(&root, input, measure);
        let result = match input.kind {
            ChartKind::Bar => chart.bars(),
            ChartKind::Line => chart.line(),
            ChartKind::Pair => chart.pairs(),
            ChartKind::SdgGrid => Ok(()),
        };
        result.map_err(|e| format!("chart drawing failed: {e}"))?;
        root.present().map_err(|e| format!("chart drawing failed: {e}"))?;
        (chart.labels.into_inner(), chart.unfit.into_inner())
    };
    // SVG user units are pixels (0.75 pt) unless the size says otherwise: say points, so the
    // chart prints at the size it was drawn, under words set at exactly the theme's size.
    let svg = svg.replacen(&format!("width=\"{w}\" height=\"{h}\""), &format!("width=\"{w}pt\" height=\"{h}pt\""), 1);
    let labels = Labels {
        width: w as f64,
        height: h as f64,
        size: input.size.label,
        pitch: pitch(input),
        ink: format!("#{:02X}{:02X}{:02X}", INK.0, INK.1, INK.2),
        fonts: input.fonts.clone(),
        labels,
    };
    Ok(Drawn { svg, labels, unfit })
}

/// From one baseline of a label to the next: the script's line spacing, and never under 1.2 ×
/// the size (lines closer than that touch).
fn pitch(input: &ChartData) -> f64 {
    input.size.label * (ASCENT + crate::script::leading(&input.lang)).max(1.25)
}

type Area<'a> = DrawingArea<SVGBackend<'a>, plotters::coord::Shift>;
type DrawResult = Result<(), Box<dyn std::error::Error>>;

/// A chart being drawn: its area, data, fonts, plot box, and the words placed so far.
struct Chart<'a, 'b> {
    root: &'a Area<'b>,
    input: &'a ChartData,
    measure: &'a dyn Measure,
    /// The plot box (left, top, right, bottom, in pt): bars and points inside, values above
    /// (or below, when negative), labels under the bottom.
    l: i32,
    t: i32,
    r: i32,
    b: i32,
    labels: RefCell<Vec<Label>>,
    unfit: RefCell<Vec<String>>,
}

/// What the value axis spans: from `lo` (0, or the lowest value) at the plot's bottom to `hi`
/// at its top, with room for the value labels beyond the bars.
struct Scale {
    /// The lowest and highest values (0 included).
    min: f64,
    max: f64,
    lo: f64,
    hi: f64,
    t: i32,
    b: i32,
}

impl Scale {
    fn new(values: impl Iterator<Item = f64>, t: i32, b: i32) -> Self {
        let (min, max) = values.fold((0.0f64, 0.0f64), |(lo, hi), v| (lo.min(v), hi.max(v)));
        let span = if max - min > 0.0 { max - min } else { 1.0 };
        let hi = if max > 0.0 || min == 0.0 { max + span * 0.18 } else { 0.0 };
        let lo = if min < 0.0 { min - span * 0.18 } else { 0.0 };
        Self { min, max, lo, hi: if hi > lo { hi } else { lo + 1.0 }, t, b }
    }

    fn y(&self, v: f64) -> i32 {
        let frac = ((v - self.lo) / (self.hi - self.lo)).clamp(0.0, 1.0);
        self.b - ((self.b - self.t) as f64 * frac).round() as i32
    }
}

impl<'a, 'b> Chart<'a, 'b> {
    fn new(root: &'a Area<'b>, input: &'a ChartData, measure: &'a dyn Measure) -> Self {
        let (w, h) = (input.size.width.round() as i32, input.size.height.round() as i32);
        let mut chart = Self {
            root,
            input,
            measure,
            l: 8,
            t: 0,
            r: w - 8,
            b: h,
            labels: RefCell::default(),
            unfit: RefCell::default(),
        };
        // Room above for a line of values (and the legend of a pair chart), below for the
        // labels as broken into lines for their slots.
        let size = input.size.label;
        let lines = chart.label_lines() as f64;
        chart.t = (size * 2.0 + pitch(input) - size).round() as i32;
        chart.b = h - (4.0 + size * (ASCENT + DESCENT) + pitch(input) * (lines - 1.0)).ceil() as i32;
        chart
    }

    /// The number of label lines the label that breaks into the most lines needs.
    fn label_lines(&self) -> usize {
        let labels: Vec<String> = match self.input.kind {
            ChartKind::Pair => self.input.series.iter().map(|s| s.label.clone()).collect(),
            _ => self.input.axis_points().into_iter().map(|p| p.label).collect(),
        };
        let slot = self.slot(labels.len());
        labels.iter().map(|l| self.wrap(l, slot - LABEL_GAP).0.len()).max().unwrap_or(1).max(1)
    }

    fn slot(&self, n: usize) -> f64 {
        (self.r - self.l) as f64 / n.max(1) as f64
    }

    /// The centre of slot `i` of `n`: left to right, or right to left in a right-to-left
    /// edition (where time, like reading, runs from the right).
    fn centre(&self, i: usize, n: usize) -> i32 {
        let i = if self.input.rtl { n - 1 - i } else { i };
        self.l + (self.slot(n) * (i as f64 + 0.5)) as i32
    }

    /// Places a label of `lines` at `(x, y)`, standing on it as `align` and `anchor` say.
    fn place(&self, lines: Vec<String>, (x, y): (i32, i32), align: Align, anchor: Anchor) {
        let size = self.input.size.label;
        let n = lines.len().max(1) as f64;
        let first = match anchor {
            Anchor::Top => y as f64 + ASCENT * size,
            Anchor::Bottom => y as f64 - DESCENT * size - pitch(self.input) * (n - 1.0),
            Anchor::Middle => y as f64 + (ASCENT - DESCENT) / 2.0 * size - pitch(self.input) * (n - 1.0) / 2.0,
        };
        self.labels.borrow_mut().push(Label { x: x as f64, y: first, align, lines });
    }

    /// A value's label: above a bar or point, below a negative bar.
    fn value_label(&self, text: &str, x: i32, end: i32, negative: bool) {
        let lines = vec![text.to_string()];
        if negative {
            self.place(lines, (x, end + 2), Align::Center, Anchor::Top);
        } else {
            self.place(lines, (x, end - 2), Align::Center, Anchor::Bottom);
        }
    }

    /// A label under the plot, broken into lines for its slot.
    fn axis_label(&self, text: &str, x: i32, width: f64) {
        let (lines, fits) = self.wrap(text, width);
        if !fits {
            self.unfit.borrow_mut().push(text.to_string());
        }
        self.place(lines, (x, self.b + 4), Align::Center, Anchor::Top);
    }

    /// The zero line in ink; grid lines at the highest value, half of it and the lowest.
    fn axis(&self, scale: &Scale) -> DrawResult {
        for v in [scale.max, scale.max / 2.0, scale.min].into_iter().filter(|v| *v != 0.0) {
            let y = scale.y(v);
            self.root.draw(&PathElement::new(vec![(self.l, y), (self.r, y)], GRID.stroke_width(1)))?;
        }
        let zero = scale.y(0.0);
        self.root.draw(&PathElement::new(vec![(self.l, zero), (self.r, zero)], INK.stroke_width(1)))?;
        Ok(())
    }

    /// A value the source lost: an outlined box standing on the zero line.
    fn pending_box(&self, x0: i32, x1: i32, zero: i32) -> DrawResult {
        self.root.draw(&Rectangle::new([(x0, zero - 30), (x1, zero)], GRID.stroke_width(1)))?;
        Ok(())
    }

    fn bars(&self) -> DrawResult {
        let pts = self.input.axis_points();
        let scale = Scale::new(pts.iter().filter_map(|p| p.value), self.t, self.b);
        self.axis(&scale)?;
        let (n, zero) = (pts.len(), scale.y(0.0));
        let slot = self.slot(n);
        let half = (slot * 0.28) as i32;
        for (i, p) in pts.iter().enumerate() {
            let cx = self.centre(i, n);
            match p.value {
                Some(v) => {
                    let end = scale.y(v);
                    let (top, bottom) = (end.min(zero), end.max(zero));
                    self.root.draw(&Rectangle::new(
                        [(cx - half, top), (cx + half, bottom)],
                        rgb(self.input.color).filled(),
                    ))?;
                    self.value_label(&p.text, cx, end, v < 0.0);
                }
                None => {
                    self.pending_box(cx - half, cx + half, zero)?;
                    self.value_label(&p.text, cx, zero - 30, false);
                }
            }
            self.axis_label(&p.label, cx, slot - LABEL_GAP);
        }
        Ok(())
    }

    fn line(&self) -> DrawResult {
        let pts = self.input.axis_points();
        let scale = Scale::new(pts.iter().filter_map(|p| p.value), self.t, self.b);
        self.axis(&scale)?;
        let n = pts.len();
        let coords: Vec<(i32, Option<i32>)> =
            pts.iter().enumerate().map(|(i, p)| (self.centre(i, n), p.value.map(|v| scale.y(v)))).collect();
        let known: Vec<(i32, i32)> = coords.iter().filter_map(|(x, y)| y.map(|y| (*x, y))).collect();
        self.root.draw(&PathElement::new(known, rgb(self.input.color).stroke_width(2)))?;
        for (p, (x, y)) in pts.iter().zip(&coords) {
            if let Some(y) = y {
                self.root.draw(&Circle::new((*x, *y), 3, rgb(self.input.color).filled()))?;
            }
            self.value_label(&p.text, *x, y.unwrap_or(scale.y(0.0) - 10) - 3, false);
            self.axis_label(&p.label, *x, self.slot(n) - LABEL_GAP);
        }
        Ok(())
    }

    /// Grouped bars: for each indicator, its first and last year side by side, with a legend.
    fn pairs(&self) -> DrawResult {
        let groups: Vec<(&str, Vec<Point>)> = self
            .input
            .series
            .iter()
            .map(|s| {
                let mut pts = s.points.clone();
                if pts.len() > 2 {
                    let last = pts.pop().expect("len > 2");
                    pts.truncate(1);
                    pts.push(last);
                }
                (s.label.as_str(), pts)
            })
            .collect();
        let scale = Scale::new(groups.iter().flat_map(|(_, p)| p.iter().filter_map(|p| p.value)), self.t, self.b);
        self.axis(&scale)?;
        let (n, zero) = (groups.len(), scale.y(0.0));
        let slot = self.slot(n);
        let colors = [tint(rgb(self.input.color), 0.55), rgb(self.input.color)];
        let bar = ((slot * 0.7) / 2.0).min(26.0) as i32;
        for (gi, (label, pts)) in groups.iter().enumerate() {
            let cx = self.centre(gi, n);
            for (pi, p) in pts.iter().enumerate() {
                // The earlier year on the side time starts from.
                let side = if self.input.rtl { pts.len() - 1 - pi } else { pi };
                let x0 = cx - bar + side as i32 * bar;
                let color = colors[pi.min(1)];
                match p.value {
                    Some(v) => {
                        let end = scale.y(v);
                        let (top, bottom) = (end.min(zero), end.max(zero));
                        self.root.draw(&Rectangle::new([(x0 + 1, top), (x0 + bar - 1, bottom)], color.filled()))?;
                        self.value_label(&p.text, x0 + bar / 2, end, v < 0.0);
                    }
                    None => {
                        self.pending_box(x0 + 1, x0 + bar - 1, zero)?;
                        self.value_label(&p.text, x0 + bar / 2, zero - 30, false);
                    }
                }
            }
            self.axis_label(label, cx, slot - LABEL_GAP);
        }
        // Legend: the years of the first group, in the top corner where lines end.
        if let Some((_, pts)) = groups.first() {
            self.legend(pts, &colors)?;
        }
        Ok(())
    }

    /// Swatch and year for each point, along the top, at the edge where lines end (right in a
    /// left-to-right edition); each swatch on the side its year is read from.
    fn legend(&self, pts: &[Point], colors: &[RGBColor; 2]) -> DrawResult {
        let size = self.input.size.label;
        let y = (size * 0.75).round() as i32;
        let swatch = |x: i32, pi: usize| {
            self.root.draw(&Rectangle::new([(x, y - 4), (x + 8, y + 4)], colors[pi.min(1)].filled()))
        };
        if self.input.rtl {
            let mut x = self.l;
            for (pi, p) in pts.iter().enumerate().rev() {
                self.place(vec![p.label.clone()], (x, y), Align::Left, Anchor::Middle);
                x += self.measure.width(&p.label, size).ceil() as i32 + 3;
                swatch(x, pi)?;
                x += 8 + 12;
            }
        } else {
            let mut x = self.r;
            for (pi, p) in pts.iter().enumerate().rev() {
                self.place(vec![p.label.clone()], (x, y), Align::Right, Anchor::Middle);
                x -= self.measure.width(&p.label, size).ceil() as i32 + 3 + 8;
                swatch(x, pi)?;
                x -= 12;
            }
        }
        Ok(())
    }

    /// Breaks a label into lines of at most `width` pt at UAX #14's opportunities (between
    /// words, and between CJK characters, never before closing punctuation or inside a
    /// grapheme cluster); at most [`MAX_LABEL_LINES`], the last one cut at an opportunity with
    /// an ellipsis if the label is longer. Also says whether the label fits: a word wider
    /// than `width` stands on its own line, wider than its slot.
    fn wrap(&self, text: &str, width: f64) -> (Vec<String>, bool) {
        let size = self.input.size.label;
        let fits = |s: &str| self.measure.width(s.trim_end(), size) <= width;
        let mut all_fit = true;
        let mut lines: Vec<String> = Vec::new();
        let mut cur = String::new();
        for unit in break_units(text) {
            let trial = format!("{cur}{unit}");
            if fits(&trial) || cur.trim().is_empty() && fits(unit) {
                cur = trial;
                continue;
            }
            if !cur.trim().is_empty() {
                lines.push(cur.trim_end().to_string());
            }
            cur = unit.trim_start().to_string();
            if !fits(&cur) {
                // A word wider than the slot: hyphenated where the language allows, as body
                // text is; whatever still does not fit is reported.
                let mut pieces = self.hyphenate(&cur, width);
                cur = pieces.pop().unwrap_or_default();
                lines.extend(pieces);
            }
            all_fit &= fits(&cur);
        }
        if !cur.trim().is_empty() {
            lines.push(cur.trim_end().to_string());
        }
        if lines.len() > MAX_LABEL_LINES {
            all_fit = false;
            lines.truncate(MAX_LABEL_LINES);
            let last = lines.last_mut().expect("MAX_LABEL_LINES > 0");
            let mut units = break_units(last);
            while !units.is_empty() && !fits(&format!("{}…", units.concat().trim_end())) {
                units.pop();
            }
            *last = format!("{}…", units.concat().trim_end());
        }
        (lines, all_fit)
    }
}

impl Chart<'_, '_> {
    /// A word broken into lines of at most `width` at its hyphenation points (the language's
    /// patterns, as Typst hyphenates body text), each but the last ending in a hyphen. A
    /// language without patterns, or a syllable wider than `width`, keeps the word whole.
    fn hyphenate(&self, word: &str, width: f64) -> Vec<String> {
        let size = self.input.size.label;
        let fits = |s: &str| self.measure.width(s.trim_end(), size) <= width;
        let lang = self.input.lang.as_bytes().try_into().ok().and_then(hypher::Lang::from_iso);
        let Some(lang) = lang else { return vec![word.to_string()] };
        let (bare, tail) = word.split_at(word.trim_end().len());
        let mut lines = Vec::new();
        let mut cur = String::new();
        for syllable in hypher::hyphenate(bare, lang) {
            if !cur.is_empty() && !fits(&format!("{cur}{syllable}-")) {
                lines.push(format!("{cur}-"));
                cur.clear();
            }
            cur.push_str(syllable);
        }
        lines.push(format!("{cur}{tail}"));
        lines
    }
}

/// A text cut at its line-break opportunities (Unicode UAX #14): each piece ends where a line
/// may end, with the spaces that follow it.
fn break_units(text: &str) -> Vec<&str> {
    let segmenter = LineSegmenter::new_auto(LineBreakOptions::default());
    let breaks: Vec<usize> = segmenter.segment_str(text).collect();
    breaks.windows(2).map(|w| &text[w[0]..w[1]]).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A measure without fonts: each character's estimated advance.
    struct Estimate;

    impl Measure for Estimate {
        fn width(&self, text: &str, size: f64) -> f64 {
            text.chars().map(crate::script::estimated_advance).sum::<f64>() * size
        }
    }
    use crate::resolve::charts::Series;

    fn chart(kind: ChartKind, points: &[(&str, Option<f64>, &str)]) -> ChartData {
        let points = points
            .iter()
            .map(|(label, value, text)| Point { label: label.to_string(), value: *value, text: text.to_string() })
            .collect();
        ChartData {
            kind,
            size: crate::resolve::charts::Size { width: 228.0, height: 150.0, label: 8.0 },
            series: vec![Series { label: "Power".into(), unit: "kWh".into(), single: None, points }],
            color: Rgb(0x3F, 0x7E, 0x44),
            fonts: vec!["Noto Sans".into()],
            rtl: false,
            lang: "en".into(),
            pending: "pending".into(),
        }
    }

    /// Every line of every label, in order.
    fn words(d: &Drawn) -> Vec<String> {
        d.labels.labels.iter().flat_map(|l| l.lines.clone()).collect()
    }

    #[test]
    fn bar_chart_words_are_set_apart_from_its_picture() {
        let input = chart(ChartKind::Bar, &[("2015", Some(571.45), "571.45"), ("2016", None, "pending")]);
        let d = draw(&input, &Estimate).unwrap();
        assert_eq!(words(&d), ["571.45", "2015", "pending", "2016"]);
        assert!(!d.svg.contains("<text"), "the picture holds no text: {}", d.svg);
        assert_eq!(d.labels.size, 8.0, "labels are 8 pt");
        assert_eq!(d.labels.fonts, ["Noto Sans"]);
        assert!(d.labels.pitch >= 1.2 * 8.0, "lines at least 1.2 × the size apart");
        assert!(d.svg.contains("#3F7E44") || d.svg.contains("#3f7e44"));
        let json = serde_json::to_string(&d.labels).unwrap();
        assert!(json.contains("\"align\":\"center\""), "{json}");
    }

    #[test]
    fn line_and_pair_charts_label_every_point() {
        let pts = [("2015", Some(60.0), "60"), ("2018", Some(70.0), "70"), ("2020", Some(80.0), "80")];
        let w = words(&draw(&chart(ChartKind::Line, &pts), &Estimate).unwrap());
        for v in ["60", "70", "80", "2018"] {
            assert!(w.iter().any(|l| l == v), "{v} missing from {w:?}");
        }
        // A pair chart keeps only the first and last year of each series.
        let w = words(&draw(&chart(ChartKind::Pair, &pts), &Estimate).unwrap());
        assert!(w.contains(&"60".into()) && w.contains(&"80".into()) && !w.contains(&"70".into()), "{w:?}");
        assert!(w.contains(&"Power".into()));
    }

    /// The y of each value label and the rectangles' extents, read back from the SVG.
    fn rects(svg: &str) -> Vec<(i32, i32)> {
        svg.lines()
            .filter(|l| l.starts_with("<rect") && l.contains("fill=\"#3F7E44\""))
            .map(|l| {
                let attr = |name: &str| -> i32 {
                    let at = l.find(&format!(" {name}=\"")).unwrap() + name.len() + 3;
                    l[at..].split('"').next().unwrap().parse().unwrap()
                };
                (attr("y"), attr("y") + attr("height"))
            })
            .collect()
    }

    #[test]
    fn negative_values_hang_below_the_zero_line() {
        let input = chart(ChartKind::Bar, &[("2023", Some(1.5), "1.5%"), ("2024", Some(-2.5), "-2.5%")]);
        let d = draw(&input, &Estimate).unwrap();
        let r = rects(&d.svg);
        assert_eq!(r.len(), 2, "{}", d.svg);
        // The positive bar ends where the negative one starts: on the zero line.
        assert_eq!(r[0].1, r[1].0, "{r:?}");
        assert!(r[1].1 - r[1].0 > r[0].1 - r[0].0, "-2.5 is longer than 1.5: {r:?}");
        // The negative value's label hangs below its bar.
        let below = d.labels.labels.iter().find(|l| l.lines == ["-2.5%"]).unwrap();
        assert!(below.y > r[1].1 as f64, "{below:?} {r:?}");
    }

    #[test]
    fn right_to_left_charts_run_time_from_the_right() {
        let mut input = chart(ChartKind::Bar, &[("2023", Some(1.0), "1"), ("2024", Some(2.0), "2")]);
        input.rtl = true;
        let d = draw(&input, &Estimate).unwrap();
        let x = |label: &str| d.labels.labels.iter().find(|l| l.lines == [label]).unwrap().x;
        assert!(x("2023") > x("2024"));
    }

    fn wrapper(input: &ChartData, f: impl FnOnce(&Chart)) {
        let mut svg = String::new();
        let root = SVGBackend::with_string(&mut svg, (228, 150)).into_drawing_area();
        f(&Chart::new(&root, input, &Estimate));
    }

    #[test]
    fn labels_break_where_uax14_allows_and_never_exceed_three_lines() {
        let input = chart(ChartKind::Bar, &[("2023", Some(1.0), "1")]);
        wrapper(&input, |c| {
            assert_eq!(c.wrap("新能源汽车推广应用数量", 36.0).0, ["新能源汽", "车推广应", "用数量"]);
            // Closing punctuation stays with the character before it.
            assert!(c.wrap("汽车，推广", 24.0).0.iter().all(|l| !l.starts_with('，')));
            assert_eq!(c.wrap("one two three", 200.0), (vec!["one two three".to_string()], true));
            let (long, fits) = c.wrap(&"word ".repeat(40), 40.0);
            assert_eq!(long.len(), 3);
            assert!(long[2].ends_with('…') && !fits);
        });
    }

    #[test]
    fn arabic_labels_break_between_words_only() {
        let input = chart(ChartKind::Bar, &[("2023", Some(1.0), "1")]);
        // "Share of renewable energy in final consumption": every line is whole words.
        let label = "حصة الطاقة المتجددة في الاستهلاك النهائي";
        let words: Vec<&str> = label.split(' ').collect();
        wrapper(&input, |c| {
            let (lines, fits) = c.wrap(label, 90.0);
            assert!(fits, "{lines:?}");
            assert!(lines.len() > 1, "{lines:?}");
            for line in &lines {
                assert!(line.split(' ').all(|w| words.contains(&w)), "a word was torn: {lines:?}");
            }
            assert_eq!(lines.join(" "), label);
        });
    }

    #[test]
    fn a_word_wider_than_its_slot_is_hyphenated_where_the_language_allows() {
        let mut input = chart(ChartKind::Bar, &[("2023", Some(1.0), "1")]);
        input.lang = "ru".into();
        wrapper(&input, |c| {
            let (lines, fits) = c.wrap("Индустриализация, инновации", 50.0);
            assert!(fits, "{lines:?}");
            assert!(lines[0].ends_with('-') && lines.len() >= 3, "{lines:?}");
            assert_eq!(lines.concat().replace('-', ""), "Индустриализация,инновации");
        });
    }

    #[test]
    fn a_word_wider_than_its_slot_is_reported_not_torn() {
        // A language without hyphenation patterns here.
        let mut input = chart(ChartKind::Bar, &[("Verkehrsinfrastrukturfinanzierung", Some(1.0), "1")]);
        input.lang = "xx".into();
        let d = draw(&input, &Estimate).unwrap();
        assert!(words(&d).contains(&"Verkehrsinfrastrukturfinanzierung".to_string()));
        assert!(d.unfit.is_empty(), "one wide slot: it fits");
        let many: Vec<(&str, Option<f64>, &str)> =
            (0..8).map(|_| ("Verkehrsinfrastrukturfinanzierung", Some(1.0), "1")).collect();
        let mut input = chart(ChartKind::Bar, &many);
        input.lang = "xx".into();
        let d = draw(&input, &Estimate).unwrap();
        assert_eq!(d.unfit.len(), 8);
    }
}
