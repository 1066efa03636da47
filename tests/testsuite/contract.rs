//! The book data contract (`styles/README.md`, "The book data"): every field vlr writes into
//! `book.json` and `chapters/*.json` is documented there, and every documented field is
//! written — checked on two fixture projects that between them use every block type.

use crate::common;

use std::collections::BTreeSet;

use common::Project;
use serde_json::Value;

/// The documented paths: every `code` in the first column of the tables.
fn documented() -> BTreeSet<String> {
    let readme = std::fs::read_to_string(common::repo().join("styles/README.md")).unwrap();
    let section = readme.split("## The book data").nth(1).expect("the contract section");
    let roots = ["version", "meta.", "theme.", "ui.", "sdgs[]", "parts[]", "chapter.", "block.", "run."];
    let mut out = BTreeSet::new();
    for line in section.lines().filter(|l| l.starts_with("| `")) {
        let first = line.split('|').nth(1).unwrap_or_default();
        for code in first.split('`').skip(1).step_by(2) {
            if roots.iter().any(|r| code.starts_with(r)) {
                out.insert(code.to_string());
            }
        }
    }
    out
}

/// The paths of a JSON value: objects by key, arrays as `[]`, runs (objects with `k`) as
/// `run.<k>.<field>`, blocks (objects with `type` in a chapter) as `block.<type>.<field>`.
fn walk(v: &Value, path: &str, out: &mut BTreeSet<String>) {
    match v {
        Value::Object(map) if map.contains_key("k") => {
            let k = map["k"].as_str().unwrap();
            for key in map.keys().filter(|key| *key != "k") {
                out.insert(format!("run.{k}.{key}"));
            }
        }
        Value::Object(map) if path == "block" => {
            let ty = map["type"].as_str().unwrap();
            let fields: Vec<_> = map.keys().filter(|key| *key != "type").collect();
            if fields.is_empty() {
                out.insert(format!("block.{ty}"));
            }
            for key in fields {
                let p = format!("block.{ty}.{key}");
                out.insert(p.clone());
                walk(&map[key], &p, out);
            }
        }
        Value::Object(map) => {
            for (key, value) in map {
                let p = if path.is_empty() { key.clone() } else { format!("{path}.{key}") };
                // `ui.words` is a dictionary of the pack's words, not fields.
                if p != "ui.words" {
                    walk(value, &p, out);
                }
                out.insert(p);
            }
        }
        Value::Array(items) => {
            for item in items {
                let p = if path == "chapter.blocks" { "block".to_string() } else { format!("{path}[]") };
                walk(item, &p, out);
            }
        }
        _ => {}
    }
}

/// A path as documented: intermediate containers (`sdgs[]`, `theme.margins`) are implied.
fn leaves(paths: BTreeSet<String>) -> BTreeSet<String> {
    paths
        .iter()
        .filter(|p| {
            !paths
                .iter()
                .any(|q| q.len() > p.len() && (q.starts_with(&format!("{p}.")) || q.starts_with(&format!("{p}[]"))))
        })
        .map(|p| p.trim_end_matches("[]").to_string())
        .filter(|p| !p.contains("[][]") && !p.ends_with(".rows[]"))
        .collect()
}

#[test]
fn the_documented_book_data_is_what_vlr_writes() {
    let mut written = BTreeSet::new();
    // Both editions: the print edition's data has fields of its own (`cmyk`).
    let both = [vlr::Edition::Screen, vlr::Edition::Print];
    for p in [Project::minimal().editions(&both), Project::fixture("lakeport").editions(&both)] {
        let (outcome, typeset) = vlr::typeset(&p.opts);
        assert!(outcome.ok(), "{}", outcome.diags.short());
        for (name, bytes) in typeset.iter().flat_map(|t| &t.files) {
            let json: Value = match name.as_str() {
                "book.json" => serde_json::from_slice(bytes).unwrap(),
                n if n.starts_with("chapters/") => {
                    let chapter: Value = serde_json::from_slice(bytes).unwrap();
                    serde_json::json!({ "chapter": chapter })
                }
                _ => continue,
            };
            walk(&json, "", &mut written);
        }
    }
    let written = leaves(written);
    let documented = documented();
    let undocumented: Vec<_> = written.difference(&documented).collect();
    let unwritten: Vec<_> = documented.difference(&written).collect();
    assert!(undocumented.is_empty(), "written but not in styles/README.md: {undocumented:#?}");
    assert!(unwritten.is_empty(), "in styles/README.md but never written: {unwritten:#?}");
    assert_eq!(
        serde_json::from_slice::<Value>(&vlr::typeset(&Project::minimal().opts).1[0].files[0].1).unwrap()["version"],
        vlr::BOOK_VERSION
    );
}
