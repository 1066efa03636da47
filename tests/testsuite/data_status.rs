//! Status per value: a series may hold reported, derived, uncertain and pending years; each
//! prints with its own mark (sentence, tile, chart, appendix) and keeps its hedge, and a
//! strict release refuses the marked ones.

use crate::common;

use common::Project;

/// The lakeport fixture with its LED lamp series' first year derived (and hedged) and its
/// second uncertain, and a tile showing the uncertain year.
fn marked() -> Project {
    let p = Project::fixture("lakeport").lang("fr");
    p.edit(
        "data/sdg7.toml",
        "series = { 2021 = 1000000, 2023 = 2000000, 2025 = 5000000 }",
        "series = { 2021 = { value = 1000000, status = \"derived\", qualifier = \"about\" }, 2023 = { value = 2000000, status = \"uncertain\" }, 2025 = 5000000 }",
    );
    p.edit(
        "chapters/sdg7.toml",
        "{ id = \"ki-share\", data = \"sdg7.renewable_share\" },",
        "{ id = \"ki-share\", data = \"sdg7.renewable_share\" },\n  { id = \"ki-lamps\", data = \"sdg7.led_lamps\", year = 2023 },",
    );
    p
}

#[test]
fn each_year_prints_with_its_own_status() {
    let p = marked();
    let built = p.build().ok();
    assert!(built.0.diags.iter().all(|d| d.code == "missing-text"), "{}", built.short());
    let fr = built.text(0);
    // In the sentence: the mark follows the number.
    assert!(fr.contains("a posé 1 million † de lampes"), "{fr}");
    assert!(fr.contains("2 millions ‡ deux ans plus tard"), "{fr}");
    assert!(fr.contains("5 millions à la fin"), "the reported year has no mark: {fr}");
    // The appendix: each year with its hedge and mark, its status year by year, and a legend.
    assert!(fr.contains("2021: environ 1 million†; 2023: 2 millions‡; 2025: 5 millions"), "{fr}");
    assert!(fr.contains("2021: calculé; 2023: incertain; 2025: publié"), "{fr}");
    assert!(fr.contains("† calculé ‡ incertain"), "{fr}");
    // The tile says what its value is.
    assert!(fr.contains("2 millions lampes ‡ ‡ incertain"), "{fr}");
}

#[test]
fn a_strict_release_refuses_marked_values() {
    let p = marked();
    let out = p.path("release");
    let strict =
        p.vlr(&["release", "--allow", "placeholders,pending,untranslated", "--strict", "--out", out.to_str().unwrap()]);
    strict.exits(1);
    assert!(strict.stderr.contains("`sdg7.led_lamps` is derived for 2021: the PDF marks it"), "{}", strict.stderr);
    assert!(strict.stderr.contains("`sdg7.led_lamps` is uncertain for 2023"), "{}", strict.stderr);
    assert!(!out.exists(), "nothing published");
    p.vlr(&["release", "--allow", "placeholders,pending,untranslated", "--out", out.to_str().unwrap()]).exits(0);
}

#[test]
fn a_malformed_year_entry_is_located() {
    let p = Project::fixture("lakeport").lang("fr");
    p.edit("data/sdg7.toml", "2023 = 2000000", "2023 = { value = 2000000, status = \"guessed\" }");
    let built = p.check().failed();
    assert_eq!(
        built.short(),
        "data/sdg7.toml:35:35: error[invalid-value]: the 2023 entry of `sdg7.led_lamps`: unknown status `guessed` (use one of: reported, derived, uncertain, pending) (hint: write the year as a number, \"pending\", or { value = 30, status = \"derived\", qualifier = \"about\" })\n"
    );
}
