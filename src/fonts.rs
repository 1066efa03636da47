//! Fonts for the World and for `--emit-typst`.
//!
//! Order matters: Typst takes the first face of a family it finds. The bundled Noto Sans
//! (from crates.io, so a fresh machine builds the English edition) comes first, then Typst's
//! own fonts, then `--font-path` folders, then the system's (e.g. Noto CJK from Debian).

use std::path::PathBuf;

use typst::foundations::Bytes;
use typst::text::Font;
use typst_kit::fonts::{self, FontStore};

pub fn bundled() -> impl Iterator<Item = (Font, typst::text::FontInfo)> {
    [notosans::REGULAR_TTF, notosans::BOLD_TTF, notosans::ITALIC_TTF, notosans::BOLD_ITALIC_TTF]
        .into_iter()
        .flat_map(|data| Font::iter(Bytes::new(data)))
        .map(|f| {
            let info = f.info().clone();
            (f, info)
        })
}

pub fn store(font_paths: &[PathBuf], system: bool) -> FontStore {
    let mut store = FontStore::new();
    store.extend(bundled());
    store.extend(fonts::embedded());
    for dir in font_paths {
        store.extend(fonts::scan(dir));
    }
    if system {
        store.extend(fonts::system());
    }
    store
}
