//! What survives between builds (in `vlr watch`, say): nothing but caches. Files a build read
//! are not read or parsed again while unchanged; charts are not redrawn and photos not
//! prepared again; fonts are loaded once and each edition keeps its Typst World (and with it
//! Typst's caches); with `--chapter`, where the chapter sat in the last whole-book layout.

use std::collections::BTreeMap;

use crate::edition::Target;
use crate::files::FileCache;
use crate::render::AssetCache;
use crate::typeset::{ChapterStart, Typesetter};

pub struct Session {
    pub files: FileCache,
    pub assets: AssetCache,
    pub typesetter: Typesetter,
    /// With `--chapter`, per edition: where the chapter sat in the last whole-book layout.
    pub seeds: BTreeMap<Target, Seed>,
    /// Editions laid out as their chapter alone so far (for tests and curious users).
    pub alone: usize,
    /// Whether the chapter has been laid out alone since the last whole-book layout (so
    /// Typst's caches hold that layout; see `vlr::warm_up`).
    pub warm: bool,
}

/// Where the chapter sat in the last whole-book layout. While nothing but the chapter's own
/// text changes (`context` stays the same), the chapter can be laid out alone from here and
/// comes out as it would in the book: everything before it is unchanged.
#[derive(Debug, Clone)]
pub struct Seed {
    pub start: ChapterStart,
    pub book_pages: usize,
    pub chapter_pages: usize,
    pub context: u64,
}

impl Session {
    pub fn new(font_paths: &[std::path::PathBuf], system_fonts: bool) -> Self {
        Self {
            files: FileCache::default(),
            assets: AssetCache::default(),
            typesetter: Typesetter::new(font_paths, system_fonts),
            seeds: BTreeMap::new(),
            alone: 0,
            warm: true,
        }
    }

    /// Charts drawn so far (not served from the cache).
    pub fn charts_drawn(&self) -> usize {
        self.assets.charts.drawn.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Source files read from disk so far (not served from the cache).
    pub fn files_read(&self) -> usize {
        self.files.reads
    }
}
