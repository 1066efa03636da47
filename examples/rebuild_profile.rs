//! Where a watch-mode rebuild spends its time, for whoever tunes the templates or the pipeline.
//!
//!   cargo run --release --example rebuild_profile -- <copy of the book> [--chapter ID] [--trace]
//!
//! Builds the English edition once, then edits one paragraph of `lang/en/sdg13.toml` N times
//! (`N=12`; each edit is new text, as an editor's would be) and rebuilds in the same session,
//! like `vlr watch`. Prints the median stage times; with `--trace`, also Typst's own timing
//! scopes for the last rebuild (self time per scope, with the template line that caused it).
//! Work on a copy: the file is restored at the end, but not if the run is interrupted.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = PathBuf::from(args.first().expect("usage: rebuild_profile <book copy> [--chapter ID] [--trace]"));
    let chapter = args.iter().position(|a| a == "--chapter").and_then(|i| args.get(i + 1)).cloned();
    let trace = args.iter().any(|a| a == "--trace");
    let n: usize = std::env::var("N").map_or(12, |v| v.parse().expect("N is a number"));

    let file = root.join("lang/en/sdg13.toml");
    let original = std::fs::read_to_string(&file).expect("the book has lang/en/sdg13.toml");
    let mut opts = vlr::Options::new(&root);
    opts.languages = vlr::Languages::Some(vec!["en".into()]);
    opts.out_dir = Some(root.join("build/profile"));
    opts.chapter = chapter;
    let mut session = opts.session();
    let cold = std::time::Instant::now();
    assert!(vlr::run(&mut session, &opts, vlr::Until::Write).0.ok(), "the book must build");
    println!("first build: {:.0} ms", cold.elapsed().as_secs_f64() * 1000.0);

    let mut rows: Vec<vlr::Timings> = Vec::new();
    for i in 0..n {
        let edited = original.replacen("most pressing", &format!("most pressing (edit {i})"), 1);
        std::fs::write(&file, edited).expect("write the edit");
        if trace && i == n - 1 {
            typst_timing::enable();
        }
        let (outcome, _) = vlr::run(&mut session, &opts, vlr::Until::Write);
        comemo::evict(10); // as `vlr watch` does after each rebuild
        assert!(outcome.ok(), "the edit must build");
        rows.push(outcome.timings);
    }
    std::fs::write(&file, &original).expect("restore the file");

    let median = |f: &dyn Fn(&vlr::Timings) -> f64| {
        let mut v: Vec<f64> = rows.iter().map(f).collect();
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    println!(
        "median of {n} rebuilds: total {:.0} ms = typeset {:.0} + export {:.0} + write {:.1} + load {:.1} + resolve {:.1} + charts {:.1} (+ rest)",
        median(&|t| t.total),
        median(&|t| t.typeset),
        median(&|t| t.export),
        median(&|t| t.write),
        median(&|t| t.load),
        median(&|t| t.resolve),
        median(&|t| t.charts),
    );
    if trace {
        print_scopes(&root);
    }
}

/// Typst's timing events of the last rebuild, summed per scope and source line.
fn print_scopes(root: &Path) {
    let mut buf = Vec::new();
    typst_timing::export_json(&mut buf, |raw| {
        let span = typst::syntax::Span::from_raw(raw);
        let Some(id) = span.id() else { return (String::new(), 0) };
        let path = id.vpath().get_without_slash().to_string();
        let text = std::fs::read_to_string(root.join(&path)).unwrap_or_default();
        let source = typst::syntax::Source::new(id, text);
        let line = source.find(span).map_or(0, |node| source.text()[..node.offset()].lines().count() as u32);
        (path, line)
    })
    .expect("timing events serialize");
    let events: Vec<serde_json::Value> = serde_json::from_slice(&buf).expect("timing events are JSON");
    // Per thread, a stack of open scopes: (name, start, time spent in children).
    let mut stacks: HashMap<u64, Vec<(String, f64, f64)>> = HashMap::new();
    let mut totals: HashMap<String, (f64, usize)> = HashMap::new();
    for e in events {
        let name = match (e["args"]["file"].as_str(), e["args"]["line"].as_u64()) {
            (Some(f), Some(l)) if !f.is_empty() => format!("{} ({f}:{l})", e["name"].as_str().unwrap_or("?")),
            _ => e["name"].as_str().unwrap_or("?").to_string(),
        };
        let ts = e["ts"].as_f64().unwrap_or(0.0);
        let stack = stacks.entry(e["tid"].as_u64().unwrap_or(0)).or_default();
        if e["ph"] == "B" {
            stack.push((name, ts, 0.0));
        } else if let Some((name, start, children)) = stack.pop() {
            let total = totals.entry(name).or_default();
            total.0 += ts - start - children;
            total.1 += 1;
            if let Some(parent) = stack.last_mut() {
                parent.2 += ts - start;
            }
        }
    }
    let mut sorted: Vec<_> = totals.into_iter().collect();
    sorted.sort_by(|a, b| b.1.0.total_cmp(&a.1.0));
    println!("Typst scopes of the last rebuild (self time, calls):");
    for (name, (us, calls)) in sorted.iter().take(25) {
        println!("{:>8.1} ms {calls:>7}  {name}", us / 1000.0);
    }
}
