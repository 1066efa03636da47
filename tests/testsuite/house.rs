//! The house itself: the README's module map names every source file and nothing else, and the
//! module graph has no cycle and no stage reaching up (`.ci/modules`).

use std::collections::BTreeSet;
use std::path::Path;

use crate::common;

/// Every `.rs` file under `dir`, as `src/…` paths.
fn sources(dir: &Path, out: &mut BTreeSet<String>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let rel = path.strip_prefix(common::repo()).unwrap();
            out.insert(rel.to_string_lossy().replace('\\', "/"));
        }
    }
}

#[test]
fn readme_module_map_matches_the_tree() {
    let readme = std::fs::read_to_string(common::repo().join("README.md")).unwrap();
    let start = readme.find("<!-- module-map").expect("README.md has a `<!-- module-map` marker");
    let end = readme[start..].find("<!-- /module-map -->").expect("and its end marker") + start;
    let listed: BTreeSet<String> = readme[start..end]
        .lines()
        .filter_map(|l| l.strip_prefix("| `"))
        .filter_map(|l| l.split('`').next())
        .map(str::to_string)
        .collect();
    let mut tree = BTreeSet::new();
    sources(&common::repo().join("src"), &mut tree);
    let missing: Vec<_> = tree.difference(&listed).collect();
    let extra: Vec<_> = listed.difference(&tree).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "README's module map and src/ disagree.\n  not in the map: {missing:?}\n  not in src/: {extra:?}"
    );
}

#[test]
fn module_graph_has_no_cycle_and_stages_stay_in_order() {
    let run = std::process::Command::new("python3")
        .arg(".ci/modules")
        .current_dir(common::repo())
        .output()
        .expect("python3 runs .ci/modules (apt-get install python3)");
    assert!(run.status.success(), "{}{}", String::from_utf8_lossy(&run.stdout), String::from_utf8_lossy(&run.stderr));
}
