//! Every heading, measure, sub-heading, case box and caption listed in the structure
//! inventory (`tests/data/structure.tsv`) appears in the built report's text, and the data
//! appendix lists every indicator in `data/`.

mod common;

/// Compares text without whitespace, case or typographic variants of quotes and dashes, so
/// line breaks and justification in the PDF do not matter.
fn norm(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '“' | '”' | '„' => '"',
            '‘' | '’' => '\'',
            '–' | '—' | '‐' => '-',
            c => c,
        })
        .flat_map(char::to_lowercase)
        .collect()
}

#[test]
fn every_listed_heading_and_caption_is_in_the_pdf() {
    let out = common::scratch("structure");
    let mut o = vlr::Options::new(common::repo());
    o.system_fonts = false;
    o.out_dir = Some(out.clone());
    let outcome = vlr::build(&o);
    assert!(outcome.ok(), "{}", vlr::diag::render_short(&outcome.ctx.diags, &outcome.ctx.sources));
    let text = norm(&common::pdf_text(outcome.editions[0].pdf.as_ref().unwrap()));

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
    let project = vlr::check(&o);
    assert!(project.ok());
    let appendix_start = text.find(&norm("Data Appendix: Where the Numbers Come From")).expect("appendix");
    let appendix = &text[appendix_start..];
    let data_dir = common::repo().join("data");
    let mut count = 0;
    for entry in std::fs::read_dir(&data_dir).unwrap() {
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
