//! `--emit-typst DIR`: a self-contained Typst project that the official CLI compiles to the
//! same pages: `typst compile --root DIR --font-path DIR/fonts DIR/main.typ`.

use std::collections::BTreeMap;
use std::path::Path;

use typst::layout::{Frame, FrameItem};
use typst::text::Font;
use typst_layout::PagedDocument;

use crate::files::Output;

/// The files of the project: the in-memory files the edition was laid out from, the project
/// files Typst read (`sources`: templates, images), and the font faces the document uses.
pub fn typst_project(
    dir: &Path,
    generated: &[(String, Vec<u8>)],
    sources: Vec<(std::path::PathBuf, Vec<u8>)>,
    doc: &PagedDocument,
) -> Vec<Output> {
    let mut out: Vec<Output> =
        generated.iter().map(|(name, bytes)| Output { path: dir.join(name), bytes: bytes.clone() }).collect();
    out.extend(sources.into_iter().map(|(rel, bytes)| Output { path: dir.join(rel), bytes }));
    out.extend(
        used_fonts(doc)
            .into_iter()
            .map(|(name, font)| Output { path: dir.join("fonts").join(name), bytes: font.data().to_vec() }),
    );
    out
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
