//! Charts drawn from their data with plotters, as SVG text kept in memory.
//!
//! Charts are drawn at print size (1 SVG unit = 1 pt) in the edition's faces, so their labels
//! match the tiles beside them. Typst sets SVG text with the World's fonts: the SVG names the
//! families (the pack's first), and labels are measured with those same faces ([`Measure`],
//! which the typesetter provides), so wrapping and legends fit the glyphs that print.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::project::{ChartKind, Rgb};
use crate::resolve::charts::{ChartData, Point};

const INK: RGBColor = RGBColor(0x33, 0x33, 0x33);
const GRID: RGBColor = RGBColor(0xDD, 0xDD, 0xDD);
/// Lines of labels under the axis at most; a longer label is cut with an ellipsis.
const MAX_LABEL_LINES: usize = 3;

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

/// Charts drawn before, by a hash of everything that shapes them: a rebuild redraws only the
/// charts whose data, words or colours changed.
#[derive(Default)]
pub struct ChartCache {
    svgs: std::sync::Mutex<std::collections::HashMap<u64, String>>,
    /// Charts actually drawn (not served from the cache).
    pub drawn: std::sync::atomic::AtomicUsize,
}

impl ChartCache {
    pub fn draw(&self, input: &ChartData, measure: &dyn Measure) -> Result<String, String> {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        input.hash(&mut h);
        let key = h.finish();
        if let Some(svg) = self.svgs.lock().unwrap_or_else(|e| e.into_inner()).get(&key) {
            return Ok(svg.clone());
        }
        let svg = draw(input, measure)?;
        self.drawn.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        self.svgs.lock().unwrap_or_else(|e| e.into_inner()).insert(key, svg.clone());
        Ok(svg)
    }
}

/// Draws the chart. Returns SVG text, or a message if plotters failed.
pub fn draw(input: &ChartData, measure: &dyn Measure) -> Result<String, String> {
    let mut svg = String::new();
    let (w, h) = (input.size.width.round() as u32, input.size.height.round() as u32);
    {
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
    }
    // SVG user units are pixels (0.75 pt) unless the size says otherwise: say points, so the
    // chart prints at the size it was drawn and its labels at exactly the theme's size.
    Ok(svg.replacen(&format!("width=\"{w}\" height=\"{h}\""), &format!("width=\"{w}pt\" height=\"{h}pt\""), 1))
}

type Area<'a> = DrawingArea<SVGBackend<'a>, plotters::coord::Shift>;
type DrawResult = Result<(), Box<dyn std::error::Error>>;

