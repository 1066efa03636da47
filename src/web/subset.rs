//! A Chinese, Japanese or Korean face cut down to the characters the site prints.
//!
//! Such a face holds some 65,000 glyphs (16 MB per weight for Noto Sans CJK SC); a book's pages
//! use a few thousand. Its outlines, metrics and names are subset with `subsetter` (the crate
//! Typst subsets the PDF's fonts with), which leaves out the character map: vlr writes one for
//! the characters kept, and the face's own `OS/2` table, so browsers load the file. Its layout
//! tables go too: CJK characters are set one glyph each, without shaping (the site sets Latin
//! and Arabic in their own faces, whole).

use std::collections::BTreeSet;

use subsetter::GlyphRemapper;
use typst::text::Font;

/// Whether the face is one whose characters need no shaping and whose size makes cutting it
/// worth it: it has Han, kana or Hangul (`一`, `あ`, `한`).
pub fn wanted(font: &Font) -> bool {
    ttf_parser::Face::parse(font.data(), font.index())
        .is_ok_and(|f| ['一', 'あ', '한'].iter().any(|c| f.glyph_index(*c).is_some()))
}

/// The face with the glyphs of `chars` only (and `.notdef`), as a font file browsers load.
pub fn subset(font: &Font, chars: &BTreeSet<char>) -> Option<Vec<u8>> {
    let face = ttf_parser::Face::parse(font.data(), font.index()).ok()?;
    let mut remapper = GlyphRemapper::new();
    let map: Vec<(u32, u16)> =
        chars.iter().filter_map(|&c| Some((c as u32, remapper.remap(face.glyph_index(c)?.0)))).collect();
    let cut = subsetter::subset(font.data(), font.index(), &remapper).ok()?;
    let os2 = face.raw_face().table(ttf_parser::Tag::from_bytes(b"OS/2"))?;
    with_tables(&cut, vec![(*b"cmap", cmap(&map)), (*b"OS/2", os2.to_vec())])
}

/// A `cmap` table for `map` (character, glyph), in character order: a format 4 subtable for
/// the Basic Multilingual Plane (Windows, Unicode BMP) and a format 12 one for every character
/// (Windows, Unicode full), each run of consecutive characters and glyphs one segment.
fn cmap(map: &[(u32, u16)]) -> Vec<u8> {
    // Runs: (first character, last character, first glyph).
    let mut runs: Vec<(u32, u32, u16)> = Vec::new();
    for &(c, g) in map {
        match runs.last_mut() {
            Some((first, last, glyph)) if c == *last + 1 && u32::from(g) == u32::from(*glyph) + (c - *first) => {
                *last = c
            }
            _ => runs.push((c, c, g)),
        }
    }
    let bmp: Vec<(u32, u32, u16)> = runs.iter().copied().filter(|r| r.1 < 0xFFFF).collect();
    let mut f4 = Vec::new();
    let seg = bmp.len() + 1;
    let range = 2 * (1usize << seg.ilog2());
    for v in [
        4,
        (16 + 8 * seg) as u16,
        0,
        (2 * seg) as u16,
        range as u16,
        range.ilog2() as u16 - 1,
        (2 * seg - range) as u16,
    ] {
        f4.extend(v.to_be_bytes());
    }
    bmp.iter().for_each(|r| f4.extend((r.1 as u16).to_be_bytes()));
    f4.extend([0xFF, 0xFF, 0, 0]); // the last end code, then the reserved pad
    bmp.iter().for_each(|r| f4.extend((r.0 as u16).to_be_bytes()));
    f4.extend([0xFF, 0xFF]);
    bmp.iter().for_each(|r| f4.extend(r.2.wrapping_sub(r.0 as u16).to_be_bytes()));
    f4.extend([0, 1]); // 0xFFFF maps to glyph 0
    (0..seg).for_each(|_| f4.extend([0, 0]));
    let mut f12 = Vec::new();
    f12.extend([0, 12, 0, 0]);
    f12.extend(((16 + 12 * runs.len()) as u32).to_be_bytes());
    f12.extend(0u32.to_be_bytes());
    f12.extend((runs.len() as u32).to_be_bytes());
    for (first, last, glyph) in &runs {
        [*first, *last, u32::from(*glyph)].iter().for_each(|v| f12.extend(v.to_be_bytes()));
    }
    // A format 4 subtable is at most 64 KiB: past that, the format 12 one alone.
    let subtables: Vec<(u16, Vec<u8>)> = if f4.len() <= 0xFFFF { vec![(1, f4), (10, f12)] } else { vec![(10, f12)] };
    let mut out = Vec::new();
    out.extend(0u16.to_be_bytes());
    out.extend((subtables.len() as u16).to_be_bytes());
    let mut offset = 4 + 8 * subtables.len();
    for (encoding, table) in &subtables {
        out.extend(3u16.to_be_bytes());
        out.extend(encoding.to_be_bytes());
        out.extend((offset as u32).to_be_bytes());
        offset += table.len();
    }
    subtables.into_iter().for_each(|(_, t)| out.extend(t));
    out
}

