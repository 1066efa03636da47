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
