//! Reading a written PDF back the way a reader's tools would: the faces it embeds and the alt
//! texts of its figures.

use std::path::Path;

use lopdf::{Document, Object};

/// The base font names the PDF embeds (`pdffonts` lists the same).
pub fn font_names(path: &Path) -> Vec<String> {
    let doc = Document::load(path).unwrap();
    let mut names: Vec<String> = doc
        .objects
        .values()
        .filter_map(|o| o.as_dict().ok())
        .filter(|d| d.get(b"Type").and_then(Object::as_name).is_ok_and(|n| n == b"Font"))
        .filter_map(|d| d.get(b"BaseFont").and_then(Object::as_name).ok())
        .map(|n| String::from_utf8_lossy(n).into_owned())
        .collect();
    names.sort();
    names.dedup();
    names
}

/// The text of every page in order, one line per text run (the text as a reader's tools copy
/// it, with lopdf's extraction: the tests do not compile a second PDF library for it).
pub fn text(path: &Path) -> String {
    let doc = Document::load(path).unwrap();
    let pages: Vec<u32> = doc.get_pages().into_keys().collect();
    doc.extract_text(&pages).expect("PDF text extracts")
}

/// Every `/Alt` text of the structure tree (what a screen reader reads for a figure).
pub fn alt_texts(path: &Path) -> Vec<String> {
    let doc = Document::load(path).unwrap();
    doc.objects
        .values()
        .filter_map(|o| o.as_dict().ok())
        .filter_map(|d| d.get(b"Alt").ok())
        .filter_map(|o| o.as_str().ok())
        .map(decode_text_string)
        .collect()
}

/// A PDF text string: UTF-16BE with a byte order mark, or PDFDocEncoding (ASCII here).
fn decode_text_string(bytes: &[u8]) -> String {
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        let units: Vec<u16> = rest.chunks(2).map(|c| u16::from_be_bytes([c[0], *c.get(1).unwrap_or(&0)])).collect();
        String::from_utf16_lossy(&units)
    } else {
        String::from_utf8_lossy(bytes).into_owned()
    }
}
