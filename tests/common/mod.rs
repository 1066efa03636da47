//! Fixture projects: `tests/fixtures/minimal` is a small valid report; each folder under
//! `tests/fixtures/errors/` overlays a few files on it to break one thing. Projects are copied
//! into a fresh temporary folder (with the repository's `styles/`), so tests never write into
//! the repository and can run in parallel.

#![allow(dead_code, reason = "each test binary uses a different subset")]

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn fixtures() -> PathBuf {
    repo().join("tests/fixtures")
}

/// A scratch folder unique to this process and call. Folders of earlier runs older than an
/// hour are removed on the first call, so repeated local runs do not fill the disk.
pub fn scratch(name: &str) -> PathBuf {
    static N: AtomicUsize = AtomicUsize::new(0);
    static SWEEP: std::sync::Once = std::sync::Once::new();
    SWEEP.call_once(|| {
        let own = format!("vlr-test-{}-", std::process::id());
        for e in std::fs::read_dir(std::env::temp_dir()).into_iter().flatten().flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            let old = e
                .metadata()
                .and_then(|m| m.modified())
                .ok()
                .and_then(|t| t.elapsed().ok())
                .is_some_and(|age| age.as_secs() > 3600);
            if name.starts_with("vlr-test-") && !name.starts_with(&own) && old {
                let _ = std::fs::remove_dir_all(e.path());
            }
        }
    });
    let dir = std::env::temp_dir().join(format!(
        "vlr-test-{}-{}-{name}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// The minimal project, optionally with an error case's files laid over it.
pub fn project(overlay: Option<&str>) -> PathBuf {
    let dir = scratch(overlay.unwrap_or("minimal"));
    copy_dir(&fixtures().join("minimal"), &dir);
    copy_dir(&repo().join("styles"), &dir.join("styles"));
    if let Some(case) = overlay {
        let case_dir = fixtures().join("errors").join(case);
        for entry in walk(&case_dir) {
            let rel = entry.strip_prefix(&case_dir).unwrap();
            if rel == Path::new("expected.txt") {
                continue;
            }
            let target = dir.join(rel);
            std::fs::create_dir_all(target.parent().unwrap()).unwrap();
            std::fs::copy(&entry, &target).unwrap();
        }
    }
    dir
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let p = entry.unwrap().path();
        if p.is_dir() { out.extend(walk(&p)) } else { out.push(p) }
    }
    out
}

/// Options for a hermetic build: bundled fonts only, PDFs into the scratch folder.
pub fn options(root: &Path) -> vlr::Options {
    let mut o = vlr::Options::new(root);
    o.system_fonts = false;
    o.out_dir = Some(root.join("out"));
    o
}

/// The text of a PDF, with whitespace runs collapsed to single spaces.
pub fn pdf_text(path: &Path) -> String {
    let bytes = std::fs::read(path).unwrap();
    let text = pdf_extract::extract_text_from_mem(&bytes).expect("PDF text extracts");
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Replaces `from` with `to` in a fixture file; `from` must occur, so a test never edits nothing.
pub fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    assert!(text.contains(from), "{} has no {from:?}", path.display());
    std::fs::write(path, text.replace(from, to)).unwrap();
}
