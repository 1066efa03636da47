//! Every read of a project file goes through [`Files`]: a path is project-relative, it is
//! resolved with its symlinks followed, and it is refused with `path-outside-project` when it
//! ends up outside the project folder — before a byte is read. Typst's own file access (the
//! templates' reads) goes through [`inside`] too.
//!
//! [`Files`] also remembers what it read ([`FileCache`], kept by the session in watch mode), so
//! an unchanged file is neither read nor parsed again.
//!
//! Every write goes through the other door, [`write`]: all of a run's outputs, or none. Builds,
//! releases, `vlr new`, `vlr styles eject` and `vlr i18n` write through it alike.

pub mod write;

use std::any::{Any, TypeId};
use std::collections::{BTreeSet, HashMap};
use std::path::{Component, Path, PathBuf};
use std::time::SystemTime;

use serde::de::DeserializeOwned;

use crate::diag::{Code, Diagnostic, Diagnostics};
pub use write::{Output, write_all, write_atomic};

/// Why a project file could not be read.
#[derive(Debug)]
pub enum ReadError {
    /// The path, or a link on it, leads outside the project folder.
    Outside,
    NotFound,
    IsDirectory,
    Io(std::io::Error),
}

impl ReadError {
    /// The diagnostic for a file named by `rel`.
    pub fn diagnostic(&self, rel: &Path) -> Diagnostic {
        match self {
            ReadError::Outside => Diagnostic::error(
                Code::PathOutsideProject,
                format!("`{}` leads outside the project folder (a symbolic link?)", rel.display()),
            )
            .in_file(rel)
            .hint("vlr reads only files inside the project: copy the file into the project instead of linking to it"),
            ReadError::NotFound => {
                Diagnostic::error(Code::MissingFile, format!("cannot read `{}`: no such file", rel.display()))
                    .in_file(rel)
            }
            ReadError::IsDirectory => {
                Diagnostic::error(Code::MissingFile, format!("`{}` is a folder, not a file", rel.display()))
                    .in_file(rel)
            }
            ReadError::Io(e) => {
                let why = match e.kind() {
                    std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
                    _ => e.to_string(),
                };
                Diagnostic::error(Code::MissingFile, format!("cannot read `{}`: {why}", rel.display())).in_file(rel)
            }
        }
    }
}

/// The real path of `rel` under `root`, if it exists and lies inside the project folder once
/// every symlink is followed. `canonical_root` is `root` canonicalised.
pub fn inside(canonical_root: &Path, rel: &Path) -> Result<PathBuf, ReadError> {
    let path = canonical_root.join(rel);
    let real = match path.canonicalize() {
        Ok(p) => p,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            // A dangling link that points outside is still a link outside.
            return match std::fs::read_link(&path) {
                Ok(target) => {
                    let base = path.parent().unwrap_or(canonical_root);
                    let resolved = normalize(&base.join(target));
                    if resolved.starts_with(canonical_root) {
                        Err(ReadError::NotFound)
                    } else {
                        Err(ReadError::Outside)
                    }
                }
                Err(_) => Err(ReadError::NotFound),
            };
        }
        Err(e) => return Err(ReadError::Io(e)),
    };
    if !real.starts_with(canonical_root) {
        return Err(ReadError::Outside);
    }
    Ok(real)
}

/// `path` (absolute, or relative to the current folder) as a path relative to the project
/// `root`, if it lies inside it.
pub fn within(root: &Path, path: &Path) -> Option<PathBuf> {
    let root = root.canonicalize().ok()?;
    let abs = if path.is_absolute() { path.to_path_buf() } else { std::env::current_dir().ok()?.join(path) };
    let real = abs.canonicalize().unwrap_or_else(|_| normalize(&abs));
    real.strip_prefix(&root).ok().map(Path::to_path_buf)
}