/// A chart being drawn: its area, data, fonts and plot box.
struct Chart<'a, 'b> {
    root: &'a Area<'b>,
    input: &'a ChartData,
    measure: &'a dyn Measure,
    /// The SVG `font-family` value: the edition's families in order.
    family: String,
    /// The plot box (left, top, right, bottom, in pt): bars and points inside, values above
    /// (or below, when negative), labels under the bottom.
    l: i32,
    t: i32,
    r: i32,
    b: i32,
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
        let mut chart = Self { root, input, measure, family: input.fonts.join(", "), l: 8, t: 0, r: w - 8, b: h };
        // Room above for a line of values (and the legend of a pair chart), below for the
        // labels as wrapped to their slots.
        let lines = chart.label_lines();
        chart.t = (input.size.label * 2.0).round() as i32;
        chart.b = h - (4.0 + input.size.label * (0.5 + 1.25 * lines as f64)).round() as i32;
        chart
    }

    /// The number of label lines the widest-wrapping label needs.
    fn label_lines(&self) -> usize {
        let labels: Vec<String> = match self.input.kind {
            ChartKind::Pair => self.input.series.iter().map(|s| s.label.clone()).collect(),
            _ => self.input.axis_points().into_iter().map(|p| p.label).collect(),
        };
        let slot = self.slot(labels.len());
        labels.iter().map(|l| self.wrap(l, slot - 4.0).len()).max().unwrap_or(1).max(1)
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

    fn style(&self, h: HPos, v: VPos) -> TextStyle<'_> {
        // plotters' SVG backend writes `size / 1.24` as the font size: undo that, so 8 means 8 pt.
        let mut style =
            TextStyle::from((self.family.as_str(), self.input.size.label * 1.24).into_font()).pos(Pos::new(h, v));
        style.color = INK.to_backend_color();
        style
    }

    fn text(&self, text: &str, at: (i32, i32), h: HPos, v: VPos) -> DrawResult {
        self.root.draw(&Text::new(text.to_string(), at, self.style(h, v)))?;
        Ok(())
    }

    /// A value's label: above a bar or point, below a negative bar.
    fn value_label(&self, text: &str, x: i32, end: i32, negative: bool) -> DrawResult {
        if negative {
            self.text(text, (x, end + 2), HPos::Center, VPos::Top)
        } else {
            self.text(text, (x, end - 2), HPos::Center, VPos::Bottom)
        }
    }

    /// A label under the plot, wrapped to its slot.
    fn axis_label(&self, text: &str, x: i32, width: f64) -> DrawResult {
        let step = (self.input.size.label * 1.25).round() as i32;
        for (i, line) in self.wrap(text, width).iter().enumerate() {
            self.text(line, (x, self.b + 4 + i as i32 * step), HPos::Center, VPos::Top)?;
        }
        Ok(())
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
                    self.value_label(&p.text, cx, end, v < 0.0)?;
                }
                None => {
                    self.pending_box(cx - half, cx + half, zero)?;
                    self.value_label(&p.text, cx, zero - 30, false)?;
                }
            }
            self.axis_label(&p.label, cx, slot - 4.0)?;
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
            self.text(&p.text, (*x, y.unwrap_or(scale.y(0.0) - 10) - 5), HPos::Center, VPos::Bottom)?;
            self.axis_label(&p.label, *x, self.slot(n) - 4.0)?;
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
                        self.value_label(&p.text, x0 + bar / 2, end, v < 0.0)?;
                    }
                    None => {
                        self.pending_box(x0 + 1, x0 + bar - 1, zero)?;
                        self.value_label(&p.text, x0 + bar / 2, zero - 30, false)?;
                    }
                }
            }
            self.axis_label(label, cx, slot - 4.0)?;
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
                self.text(&p.label, (x, y), HPos::Left, VPos::Center)?;
                x += self.measure.width(&p.label, size).ceil() as i32 + 3;
                swatch(x, pi)?;
                x += 8 + 12;
            }
        } else {
            let mut x = self.r;
            for (pi, p) in pts.iter().enumerate().rev() {
                self.text(&p.label, (x, y), HPos::Right, VPos::Center)?;
                x -= self.measure.width(&p.label, size).ceil() as i32 + 3 + 8;
                swatch(x, pi)?;
                x -= 12;
            }
        }
        Ok(())
    }

    /// Wraps a label to `width` pt: at spaces, and between CJK characters (which need none);
    /// at most [`MAX_LABEL_LINES`], the last one cut with an ellipsis if the label is longer.
    fn wrap(&self, text: &str, width: f64) -> Vec<String> {
        let size = self.input.size.label;
        let fits = |s: &str| self.measure.width(s, size) <= width;
        let mut lines: Vec<String> = Vec::new();
        let mut cur = String::new();
        for unit in break_units(text) {
            let trial = format!("{cur}{unit}");
            if !fits(trial.trim_end()) && !cur.trim().is_empty() {
                lines.push(cur.trim_end().to_string());
                cur = unit.trim_start().to_string();
            } else {
                cur = trial;
            }
        }
        if !cur.trim().is_empty() {
            lines.push(cur.trim_end().to_string());
        }
        if lines.len() > MAX_LABEL_LINES {
            lines.truncate(MAX_LABEL_LINES);
            let last = lines.last_mut().expect("MAX_LABEL_LINES > 0");
            while !last.is_empty() && !fits(&format!("{last}…")) {
                last.pop();
            }
            last.push('…');
        }
        lines
    }
}

