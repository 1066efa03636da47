//! Charts drawn from their data with plotters, as SVG text kept in memory.
//!
//! Charts are drawn at print size (1 SVG unit = 1 pt) in the report's sans face, so their
//! labels match the tiles beside them. Typst lays out SVG text with its own fonts, so the
//! family name here must be one the World has (see `typeset::fonts`).

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::project::{ChartKind, Rgb};
use crate::resolve::charts::{ChartData, Point};

// Charts are drawn at the size they print (1 SVG unit = 1 pt, the size the templates place them
// at), so their labels are exactly the theme's chart size on paper.
const INK: RGBColor = RGBColor(0x33, 0x33, 0x33);
const GRID: RGBColor = RGBColor(0xDD, 0xDD, 0xDD);

fn rgb(c: Rgb) -> RGBColor {
    RGBColor(c.0, c.1, c.2)
}

/// A lighter tint of the goal colour for the "before" bars of a pair chart.
fn tint(c: RGBColor, amount: f64) -> RGBColor {
    let mix = |v: u8| (v as f64 + (255.0 - v as f64) * amount).round() as u8;
    RGBColor(mix(c.0), mix(c.1), mix(c.2))
}

/// Font metrics for measuring labels (wrapping, legends). The SVG only names the family and
/// Typst draws the glyphs, so the bundled Noto Sans metrics stand in for the theme's face.
fn register_font(family: &str) {
    static REGISTERED: std::sync::Mutex<Vec<String>> = std::sync::Mutex::new(Vec::new());
    let mut done = REGISTERED.lock().unwrap_or_else(|e| e.into_inner());
    if !done.iter().any(|f| f == family) {
        let _ = plotters::style::register_font(family, FontStyle::Normal, notosans::REGULAR_TTF);
        done.push(family.to_string());
    }
}

fn font<'a>(family: &'a str, size: f64, color: RGBColor, h: HPos, v: VPos) -> TextStyle<'a> {
    // plotters' SVG backend writes `size / 1.24` as the font size: undo that, so 8 means 8 pt.
    let mut style = TextStyle::from((family, size * 1.24).into_font()).pos(Pos::new(h, v));
    style.color = color.to_backend_color();
    style
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
    pub fn draw(&self, input: &ChartData) -> Result<String, String> {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        input.hash(&mut h);
        let key = h.finish();
        if let Some(svg) = self.svgs.lock().unwrap_or_else(|e| e.into_inner()).get(&key) {
            return Ok(svg.clone());
        }
        let svg = draw(input)?;
        self.drawn.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        self.svgs.lock().unwrap_or_else(|e| e.into_inner()).insert(key, svg.clone());
        Ok(svg)
    }
}

/// Draws the chart. Returns SVG text, or a message if plotters failed.
pub fn draw(input: &ChartData) -> Result<String, String> {
    register_font(&input.font);
    let mut svg = String::new();
    {
        let (w, h) = (input.size.width.round() as u32, input.size.height.round() as u32);
        let root = SVGBackend::with_string(&mut svg, (w, h)).into_drawing_area();
        let result = match input.kind {
            ChartKind::Bar => bars(&root, input),
            ChartKind::Line => line(&root, input),
            ChartKind::Pair => pairs(&root, input),
            ChartKind::SdgGrid => Ok(()),
        };
        result.map_err(|e| format!("chart drawing failed: {e}"))?;
        root.present().map_err(|e| format!("chart drawing failed: {e}"))?;
    }
    // SVG user units are pixels (0.75 pt) unless the size says otherwise: say points.
    let (w, h) = (input.size.width.round() as u32, input.size.height.round() as u32);
    Ok(svg.replacen(&format!("width=\"{w}\" height=\"{h}\""), &format!("width=\"{w}pt\" height=\"{h}pt\""), 1))
}

type Area<'a> = DrawingArea<SVGBackend<'a>, plotters::coord::Shift>;
type DrawResult = Result<(), Box<dyn std::error::Error>>;

/// Plot box: left, top, right, bottom (in pt), leaving room for a line of values above the
/// bars and two lines of labels under the axis.
fn plot_box(input: &ChartData) -> (i32, i32, i32, i32) {
    let label = input.size.label;
    let (w, h) = (input.size.width.round() as i32, input.size.height.round() as i32);
    (8, (label * 2.0).round() as i32, w - 8, h - (label * 2.75).round() as i32)
}

/// The distance between two lines of labels.
fn line_step(input: &ChartData) -> i32 {
    (input.size.label * 1.25).round() as i32
}

/// Maps a value to its y coordinate (0 at the axis, `top` at the plot's top).
struct YAxis {
    top: f64,
    t: i32,
    b: i32,
}