/// The font file with `tables` added (or replacing those of the same tag), its directory
/// sorted by tag, each table 4-byte aligned with its checksum.
fn with_tables(font: &[u8], tables: Vec<([u8; 4], Vec<u8>)>) -> Option<Vec<u8>> {
    let u32_at = |at: usize| font.get(at..at + 4).map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]));
    let count = u16::from_be_bytes(font.get(4..6)?.try_into().ok()?) as usize;
    let mut all: Vec<([u8; 4], Vec<u8>)> = Vec::new();
    for i in 0..count {
        let rec = 12 + 16 * i;
        let tag: [u8; 4] = font.get(rec..rec + 4)?.try_into().ok()?;
        let (offset, length) = (u32_at(rec + 8)? as usize, u32_at(rec + 12)? as usize);
        all.push((tag, font.get(offset..offset + length)?.to_vec()));
    }
    for (tag, table) in tables {
        all.retain(|(t, _)| *t != tag);
        all.push((tag, table));
    }
    all.sort_by_key(|a| a.0);
    let n = all.len();
    let range = 16 * (1usize << n.ilog2());
    let mut out = font.get(..4)?.to_vec();
    for v in [n as u16, range as u16, n.ilog2() as u16, (16 * n - range) as u16] {
        out.extend(v.to_be_bytes());
    }
    let mut body: Vec<u8> = Vec::new();
    let start = 12 + 16 * n;
    for (tag, table) in &all {
        out.extend(tag);
        out.extend(checksum(table).to_be_bytes());
        out.extend(((start + body.len()) as u32).to_be_bytes());
        out.extend((table.len() as u32).to_be_bytes());
        body.extend(table);
        body.resize(body.len().next_multiple_of(4), 0);
    }
    out.extend(body);
    Some(out)
}

/// The OpenType table checksum: the sum of its big-endian 32-bit words, zero-padded.
fn checksum(table: &[u8]) -> u32 {
    table.chunks(4).fold(0u32, |sum, c| {
        let mut w = [0u8; 4];
        w[..c.len()].copy_from_slice(c);
        sum.wrapping_add(u32::from_be_bytes(w))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_subset_maps_its_characters_to_their_outlines() {
        // Noto Sans has glyf outlines: the same steps as for a CJK face's CFF ones.
        let font = Font::new(typst::foundations::Bytes::new(notosans::REGULAR_TTF), 0).unwrap();
        assert!(!wanted(&font), "a Latin face is copied whole, with its layout tables");
        let chars: BTreeSet<char> = "abcxyz0189€".chars().collect();
        let cut = subset(&font, &chars).unwrap();
        assert!(cut.len() < notosans::REGULAR_TTF.len() / 10, "{} bytes", cut.len());
        let (small, whole) =
            (ttf_parser::Face::parse(&cut, 0).unwrap(), ttf_parser::Face::parse(notosans::REGULAR_TTF, 0).unwrap());
        for c in chars {
            let (g, o) = (small.glyph_index(c).unwrap(), whole.glyph_index(c).unwrap());
            assert_eq!(small.glyph_hor_advance(g), whole.glyph_hor_advance(o), "{c}");
            assert_eq!(small.glyph_bounding_box(g), whole.glyph_bounding_box(o), "{c}");
        }
        assert!(small.glyph_index('d').is_none() && small.tables().os2.is_some());
    }
}
