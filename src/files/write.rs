//! Writing a run's outputs: all of them, or none.
//!
//! Every file is first written to a temporary file beside its target; only when all of them
//! are written are they renamed over the targets. A reader never sees a half-written PDF, and
//! a run that fails (or whose outcome forbids writing) replaces nothing.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::diag::{Code, Diagnostic};

/// One file a run makes.
#[derive(Debug, Clone)]
pub struct Output {
    pub path: PathBuf,
    pub bytes: Vec<u8>,
}

/// Why a target cannot be written, found before anything is written: it is a folder, or its
/// folder cannot be made.
fn unwritable(path: &Path) -> Option<String> {
    if path.is_dir() {
        return Some("it is a folder".into());
    }
    let mut dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    // The nearest existing ancestor must be a folder we may write into.
    while !dir.exists() {
        match dir.parent() {
            Some(p) if !p.as_os_str().is_empty() => dir = p,
            _ => return None,
        }
    }
    if !dir.is_dir() {
        return Some(format!("{} is not a folder", dir.display()));
    }
    match std::fs::metadata(dir) {
        Ok(m) if m.permissions().readonly() => Some(format!("{} is read-only", dir.display())),
        Ok(_) => None,
        Err(e) => Some(e.to_string()),
    }
}

/// The paths that cannot be written, each as a diagnostic (checked before writing anything).
pub fn check<'a>(paths: impl IntoIterator<Item = &'a Path>) -> Vec<Diagnostic> {
    paths
        .into_iter()
        .filter_map(|p| {
            unwritable(p).map(|why| {
                Diagnostic::error(Code::Write, format!("cannot write {}: {why}", p.display()))
                    .hint("choose another path; nothing was written or replaced")
            })
        })
        .collect()
}

/// The file a command-line option names (`--timings FILE`), checked before anything is
/// written. The message starts with the option and its argument, so the user knows which
/// argument to change.
pub fn check_option(option: &str, path: &Path) -> Option<Diagnostic> {
    unwritable(path).map(|why| {
        Diagnostic::error(Code::Write, format!("{option} {}: cannot write a file there, {why}", path.display())).hint(
            format!(
                "give {option} the path of a file, e.g. {option} build/timings.json; nothing was written or replaced"
            ),
        )
    })
}

/// Writes every output or none. Returns the paths written, or the problems found (before any
/// file was replaced).
pub fn write_all(outputs: &[Output]) -> Result<Vec<PathBuf>, Vec<Diagnostic>> {
    let problems = check(outputs.iter().map(|o| o.path.as_path()));
    if !problems.is_empty() {
        return Err(problems);
    }
    let mut temps: Vec<(PathBuf, &Path)> = Vec::new();
    let cleanup = |temps: &[(PathBuf, &Path)]| {
        for (tmp, _) in temps {
            let _ = std::fs::remove_file(tmp);
        }
    };
    for o in outputs {
        match write_temp(&o.path, &o.bytes) {
            Ok(tmp) => temps.push((tmp, &o.path)),
            Err(e) => {
                cleanup(&temps);
                return Err(vec![
                    Diagnostic::error(Code::Write, format!("cannot write {}: {e}", o.path.display()))
                        .hint("nothing was written or replaced"),
                ]);
            }
        }
    }
    let mut written = Vec::new();
    for (i, (tmp, path)) in temps.iter().enumerate() {
        if let Err(e) = std::fs::rename(tmp, path) {
            cleanup(&temps[i..]);
            return Err(vec![Diagnostic::error(Code::Write, format!("cannot replace {}: {e}", path.display()))]);
        }
        written.push(path.to_path_buf());
    }
    Ok(written)
}

/// The bytes in a temporary file beside `path`, flushed to disk.
fn write_temp(path: &Path, bytes: &[u8]) -> std::io::Result<PathBuf> {
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()
    })();
    match result {
        Ok(()) => Ok(tmp),
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            Err(e)
        }
    }
}

/// One file, atomically (for the translator tools' pack files).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), Vec<Diagnostic>> {
    write_all(&[Output { path: path.to_path_buf(), bytes: bytes.to_vec() }]).map(|_| ())
}

/// Removes from `dir` every file a run did not write (`kept`), and the folders left empty: a
/// site folder holds what this run made and nothing older, so a chapter or language taken out
/// of the report does not stay on the web when the folder is published. Names starting with a
/// dot (`.git`, `.nojekyll`, another run's temporary files) are the user's or in use, and stay.
/// Returns the files removed; a file that cannot be removed is left, since the run's own files
/// are already written.
pub fn prune(dir: &Path, kept: &[PathBuf]) -> Vec<PathBuf> {
    let kept: std::collections::HashSet<&Path> = kept.iter().map(PathBuf::as_path).collect();
    let mut removed = Vec::new();
    prune_in(dir, &kept, &mut removed);
    removed.sort();
    removed
}

fn prune_in(dir: &Path, kept: &std::collections::HashSet<&Path>, removed: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        let path = entry.path();
        // Never follow a link out of the folder: a link is removed or kept like a file.
        let Ok(kind) = entry.file_type() else { continue };
        if kind.is_dir() {
            prune_in(&path, kept, removed);
            // Only succeeds when nothing is left in it.
            let _ = std::fs::remove_dir(&path);
        } else if !kept.contains(path.as_path()) && std::fs::remove_file(&path).is_ok() {
            removed.push(path);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_or_nothing() {
        let dir = std::env::temp_dir().join(format!("vlr-write-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let a = dir.join("a.pdf");
        write_all(&[Output { path: a.clone(), bytes: b"first".to_vec() }]).unwrap();
        write_all(&[Output { path: a.clone(), bytes: b"second".to_vec() }]).unwrap();
        assert_eq!(std::fs::read(&a).unwrap(), b"second");
        // A target that is a folder stops the whole run before anything is replaced.
        std::fs::create_dir_all(dir.join("folder")).unwrap();
        let err = write_all(&[
            Output { path: a.clone(), bytes: b"third".to_vec() },
            Output { path: dir.join("folder"), bytes: b"x".to_vec() },
        ])
        .unwrap_err();
        assert!(err[0].message.contains("it is a folder"), "{:?}", err);
        assert_eq!(std::fs::read(&a).unwrap(), b"second");
        // No temporary files are left behind.
        let names: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names.len(), 2, "{names:?}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn prune_keeps_what_the_run_wrote_and_dot_files() {
        let dir = std::env::temp_dir().join(format!("vlr-prune-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let kept = vec![dir.join("index.html"), dir.join("en/index.html")];
        let old = [dir.join("en/old-chapter.html"), dir.join("fr/index.html")];
        for p in kept.iter().chain(&old).chain([&dir.join(".nojekyll")]) {
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, b"x").unwrap();
        }
        let removed = prune(&dir, &kept);
        assert_eq!(removed, old.to_vec());
        assert!(kept.iter().all(|p| p.is_file()));
        assert!(dir.join(".nojekyll").is_file());
        assert!(!dir.join("fr").exists(), "an emptied folder goes too");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
