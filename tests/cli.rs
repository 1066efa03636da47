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
    common::edit(&goal, "First case paragraph.", "There were 424,000 vehicles.");
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
    for offender in
        ["figure `photo` of chapter `intro` is a placeholder", "`g.lost` is pending", "xx: intro/photo is missing"]
    {
        assert!(err.contains(offender), "`{offender}` not listed:\n{err}");
    }
    assert!(!out.exists(), "nothing is published when the release is refused");

    let run = || {
        let ok = vlr()
            .args(["release", "--allow", "placeholders,pending,untranslated", "--out"])
            .arg(&out)
            .arg("--root")
            .arg(&root)
            .output()
            .unwrap();
        assert_eq!(ok.status.code(), Some(0), "{}", String::from_utf8_lossy(&ok.stderr));
        std::fs::read_to_string(out.join("SHA256SUMS")).unwrap()
    };
    let first = run();
    // Every language in both editions.
    let names: Vec<&str> = first.lines().map(|l| l.split_once("  ").unwrap().1).collect();
    assert_eq!(names, ["mini-en.pdf", "mini-en-print.pdf", "mini-xx.pdf", "mini-xx-print.pdf"], "{first}");
    assert_eq!(run(), first, "a second release gives the same bytes");
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("build-manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["report"], "mini");
    assert!(manifest["inputs"]["data/g.toml"].as_str().is_some_and(|h| h.len() == 64));
    assert_eq!(manifest["pdfs"].as_array().unwrap().len(), 4);
    assert!(manifest["fonts"].as_array().unwrap().iter().any(|f| f["family"] == "Noto Sans"));
}

/// Kills the watcher when the test ends, passed or failed.
struct Killed(std::process::Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// `vlr watch` end to end: an edit rebuilds, a bad edit keeps the last good PDF, a fix rebuilds.
#[test]
fn watch_rebuilds_on_edits_and_keeps_the_last_good_pdf() {
    use std::io::BufRead;
    let root = common::project(None);
    let out_dir = root.join("out");
    let child = vlr()
        .args(["watch", "--root"])
        .arg(&root)
        .arg("--out")
        .arg(&out_dir)
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut child = Killed(child);
    let (tx, rx) = std::sync::mpsc::channel();
    let stderr = child.0.stderr.take().unwrap();
    std::thread::spawn(move || {
        std::io::BufReader::new(stderr).lines().map_while(Result::ok).for_each(|l| drop(tx.send(l)))
    });
    let next_summary = || loop {
        let line = rx.recv_timeout(std::time::Duration::from_secs(60)).expect("watch printed a line");
        if line.contains(" in ") && line.contains(" ms") {
            return line;
        }
    };
    let first = next_summary();
    assert!(first.starts_with("initial build: en ") && first.contains(" pages in "), "{first}");
    let pdf = out_dir.join("mini-en.pdf");
    let intro = root.join("lang/en/intro.toml");
    let text = std::fs::read_to_string(&intro).unwrap();
    std::fs::write(&intro, text.replace("The city counted", "The city had")).unwrap();
    let edited = next_summary();
    assert!(edited.starts_with("lang/en/intro.toml changed: en ") && edited.contains("0 charts redrawn"), "{edited}");
    assert!(common::pdf_text(&pdf).contains("The city had about"));
    let good = std::fs::read(&pdf).unwrap();
    std::fs::write(&intro, text.replace("{g.stock}", "{g.stok}")).unwrap();
    let broken = next_summary();
    assert_eq!(broken.split(" in ").next().unwrap(), "lang/en/intro.toml changed: 1 error(s)");
    assert!(broken.ends_with("ms; kept the last good PDF"), "{broken}");
    assert_eq!(std::fs::read(&pdf).unwrap(), good, "the last good PDF stays");
    std::fs::write(&intro, &text).unwrap();
    let fixed = next_summary();
    assert!(fixed.starts_with("lang/en/intro.toml changed: en "), "{fixed}");
    assert!(common::pdf_text(&pdf).contains("The city counted about"));
}

#[test]
fn watch_with_a_chapter_writes_that_chapters_preview() {
    use std::io::BufRead;
    let root = common::project(None);
    let child = vlr()
        .args(["watch", "--chapter", "goal", "--root"])
        .arg(&root)
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut child = Killed(child);
    let stderr = child.0.stderr.take().unwrap();
    let line = std::io::BufReader::new(stderr)
        .lines()
        .map_while(Result::ok)
        .find(|l| l.starts_with("initial build"))
        .expect("a summary line");
    drop(child);
    assert!(line.contains(": en pages ") && line.contains(" of "), "{line}");
    assert!(root.join("build/mini-en-goal-preview.pdf").is_file());
    assert!(!root.join("build/mini-en.pdf").exists());
}
