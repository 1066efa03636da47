//! `--emit-typst DIR`: a self-contained Typst project that the official CLI compiles to the
//! same pages: `typst compile --root DIR --font-path DIR/fonts DIR/main.typ`.

use std::collections::BTreeMap;
use std::path::Path;

use typst::layout::{Frame, FrameItem};
use typst::text::Font;
use typst_layout::PagedDocument;

use crate::assemble::Assembled;

pub fn emit(root: &Path, dir: &Path, a: &Assembled, doc: &PagedDocument) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    for (name, bytes) in crate::generated_files(a) {
        write(&dir.join(name), &bytes)?;
    }
    copy_dir(&root.join("styles"), &dir.join("styles"))?;
    for (name, font) in used_fonts(doc) {
        write(&dir.join("fonts").join(name), font.data())?;
    }
    Ok(())
}

/// Every font face the document uses, by a file name that keeps collections apart.
pub fn used_fonts(doc: &PagedDocument) -> BTreeMap<String, Font> {
    let mut fonts = BTreeMap::new();
    for page in doc.pages() {
        collect_fonts(&page.frame, &mut fonts);
    }
    fonts
}

fn collect_fonts(frame: &Frame, out: &mut BTreeMap<String, Font>) {
    for (_, item) in frame.items() {
        match item {
            FrameItem::Group(g) => collect_fonts(&g.frame, out),
            FrameItem::Text(t) => {
                let info = t.font.info();
                let collection = t.font.data().get(..4) == Some(b"ttcf");
                let family = info.family.replace(' ', "");
                let name = if collection {
                    // One file per collection, whatever face of it is used.
                    format!("{family}-collection-{:08x}.ttc", t.font.data().len())
                } else {
                    format!(
                        "{family}-{:?}-{}-{:?}.ttf",
                        info.variant.style,
                        info.variant.weight.to_number(),
                        info.variant.stretch
                    )
                    .replace(['(', ')', ' '], "")
                };
                out.entry(name).or_insert_with(|| t.font.font().clone());
            }
            _ => {}
        }
    }
}

fn write(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::write(path, bytes)
}

fn copy_dir(from: &Path, to: &Path) -> std::io::Result<()> {
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            write(&target, &std::fs::read(entry.path())?)?;
        }
    }
    Ok(())
}
