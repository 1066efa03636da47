//! `vlr watch`: build, then rebuild whenever a source changes, reusing the session (fonts,
//! Typst caches, charts, unchanged files). A bad edit prints its diagnostics and keeps the
//! last good PDF; each rebuild prints one line: what changed, pages, milliseconds.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use notify::{RecursiveMode, Watcher};

use crate::session::Session;
use crate::{Options, Outcome};

/// The folders and files an edit can touch, relative to the project root.
pub const WATCHED: &[&str] = &["report.toml", "chapters", "data", "lang", "styles", "figures"];

/// One line about a build: pages and time, or that the last good PDF was kept.
pub fn summary(outcome: &Outcome, changed: &[PathBuf], elapsed: Duration, charts_drawn: usize) -> String {
    let what = if changed.is_empty() {
        "initial build".to_string()
    } else {
        let names: Vec<String> = changed.iter().take(3).map(|p| p.display().to_string()).collect();
        let more = if changed.len() > 3 { format!(" and {} more", changed.len() - 3) } else { String::new() };
        format!("{}{more} changed", names.join(", "))
    };
    let ms = elapsed.as_millis();
    if outcome.ok() {
        let pages: Vec<String> = outcome
            .editions
            .iter()
            .map(|e| match e.range {
                Some((first, last)) => format!("{} pages {first}–{last} of {}", e.lang, e.pages),
                None => format!("{} {} pages", e.lang, e.pages),
            })
            .collect();
        let t = &outcome.ctx.timings;
        format!(
            "{what}: {} in {ms} ms (compile {:.0}, export {:.0}, other {:.0}; {charts_drawn} charts redrawn)",
            pages.join(", "),
            t.compile,
            t.export + t.write,
            t.total - t.compile - t.export - t.write
        )
    } else {
        format!("{what}: {} error(s) in {ms} ms; kept the last good PDF", outcome.ctx.diags.error_count())
    }
}

/// Runs until the process is stopped. `report` prints each outcome (diagnostics + line).
pub fn watch(opts: Options, mut report: impl FnMut(&Outcome, &str)) -> Result<(), String> {
    let root = opts.root.clone();
    let out_dir = opts.out_dir.clone().unwrap_or_else(|| root.join("build"));
    let mut session = Session::new(opts);
    // Watch before the first build, so an edit saved while it runs is not missed.
    let (tx, rx) = mpsc::channel();
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        // Only changes count: reading the sources (as every build does) must not trigger one.
        if let Ok(e) = event
            && (e.kind.is_create() || e.kind.is_remove() || matches!(e.kind, notify::EventKind::Modify(m) if !matches!(m, notify::event::ModifyKind::Metadata(_))))
        {
            let _ = tx.send(e.paths);
        }
    })
    .map_err(|e| format!("cannot watch files: {e}"))?;
    for entry in WATCHED {
        let path = root.join(entry);
        if path.exists() {
            watcher
                .watch(&path, RecursiveMode::Recursive)
                .map_err(|e| format!("cannot watch {}: {e}", path.display()))?;
        }
    }
    rebuild(&mut session, &[], &mut report);
    loop {
        let Ok(first) = rx.recv() else { return Ok(()) };
        let mut paths = first;
        // Editors save in bursts (temp file, rename, metadata): wait for the burst to end.
        while let Ok(more) = rx.recv_timeout(Duration::from_millis(120)) {
            paths.extend(more);
        }
        let mut changed: Vec<PathBuf> = paths
            .iter()
            .filter(|p| relevant(p, &out_dir))
            .filter_map(|p| p.strip_prefix(&root).ok().map(Path::to_path_buf))
            .collect();
        changed.sort();
        changed.dedup();
        if changed.is_empty() {
            continue;
        }
        rebuild(&mut session, &changed, &mut report);
    }
}

/// One build and its line; then, while the editor reads the PDF, the work that can wait.
fn rebuild(session: &mut Session, changed: &[PathBuf], report: &mut impl FnMut(&Outcome, &str)) {
    let before = session.charts_drawn();
    let start = Instant::now();
    let outcome = session.build();
    report(&outcome, &summary(&outcome, changed, start.elapsed(), session.charts_drawn() - before));
    session.warm_up();
    // Drop Typst cache entries the last compiles did not use (watch runs for hours).
    comemo::evict(10);
}

/// The kinds of file a build reads; everything else (our outputs, editors' swap, backup and
/// temporary files, folders) is ignored.
const SOURCE_EXTENSIONS: &[&str] = &["toml", "typ", "svg", "png", "jpg", "jpeg", "gif", "webp", "tif", "tiff"];

fn relevant(path: &Path, out_dir: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or_default().to_ascii_lowercase();
    !path.starts_with(out_dir) && !name.starts_with('.') && SOURCE_EXTENSIONS.contains(&ext.as_str())
}
