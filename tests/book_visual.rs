//! Visual regression of the repository's book: chosen pages, rendered in-process with
//! `typst-render` at low resolution, compared with the references in `tests/visual/` within a
//! tolerance.
//!
//! After a deliberate design change, look at the new renders and accept them with
//! `VLR_BLESS=1 cargo test --release --test book_visual`. A failing run writes the render it got
//! beside the reference as `<name>.actual.png` (not committed) for comparison.

mod common;

use typst::layout::{Frame, FrameItem};
use typst::utils::Scalar;
use typst_layout::Page;

/// Pixels per point: A4 becomes about 300 × 420 px, enough to see layout regressions.
const SCALE: f64 = 0.5;
/// A pixel differs when a channel moves by more than this (anti-aliasing noise stays below).
const CHANNEL_TOLERANCE: u8 = 48;
/// A page fails when more than this share of its pixels differ.
const MAX_DIFF_SHARE: f64 = 0.004;

fn page_text(frame: &Frame, out: &mut String) {
    for (_, item) in frame.items() {
        match item {
            FrameItem::Group(g) => page_text(&g.frame, out),
            FrameItem::Text(t) => {
                out.push_str(&t.text);
                out.push(' ');
            }
            _ => {}
        }
    }
}

/// The first page whose text contains `needle` (after `from`).
fn find(pages: &[Page], texts: &[String], needle: &str, from: usize) -> usize {
    (from..pages.len()).find(|&i| texts[i].contains(needle)).unwrap_or_else(|| panic!("no page contains `{needle}`"))
}

#[test]
fn page_types_look_as_approved() {
    let mut p = common::Project::book();
    p.opts.system_fonts = false;
    let (outcome, typeset) = vlr::typeset(&p.opts);
    assert!(!outcome.diags.has_errors(), "{}", outcome.diags.short());
    let pages = typeset[0].document.as_ref().unwrap().pages();
    let texts: Vec<String> = pages
        .iter()
        .map(|p| {
            let mut s = String::new();
            page_text(&p.frame, &mut s);
            s
        })
        .collect();

    let opener = find(pages, &texts, "Take urgent action to combat climate change", 0);
    let chosen = [
        ("cover", 0),
        ("contents", find(pages, &texts, "Contents", 0)),
        ("profile-economy", find(pages, &texts, "International center of economy, finance, trade and shipping", 0)),
        ("sdg13-opener", opener),
        ("sdg13-key-indicators", find(pages, &texts, "Carbon market transaction", opener)),
        ("sdg13-measure-case-box", find(pages, &texts, "Meteorological services under Typhoon Lekima", opener)),
        ("table-2", find(pages, &texts, "Key measures of Shanghai to achieve SDGs", 0)),
    ];

    let dir = common::repo().join("tests/visual");
    std::fs::create_dir_all(&dir).unwrap();
    let bless = std::env::var_os("VLR_BLESS").is_some();
    let mut failures = Vec::new();
    for (name, index) in chosen {
        let opts = typst_render::RenderOptions { pixel_per_pt: Scalar::new(SCALE), render_bleed: false };
        let pixmap = typst_render::render(&pages[index], &opts);
        let png = pixmap.encode_png().unwrap();
        let reference = dir.join(format!("{name}.png"));
        if bless {
            std::fs::write(&reference, &png).unwrap();
            continue;
        }
        let Ok(expected) = image::open(&reference) else {
            failures.push(format!("{name}: no reference {} (run with VLR_BLESS=1 to create it)", reference.display()));
            continue;
        };
        let actual = image::load_from_memory(&png).unwrap().to_rgba8();
        let expected = expected.to_rgba8();
        if actual.dimensions() != expected.dimensions() {
            failures.push(format!(
                "{name}: size {:?} differs from the reference {:?}",
                actual.dimensions(),
                expected.dimensions()
            ));
            continue;
        }
        let differing = actual
            .pixels()
            .zip(expected.pixels())
            .filter(|(a, e)| a.0.iter().zip(e.0.iter()).any(|(x, y)| x.abs_diff(*y) > CHANNEL_TOLERANCE))
            .count();
        let share = differing as f64 / (actual.width() * actual.height()) as f64;
        if share > MAX_DIFF_SHARE {
            let got = dir.join(format!("{name}.actual.png"));
            std::fs::write(&got, &png).unwrap();
            failures.push(format!(
                "{name} (page {}): {:.2}% of pixels differ; see {}",
                index + 1,
                share * 100.0,
                got.display()
            ));
        }
    }
    assert!(failures.is_empty(), "visual differences:\n{}", failures.join("\n"));
}
