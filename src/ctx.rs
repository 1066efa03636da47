//! The state every stage shares: the project root, the files read so far and the problems found.

use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};
use std::time::{Instant, SystemTime};

use serde::de::DeserializeOwned;

use crate::diag::{Diagnostic, Diagnostics, Sources};

pub struct Ctx {
    pub root: PathBuf,
    pub sources: Sources,
    pub diags: Diagnostics,
    /// Texts of files read in earlier runs (watch mode): unchanged files are not read again.
    pub cache: FileCache,
    /// Wall time per stage, for `--timings`.
    pub timings: Timings,
}

/// File texts by path, with the modification time and length they were read at.
#[derive(Debug, Default)]
pub struct FileCache {
    files: HashMap<PathBuf, (Option<SystemTime>, u64, String)>,
    /// Successfully parsed TOML by path and type, with the text it was parsed from: watch
    /// mode re-parses only the files that changed (cloning is several times cheaper).
    parsed: HashMap<(PathBuf, TypeId), (String, Box<dyn Any + Send>)>,
    /// How many files were read from disk (not served from the cache) since creation.
    pub reads: usize,
}

/// Milliseconds per pipeline stage: wall time, so stages that run editions concurrently
/// (compile, export) count once.
#[derive(Debug, Default, Clone, serde::Serialize)]
pub struct Timings {
    pub load: f64,
    pub i18n: f64,
    pub charts: f64,
    pub images: f64,
    pub assemble: f64,
    pub compile: f64,
    pub export: f64,
    pub write: f64,
    pub total: f64,
}

impl Timings {
    pub fn add(&mut self, other: &Timings) {
        self.load += other.load;
        self.i18n += other.i18n;
        self.charts += other.charts;
        self.images += other.images;
        self.assemble += other.assemble;
        self.compile += other.compile;
        self.export += other.export;
        self.write += other.write;
    }
}

/// Milliseconds since `start`.
pub fn ms(start: Instant) -> f64 {
    start.elapsed().as_secs_f64() * 1000.0
}

impl Ctx {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self {
            root: root.into(),
            sources: Sources::default(),
            diags: Diagnostics::default(),
            cache: FileCache::default(),
            timings: Timings::default(),
        }
    }

    pub fn push(&mut self, d: Diagnostic) {
        self.diags.push(d);
    }

    /// Reads a UTF-8 file below the root and remembers its text for diagnostics.
    pub fn read_text(&mut self, rel: &Path) -> Option<String> {
        let path = self.root.join(rel);
        let stamp = std::fs::metadata(&path).ok().map(|m| (m.modified().ok(), m.len()));
        if let (Some((mtime, len)), Some((cached_mtime, cached_len, text))) = (stamp, self.cache.files.get(rel))
            && *cached_mtime == mtime
            && *cached_len == len
        {
            let text = text.clone();
            self.sources.insert(rel, text.clone());
            return Some(text);
        }
        self.cache.reads += 1;
        match std::fs::read(&path) {
            Ok(bytes) => match String::from_utf8(bytes) {
                Ok(text) => {
                    self.sources.insert(rel, text.clone());
                    if let Some((mtime, len)) = stamp {
                        self.cache.files.insert(rel.to_path_buf(), (mtime, len, text.clone()));
                    }
                    Some(text)
                }
                Err(e) => {
                    self.push(
                        Diagnostic::error(
                            "encoding",
                            format!("file is not valid UTF-8 (byte {})", e.utf8_error().valid_up_to()),
                        )
                        .in_file(rel)
                        .hint("save the file as UTF-8"),
                    );
                    None
                }
            },
            Err(e) => {
                self.push(
                    Diagnostic::error("missing-file", format!("cannot read `{}`: {}", rel.display(), io_reason(&e)))
                        .in_file(rel),
                );
                None
            }
        }
    }

    /// Reads and deserializes a TOML file; syntax errors, wrong types and unknown keys become
    /// diagnostics pointing at the offending span.
    pub fn read_toml<T: DeserializeOwned + Clone + Send + 'static>(&mut self, rel: &Path) -> Option<T> {
        let text = self.read_text(rel)?;
        let key = (rel.to_path_buf(), TypeId::of::<T>());
        if let Some((parsed_from, value)) = self.cache.parsed.get(&key)
            && *parsed_from == text
            && let Some(v) = value.downcast_ref::<T>()
        {
            return Some(v.clone());
        }
        // Only successes are kept: a file with errors is parsed again, so they are reported again.
        let value: T = self.parse_toml(rel, &text)?;
        self.cache.parsed.insert(key, (text, Box::new(value.clone())));
        Some(value)
    }

    pub fn parse_toml<T: DeserializeOwned>(&mut self, rel: &Path, text: &str) -> Option<T> {
        match toml::from_str::<T>(text) {
            Ok(v) => Some(v),
            Err(e) => {
                let message = e.message().trim().to_string();
                let hint = toml_hint(&message);
                let mut d = Diagnostic::error("toml", message).at(rel, e.span());
                if let Some(h) = hint {
                    d = d.hint(h);
                }
                self.push(d);
                None
            }
        }
    }
}

fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}

fn toml_hint(message: &str) -> Option<&'static str> {
    if message.starts_with("unknown field") {
        Some("check the spelling; the allowed keys are listed above")
    } else if message.starts_with("missing field") {
        Some("add the key to this table")
    } else if message.starts_with("invalid type") {
        Some("change the value to the expected type")
    } else {
        None
    }
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
}
