//! Each invalid fixture project gives exactly the diagnostics in its `expected.txt`
//! (`file:line:col: severity[code]: message (hint: …)`), all at once, and no PDF.
//! Set `VLR_BLESS=1` to rewrite the expected files after a deliberate change of wording.

use crate::common;

use common::Project;

fn check_case(case: &str) {
    let p = Project::error_case(case);
    let built = p.build().failed();
    assert!(!p.path("out").exists(), "{case}: no PDF may be written when the content has errors");
    let got = built.short();
    let expected_path = common::fixtures().join("errors").join(case).join("expected.txt");
    if std::env::var_os("VLR_BLESS").is_some() {
        std::fs::write(&expected_path, &got).unwrap();
    }
    let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
    assert_eq!(got, expected, "{case}: diagnostics differ from {}", expected_path.display());
    // `vlr check` finds the same problems without typesetting.
    assert_eq!(p.check().short(), expected, "{case}: check and build disagree");
}

#[test]
fn malformed_toml() {
    check_case("malformed-toml");
}

#[test]
fn wrong_type() {
    check_case("wrong-type");
}

#[test]
fn unknown_key() {
    check_case("unknown-key");
}

#[test]
fn missing_file() {
    check_case("missing-file");
}

#[test]
fn unknown_data_id() {
    check_case("unknown-data");
}

#[test]
fn path_outside_project() {
    check_case("path-outside");
}

#[test]
fn human_output_shows_the_source_line_and_hint() {
    let built = Project::error_case("unknown-data").check();
    let human = vlr::render_human(&built.0.diags, false);
    assert!(human.contains("error[unknown-data]: unknown indicator `g.stok`"), "{human}");
    assert!(human.contains("lang/en/intro.toml:6:27"), "{human}");
    assert!(human.contains("about {g.stok} vehicles"), "snippet missing:\n{human}");
    assert!(human.contains("did you mean `g.stock`?"), "{human}");
}

#[test]
fn json_output_has_the_stable_schema() {
    let built = Project::error_case("unknown-key").check();
    let json: serde_json::Value = serde_json::from_str(&vlr::render_json(&built.0.diags)).unwrap();
    let first = &json[0];
    for key in ["file", "line", "column", "severity", "code", "message", "hint"] {
        assert!(first.get(key).is_some(), "missing `{key}` in {first}");
    }
    assert_eq!(first["file"], "chapters/intro.toml");
    assert_eq!(first["line"], 11);
    assert_eq!(first["severity"], "error");
}

#[test]
fn image_that_does_not_decode() {
    check_case("bad-image");
}

#[test]
fn every_invalid_block_is_reported_in_one_run() {
    check_case("invalid-blocks");
}
