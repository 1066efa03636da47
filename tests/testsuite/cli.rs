//! The binary: exit codes (0 ok, 1 content errors, 2 usage) and what it prints.

use crate::common;

use common::{Project, vlr_command as vlr};

#[test]
fn check_passes_on_a_valid_project() {
    Project::minimal().vlr(&["check"]).exits(0);
}

#[test]
fn content_errors_exit_1_with_file_line_col() {
    let run = Project::error_case("unknown-data").vlr(&["check"]);
    let err = &run.exits(1).stderr;
    assert!(err.contains("lang/en/intro.toml:6:27"), "{err}");
    assert!(err.contains("unknown indicator `g.stok`"), "{err}");
}

#[test]
fn json_diagnostics_on_stdout() {
    let run = Project::error_case("unknown-data").vlr(&["check", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&run.exits(1).stdout).expect("stdout is JSON");
    assert_eq!(v.as_array().unwrap().len(), 2);
    assert_eq!(v[0]["code"], "unknown-data");
}

#[test]
fn usage_errors_exit_2() {
    common::Run::of(vlr().args(["build", "--no-such-flag"])).exits(2);
    let run = common::Run::of(vlr().args(["build", "--root", "/nonexistent-vlr-root"]));
    assert!(run.exits(2).stderr.contains("has no report.toml"));
    // A language the report does not have is a usage error that lists the report's languages.
    let p = Project::minimal();
    for lang in ["../lang/xx", "fr"] {
        let run = p.vlr(&["build", "--lang", lang]);
        assert!(run.exits(2).stderr.contains("--lang takes one of: en, xx, or all"), "{}", run.stderr);
    }
    p.vlr(&["watch", "--lang", "fr"]).exits(2);
    assert!(!p.path("build").exists());
}

#[test]
fn an_unwritable_timings_file_writes_nothing() {
    let p = Project::minimal();
    std::fs::create_dir_all(p.path("timings-dir")).unwrap();
    let dir = p.path("timings-dir");
    let run = p.vlr(&["build", "--timings", dir.to_str().unwrap()]);
    let expected = format!("error[write]: --timings {}: cannot write a file there, it is a folder", dir.display());
    assert!(run.exits(1).stderr.contains(&expected), "{}", run.stderr);
    assert!(!p.path("build").exists(), "no PDF was written");
    let timings = p.path("t.json");
    p.vlr(&["build", "--timings", timings.to_str().unwrap()]).exits(0);
    let t: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&timings).unwrap()).unwrap();
    for stage in ["load", "resolve", "charts", "images", "typeset", "export", "write", "total"] {
        assert!(t[stage].is_number(), "{stage} missing: {t}");
    }
}

#[test]
fn warnings_fail_only_with_deny_warnings() {
    let p = Project::minimal();
    p.edit("lang/en/goal.toml", "First case paragraph.", "There were 424,000 vehicles.");
    assert!(p.vlr(&["check"]).exits(0).stderr.contains("warning[typed-number]"), "a warning alone passes");
    p.vlr(&["check", "--deny-warnings"]).exits(1);
    assert!(p.vlr(&["check", "--quiet"]).stderr.is_empty(), "--quiet hides warnings and notes");
    // A build with denied warnings writes nothing.
    p.vlr(&["build", "--deny-warnings"]).exits(1);
    assert!(!p.path("build").exists());
}

#[test]
fn source_date_epoch_sets_the_document_date() {
    let p = Project::minimal();
    let run =
        |epoch: &str| common::Run::of(vlr().args(["build", "--root"]).arg(&p.root).env("SOURCE_DATE_EPOCH", epoch));
    run("1700000000").exits(0);
    let pdf = std::fs::read(p.path("build/mini-en.pdf")).unwrap();
    let has = |needle: &str| pdf.windows(needle.len()).any(|w| w == needle.as_bytes());
    assert!(has("D:20231114"), "the PDF date is 2023-11-14");
    assert!(!has("D:20211031"), "not the report's date");
    assert!(run("soon").exits(1).stderr.contains("SOURCE_DATE_EPOCH=soon is not a number of seconds"));
}