/// `..` and `.` removed without touching the disk (for a link whose target does not exist).
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// Checks that a path written in a manifest stays inside the project: relative, no `..`.
/// Returns the relative path on success, or the reason it was rejected.
pub fn project_relative(path: &str) -> Result<PathBuf, &'static str> {
    let p = Path::new(path);
    if path.is_empty() {
        return Err("the path is empty");
    }
    if p.is_absolute() || path.starts_with('/') || path.starts_with('\\') {
        return Err("absolute paths are not allowed");
    }
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::Normal(s) => out.push(s),
            Component::CurDir => {}
            Component::ParentDir => return Err("`..` would leave the project folder"),
            Component::RootDir | Component::Prefix(_) => return Err("absolute paths are not allowed"),
        }
    }
    Ok(out)
}

/// File texts by path, with the modification time and length they were read at, and what they
/// parsed into. A session keeps it between builds.
#[derive(Default)]
pub struct FileCache {
    texts: HashMap<PathBuf, (Option<SystemTime>, u64, String)>,
    /// Successfully parsed TOML by path and type, with the text it was parsed from: watch
    /// mode re-parses only the files that changed.
    parsed: HashMap<(PathBuf, TypeId), (String, Box<dyn Any + Send>)>,
    /// Raster images decoded whole, by content hash: their pixel size, or why they do not decode.
    pub images: HashMap<[u8; 32], Result<(u32, u32), String>>,
    /// How many files were read from disk (not served from the cache) since creation.
    pub reads: usize,
}

/// The project folder, read through one door.
pub struct Files {
    root: PathBuf,
    canonical_root: PathBuf,
    pub cache: FileCache,
    /// Files that exist but could not be read or parsed: their problem is reported once, and
    /// the texts that would have come from them are not reported missing again.
    broken: BTreeSet<PathBuf>,
}

