//! The Typst `World`. Generated files (main.typ, book.json, charts, photos) are served from
//! memory; everything else only from inside the project folder ([`crate::files::inside`]);
//! packages never (an offline tool).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};
use typst_kit::files::{FileLoader, FileStore};
use typst_kit::fonts::FontStore;

pub struct VlrWorld {
    library: LazyHash<Library>,
    fonts: Arc<FontStore>,
    files: FileStore<Loader>,
    main: FileId,
    today: Datetime,
}

/// Serves in-memory files first, then project files that really lie inside the root.
pub struct Loader {
    /// The project folder, canonicalised.
    root: PathBuf,
    memory: HashMap<String, Bytes>,
}

pub fn file_id(path: &str) -> FileId {
    let vpath = VirtualPath::new(path).expect("generated paths are valid");
    RootedPath::new(VirtualRoot::Project, vpath).intern()
}

impl FileLoader for Loader {
    fn load(&self, id: FileId) -> FileResult<Bytes> {
        if !matches!(id.root(), VirtualRoot::Project) {
            return Err(FileError::Other(Some(
                "packages are not available: vlr builds offline; copy what you need into styles/".into(),
            )));
        }
        let key = id.vpath().get_without_slash();
        if let Some(bytes) = self.memory.get(key) {
            return Ok(bytes.clone());
        }
        let path = id.vpath().realize(&self.root).map_err(FileError::Realize)?;
        // The same door as every other read: links that resolve outside the project are refused.
        let real = match crate::files::inside(&self.root, Path::new(key)) {
            Ok(real) => real,
            Err(crate::files::ReadError::Outside) => return Err(FileError::AccessDenied),
            Err(crate::files::ReadError::NotFound) => {
                // A template the project does not have comes from the built-in theme.
                return match crate::builtin::style(key) {
                    Some(text) => Ok(Bytes::new(text.as_bytes().to_vec())),
                    None => Err(FileError::NotFound(path)),
                };
            }
            Err(crate::files::ReadError::IsDirectory) => return Err(FileError::IsDirectory),
            Err(crate::files::ReadError::Io(e)) => return Err(FileError::from_io(e, &path)),
        };
        if real.is_dir() {
            return Err(FileError::IsDirectory);
        }
        std::fs::read(&real).map(Bytes::new).map_err(|e| FileError::from_io(e, &path))
    }
}

impl VlrWorld {
    pub fn new(root: &Path, fonts: Arc<FontStore>, today: (i32, u8, u8)) -> Self {
        let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
        Self {
            library: LazyHash::new(Library::builder().build()),
            fonts,
            files: FileStore::new(Loader { root, memory: HashMap::new() }),
            main: file_id(super::MAIN),
            today: Datetime::from_ymd(today.0, today.1, today.2).expect("validated date"),
        }
    }

    /// Replaces the generated files and marks every file stale, keeping Typst's caches.
    pub fn set_generated(&mut self, files: impl IntoIterator<Item = (String, Vec<u8>)>) {
        let loader = self.files.loader_mut();
        loader.memory = files.into_iter().map(|(k, v)| (k, Bytes::new(v))).collect();
        self.files.reset();
    }

    /// The files (not generated ones) the last compile read, project-relative: project files,
    /// and files of the built-in theme the project does not override.
    pub fn dependencies(&mut self) -> Vec<PathBuf> {
        let (loader, ids) = self.files.dependencies();
        let ids: Vec<FileId> = ids.collect();
        ids.into_iter()
            .map(|id| id.vpath().get_without_slash().to_string())
            .filter(|key| !loader.memory.contains_key(key))
            .map(PathBuf::from)
            .collect()
    }

    /// The generated files the last compile read (`charts/<id>.svg`, …).
    pub fn generated_read(&mut self) -> Vec<String> {
        let (loader, ids) = self.files.dependencies();
        let ids: Vec<FileId> = ids.collect();
        ids.into_iter()
            .map(|id| id.vpath().get_without_slash().to_string())
            .filter(|key| loader.memory.contains_key(key))
            .collect()
    }

    /// Project-relative path of a file id (generated files are marked as such).
    pub fn display_path(&self, id: FileId) -> PathBuf {
        let key = id.vpath().get_without_slash();
        if self.files.loader().memory.contains_key(key) {
            PathBuf::from("<generated>").join(key)
        } else {
            PathBuf::from(key)
        }
    }
}

impl World for VlrWorld {
    fn library(&self) -> &LazyHash<Library> {
        &self.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        self.fonts.book()
    }

    fn main(&self) -> FileId {
        self.main
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        self.files.source(id)
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        self.files.file(id)
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.fonts.font(index)
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        // The publication date, never the clock: builds are reproducible.
        Some(self.today)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn loader(root: &Path) -> Loader {
        let mut memory = HashMap::new();
        memory.insert("book.json".to_string(), Bytes::new(b"{}".to_vec()));
        Loader { root: root.canonicalize().unwrap(), memory }
    }

    #[test]
    fn serves_memory_first_then_only_files_inside_the_root() {
        let base = std::env::temp_dir().join(format!("vlr-world-{}", std::process::id()));
        let root = base.join("project");
        std::fs::create_dir_all(root.join("styles")).unwrap();
        std::fs::write(root.join("styles/a.typ"), "hello").unwrap();
        std::fs::write(base.join("secret.txt"), "secret").unwrap();
        let l = loader(&root);
        assert_eq!(l.load(file_id("book.json")).unwrap().as_slice(), b"{}");
        assert_eq!(l.load(file_id("styles/a.typ")).unwrap().as_slice(), b"hello");
        assert!(matches!(l.load(file_id("missing.typ")), Err(FileError::NotFound(_))));
        // A symlink inside the project that points outside it is refused.
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(base.join("secret.txt"), root.join("link.txt")).unwrap();
            assert!(matches!(l.load(file_id("link.txt")), Err(FileError::AccessDenied)));
        }
        std::fs::remove_dir_all(&base).unwrap();
    }
}
