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

#[test]
fn release_refuses_offenders_unless_allowed_and_is_reproducible() {
    let root = common::project(None);
    let out = root.join("rel");
    let refused = vlr().args(["release", "--out"]).arg(&out).arg("--root").arg(&root).output().unwrap();
    assert_eq!(refused.status.code(), Some(1));
    let err = String::from_utf8_lossy(&refused.stderr);
    for offender in ["figure `photo` of chapter `intro` is a placeholder", "`g.lost` is pending", "xx: intro/photo is missing"] {
        assert!(err.contains(offender), "`{offender}` not listed:\n{err}");
    }
    assert!(!out.exists(), "nothing is published when the release is refused");

    let run = || {
        let ok = vlr().args(["release", "--allow", "placeholders,pending,untranslated", "--out"]).arg(&out).arg("--root").arg(&root).output().unwrap();
        assert_eq!(ok.status.code(), Some(0), "{}", String::from_utf8_lossy(&ok.stderr));
        std::fs::read_to_string(out.join("SHA256SUMS")).unwrap()
    };
    let first = run();
    // Every language in both editions.
    let names: Vec<&str> = first.lines().map(|l| l.split_once("  ").unwrap().1).collect();
    assert_eq!(names, ["mini-en.pdf", "mini-en-print.pdf", "mini-xx.pdf", "mini-xx-print.pdf"], "{first}");
    assert_eq!(run(), first, "a second release gives the same bytes");
    let manifest: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(out.join("build-manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["report"], "mini");
    assert!(manifest["inputs"]["data/g.toml"].as_str().is_some_and(|h| h.len() == 64));
    assert_eq!(manifest["pdfs"].as_array().unwrap().len(), 4);
    assert!(manifest["fonts"].as_array().unwrap().iter().any(|f| f["family"] == "Noto Sans"));
}
