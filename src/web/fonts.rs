//! The faces the PDF uses, copied beside the pages (`assets/fonts/`) so the site sets its text
//! in them wherever it is read, with nothing fetched from another host.
//!
//! The theme's face and each language pack's faces (`fonts` in `pack.toml`: a CJK or Arabic
//! face) are taken from the build's fonts in their regular, bold, italic and bold italic
//! variants. A Chinese, Japanese or Korean face is cut down to the characters the site prints
//! ([`super::subset`]); another face of a collection (`.ttc`) is written as a font file of its
//! own, since browsers load single fonts. Only a face whose licence lets
//! anyone publish it is copied — the SIL Open Font License (Noto, Typst's fonts), Apache,
//! the Ubuntu Font Licence — with its copyright and licence in `assets/fonts/LICENSES.txt`;
//! another face is named in the style sheet but not copied, and the build says so.

use std::collections::{BTreeMap, BTreeSet};

use typst::text::{Font, FontStretch, FontStyle, FontVariant, FontWeight};

use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::project::Project;

/// One face copied to the site, for its `@font-face` rule.
#[derive(Debug, Clone, PartialEq)]
pub struct Face {
    pub family: String,
    pub weight: u16,
    pub italic: bool,
    /// Its file, relative to `assets/`.
    pub file: String,
    /// `truetype` or `opentype` (CFF outlines), as `@font-face` names the format.
    pub format: &'static str,
}

/// The faces copied, and their files (paths under the site) with the licences.
#[derive(Default)]
pub struct Copied {
    pub faces: Vec<Face>,
    pub files: BTreeMap<String, Vec<u8>>,
}

/// The licences the fonts vlr uses are published under, whose text must travel with them: the
/// SIL Open Font License 1.1 (Noto Sans CJK and Arabic, Typst's fonts; the text the notosans
/// crate ships) and the Apache License 2.0 (the Noto Sans vlr carries, as its name table says).
const OFL: &str = include_str!("../builtin/fonts/OFL.txt");
const APACHE: &str = include_str!("../builtin/fonts/Apache-2.0.txt");

/// The families the site's pages are set in: the theme's, then each language pack's.
pub fn families(project: &Project, languages: &[super::Language]) -> Vec<String> {
    let mut out = vec![project.theme.font.clone()];
    for lang in languages {
        for f in &lang.resolved.book.meta.fonts {
            if !out.contains(f) {
                out.push(f.clone());
            }
        }
    }
    out
}

/// Copies every face of the site's families the build has (see the module's documentation);
/// `chars` are the characters the pages set in each family.
pub fn copy(
    diags: &mut Diagnostics,
    project: &Project,
    languages: &[super::Language],
    store: &typst_kit::fonts::FontStore,
    chars: &BTreeMap<String, BTreeSet<char>>,
) -> Copied {
    let mut copied = Copied::default();
    let mut licences = String::new();
    let (mut any_ofl, mut any_apache) = (false, false);
    for family in families(project, languages) {
        let mut refused = None;
        for (style, weight) in
            [(FontStyle::Normal, 400), (FontStyle::Normal, 700), (FontStyle::Italic, 400), (FontStyle::Italic, 700)]
        {
            let variant = FontVariant::new(style, FontWeight::from_number(weight), FontStretch::NORMAL);
            let Some(font) = store.book().select(&family.to_lowercase(), variant).and_then(|i| store.font(i)) else {
                continue;
            };
            let v = font.info().variant;
            let (weight, italic) = (v.weight.to_number(), v.style != FontStyle::Normal);
            if copied.faces.iter().any(|f| f.family == family && f.weight == weight && f.italic == italic) {
                continue; // the nearest variant of one asked for before
            }
            let names = Names::of(&font);
            if !names.publishable() {
                refused = Some(names.licence.clone());
                continue;
            }
            any_ofl |= names.is_ofl();
            any_apache |= names.is_apache();
            let bytes = if super::subset::wanted(&font) {
                super::subset::subset(&font, chars.get(&family).unwrap_or(&BTreeSet::new()))
            } else {
                single(&font)
            };
            let Some(bytes) = bytes else { continue };
            let (ext, format) = if bytes.starts_with(b"OTTO") { ("otf", "opentype") } else { ("ttf", "truetype") };
            let file = format!(
                "fonts/{}-{weight}{}.{ext}",
                family.chars().filter(|c| c.is_ascii_alphanumeric()).collect::<String>(),
                if italic { "-italic" } else { "" }
            );
            licences.push_str(&format!(
                "{file}\n  {family}, weight {weight}{}\n  {}\n  {}\n  {}\n\n",
                if italic { ", italic" } else { "" },
                names.copyright,
                names.licence,
                names.url
            ));
            copied.files.insert(format!("assets/{file}"), bytes);
            copied.faces.push(Face { family: family.clone(), weight, italic, file, format });
        }
        if let Some(licence) = refused {
            diags.push(
                Diagnostic::warning(
                    Code::WebFont,
                    format!(
                        "the web edition does not publish the font {family}: its licence ({}) does not say anyone may \
                         redistribute it",
                        if licence.is_empty() { "none given" } else { licence.as_str() }
                    ),
                )
                .hint("the pages name it, and readers who do not have it see another face; choose an openly licensed face (SIL Open Font License) for the theme or the pack to publish it with the site"),
            );
        }
    }
    if !licences.is_empty() {
        let header = "The fonts in this folder, with their copyright and licence as each font file states them.\n\n";
        copied.files.insert("assets/fonts/LICENSES.txt".into(), format!("{header}{licences}").into_bytes());
    }
    if any_ofl {
        copied.files.insert("assets/fonts/OFL.txt".into(), OFL.as_bytes().to_vec());
    }
    if any_apache {
        copied.files.insert("assets/fonts/Apache-2.0.txt".into(), APACHE.as_bytes().to_vec());
    }
    copied
}

