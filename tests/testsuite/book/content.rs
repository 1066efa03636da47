//! Acceptance tests of the repository's own book, the 2021 Shanghai VLR (not of the tool): it
//! builds without warnings, its PDF says what the published report says — headings, captions,
//! generated numbering, indicator values — and every listed item of its structure is there.

use crate::common;

use common::Project;

/// Compares text without whitespace, case or typographic variants of quotes and dashes, so
/// line breaks and justification in the PDF do not matter.
fn norm(s: &str) -> String {
    // Hyphens are dropped: a word hyphenated at a line end extracts with a soft hyphen, and
    // the PDF's one hyphen glyph may then extract as a soft hyphen everywhere.
    s.chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '\u{AD}' | '-' | '‐' | '–' | '—'))
        .map(|c| match c {
            '“' | '”' | '„' => '"',
            '‘' | '’' => '\'',
            c => c,
        })
        .flat_map(char::to_lowercase)
        .collect()
}

/// The English edition of the book as it is in the repository, built once for every test
/// that only reads it (the suite is one process).
fn the_book() -> &'static (vlr::Pdf, String) {
    static BOOK: std::sync::OnceLock<(vlr::Pdf, String)> = std::sync::OnceLock::new();
    BOOK.get_or_init(|| english(&Project::book()))
}

/// The English edition, built without a warning.
fn english(p: &Project) -> (vlr::Pdf, String) {
    let built = p.build().ok();
    assert!(built.0.diags.is_empty(), "the report builds with warnings:\n{}", built.short());
    let text = built.text(0);
    (built.0.pdfs.into_iter().next().unwrap(), text)
}

#[test]
fn the_2021_report_builds_with_its_structure_and_numbers() {
    let (pdf, text) = the_book();
    assert_eq!(pdf.path.as_ref().unwrap().file_name().unwrap(), "shanghai-vlr-2021-en.pdf");
    assert!(pdf.pages >= 90, "only {} pages", pdf.pages);
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
    assert_eq!(pdf.placeholders.len(), 39);
    assert!(!pdf.placeholders.iter().any(|p| p.figure == "fig-sdgs"));
}

#[test]
fn changing_a_number_in_data_changes_tile_chart_sentence_and_appendix() {
    let p = Project::book();
    p.edit("data/sdg13.toml", "value = 424000", "value = 432100");
    p.edit("data/sdg13.toml", "2019 = { value = 451.35", "2019 = { value = 449.87");
    let (_, text) = english(&p);
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

/// Every heading, measure, sub-heading, case box and caption listed in
/// `tests/data/structure.tsv` appears in the PDF, and the data appendix lists every indicator.
#[test]
fn every_listed_heading_and_caption_is_in_the_pdf() {
    let (_, text) = the_book();
    let text = norm(text);
    let list = std::fs::read_to_string(common::repo().join("tests/data/structure.tsv")).unwrap();
    let items: Vec<(&str, &str)> = list
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| l.split_once('\t').expect("kind<TAB>text"))
        .collect();
    assert!(items.len() > 250, "the list is incomplete: {} items", items.len());
    let missing: Vec<_> = items.iter().filter(|(_, t)| !text.contains(&norm(t))).collect();
    assert!(missing.is_empty(), "{} of {} items are not in the PDF:\n{missing:#?}", missing.len(), items.len());

    // The data appendix lists every indicator the chapters use; every indicator in data/ is used.
    let appendix_start = text.find(&norm("Data Appendix: Where the Numbers Come From")).expect("appendix");
    let appendix = &text[appendix_start..];
    let mut count = 0;
    for entry in std::fs::read_dir(common::repo().join("data")).unwrap() {
        let path = entry.unwrap().path();
        let table: toml::Table = toml::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        for (_, v) in table {
            let title = v.get("title").and_then(|t| t.as_str()).unwrap();
            count += 1;
            assert!(appendix.contains(&norm(title)), "`{title}` ({}) is not in the data appendix", path.display());
        }
    }
    assert!(count > 300, "only {count} indicators");
}

