//! A laid-out page as a flat list of what prints on it, in paint order and page coordinates
//! (points, y down, from the trim's top left): text runs with their glyphs' ink boxes, filled
//! areas, images, and the block each belongs to (from the templates' `<vlr-block>` marks).

use typst::foundations::{Label, Value};
use typst::introspection::{MetadataElem, Tag};
use typst::layout::{Abs, Frame, FrameItem, Point, Transform};
use typst::utils::PicoStr;
use typst::visualize::{Color, Geometry, ImageKind, Paint, ProcessColor};

/// An axis-aligned rectangle in points: left, top, right, bottom.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    pub x0: f64,
    pub y0: f64,
    pub x1: f64,
    pub y1: f64,
}

impl Rect {
    fn around(points: impl IntoIterator<Item = Point>) -> Self {
        let mut r = Rect { x0: f64::MAX, y0: f64::MAX, x1: f64::MIN, y1: f64::MIN };
        for p in points {
            r.x0 = r.x0.min(p.x.to_pt());
            r.y0 = r.y0.min(p.y.to_pt());
            r.x1 = r.x1.max(p.x.to_pt());
            r.y1 = r.y1.max(p.y.to_pt());
        }
        r
    }

    /// How far the two overlap, in each direction (negative: apart).
    pub fn overlap(&self, o: &Rect) -> (f64, f64) {
        (self.x1.min(o.x1) - self.x0.max(o.x0), self.y1.min(o.y1) - self.y0.max(o.y0))
    }

    pub fn contains(&self, x: f64, y: f64) -> bool {
        (self.x0..=self.x1).contains(&x) && (self.y0..=self.y1).contains(&y)
    }

    pub fn union(&self, o: &Rect) -> Rect {
        Rect { x0: self.x0.min(o.x0), y0: self.y0.min(o.y0), x1: self.x1.max(o.x1), y1: self.y1.max(o.y1) }
    }

    /// How far this runs out of `outer` on its furthest side (0 when inside).
    pub fn beyond(&self, outer: &Rect) -> f64 {
        [outer.x0 - self.x0, outer.y0 - self.y0, self.x1 - outer.x1, self.y1 - outer.y1].into_iter().fold(0.0, f64::max)
    }

    pub fn centre(&self) -> (f64, f64) {
        ((self.x0 + self.x1) / 2.0, (self.y0 + self.y1) / 2.0)
    }
}

/// Where on the page something comes from: the chapter and the index of its block (none for
/// what the chapter prints around its blocks: opener, title).
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Origin {
    pub chapter: Option<String>,
    pub block: Option<usize>,
    /// In the page's top or bottom margin: the running head or the folio.
    pub margin: bool,
}

/// A run of text as it prints.
#[derive(Debug, Clone)]
pub struct Text {
    pub text: String,
    pub size: f64,
    pub family: String,
    pub bold: bool,
    /// Its colour as 8-bit RGBA (none for a gradient or tiling).
    pub fill: Option<[u8; 4]>,
    /// Each glyph's ink box (empty glyphs, such as spaces, have none).
    pub glyphs: Vec<Rect>,
    /// The union of the glyphs' ink boxes.
    pub ink: Rect,
    /// The baseline's height on the page, and where the run's advances start and end on it.
    pub baseline: f64,
    pub advance: (f64, f64),
    /// Glyphs the font does not have (printed as an empty box).
    pub missing: usize,
    /// The clip area around it, if any.
    pub clip: Option<Rect>,
    /// Paint order on the page.
    pub order: usize,
    pub origin: Origin,
}

/// An area painted in one colour (a block's or cell's fill, a band, a tile).
#[derive(Debug, Clone)]
pub struct Fill {
    pub area: Rect,
    pub rgba: [u8; 4],
    pub order: usize,
}