/// What a face says of itself in its `name` table.
struct Names {
    copyright: String,
    licence: String,
    url: String,
}

impl Names {
    fn of(font: &Font) -> Self {
        let Ok(ttf) = ttf_parser::Face::parse(font.data(), font.index()) else {
            return Self { copyright: String::new(), licence: String::new(), url: String::new() };
        };
        let get = |id: u16| {
            ttf.names()
                .into_iter()
                .filter(|n| n.name_id == id && n.is_unicode())
                .find_map(|n| n.to_string())
                .unwrap_or_default()
        };
        Self { copyright: get(0), licence: get(13), url: get(14) }
    }

    fn is_ofl(&self) -> bool {
        let text = format!("{} {}", self.licence, self.url).to_lowercase();
        text.contains("open font license") || text.contains("scripts.sil.org/ofl") || text.contains("openfontlicense")
    }

    fn is_apache(&self) -> bool {
        let text = format!("{} {}", self.licence, self.url).to_lowercase();
        text.contains("apache license") || text.contains("apache.org/licenses")
    }

    /// Whether the licence lets anyone redistribute the face (so a website may serve it).
    fn publishable(&self) -> bool {
        let text = format!("{} {}", self.licence, self.url).to_lowercase();
        self.is_ofl()
            || self.is_apache()
            || text.contains("ubuntu font licence")
            || text.contains("bitstream vera")
            || text.contains("public domain")
    }
}

/// The face as a font file of its own: as it is, or taken out of its collection.
fn single(font: &Font) -> Option<Vec<u8>> {
    let data: &[u8] = font.data();
    if data.get(..4) == Some(b"ttcf") { face_of_collection(data, font.index()) } else { Some(data.to_vec()) }
}

/// Face `index` of an OpenType collection as a font file: its table directory, and the tables
/// it names (shared ones copied), each at a new offset, 4-byte aligned.
fn face_of_collection(data: &[u8], index: u32) -> Option<Vec<u8>> {
    let u32_at = |at: usize| data.get(at..at + 4).map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]));
    let u16_at = |at: usize| data.get(at..at + 2).map(|b| u16::from_be_bytes([b[0], b[1]]));
    let count = u32_at(8)?;
    if index >= count {
        return None;
    }
    let dir = u32_at(12 + 4 * index as usize)? as usize;
    let tables = u16_at(dir + 4)? as usize;
    let header = 12 + 16 * tables;
    let mut out = Vec::with_capacity(header);
    out.extend_from_slice(data.get(dir..dir + 12)?);
    let mut body = Vec::new();
    for t in 0..tables {
        let rec = dir + 12 + 16 * t;
        let (tag_sum, offset, length) =
            (data.get(rec..rec + 8)?, u32_at(rec + 8)? as usize, u32_at(rec + 12)? as usize);
        let table = data.get(offset..offset + length)?;
        out.extend_from_slice(tag_sum);
        out.extend_from_slice(&u32::try_from(header + body.len()).ok()?.to_be_bytes());
        out.extend_from_slice(&(length as u32).to_be_bytes());
        body.extend_from_slice(table);
        body.resize(body.len().next_multiple_of(4), 0);
    }
    out.extend(body);
    Some(out)
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_face_of_a_collection_is_a_font_of_its_own() {
        // A collection of the bundled Noto Sans regular and bold, made here.
        let fonts = [notosans::REGULAR_TTF, notosans::BOLD_TTF];
        let mut ttc = b"ttcf\0\x01\0\0".to_vec();
        ttc.extend_from_slice(&2u32.to_be_bytes());
        let mut offsets = Vec::new();
        let mut body: Vec<u8> = Vec::new();
        let start = 12 + 8;
        // Each font's tables move by where its copy starts in the collection.
        for f in fonts {
            let at = start + body.len();
            offsets.push(at as u32);
            let mut copy = f.to_vec();
            let tables = u16::from_be_bytes([f[4], f[5]]) as usize;
            for t in 0..tables {
                let rec = 12 + 16 * t + 8;
                let off = u32::from_be_bytes(f[rec..rec + 4].try_into().unwrap()) + at as u32;
                copy[rec..rec + 4].copy_from_slice(&off.to_be_bytes());
            }
            body.extend(copy);
        }
        offsets.iter().for_each(|o| ttc.extend_from_slice(&o.to_be_bytes()));
        ttc.extend(body);
        let bold = super::face_of_collection(&ttc, 1).unwrap();
        let face = ttf_parser::Face::parse(&bold, 0).unwrap();
        assert!(face.is_bold());
        let g = face.glyph_index('A').unwrap();
        let original = ttf_parser::Face::parse(notosans::BOLD_TTF, 0).unwrap();
        assert_eq!(face.glyph_hor_advance(g), original.glyph_hor_advance(original.glyph_index('A').unwrap()));
        assert!(super::face_of_collection(&ttc, 2).is_none());
    }
}