/// Status per value, as the data appendix prints it: in a series whose base year the report
/// does not print (worked out from a stated change), that year is derived and marked, while
/// the reported 2020 value stays reported.
#[test]
fn the_appendix_gives_each_year_its_own_status() {
    let (_, text) = the_book();
    let text = norm(text);
    // The appendix starts with the legend of its marks.
    let appendix = &text[text.find(&norm("† derived ‡ uncertain")).expect("the legend explains the marks")..];
    for (title, values, statuses) in [
        (
            "Average interest rate of corporate loans in Shanghai",
            "2019: 4.89%†; 2020: 4.26%",
            "2019: derived; 2020: reported",
        ),
        (
            "Registered preschool special education sites (classes)",
            "2017: 30†; 2020: 190",
            "2017: derived; 2020: reported",
        ),
        (
            "Power consumption per unit of GDP",
            "2017: 496.89‡; 2018: 477.63‡; 2019: 451.35‡",
            "2015, 2016: reported; 2017–2019: uncertain",
        ),
    ] {
        let at = appendix.find(&norm(title)).unwrap_or_else(|| panic!("`{title}` is not in the appendix"));
        let row = &appendix[at..(at + 400).min(appendix.len())];
        assert!(row.contains(&norm(values)), "`{title}`: values not marked: {row}");
        assert!(row.contains(&norm(statuses)), "`{title}`: statuses not year by year: {row}");
    }
}

/// The reader sees the report, not how its text was recovered; what the editors wrote is marked.
#[test]
fn the_book_prints_no_extraction_notes_and_marks_what_editors_wrote() {
    let (_, text) = the_book();
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for note in ["lost in the source", "survives only", "lost in extraction", "source text"] {
        assert!(!flat.to_lowercase().contains(note), "`{note}` is printed");
    }
    // The two captions the editors wrote say so.
    let text = norm(text);
    for caption in [
        "Figure 1 World Expo 2010 Shanghai China: \"Better City, Better Life\" caption reconstructed",
        "Figure 31 Risk prediction service for chronic obstructive pulmonary disease (COPD)",
    ] {
        assert!(text.contains(&norm(caption)), "`{caption}` not in the PDF");
    }
    let fig31 = text.find(&norm("Figure 31 Risk prediction service")).unwrap();
    assert!(text[fig31..fig31 + 400].contains("captionreconstructed"), "Figure 31's caption is marked");
    // The editors' note says what they did: derived values, reconstructions, corrections.
    for part in ["About This Edition", "marked †", "Figure 1 and Figure 31", "Medellín Manifesto"] {
        assert!(text.contains(&norm(part)), "the editorial note lacks `{part}`");
    }
    // SDG 11's six measures are numbered (1) to (6).
    let sdg11 = text.rfind(&norm("SDG11 Sustainable Cities and Communities")).unwrap();
    for n in 1..=6 {
        assert!(text[sdg11..].contains(&format!("({n})")), "SDG 11 measure ({n})");
    }
}

/// A hedged value prints its hedge in its chart label ("about 63,000†", the alt text describing
/// the labels), as the sentence and the data appendix print it.
#[test]
fn chart_labels_print_a_value_with_its_hedge() {
    let (pdf, _) = the_book();
    let alts = common::pdf::alt_texts(pdf.path.as_ref().unwrap());
    for label in ["2019 about 63,000†", "2015 about 165†"] {
        assert!(alts.iter().any(|a| a.contains(label)), "no chart label `{label}`: {alts:#?}");
    }
}

/// Issue #20, the editorial audit: the book says what this edition lacks instead of blaming the
/// published report for it, names its sections as every chapter does, prints a hedged value
/// with its hedge wherever it prints it, and keeps one number form in a sentence.
#[test]
fn the_editorial_audit_fixes_hold() {
    let (_, text) = the_book();
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for blame in ["not recoverable", "make legible", "does not make", "Major progress", "at a glance"] {
        assert!(!flat.contains(blame), "`{blame}` is printed");
    }
    assert!(flat.contains("Other SDGs: not available to this edition"), "Table 1 says what this edition lacks");
    // SDG 15's progress section is the standard one, like every goal chapter's.
    let overview = flat.find("Sitting where the Yangtze River meets the sea").expect("SDG 15's overview");
    let progress = flat.find("Work on the Yangtze River Delta Eco-Green").expect("SDG 15's progress");
    assert!(flat[overview..progress].contains("Main Progress"), "SDG 15's progress section heading");
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    assert!(compact.matches("about63,000†").count() >= 4, "chart, sentence, note and appendix");
    // The editors' note gives every kind of uncertain value the data notes give.
    for reason in ["“>”", "thousands separator", "293,571‡", "564‡", "has only in part"] {
        assert!(flat.contains(reason), "About This Edition lacks `{reason}`");
    }
    // One number form in a sentence: the three counts of August 3, 2021 all in full.
    assert!(flat.contains("38,623,800 vaccine doses had been given to 20,806,000 people"), "vaccination counts");
    assert!(flat.contains("City Profile"), "the appendix names the profile pages neutrally");
}