/// An image as it prints: its pixels and its printed size.
#[derive(Debug, Clone)]
pub struct Picture {
    pub area: Rect,
    /// Pixels across, for a raster image (none for vector images).
    pub pixels: Option<f64>,
    pub order: usize,
    pub origin: Origin,
}

#[derive(Debug, Default)]
pub struct Page {
    pub texts: Vec<Text>,
    pub fills: Vec<Fill>,
    pub pictures: Vec<Picture>,
}

/// Flattens a page frame. `origin` is the block in effect where the page starts (the last
/// mark of the page before); it is updated to the last mark of this page. `print` maps the
/// CMYK values of goal fields (0–1) to the RGB colours they stand for.
pub fn flatten(frame: &Frame, origin: &mut Origin, print: &[([f32; 4], [u8; 3])]) -> Page {
    let mut page = Page::default();
    let mut order = 0;
    let label = Label::new(PicoStr::intern("vlr-block"));
    walk(frame, Transform::identity(), None, &mut Walk { print, page: &mut page, order: &mut order, origin, label });
    page
}

struct Walk<'a> {
    print: &'a [([f32; 4], [u8; 3])],
    page: &'a mut Page,
    order: &'a mut usize,
    origin: &'a mut Origin,
    label: Option<Label>,
}

fn walk(frame: &Frame, ts: Transform, clip: Option<Rect>, w: &mut Walk) {
    for (pos, item) in frame.items() {
        let at = ts.pre_concat(Transform::translate(pos.x, pos.y));
        *w.order += 1;
        match item {
            FrameItem::Group(g) => {
                let inner = at.pre_concat(g.transform);
                let clip = match &g.clip {
                    Some(curve) => {
                        let b = curve.bbox(None);
                        let r = Rect::around(corners(b.min, b.max).map(|p| p.transform(inner)));
                        Some(clip.map_or(r, |c| intersect(&c, &r)))
                    }
                    None => clip,
                };
                walk(&g.frame, inner, clip, w);
            }
            FrameItem::Text(t) => w.page.texts.push(text(t, at, clip, *w.order, w.origin.clone(), w.print)),
            FrameItem::Shape(shape, _) => {
                let Some(Paint::Solid(color)) = &shape.fill else { continue };
                let area = match &shape.geometry {
                    Geometry::Rect(size) => {
                        Rect::around(corners(Point::zero(), size.to_point()).map(|p| p.transform(at)))
                    }
                    Geometry::Curve(curve) => {
                        let b = curve.bbox(None);
                        Rect::around(corners(b.min, b.max).map(|p| p.transform(at)))
                    }
                    Geometry::Line(_) => continue,
                };
                w.page.fills.push(Fill { area, rgba: rgba(color, w.print), order: *w.order });
            }
            FrameItem::Image(image, size, _) => {
                let area = Rect::around(corners(Point::zero(), size.to_point()).map(|p| p.transform(at)));
                let pixels = matches!(image.kind(), ImageKind::Raster(_)).then(|| image.width());
                w.page.pictures.push(Picture { area, pixels, order: *w.order, origin: w.origin.clone() });
            }
            FrameItem::Tag(Tag::Start(content, _)) if w.label.is_some() && content.label() == w.label => {
                if let Some(meta) = content.to_packed::<MetadataElem>()
                    && let Value::Dict(d) = &meta.value
                {
                    let get = |k: &str| d.get(k).ok().cloned();
                    *w.origin = Origin {
                        chapter: get("chapter").and_then(|v| v.cast::<String>().ok()),
                        block: get("block").and_then(|v| v.cast::<i64>().ok()).and_then(|i| usize::try_from(i).ok()),
                        margin: false,
                    };
                }
            }
            FrameItem::Tag(_) | FrameItem::Link(..) => {}
        }
    }
}