/// A label cut where a line may break: after each space, and around each CJK character.
fn break_units(text: &str) -> Vec<String> {
    let mut units: Vec<String> = Vec::new();
    let mut cur = String::new();
    for c in text.chars() {
        if crate::script::is_wide(c) && !crate::script::is_closing(c) {
            if !cur.is_empty() {
                units.push(std::mem::take(&mut cur));
            }
            cur.push(c);
        } else if c.is_whitespace() {
            cur.push(c);
            units.push(std::mem::take(&mut cur));
        } else {
            if cur.chars().last().is_some_and(crate::script::is_wide) && !crate::script::is_closing(c) {
                units.push(std::mem::take(&mut cur));
            }
            cur.push(c);
        }
    }
    if !cur.is_empty() {
        units.push(cur);
    }
    units
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
            pending: "pending".into(),
        }
    }

    #[test]
    fn bar_chart_has_labels_in_the_report_font() {
        let input = chart(ChartKind::Bar, &[("2015", Some(571.45), "571.45"), ("2016", None, "pending")]);
        let svg = draw(&input, &Estimate).unwrap();
        assert!(svg.contains("571.45"));
        assert!(svg.contains(">\npending\n</text>"));
        assert!(svg.contains("font-size=\"8\""), "labels are 8 pt");
        assert!(svg.contains("font-family=\"Noto Sans\""));
        assert!(svg.contains("#3F7E44") || svg.contains("#3f7e44"));
    }

    #[test]
    fn line_and_pair_charts_draw_every_point() {
        let pts = [("2015", Some(60.0), "60"), ("2018", Some(70.0), "70"), ("2020", Some(80.0), "80")];
        let svg = draw(&chart(ChartKind::Line, &pts), &Estimate).unwrap();
        for v in ["\n60\n", "\n70\n", "\n80\n", "\n2018\n"] {
            assert!(svg.contains(v), "{v} missing");
        }
        // A pair chart keeps only the first and last year of each series.
        let svg = draw(&chart(ChartKind::Pair, &pts), &Estimate).unwrap();
        assert!(svg.contains("\n60\n") && svg.contains("\n80\n") && !svg.contains("\n70\n"));
        assert!(svg.contains("\nPower\n"));
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
        let svg = draw(&input, &Estimate).unwrap();
        let r = rects(&svg);
        assert_eq!(r.len(), 2, "{svg}");
        // The positive bar ends where the negative one starts: on the zero line.
        assert_eq!(r[0].1, r[1].0, "{r:?}");
        assert!(r[1].1 - r[1].0 > r[0].1 - r[0].0, "-2.5 is longer than 1.5: {r:?}");
    }

    #[test]
    fn right_to_left_charts_run_time_from_the_right() {
        let mut input = chart(ChartKind::Bar, &[("2023", Some(1.0), "1"), ("2024", Some(2.0), "2")]);
        input.rtl = true;
        let svg = draw(&input, &Estimate).unwrap();
        let x = |label: &str| {
            let line = svg.lines().position(|l| l == label).unwrap();
            let tag = svg.lines().nth(line - 1).unwrap();
            let at = tag.find(" x=\"").unwrap() + 4;
            tag[at..].split('"').next().unwrap().parse::<i32>().unwrap()
        };
        assert!(x("2023") > x("2024"));
    }

    #[test]
    fn labels_wrap_in_any_script_and_never_exceed_three_lines() {
        let input = chart(ChartKind::Bar, &[("2023", Some(1.0), "1")]);
        let (w, h) = (228, 150);
        let mut svg = String::new();
        let root = SVGBackend::with_string(&mut svg, (w, h)).into_drawing_area();
        let c = Chart::new(&root, &input, &Estimate);
        assert_eq!(c.wrap("新能源汽车推广应用数量", 36.0), ["新能源汽", "车推广应", "用数量"]);
        // Closing punctuation stays with the character before it.
        assert!(c.wrap("汽车，推广", 24.0).iter().all(|l| !l.starts_with('，')));
        assert_eq!(c.wrap("one two three", 200.0), ["one two three"]);
        let long = c.wrap(&"word ".repeat(40), 40.0);
        assert_eq!(long.len(), 3);
        assert!(long[2].ends_with('…'));
    }
}