impl YAxis {
    fn y(&self, v: f64) -> i32 {
        self.b - ((self.b - self.t) as f64 * (v / self.top).clamp(0.0, 1.0)).round() as i32
    }
}

/// Draws the baseline and two grid lines.
fn axis(root: &Area, input: &ChartData, top: f64) -> Result<YAxis, Box<dyn std::error::Error>> {
    let (l, t, r, b) = plot_box(input);
    root.draw(&PathElement::new(vec![(l, b), (r, b)], INK.stroke_width(1)))?;
    for frac in [0.5, 1.0] {
        let y = b - ((b - t) as f64 * frac) as i32;
        root.draw(&PathElement::new(vec![(l, y), (r, y)], GRID.stroke_width(1)))?;
    }
    Ok(YAxis { top, t, b })
}

fn scale_top(max: f64) -> f64 {
    if max <= 0.0 { 1.0 } else { max * 1.18 }
}

/// What bar and line charts share: their points, the axis (value → y) and the slot width.
type Frame = (Vec<Point>, YAxis, f64);

fn frame(root: &Area, input: &ChartData) -> Result<Frame, Box<dyn std::error::Error>> {
    let pts = input.axis_points();
    let max = pts.iter().filter_map(|p| p.value).fold(0.0, f64::max);
    let y = axis(root, input, scale_top(max))?;
    let (l, _, r, _) = plot_box(input);
    let slot = (r - l) as f64 / pts.len().max(1) as f64;
    Ok((pts, y, slot))
}

fn bars(root: &Area, input: &ChartData) -> DrawResult {
    let (pts, y, slot) = frame(root, input)?;
    let (l, _, _, b) = plot_box(input);
    for (i, p) in pts.iter().enumerate() {
        let cx = l + (slot * (i as f64 + 0.5)) as i32;
        let half = (slot * 0.28) as i32;
        let top = match p.value {
            Some(v) => {
                root.draw(&Rectangle::new([(cx - half, y.y(v)), (cx + half, b)], rgb(input.color).filled()))?;
                y.y(v)
            }
            None => {
                root.draw(&Rectangle::new([(cx - half, b - 30), (cx + half, b)], GRID.stroke_width(1)))?;
                b - 30
            }
        };
        root.draw(&Text::new(
            p.text.clone(),
            (cx, top - 2),
            font(&input.font, input.size.label, INK, HPos::Center, VPos::Bottom),
        ))?;
        for (li, part) in wrap(&input.font, &p.label, slot - 4.0, input.size.label).iter().enumerate() {
            root.draw(&Text::new(
                part.clone(),
                (cx, b + 4 + li as i32 * line_step(input)),
                font(&input.font, input.size.label, INK, HPos::Center, VPos::Top),
            ))?;
        }
    }
    Ok(())
}

fn line(root: &Area, input: &ChartData) -> DrawResult {
    let (pts, y, slot) = frame(root, input)?;
    let (l, _, _, b) = plot_box(input);
    let coords: Vec<(i32, Option<i32>)> =
        pts.iter().enumerate().map(|(i, p)| (l + (slot * (i as f64 + 0.5)) as i32, p.value.map(|v| y.y(v)))).collect();
    let known: Vec<(i32, i32)> = coords.iter().filter_map(|(x, y)| y.map(|y| (*x, y))).collect();
    root.draw(&PathElement::new(known.clone(), rgb(input.color).stroke_width(2)))?;
    for (p, (x, yy)) in pts.iter().zip(&coords) {
        let ty = yy.unwrap_or(b - 10);
        if let Some(yy) = yy {
            root.draw(&Circle::new((*x, *yy), 3, rgb(input.color).filled()))?;
        }
        root.draw(&Text::new(
            p.text.clone(),
            (*x, ty - 5),
            font(&input.font, input.size.label, INK, HPos::Center, VPos::Bottom),
        ))?;
        root.draw(&Text::new(
            p.label.clone(),
            (*x, b + 4),
            font(&input.font, input.size.label, INK, HPos::Center, VPos::Top),
        ))?;
    }
    Ok(())
}