#[test]
fn release_refuses_offenders_unless_allowed_and_is_reproducible() {
    let p = Project::minimal();
    let out = p.path("rel");
    let refused = p.vlr(&["release", "--out", out.to_str().unwrap()]);
    let err = &refused.exits(1).stderr;
    for offender in
        ["figure `photo` of chapter `intro` is a placeholder", "`g.lost` is pending", "xx: intro/photo is missing"]
    {
        assert!(err.contains(offender), "`{offender}` not listed:\n{err}");
    }
    assert!(!out.exists(), "nothing is published when the release is refused");
    let leftovers: Vec<_> = std::fs::read_dir(&p.root).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert!(!leftovers.iter().any(|n| n.to_string_lossy().contains("staging")), "{leftovers:?}");

    let run = || {
        p.vlr(&["release", "--allow", "placeholders,pending,untranslated", "--out", out.to_str().unwrap()]).exits(0);
        std::fs::read_to_string(out.join("SHA256SUMS")).unwrap()
    };
    let first = run();
    // Every language in both editions, and the open data.
    // (The web edition's files, under web/, are checked in tests/web.rs.)
    let names: Vec<&str> =
        first.lines().map(|l| l.split_once("  ").unwrap().1).filter(|n| !n.starts_with("web/")).collect();
    assert_eq!(
        names,
        [
            "datapackage.json",
            "mini-data.csv",
            "mini-data.json",
            "mini-en-print.pdf",
            "mini-en.pdf",
            "mini-xx-print.pdf",
            "mini-xx.pdf"
        ],
        "{first}"
    );
    assert_eq!(run(), first, "a second release gives the same bytes");
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("build-manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["report"], "mini");
    assert!(manifest["inputs"]["data/g.toml"].as_str().is_some_and(|h| h.len() == 64));
    assert_eq!(manifest["pdfs"].as_array().unwrap().len(), 4);
    assert_eq!(manifest["data"].as_array().unwrap().len(), 3);
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
    let p = Project::minimal();
    let root = p.root.clone();
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
    let root = Project::minimal().root;
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

/// A project file that changes while the release is made (here the release's own write
/// changes it, through a link, so the test is certain): the release is refused with the file
/// named and exit 1, never "released 0 file(s)" with success.
#[cfg(unix)]
#[test]
fn a_release_that_cannot_publish_fails_and_says_why() {
    let p = Project::minimal();
    let out = p.path("rel");
    let staging = p.path(&format!(".rel.staging-{}", std::process::id()));
    std::fs::create_dir_all(&staging).unwrap();
    // report.toml is read through a link into the staging folder, where the build writes
    // its open data over it.
    std::fs::rename(p.path("report.toml"), staging.join("mini-data.csv")).unwrap();
    std::os::unix::fs::symlink(staging.join("mini-data.csv"), p.path("report.toml")).unwrap();
    let allow = [vlr::Allow::Placeholders, vlr::Allow::Pending, vlr::Allow::Untranslated];
    let outcome = vlr::release(&p.opts, &out, &allow);
    let short = outcome.diags.short();
    assert_eq!(outcome.exit_code(), 1, "{short}");
    assert!(
        short.contains("report.toml: error[release-changed]: `report.toml` changed while the release was made"),
        "{short}"
    );
    assert!(outcome.written.is_empty() && !out.exists(), "nothing is published");
}

/// `vlr release` checks everything before it builds: a content error and every offender of
/// the gate are listed together, and nothing is typeset.
#[test]
fn a_refused_release_lists_every_reason_at_once() {
    let p = Project::minimal();
    p.edit("lang/en/intro.toml", "{g.stock}", "{g.stok}");
    let run = p.vlr(&["release", "--out", p.path("rel").to_str().unwrap()]);
    let err = &run.exits(1).stderr;
    for reason in
        ["error[unknown-data]: unknown indicator `g.stok`", "error[release-pending]", "error[release-placeholder]"]
    {
        assert!(err.contains(reason), "`{reason}` not listed:\n{err}");
    }
    assert!(err.contains("nothing was published"), "{err}");
    assert!(!p.path("rel").exists());
}
