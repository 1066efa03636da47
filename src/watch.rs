//! `vlr watch`: build, then rebuild whenever an input changes, reusing the session (fonts,
//! Typst caches, charts, unchanged files). A bad edit prints its diagnostics and keeps the
//! last good PDF; each rebuild prints one line: what changed, pages, milliseconds.
//!
//! What is followed: the project's inputs (`report.toml`, `chapters/`, `data/`, `lang/`,
//! `styles/`, `figures/`), every other project file the last layout read (a file a template
//! reads, say), and the `--font-path` folders.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use notify::{RecursiveMode, Watcher};

use crate::diag::{Code, Diagnostic};
use crate::session::Session;
use crate::{Options, Outcome, Until};

/// The project's inputs, relative to the project root.
pub const INPUTS: &[&str] = &["report.toml", "chapters", "data", "lang", "styles", "figures"];

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
        let mut pages: Vec<String> = outcome
            .pdfs
            .iter()
            .map(|e| match e.range {
                Some((first, last)) => format!("{} pages {first}–{last} of {}", e.target.lang, e.pages),
                None => format!("{} {} pages", e.target.lang, e.pages),
            })
            .collect();
        pages.extend(outcome.site.iter().map(|s| format!("web {} pages", s.pages)));
        let t = &outcome.timings;
        format!(
            "{what}: {} in {ms} ms (typeset {:.0}, export {:.0}, other {:.0}; {charts_drawn} charts redrawn)",
            pages.join(", "),
            t.typeset,
            t.export + t.write,
            t.total - t.typeset - t.export - t.write
        )
    } else {
        format!("{what}: {} error(s) in {ms} ms; kept the last good PDF", outcome.diags.error_count())
    }
}

/// Runs until the process is stopped. `report` prints each outcome (diagnostics + line).
/// Returns only when it cannot go on: the first build's outcome when the command asked for
/// something the report cannot give (an unknown language, exit code 2), or a `watch` error
/// when the files cannot be watched.
pub fn watch(opts: Options, mut report: impl FnMut(&Outcome, &str)) -> Outcome {
    match watch_until_stopped(opts, &mut report) {
        Ok(outcome) => outcome,
        Err(message) => {
            let mut outcome = Outcome::default();
            outcome.diags.push(
                Diagnostic::error(Code::Watch, message)
                    .hint("check the folders exist and inotify limits (fs.inotify.max_user_watches)"),
            );
            outcome
        }
    }
}

fn watch_until_stopped(opts: Options, report: &mut impl FnMut(&Outcome, &str)) -> Result<Outcome, String> {
    let root = opts.root.clone();
    let out_dir = opts.out_dir();
    let mut session = opts.session();
    // Watch before the first build, so an edit saved while it runs is not missed.
    let (tx, rx) = mpsc::channel();
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        // Only changes count: reading the sources (as every build does) must not trigger one.
        if let Ok(e) = event
            && (e.kind.is_create()
                || e.kind.is_remove()
                || matches!(e.kind, notify::EventKind::Modify(m) if !matches!(m, notify::event::ModifyKind::Metadata(_))))
        {
            let _ = tx.send(e.paths);
        }
    })
    .map_err(|e| format!("cannot watch files: {e}"))?;
    let mut followed: BTreeSet<PathBuf> = BTreeSet::new();
    let mut follow = |watcher: &mut notify::RecommendedWatcher, path: PathBuf, mode: RecursiveMode| {
        if path.exists() && !followed.iter().any(|f| path.starts_with(f)) && followed.insert(path.clone()) {
            watcher.watch(&path, mode).map_err(|e| format!("cannot watch {}: {e}", path.display()))?;
        }
        Ok::<(), String>(())
    };
    for entry in INPUTS {
        follow(&mut watcher, root.join(entry), RecursiveMode::Recursive)?;
    }
    for dir in &opts.font_paths {
        follow(&mut watcher, dir.clone(), RecursiveMode::Recursive)?;
    }
    if let Some(refused) = rebuild(&mut session, &opts, &[], report) {
        return Ok(refused);
    }
    loop {
        // Any other file the layouts read (outside the folders above) is followed as well.
        for dep in session.typesetter.dependencies() {
            follow(&mut watcher, root.join(dep), RecursiveMode::NonRecursive)?;
        }
        let Ok(first) = rx.recv() else { return Ok(Outcome::default()) };
        let mut paths = first;
        // Editors save in bursts (temp file, rename, metadata): wait for the burst to end.
        while let Ok(more) = rx.recv_timeout(Duration::from_millis(120)) {
            paths.extend(more);
        }
        let mut changed: Vec<PathBuf> = paths
            .iter()
            .filter(|p| relevant(p, &out_dir))
            .map(|p| p.strip_prefix(&root).map(Path::to_path_buf).unwrap_or_else(|_| p.clone()))
            .collect();
        changed.sort();
        changed.dedup();
        if changed.is_empty() {
            continue;
        }
        rebuild(&mut session, &opts, &changed, report);
    }
}

/// One build and its line; then, while the editor reads the PDF, the work that can wait.
/// Returns the outcome when the command line asked for something the report cannot give.
fn rebuild(
    session: &mut Session,
    opts: &Options,
    changed: &[PathBuf],
    report: &mut impl FnMut(&Outcome, &str),
) -> Option<Outcome> {
    let before = session.charts_drawn();
    let start = Instant::now();
    let (outcome, _) = crate::run(session, opts, Until::Write);
    if outcome.diags.has_usage_errors() {
        return Some(outcome);
    }
    report(&outcome, &summary(&outcome, changed, start.elapsed(), session.charts_drawn() - before));
    crate::warm_up(session, opts);
    // Drop Typst cache entries the last compiles did not use (watch runs for hours).
    comemo::evict(10);
    None
}

/// Our outputs, editors' swap, backup and temporary files, and folders are not inputs.
fn relevant(path: &Path, out_dir: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
    let is_temp = name.starts_with('.') || name.ends_with('~') || name.ends_with(".swp") || name.ends_with(".tmp");
    !path.starts_with(out_dir) && !is_temp && !path.is_dir()
}