/// Grouped bars: for each indicator, its first and last year side by side, with a legend.
fn pairs(root: &Area, input: &ChartData) -> DrawResult {
    let groups: Vec<(String, Vec<Point>)> = input
        .series
        .iter()
        .map(|s| {
            let (label, mut pts) = (&s.label, s.points.clone());
            if pts.len() > 2 {
                let last = pts.pop().expect("len > 2");
                pts.truncate(1);
                pts.push(last);
            }
            (label.clone(), pts)
        })
        .collect();
    let max = groups.iter().flat_map(|(_, p)| p.iter().filter_map(|p| p.value)).fold(0.0, f64::max);
    let y = axis(root, input, scale_top(max))?;
    let (l, _, r, b) = plot_box(input);
    let slot = (r - l) as f64 / groups.len().max(1) as f64;
    let colors = [tint(rgb(input.color), 0.55), rgb(input.color)];
    for (gi, (label, pts)) in groups.iter().enumerate() {
        let cx = l + (slot * (gi as f64 + 0.5)) as i32;
        let bar = ((slot * 0.7) / 2.0).min(26.0) as i32;
        for (pi, p) in pts.iter().enumerate() {
            let x0 = cx - bar + pi as i32 * bar;
            let top = p.value.map_or(b - 30, |v| y.y(v));
            let color = colors[pi.min(1)];
            if p.value.is_some() {
                root.draw(&Rectangle::new([(x0 + 1, top), (x0 + bar - 1, b)], color.filled()))?;
            } else {
                root.draw(&Rectangle::new([(x0 + 1, top), (x0 + bar - 1, b)], GRID.stroke_width(1)))?;
            }
            root.draw(&Text::new(
                p.text.clone(),
                (x0 + bar / 2, top - 2),
                font(&input.font, input.size.label, INK, HPos::Center, VPos::Bottom),
            ))?;
        }
        for (li, part) in wrap(&input.font, label, slot - 4.0, input.size.label).iter().enumerate() {
            root.draw(&Text::new(
                part.clone(),
                (cx, b + 4 + li as i32 * line_step(input)),
                font(&input.font, input.size.label, INK, HPos::Center, VPos::Top),
            ))?;
        }
    }
    // Legend: the years, taken from the first group.
    if let Some((_, pts)) = groups.first() {
        let mut x = r;
        for (pi, p) in pts.iter().enumerate().rev() {
            let w = measure(&input.font, &p.label, input.size.label) as i32;
            root.draw(&Text::new(
                p.label.clone(),
                (x, 6),
                font(&input.font, input.size.label, INK, HPos::Right, VPos::Center),
            ))?;
            x -= w + 12;
            root.draw(&Rectangle::new([(x, 2), (x + 8, 10)], colors[pi.min(1)].filled()))?;
            x -= 8;
        }
    }
    Ok(())
}

fn measure(family: &str, text: &str, size: f64) -> f64 {
    let f = (family, size).into_font();
    f.box_size(text).map(|(w, _)| w as f64).unwrap_or(text.chars().count() as f64 * size * 0.55)
}

/// Greedy word wrap to a width in pt (labels under grouped bars).
fn wrap(family: &str, text: &str, width: f64, size: f64) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut cur = String::new();
    for word in text.split_whitespace() {
        let trial = if cur.is_empty() { word.to_string() } else { format!("{cur} {word}") };
        if measure(family, &trial, size) > width && !cur.is_empty() {
            lines.push(std::mem::take(&mut cur));
            cur = word.to_string();
        } else {
            cur = trial;
        }
    }
    if !cur.is_empty() {
        lines.push(cur);
    }
    lines.truncate(2);
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
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
            font: "Noto Sans".into(),
            pending: "pending".into(),
        }
    }

    #[test]
    fn bar_chart_has_labels_in_the_report_font() {
        let input = chart(ChartKind::Bar, &[("2015", Some(571.45), "571.45"), ("2016", None, "pending")]);
        let svg = draw(&input).unwrap();
        assert!(svg.contains("571.45"));
        assert!(svg.contains(">\npending\n</text>"));
        assert!(svg.contains("font-size=\"8\""), "labels are 8 pt");
        assert!(svg.contains("font-family=\"Noto Sans\""));
        assert!(svg.contains("#3F7E44") || svg.contains("#3f7e44"));
    }

    #[test]
    fn line_and_pair_charts_draw_every_point() {
        let pts = [("2015", Some(60.0), "60"), ("2018", Some(70.0), "70"), ("2020", Some(80.0), "80")];
        let svg = draw(&chart(ChartKind::Line, &pts)).unwrap();
        for v in ["\n60\n", "\n70\n", "\n80\n", "\n2018\n"] {
            assert!(svg.contains(v), "{v} missing");
        }
        // A pair chart keeps only the first and last year of each series.
        let svg = draw(&chart(ChartKind::Pair, &pts)).unwrap();
        assert!(svg.contains("\n60\n") && svg.contains("\n80\n") && !svg.contains("\n70\n"));
        assert!(svg.contains("\nPower\n"));
    }
}