impl Files {
    pub fn new(root: &Path, cache: FileCache) -> Self {
        let canonical_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
        Self { root: root.to_path_buf(), canonical_root, cache, broken: BTreeSet::new() }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn canonical_root(&self) -> &Path {
        &self.canonical_root
    }

    /// Whether `rel` is a readable file inside the project (false for links leading out).
    pub fn is_file(&self, rel: &Path) -> bool {
        inside(&self.canonical_root, rel).is_ok_and(|p| p.is_file())
    }

    /// Whether `rel` exists at all, as a file, folder or link (inside or not).
    pub fn exists(&self, rel: &Path) -> bool {
        self.root.join(rel).symlink_metadata().is_ok()
    }

    pub fn is_dir(&self, rel: &Path) -> bool {
        inside(&self.canonical_root, rel).is_ok_and(|p| p.is_dir())
    }

    /// Marks a file whose problem has been reported (see `broken`).
    pub fn mark_broken(&mut self, rel: &Path) {
        self.broken.insert(rel.to_path_buf());
    }

    pub fn is_broken(&self, rel: &Path) -> bool {
        self.broken.contains(rel)
    }

    /// The entries of a project folder with one of `extensions` (or any, if empty), sorted,
    /// as project-relative paths. A folder that is a link leading outside is refused.
    pub fn list(&self, rel_dir: &Path, extensions: &[&str]) -> Result<Vec<PathBuf>, ReadError> {
        let real = inside(&self.canonical_root, rel_dir)?;
        let rd = std::fs::read_dir(&real).map_err(ReadError::Io)?;
        let mut out: Vec<PathBuf> = rd
            .filter_map(|e| e.ok())
            .map(|e| rel_dir.join(e.file_name()))
            .filter(|p| {
                extensions.is_empty() || p.extension().and_then(|e| e.to_str()).is_some_and(|e| extensions.contains(&e))
            })
            .collect();
        out.sort();
        Ok(out)
    }

    /// The bytes of a project file.
    pub fn read_bytes(&mut self, rel: &Path) -> Result<Vec<u8>, ReadError> {
        let real = inside(&self.canonical_root, rel)?;
        if real.is_dir() {
            return Err(ReadError::IsDirectory);
        }
        self.cache.reads += 1;
        std::fs::read(&real).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => ReadError::NotFound,
            _ => ReadError::Io(e),
        })
    }

    /// The text of a UTF-8 project file, remembered for diagnostics. A problem is reported
    /// (and the file marked broken); a file that is not UTF-8 is reported at its first bad byte.
    pub fn read_text(&mut self, diags: &mut Diagnostics, rel: &Path) -> Option<String> {
        let stamp = inside(&self.canonical_root, rel)
            .ok()
            .and_then(|p| std::fs::metadata(p).ok())
            .map(|m| (m.modified().ok(), m.len()));
        if let (Some((mtime, len)), Some((cached_mtime, cached_len, text))) = (stamp, self.cache.texts.get(rel))
            && *cached_mtime == mtime
            && *cached_len == len
        {
            diags.sources.insert(rel, text.clone());
            return Some(text.clone());
        }
        let bytes = match self.read_bytes(rel) {
            Ok(b) => b,
            Err(e) => {
                diags.push(e.diagnostic(rel));
                self.mark_broken(rel);
                return None;
            }
        };
        match String::from_utf8(bytes) {
            Ok(text) => {
                diags.sources.insert(rel, text.clone());
                if let Some((mtime, len)) = stamp {
                    self.cache.texts.insert(rel.to_path_buf(), (mtime, len, text.clone()));
                }
                Some(text)
            }
            Err(e) => {
                let at = e.utf8_error().valid_up_to();
                let bad = e.as_bytes()[at];
                // Show the file as far as it reads; the span points at the first bad byte.
                let shown = String::from_utf8_lossy(&e.as_bytes()[..at]).into_owned();
                diags.sources.insert(rel, shown.clone() + "\u{FFFD}");
                diags.push(
                    Diagnostic::error(
                        Code::Encoding,
                        format!("this file is not UTF-8: byte 0x{bad:02X} is not valid here"),
                    )
                    .at(rel, Some(at..at + 1))
                    .hint("save the file as UTF-8 (most editors have it under \"Save with encoding\")"),
                );
                self.mark_broken(rel);
                None
            }
        }
    }

    /// Reads and deserializes a TOML file; syntax errors, wrong types and unknown keys become
    /// diagnostics pointing at the offending span (and mark the file broken).
    pub fn read_toml<T: DeserializeOwned + Clone + Send + 'static>(
        &mut self,
        diags: &mut Diagnostics,
        rel: &Path,
    ) -> Option<T> {
        self.read_parsed(diags, rel, |diags, text| parse_toml::<T>(diags, rel, text))
    }

    /// Reads a text file and parses it with `parse`, which reports its own problems. A success
    /// is remembered with the text it came from; a failure marks the file broken and is parsed
    /// (and so reported) again next time.
    pub fn read_parsed<T: Clone + Send + 'static>(
        &mut self,
        diags: &mut Diagnostics,
        rel: &Path,
        parse: impl FnOnce(&mut Diagnostics, &str) -> Option<T>,
    ) -> Option<T> {
        let text = self.read_text(diags, rel)?;
        let key = (rel.to_path_buf(), TypeId::of::<T>());
        if let Some((parsed_from, value)) = self.cache.parsed.get(&key)
            && *parsed_from == text
            && let Some(v) = value.downcast_ref::<T>()
        {
            return Some(v.clone());
        }
        let Some(value) = parse(diags, &text) else {
            self.mark_broken(rel);
            return None;
        };
        self.cache.parsed.insert(key, (text, Box::new(value.clone())));
        Some(value)
    }
}

/// Deserializes TOML text, reporting a problem as a diagnostic at its span.
pub fn parse_toml<T: DeserializeOwned>(diags: &mut Diagnostics, rel: &Path, text: &str) -> Option<T> {
    match toml::from_str::<T>(text) {
        Ok(v) => Some(v),
        Err(e) => {
            diags.push(toml_error(rel, &e));
            None
        }
    }
}

