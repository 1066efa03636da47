//! The binary: exit codes (0 ok, 1 content errors, 2 usage) and what it prints.

mod common;

use std::process::Command;

fn vlr() -> Command {
    Command::new(env!("CARGO_BIN_EXE_vlr"))
}

#[test]
fn check_passes_on_a_valid_project() {
    let root = common::project(None);
    let out = vlr().args(["check", "--root"]).arg(&root).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn content_errors_exit_1_with_file_line_col() {
    let root = common::project(Some("unknown-data"));
    let out = vlr().args(["check", "--root"]).arg(&root).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("lang/en/intro.toml:6:27"), "{err}");
    assert!(err.contains("unknown indicator `g.stok`"), "{err}");
}

#[test]
fn json_diagnostics_on_stdout() {
    let root = common::project(Some("unknown-data"));
    let out = vlr().args(["check", "--format", "json", "--root"]).arg(&root).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("stdout is JSON");
    assert_eq!(v.as_array().unwrap().len(), 2);
    assert_eq!(v[0]["code"], "unknown-data");
}

#[test]
fn usage_errors_exit_2() {
    let out = vlr().args(["build", "--no-such-flag"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = vlr().args(["build", "--root", "/nonexistent-vlr-root"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("has no report.toml"));
}

#[test]
fn warnings_fail_only_with_deny_warnings() {
    let root = common::project(None);
    let goal = root.join("lang/en/goal.toml");
    let s = std::fs::read_to_string(&goal).unwrap().replace("First case paragraph.", "There were 424,000 vehicles.");
    std::fs::write(&goal, s).unwrap();
    let out = vlr().args(["check", "--root"]).arg(&root).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "a warning alone passes");
    assert!(String::from_utf8_lossy(&out.stderr).contains("warning[typed-number]"));
    let out = vlr().args(["check", "--deny-warnings", "--root"]).arg(&root).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let out = vlr().args(["check", "--quiet", "--root"]).arg(&root).output().unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).is_empty(), "--quiet hides warnings and notes");
}

#[test]
fn source_date_epoch_sets_the_document_date() {
    let root = common::project(None);
    let out = vlr().args(["build", "--root"]).arg(&root).env("SOURCE_DATE_EPOCH", "1700000000").output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let pdf = std::fs::read(root.join("build/mini-en.pdf")).unwrap();
    let has = |needle: &str| pdf.windows(needle.len()).any(|w| w == needle.as_bytes());
    assert!(has("D:20231114"), "the PDF date is 2023-11-14");
    assert!(!has("D:20211031"), "not the report's date");
    let out = vlr().args(["build", "--root"]).arg(&root).env("SOURCE_DATE_EPOCH", "soon").output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("SOURCE_DATE_EPOCH=soon is not a number of seconds"));
}