/// A colour as 8-bit sRGB with alpha, whatever space it was given in. The print edition sets
/// goal fields in the UN's CMYK values: those stand for the goal's official RGB colour (the
/// one the text colour was chosen against), not for a naive conversion of the inks.
fn rgba(c: &Color, print: &[([f32; 4], [u8; 3])]) -> [u8; 4] {
    if let Color::Process(ProcessColor::Cmyk(k)) = c {
        let inks = [k.c, k.m, k.y, k.k];
        // The goal's inks, or a tint of them (every ink scaled alike, as `lighten` does): the
        // official colour, or the same tint of it.
        let share = |goal: &[f32; 4]| -> Option<f32> {
            let t = goal.iter().zip(inks).filter(|(g, _)| **g > 0.01).map(|(g, i)| i / g).next()?;
            goal.iter().zip(inks).all(|(g, i)| (g * t - i).abs() < 0.005).then_some(t)
        };
        if let Some((t, rgb)) = print.iter().find_map(|(goal, rgb)| Some((share(goal)?, rgb))) {
            let tint = |v: u8| (v as f32 + (255.0 - v as f32) * (1.0 - t)).round().clamp(0.0, 255.0) as u8;
            return [tint(rgb[0]), tint(rgb[1]), tint(rgb[2]), 255];
        }
    }
    let rgb = c.to_rgb();
    [rgb.red, rgb.green, rgb.blue, rgb.alpha].map(|v| (v * 255.0).round().clamp(0.0, 255.0) as u8)
}

fn corners(min: Point, max: Point) -> [Point; 4] {
    [min, Point::new(max.x, min.y), max, Point::new(min.x, max.y)]
}

fn intersect(a: &Rect, b: &Rect) -> Rect {
    Rect { x0: a.x0.max(b.x0), y0: a.y0.max(b.y0), x1: a.x1.min(b.x1), y1: a.y1.min(b.y1) }
}

/// A text run: each glyph's ink box from the font's glyph outlines, placed as Typst placed
/// the glyph (advance, offset), in page coordinates.
fn text(
    t: &typst::text::TextItem,
    at: Transform,
    clip: Option<Rect>,
    order: usize,
    origin: Origin,
    print: &[([f32; 4], [u8; 3])],
) -> Text {
    let font = &t.font;
    let scale = t.size.to_pt() / font.units_per_em();
    let mut x = 0.0;
    let mut glyphs = Vec::new();
    let mut missing = 0;
    for g in &t.glyphs {
        if g.id == 0 {
            missing += 1;
        }
        let gx = x + g.x_offset.at(t.size).to_pt();
        let gy = -g.y_offset.at(t.size).to_pt();
        if let Some(b) = font.ttf().glyph_bounding_box(ttf_parser::GlyphId(g.id)) {
            let min = Point::new(Abs::pt(gx + b.x_min as f64 * scale), Abs::pt(gy - b.y_max as f64 * scale));
            let max = Point::new(Abs::pt(gx + b.x_max as f64 * scale), Abs::pt(gy - b.y_min as f64 * scale));
            glyphs.push(Rect::around(corners(min, max).map(|p| p.transform(at))));
        }
        x += g.x_advance.at(t.size).to_pt();
    }
    let start = Point::zero().transform(at);
    let end = Point::new(Abs::pt(x), Abs::zero()).transform(at);
    let origin_box = Rect::around([start]);
    let ink =
        glyphs.iter().fold(None, |acc: Option<Rect>, g| Some(acc.map_or(*g, |a| a.union(g)))).unwrap_or(origin_box);
    let info = font.font().info();
    Text {
        text: t.text.to_string(),
        size: t.size.to_pt(),
        family: info.family.clone(),
        bold: info.variant.weight.to_number() >= 700,
        fill: match &t.fill {
            Paint::Solid(c) => Some(rgba(c, print)),
            _ => None,
        },
        glyphs,
        ink,
        baseline: start.y.to_pt(),
        advance: (start.x.to_pt().min(end.x.to_pt()), start.x.to_pt().max(end.x.to_pt())),
        missing,
        clip,
        order,
        origin,
    }
}