/// A TOML syntax or type error as a diagnostic at its span.
pub fn toml_error(rel: &Path, e: &toml::de::Error) -> Diagnostic {
    let message = e.message().trim().to_string();
    let hint = if message.starts_with("unknown field") {
        Some("check the spelling; the allowed keys are listed above")
    } else if message.starts_with("missing field") {
        Some("add the key to this table")
    } else if message.starts_with("invalid type") {
        Some("change the value to the expected type")
    } else {
        None
    };
    let d = Diagnostic::error(Code::Toml, message).at(rel, e.span());
    match hint {
        Some(h) => d.hint(h),
        None => d,
    }
}

/// True for ids made of lowercase ASCII letters, digits and the given separators.
pub fn is_valid_id(id: &str, separators: &[char]) -> bool {
    !id.is_empty()
        && id.chars().next().is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        && id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || separators.contains(&c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_must_stay_inside_the_project() {
        assert_eq!(project_relative("figures/a.png").unwrap(), PathBuf::from("figures/a.png"));
        assert_eq!(project_relative("./figures/a.png").unwrap(), PathBuf::from("figures/a.png"));
        assert!(project_relative("../secret.png").is_err());
        assert!(project_relative("figures/../../x").is_err());
        assert!(project_relative("/etc/passwd").is_err());
        assert!(project_relative("").is_err());
    }

    #[test]
    fn ids() {
        assert!(is_valid_id("m1-research", &['-']));
        assert!(!is_valid_id("M1", &['-']));
        assert!(!is_valid_id("-x", &['-']));
        assert!(!is_valid_id("a b", &['-']));
    }

    #[cfg(unix)]
    #[test]
    fn links_out_of_the_project_are_refused_before_reading() {
        let base = std::env::temp_dir().join(format!("vlr-files-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&base);
        let root = base.join("project");
        std::fs::create_dir_all(root.join("lang")).unwrap();
        std::fs::write(base.join("secret.toml"), "api_token = \"TOPSECRET-42\"\n").unwrap();
        std::fs::write(root.join("inside.toml"), "a = 1\n").unwrap();
        std::os::unix::fs::symlink(base.join("secret.toml"), root.join("lang/x.toml")).unwrap();
        std::os::unix::fs::symlink(root.join("inside.toml"), root.join("lang/ok.toml")).unwrap();
        std::os::unix::fs::symlink(base.join("gone.toml"), root.join("lang/dangling.toml")).unwrap();
        let mut files = Files::new(&root, FileCache::default());
        let mut diags = Diagnostics::default();
        assert!(files.read_text(&mut diags, Path::new("lang/x.toml")).is_none());
        assert_eq!(files.read_text(&mut diags, Path::new("lang/ok.toml")).as_deref(), Some("a = 1\n"));
        assert!(matches!(files.read_bytes(Path::new("lang/dangling.toml")), Err(ReadError::Outside)));
        let all = diags.short();
        assert!(all.contains("error[path-outside-project]"), "{all}");
        assert!(!all.contains("TOPSECRET") && diags.sources.get(Path::new("lang/x.toml")).is_none());
        std::fs::remove_dir_all(&base).unwrap();
    }

    #[test]
    fn a_file_that_is_not_utf8_is_reported_at_its_line_and_column() {
        let base = std::env::temp_dir().join(format!("vlr-files-utf8-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&base);
        std::fs::create_dir_all(&base).unwrap();
        std::fs::write(base.join("a.toml"), b"[x]\ntext = \"caf\xE9\"\n").unwrap();
        let mut files = Files::new(&base, FileCache::default());
        let mut diags = Diagnostics::default();
        assert!(files.read_text(&mut diags, Path::new("a.toml")).is_none());
        assert!(
            diags.short().starts_with("a.toml:2:12: error[encoding]: this file is not UTF-8: byte 0xE9"),
            "{}",
            diags.short()
        );
        assert!(files.is_broken(Path::new("a.toml")));
        std::fs::remove_dir_all(&base).unwrap();
    }
}
