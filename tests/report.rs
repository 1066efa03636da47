//! The repository's own content — the 2021 Shanghai VLR — builds, and its PDF says what the
//! sources say: headings, captions, generated numbering and indicator values.

mod common;

use std::path::{Path, PathBuf};

/// A copy of the repository's book (not its build outputs) in a scratch folder.
fn book_copy() -> PathBuf {
    let dir = common::scratch("book");
    for sub in ["chapters", "data", "lang", "styles", "figures"] {
        let from = common::repo().join(sub);
        if from.is_dir() {
            common::copy_dir(&from, &dir.join(sub));
        }
    }
    std::fs::copy(common::repo().join("report.toml"), dir.join("report.toml")).unwrap();
    dir
}

fn build(root: &Path) -> (vlr::Edition, String) {
    let outcome = vlr::build(&common::options(root));
    let diags = vlr::diag::render_short(&outcome.ctx.diags, &outcome.ctx.sources);
    assert!(outcome.ok(), "the report does not build:\n{diags}");
    assert!(outcome.ctx.diags.is_empty(), "the report builds with warnings:\n{diags}");
    let ed = outcome.editions.into_iter().next().unwrap();
    let text = common::pdf_text(ed.pdf.as_ref().unwrap());
    (ed, text)
}

#[test]
fn the_2021_report_builds_with_its_structure_and_numbers() {
    let root = book_copy();
    let (ed, text) = build(&root);
    assert_eq!(ed.pdf.as_ref().unwrap().file_name().unwrap(), "shanghai-vlr-2021-en.pdf");
    assert!(ed.pages >= 90, "only {} pages", ed.pages);
    for needle in [
        // Cover and contents
        "UN SDGs Shanghai Voluntary Local Review",
        "AN OVERVIEW OF RESPONSE OF SHANGHAI TO SDGS",
        "Table 1 Logical Relationship between the three targets of Shanghai and SDGs",
        "Table 2 Key measures of Shanghai to achieve SDGs",
        "SDG1 No Poverty",
        "SDG3 Good Health and Well-being",
        "SDG4 Quality Education",
        "SDG8 Decent Work and Economic Growth",
        "SDG11 Sustainable Cities and Communities",
        "SDG15 Life on Land",
        "Prospects",
        "Shanghai Disabled Persons' Federation",
        "Data Appendix",
        "Contents",
        // Profile pages, Introduction, Review Method
        "Shanghai – international center of economy, finance, trade, shipping, scientific & technological innovation",
        "Introduction",
        "Review Method and Process",
        "PRIORITY REVIEW TARGETS AND PROGRESS",
        // SDG13 opener, sections and measures
        "SDG13 Climate Action",
        "Take urgent action to combat climate change and its impacts",
        "Key indicators",
        "Work Overview",
        "Main Progress",
        "Specific Measures",
        "(1) Strengthening urban climate change impact assessment",
        "(2) Boosting the meteorological disaster prevention capabilities",
        "(3) Building a low-carbon city",
        "(4) Building a carbon trading platform and market",
        "(5) Promoting NEVs",
        "Meteorological services under Typhoon Lekima",
        // Indicator values in tiles and prose
        "424,000",
        "166 million",
        "1.857 billion",
        "41%",
    ] {
        assert!(text.contains(needle), "`{needle}` not in the PDF");
    }
    // Figures are numbered by the tool, in order, with their captions.
    assert!(text.contains("Figure 1 World Expo 2010"), "Figure 1 caption");
    assert!(text.contains("17 SDGs of the 2030 Agenda"));
    assert!(text.contains("Smart Weather Support Urban Fine Management System"));
    let last = (1..=60).rev().find(|n| text.contains(&format!("Figure {n} "))).unwrap();
    assert_eq!(last, 40, "the published book has Figures 1-40");
    assert!(text.contains("Figure 31 Risk prediction service"), "Figure 31 keeps its place");
    // Placeholders are reported, generated figures are not.
    assert_eq!(ed.placeholders.len(), 39);
    assert!(!ed.placeholders.iter().any(|p| p.figure == "fig-sdgs"));
}

#[test]
fn changing_a_number_in_data_changes_tile_chart_sentence_and_appendix() {
    let root = book_copy();
    let data = root.join("data/sdg13.toml");
    let s = std::fs::read_to_string(&data).unwrap();
    assert!(s.contains("value = 424000") && s.contains("2019 = 451.35"));
    std::fs::write(&data, s.replace("value = 424000", "value = 432100").replace("2019 = 451.35", "2019 = 449.87"))
        .unwrap();
    let (_, text) = build(&root);
    assert!(!text.contains("424,000"), "the old value is still printed somewhere");
    // The key-indicator tile, the prose and the data appendix.
    assert!(text.matches("432,100").count() >= 3, "new value printed {} times", text.matches("432,100").count());
    // The chart's bar label (SVG text: compare without spaces), the prose and the appendix.
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    assert!(!compact.contains("451.35"), "the old chart value is still printed");
    assert!(
        compact.matches("449.87").count() >= 3,
        "new chart value printed {} times",
        compact.matches("449.87").count()
    );
}
