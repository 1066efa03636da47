//! What laid-out pages print, read back from their frames: every run of text with its size,
//! weight and colour, and the colour it is printed on — the last filled shape drawn beneath
//! it (a band, a tile, a table row), else the white paper. Charts are images and not read.

use typst::layout::{Abs, Frame, FrameItem, Point, Transform};
use typst::visualize::{Geometry, Paint};
use typst_layout::Page;
use vlr::Rgb;
use vlr::checks::{aa_threshold, contrast};

#[derive(Debug)]
pub struct Printed {
    /// 1-based page number.
    pub page: usize,
    pub text: String,
    pub size_pt: f64,
    pub bold: bool,
    pub fill: Rgb,
    pub background: Rgb,
    /// Heights on the page (pt from its top edge): the baseline, and the highest and lowest
    /// ink of its glyphs.
    pub baseline: f64,
    pub top: f64,
    pub bottom: f64,
    /// Whether all its ink lies on the field it is printed on (text that runs off a tile is
    /// partly on another colour).
    pub inside: bool,
}

impl Printed {
    /// Its contrast against what it is printed on.
    pub fn contrast(&self) -> f64 {
        contrast(self.fill, self.background)
    }

    /// Whether it reaches WCAG AA for its size and weight.
    pub fn reaches_aa(&self) -> bool {
        self.contrast() >= aa_threshold(self.size_pt, self.bold)
    }
}

impl std::fmt::Display for Printed {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        write!(
            f,
            "page {}: {:?} at {:.1} pt{}, {} on {} ({:.2}:1)",
            self.page,
            self.text,
            self.size_pt,
            if self.bold { " bold" } else { "" },
            self.fill.hex(),
            self.background.hex(),
            self.contrast()
        )
    }
}

/// Every run of text the pages print, in drawing order.
pub fn printed(pages: &[Page]) -> Vec<Printed> {
    let mut walk = Walk { fields: Vec::new(), out: Vec::new(), page: 0 };
    for (i, page) in pages.iter().enumerate() {
        walk.page = i + 1;
        walk.fields.clear();
        walk.frame(&page.frame, Transform::identity());
    }
    walk.out
}

fn solid(paint: &Paint) -> Option<Rgb> {
    match paint {
        Paint::Solid(c) => {
            let [r, g, b, a] = c.to_vec4_u8();
            // A translucent fill would need blending; the templates draw none.
            assert_eq!(a, 255, "a translucent fill");
            Some(Rgb(r, g, b))
        }
        _ => None,
    }
}

struct Walk {
    /// Filled areas drawn so far on this page: (min, max) corners on the page, and colour.
    fields: Vec<(Point, Point, Rgb)>,
    out: Vec<Printed>,
    page: usize,
}

impl Walk {
    fn frame(&mut self, frame: &Frame, ts: Transform) {
        for (pos, item) in frame.items() {
            let ts = ts.pre_concat(Transform::translate(pos.x, pos.y));
            match item {
                FrameItem::Group(g) => self.frame(&g.frame, ts.pre_concat(g.transform)),
                FrameItem::Shape(shape, _) => {
                    let Some(colour) = shape.fill.as_ref().and_then(solid) else { continue };
                    if matches!(shape.geometry, Geometry::Line(_)) {
                        continue;
                    }
                    let bbox = shape.geometry.bbox(None);
                    let corners =
                        [bbox.min, bbox.max, Point::new(bbox.min.x, bbox.max.y), Point::new(bbox.max.x, bbox.min.y)]
                            .map(|p| p.transform(ts));
                    let min = corners.iter().fold(corners[0], |a, b| a.min(*b));
                    let max = corners.iter().fold(corners[0], |a, b| a.max(*b));
                    self.fields.push((min, max, colour));
                }
                FrameItem::Text(t) => {
                    let Some(fill) = solid(&t.fill) else { continue };
                    // The middle of the run, at half the height of a capital above the baseline.
                    let at = Point::new(t.width() / 2.0, -t.size * 0.35).transform(ts);
                    let ink = t.bbox();
                    let (p, q) = (ink.min.transform(ts), ink.max.transform(ts));
                    let (ink_min, ink_max) = (p.min(q), p.max(q));
                    let field = self
                        .fields
                        .iter()
                        .rev()
                        .find(|(min, max, _)| min.x <= at.x && at.x <= max.x && min.y <= at.y && at.y <= max.y);
                    let background = field.map_or(Rgb::WHITE, |f| f.2);
                    // Half a point of slack: glyphs may overhang their box by a hair.
                    let slack = Abs::pt(0.5);
                    let inside = field.is_none_or(|(min, max, _)| {
                        ink_min.x >= min.x - slack
                            && ink_min.y >= min.y - slack
                            && ink_max.x <= max.x + slack
                            && ink_max.y <= max.y + slack
                    });
                    // The size as printed: a scaled group scales its text.
                    let scale = (ts.sx.get() * ts.sy.get() - ts.kx.get() * ts.ky.get()).abs().sqrt();
                    let y = |y| Point::new(Abs::zero(), y).transform(ts).y.to_pt();
                    self.out.push(Printed {
                        page: self.page,
                        text: t.text.to_string(),
                        size_pt: (t.size * scale).to_pt(),
                        bold: t.font.font().info().variant.weight.to_number() >= 700,
                        fill,
                        background,
                        baseline: y(Abs::zero()),
                        top: ink_min.y.to_pt(),
                        bottom: ink_max.y.to_pt(),
                        inside,
                    });
                }
                _ => {}
            }
        }
    }
}

/// The problems among `printed`: text under WCAG AA for its size, smaller than `min_pt`, or
/// running off the field it is printed on.
pub fn illegible(printed: &[Printed], min_pt: f64) -> Vec<String> {
    let mut out = Vec::new();
    for p in printed.iter().filter(|p| !p.text.trim().is_empty()) {
        if !p.reaches_aa() {
            out.push(format!("under AA: {p}"));
        }
        if p.size_pt + 0.01 < min_pt {
            out.push(format!("under {min_pt} pt: {p}"));
        }
        if !p.inside {
            out.push(format!("off its field: {p}"));
        }
    }
    out
}
