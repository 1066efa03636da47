//! Visual regression of the repository's book: chosen pages, rendered in-process with
//! `typst-render` at low resolution, compared with the references in `tests/visual/` within a
//! tolerance.
//!
//! After a deliberate design change, look at the new renders and accept them with
//! `VLR_BLESS=1 cargo test --release --test book_visual`. A failing run writes the render it got
//! beside the reference as `<name>.actual.png` (not committed) for comparison.

use crate::common;

use std::sync::OnceLock;

use typst::layout::{Frame, FrameItem};
use typst::utils::Scalar;
use typst_layout::{Page, PagedDocument};
use vlr::Rgb;
use vlr::checks::AA;

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

/// An edition of the book, laid out once for all the tests here. English with the bundled
/// fonts only (hermetic, as the references were made); Chinese needs the system's CJK face.
fn edition(lang: &str) -> &'static PagedDocument {
    static EN: OnceLock<PagedDocument> = OnceLock::new();
    static ZH: OnceLock<PagedDocument> = OnceLock::new();
    let lay_out = |system_fonts| {
        let mut p = common::Project::book().lang(lang);
        p.opts.system_fonts = system_fonts;
        let (outcome, typeset) = vlr::typeset(&p.opts);
        assert!(!outcome.diags.has_errors(), "{}", outcome.diags.short());
        typeset.into_iter().next().and_then(|t| t.document).expect("laid out")
    };
    match lang {
        "en" => EN.get_or_init(|| lay_out(false)),
        _ => ZH.get_or_init(|| lay_out(true)),
    }
}

/// The English edition's pages and the text of each.
fn english() -> (&'static [Page], Vec<String>) {
    let pages = edition("en").pages();
    let texts = pages
        .iter()
        .map(|p| {
            let mut s = String::new();
            page_text(&p.frame, &mut s);
            s
        })
        .collect();
    (pages, texts)
}

#[test]
fn page_types_look_as_approved() {
    let (pages, texts) = english();
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

/// Pixels of exactly `colour` on a page rendered at `SCALE`.
fn pixels(page: &Page, colour: Rgb) -> usize {
    common::render(page, SCALE).chunks(4).filter(|p| p[..3] == [colour.0, colour.1, colour.2]).count()
}

/// The UN's colour of a goal, as the theme has it.
fn official(goal: usize) -> Rgb {
    const UN: [&str; 17] = [
        "#E5243B", "#DDA63A", "#4C9F38", "#C5192D", "#FF3A21", "#26BDE2", "#FCC30B", "#A21942", "#FD6925", "#DD1367",
        "#FD9D24", "#BF8B2E", "#3F7E44", "#0A97D9", "#56C02B", "#00689D", "#19486A",
    ];
    Rgb::parse(UN[goal - 1]).unwrap()
}

/// The goal openers and the grid of the 17 goals (Figure 3) print the UN's colours, not the
/// darker inks for text: counted in pixels of exactly the official colour.
#[test]
fn the_openers_and_the_goal_grid_print_the_official_colours() {
    let (pages, texts) = english();
    let tile_side = 62.0 / 25.4 * 72.0 * SCALE;
    let mut report = Vec::new();
    let mut failures = Vec::new();
    for (goal, statement) in
        [(11, "Make cities and human settlements inclusive"), (13, "Take urgent action to combat climate change")]
    {
        let page = &pages[find(pages, &texts, statement, 0)];
        let (own, ink) = (pixels(page, official(goal)), pixels(page, official(goal).ink(AA)));
        report.push(format!("SDG {goal} opener: {own} px of {}", official(goal).hex()));
        // The tile, less its number and name.
        if (own as f64) < 0.75 * tile_side * tile_side {
            failures.push(format!("SDG {goal} opener: only {own} px of {}", official(goal).hex()));
        }
        // The ink colours the heading below the tile, no field.
        if official(goal).ink(AA) != official(goal) && ink * 20 > own {
            failures.push(format!("SDG {goal} opener: {ink} px of the ink {}", official(goal).ink(AA).hex()));
        }
    }
    let grid = &pages[find(pages, &texts, "17 SDGs of the 2030 Agenda", 0)];
    for goal in 1..=17 {
        let (own, ink) = (pixels(grid, official(goal)), pixels(grid, official(goal).ink(AA)));
        report.push(format!("SDG {goal} in the grid: {own} px of {}", official(goal).hex()));
        // A tile of six to a row is about 39 × 31 px here.
        if own < 800 {
            failures.push(format!("SDG {goal} in the grid: only {own} px of {}", official(goal).hex()));
        }
        if official(goal).ink(AA) != official(goal) && ink * 20 > own {
            failures.push(format!("SDG {goal} in the grid: {ink} px of the ink {}", official(goal).ink(AA).hex()));
        }
    }
    eprintln!("{}", report.join("\n"));
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Every text of the book reaches WCAG AA on what it is printed on and the theme's minimum size.
#[test]
fn every_text_of_the_book_is_legible() {
    let mut langs = vec!["en"];
    if common::require_cjk("every_text_of_the_book_is_legible (zh-CN)") {
        langs.push("zh-CN");
    }
    for lang in langs {
        let problems = common::frames::illegible(&common::frames::printed(edition(lang).pages()), 8.0);
        let shown: Vec<&str> = problems.iter().take(40).map(String::as_str).collect();
        assert!(problems.is_empty(), "{lang}: {} problems:\n{}", problems.len(), shown.join("\n"));
    }
}
