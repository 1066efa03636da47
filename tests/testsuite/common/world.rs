//! A minimal Typst World over a folder, as the official CLI sees an emitted project:
//! `typst compile --root DIR --font-path DIR/fonts DIR/main.typ`.

use std::path::{Path, PathBuf};

use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};
use typst_kit::files::{FileLoader, FileStore};
use typst_kit::fonts::{self, FontStore};
use typst_layout::PagedDocument;

struct Dir(PathBuf);

impl FileLoader for Dir {
    fn load(&self, id: FileId) -> FileResult<Bytes> {
        let path = id.vpath().realize(&self.0).map_err(FileError::Realize)?;
        std::fs::read(&path).map(Bytes::new).map_err(|e| FileError::from_io(e, &path))
    }
}

struct DirWorld {
    library: LazyHash<Library>,
    fonts: FontStore,
    files: FileStore<Dir>,
    main: FileId,
}

impl World for DirWorld {
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
    fn today(&self, _: Option<Duration>) -> Option<Datetime> {
        None
    }
}

/// Compiles `dir/main.typ` with the fonts in `dir/fonts` and Typst's own.
pub fn compile_dir(dir: &Path) -> PagedDocument {
    let mut store = FontStore::new();
    store.extend(fonts::scan(&dir.join("fonts")));
    store.extend(fonts::embedded());
    let main = RootedPath::new(VirtualRoot::Project, VirtualPath::new("main.typ").unwrap()).intern();
    let world = DirWorld {
        library: LazyHash::new(Library::builder().build()),
        fonts: store,
        files: FileStore::new(Dir(dir.to_path_buf())),
        main,
    };
    let result = typst::compile::<PagedDocument>(&world);
    result.output.unwrap_or_else(|e| panic!("the emitted project does not compile: {e:?}"))
}
