//! `vlr preflight`: one seeded defect of each kind, found on the page where it is; a clean
//! page with none; and the command on fixture projects (exit codes, located findings).

use crate::common;

use std::collections::BTreeSet;

use common::Project;
use vlr::checks::{Check, Rules, inspect};

/// Laid out from a Typst source with Typst's own fonts (Libertinus Serif is the chosen face).
fn inspect_source(source: &str, png: Option<&[u8]>) -> Vec<vlr::checks::Finding> {
    let dir = common::scratch("preflight-seeded");
    std::fs::write(dir.join("main.typ"), source).unwrap();
    if let Some(png) = png {
        std::fs::write(dir.join("small.png"), png).unwrap();
    }
    let doc = common::world::compile_dir(&dir);
    let rules = Rules {
        min_pt: 8.0,
        margins: (12.0, 12.0),
        min_ppi: 200.0,
        families: vec!["libertinus serif".into()],
        print: Vec::new(),
    };
    inspect(&doc, &rules)
}

fn tiny_png() -> Vec<u8> {
    let img = image::RgbImage::from_pixel(20, 20, image::Rgb([90, 140, 200]));
    let mut bytes = std::io::Cursor::new(Vec::new());
    img.write_to(&mut bytes, image::ImageFormat::Png).unwrap();
    bytes.into_inner()
}

const PAGE: &str = "#set page(width: 220pt, height: 400pt, margin: 12pt)\n\
                    #set text(font: \"Libertinus Serif\", size: 10pt)\n";

#[test]
fn one_seeded_defect_of_each_kind_is_found() {
    let seeded = [
        (Check::Overflow, "#block(width: 70pt, fill: luma(230), box(width: 150pt)[Running out of the grey box])"),
        (Check::Overlap, "#place(dx: 20pt, dy: 200pt)[Colliding]\n#place(dx: 23pt, dy: 202pt)[Colliding]"),
        (Check::SmallText, "#text(size: 6pt)[Fine print]"),
        (Check::Tofu, "Missing: \u{A66E}"),
        (Check::FallbackFace, "#raw(\"monospace\")"),
        (Check::LowResolution, "#image(\"small.png\", width: 100pt)"),
        (Check::Contrast, "#box(fill: rgb(\"#FCC30B\"), inset: 3pt, text(fill: white)[White on yellow])"),
    ];
    for (check, body) in seeded {
        let found = inspect_source(&format!("{PAGE}{body}\n"), Some(&tiny_png()));
        let checks: BTreeSet<Check> = found.iter().map(|f| f.check).collect();
        assert_eq!(checks, BTreeSet::from([check]), "{check:?} seeded, found: {found:#?}");
        assert!(found.iter().all(|f| f.page == 1), "{found:?}");
    }
}

#[test]
fn a_clean_page_has_no_findings() {
    let body = "= A heading\n\nBody text on several lines, which wraps at the margin as a paragraph does, \
                with accents (É, ç) and descenders (g, y) on neighbouring lines, set at 10 pt.\n\n\
                #block(width: 100%, fill: rgb(\"#19486A\"), inset: 4pt, text(fill: white)[White on SDG 17 navy])\n\
                #text(size: 8pt)[Small but not too small]\n\
                #image(\"small.png\", width: 7pt)\n";
    let found = inspect_source(&format!("{PAGE}{body}"), Some(&tiny_png()));
    assert!(found.is_empty(), "{found:#?}");
}

#[test]
fn findings_name_the_edition_page_chapter_and_block() {
    // A designer's template that breaks the rules: chart words below the minimum size.
    let p = Project::minimal();
    let blocks = vlr::builtin::style("styles/blocks.typ").unwrap();
    p.write("styles/blocks.typ", &blocks.replace("size: l.size * 1pt", "size: 6.5pt"));
    let out = p.vlr(&["preflight", "--format", "json"]);
    out.exits(1);
    let diags: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let small: Vec<&serde_json::Value> = diags
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "small-text" && d["message"].as_str().unwrap().contains("6.5 pt"))
        .collect();
    assert!(!small.is_empty(), "{diags:#}");
    let d = small[0];
    assert_eq!(d["severity"], "error");
    let message = d["message"].as_str().unwrap();
    assert!(message.starts_with("screen edition (en), page "), "{message}");
    assert!(message.contains("chapter `goal`, block `ki`"), "{message}");
    assert_eq!(d["file"], "chapters/goal.toml", "{d:#}");
    assert!(d["line"].as_u64().is_some(), "{d:#}");
}
