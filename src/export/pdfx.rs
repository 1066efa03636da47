//! The print edition as PDF/X-4 (ISO 15930-7), the file a print shop asks for.
//!
//! Typst 0.15 cannot write PDF/X (typst#6012), so vlr reopens the PDF typst-pdf wrote (as PDF
//! 1.6, untagged) and adds what PDF/X-4 asks for, with lopdf:
//!
//! - the output intent: `/S /GTS_PDFX` with the printing condition's CMYK output profile;
//! - the identification: `GTS_PDFXVersion` in the document info and in a new XMP packet, with
//!   `Trapped` false, the document ID, and the report's date as creation and modification date;
//! - a BleedBox on every page (Typst writes the TrimBox; the MediaBox holds bleed and slug);
//! - no annotations: a printed page has no use for links, and PDF/X allows none on the page.
//!
//! Colour needs no change: Typst writes RGB as ICC-based sRGB (never DeviceRGB), which PDF/X-4
//! allows, and goal fields that the templates give in CMYK print as DeviceCMYK, which the output
//! intent defines. Every step is a function of the input, so equal inputs give equal bytes.
//! [`super::pdfx_check`] reads the result back.

use lopdf::{Dictionary, Document, Object, ObjectId, Stream, StringFormat};
use sha2::{Digest, Sha256};

use crate::project::theme::Condition;

/// The PDF/X version written, in the document info and the XMP.
pub const VERSION: &str = "PDF/X-4";
/// The PDF version PDF/X-4 is built on.
pub const PDF_VERSION: &str = "1.6";

/// What the print PDF says about itself, besides what Typst wrote.
pub struct Print<'a> {
    /// The document date (creation and modification).
    pub date: (i32, u8, u8),
    /// Bleed beyond the trim on every side, in millimetres (the BleedBox).
    pub bleed_mm: f64,
    pub condition: &'a Condition,
    /// The tool named in the XMP (`xmp:CreatorTool`).
    pub creator: &'a str,
}

/// The PDF typst-pdf wrote, made PDF/X-4.
pub fn convert(pdf: &[u8], print: &Print) -> Result<Vec<u8>, String> {
    let mut doc = Document::load_mem(pdf).map_err(|e| format!("cannot reopen the PDF: {e}"))?;
    doc.version = PDF_VERSION.to_string();
    let pages = boxes_without_annotations(&mut doc, print.bleed_mm)?;
    let ids = document_id(&mut doc, pdf);
    let intent = output_intent(&mut doc, print.condition);
    let info = info(&mut doc, print.date)?;
    let xmp = xmp(&doc, &info, &ids, pages, print);
    let catalog = doc.catalog_mut().map_err(|e| format!("the PDF has no catalog: {e}"))?;
    catalog.set("OutputIntents", Object::Array(vec![intent]));
    let old_metadata = catalog.get(b"Metadata").and_then(Object::as_reference).ok();
    // The packet stays uncompressed, so that tools that do not parse PDF can still find it.
    let kind = Dictionary::from_iter([("Type", name("Metadata")), ("Subtype", name("XML"))]);
    let stream = Stream::new(kind, xmp.into_bytes()).with_compression(false);
    let metadata = match old_metadata {
        Some(id) => {
            doc.objects.insert(id, Object::Stream(stream));
            id
        }
        None => doc.add_object(stream),
    };
    doc.catalog_mut().map_err(|e| e.to_string())?.set("Metadata", metadata);
    // The link annotations and their destinations are no longer referenced.
    doc.prune_objects();
    let mut out = Vec::new();
    doc.save_to(&mut out).map_err(|e| format!("cannot write the PDF: {e}"))?;
    Ok(out)
}

/// Every page gets its BleedBox (the TrimBox grown by the bleed) and loses its annotations.
/// Returns the number of pages.
fn boxes_without_annotations(doc: &mut Document, bleed_mm: f64) -> Result<usize, String> {
    let bleed = bleed_mm * 72.0 / 25.4;
    let pages: Vec<ObjectId> = doc.get_pages().into_values().collect();
    for (n, id) in pages.iter().enumerate() {
        let page = doc.get_object_mut(*id).and_then(Object::as_dict_mut).map_err(|e| e.to_string())?;
        let trim = page
            .get(b"TrimBox")
            .and_then(Object::as_array)
            .ok()
            .and_then(|a| rect(a))
            .ok_or_else(|| format!("page {} has no TrimBox: the print edition sets the page's bleed", n + 1))?;
        let grown = [trim[0] - bleed, trim[1] - bleed, trim[2] + bleed, trim[3] + bleed];
        page.set("BleedBox", Object::Array(grown.iter().map(|v| Object::Real(*v as f32)).collect()));
        page.remove(b"Annots");
    }
    Ok(pages.len())
}

/// A rectangle `[x0 y0 x1 y1]` of four numbers, normalized so that x0 < x1 and y0 < y1.
pub(crate) fn rect(a: &[Object]) -> Option<[f64; 4]> {
    let n: Vec<f64> = a.iter().filter_map(|o| o.as_float().ok().map(f64::from)).collect();
    match n[..] {
        [x0, y0, x1, y1] if n.len() == a.len() => Some([x0.min(x1), y0.min(y1), x0.max(x1), y0.max(y1)]),
        _ => None,
    }
}

/// The file identifier pair of the trailer: Typst's, or (should it have none) one derived
/// from the bytes, so that it stays reproducible.
fn document_id(doc: &mut Document, pdf: &[u8]) -> [Vec<u8>; 2] {
    let existing = doc.trailer.get(b"ID").and_then(Object::as_array).ok().and_then(|a| match a.as_slice() {
        [Object::String(first, _), Object::String(second, _)] => Some([first.clone(), second.clone()]),
        _ => None,
    });
    let ids = existing.unwrap_or_else(|| {
        let hash = Sha256::digest(pdf)[..16].to_vec();
        [hash.clone(), hash]
    });
    let id = |bytes: &Vec<u8>| Object::String(bytes.clone(), StringFormat::Hexadecimal);
    doc.trailer.set("ID", Object::Array(vec![id(&ids[0]), id(&ids[1])]));
    ids
}

/// The `/S /GTS_PDFX` output intent, with the condition's profile as a new stream.
fn output_intent(doc: &mut Document, condition: &Condition) -> Object {
    let mut profile = Stream::new(Dictionary::from_iter([("N", Object::Integer(4))]), condition.profile.to_vec());
    // Deterministic: zlib at a fixed level.
    let _ = profile.compress();
    let profile = doc.add_object(profile);
    let text = |s: &str| Object::string_literal(s.as_bytes().to_vec());
    let mut intent = Dictionary::new();
    intent.set("Type", name("OutputIntent"));
    intent.set("S", name("GTS_PDFX"));
    intent.set("OutputConditionIdentifier", lopdf::text_string(&condition.identifier));
    intent.set("Info", lopdf::text_string(&condition.info));
    if let Some(registry) = &condition.registry {
        intent.set("RegistryName", text(registry));
    }
    intent.set("DestOutputProfile", profile);
    Object::Dictionary(intent)
}

/// What the document info says, for the XMP.
struct Info {
    title: Option<String>,
    author: Option<String>,
    subject: Option<String>,
    keywords: Option<String>,
}

/// The document info: the PDF/X version, not trapped, and the report's date.
fn info(doc: &mut Document, date: (i32, u8, u8)) -> Result<Info, String> {
    let id = match doc.trailer.get(b"Info").and_then(Object::as_reference) {
        Ok(id) => id,
        Err(_) => {
            let id = doc.add_object(Dictionary::new());
            doc.trailer.set("Info", id);
            id
        }
    };
    let dict = doc.get_object_mut(id).and_then(Object::as_dict_mut).map_err(|e| format!("document info: {e}"))?;
    let (y, m, d) = date;
    let pdf_date = format!("D:{y:04}{m:02}{d:02}000000Z");
    dict.set("CreationDate", Object::string_literal(pdf_date.clone().into_bytes()));
    dict.set("ModDate", Object::string_literal(pdf_date.into_bytes()));
    dict.set("Trapped", name("False"));
    dict.set("GTS_PDFXVersion", Object::string_literal(VERSION.as_bytes().to_vec()));
    let text = |key: &[u8]| dict.get(key).ok().and_then(|o| lopdf::decode_text_string(o).ok());
    Ok(Info { title: text(b"Title"), author: text(b"Author"), subject: text(b"Subject"), keywords: text(b"Keywords") })
}

/// A new XMP packet that says what the document info says, and PDF/X-4.
fn xmp(doc: &Document, info: &Info, ids: &[Vec<u8>; 2], pages: usize, print: &Print) -> String {
    use xmp_writer::{DateTime, LangId, RenditionClass, Timezone, XmpWriter};
    let (y, m, d) = print.date;
    let date = DateTime {
        year: y.clamp(0, 9999) as u16,
        month: Some(m),
        day: Some(d),
        hour: Some(0),
        minute: Some(0),
        second: Some(0),
        timezone: Some(Timezone::Utc),
    };
    let lang = doc.catalog().ok().and_then(|c| c.get(b"Lang").ok()).and_then(|o| lopdf::decode_text_string(o).ok());
    let (document, instance) = (uuid(&ids[0]), uuid(&ids[1]));
    let mut x = XmpWriter::new();
    if let Some(title) = &info.title {
        x.title([(None, title.as_str())]);
    }
    if let Some(author) = &info.author {
        x.creator([author.as_str()]);
    }
    if let Some(subject) = &info.subject {
        x.description([(None, subject.as_str())]);
    }
    if let Some(keywords) = &info.keywords {
        x.pdf_keywords(keywords);
    }
    if let Some(lang) = &lang {
        x.language([LangId(lang)]);
    }
    x.format("application/pdf");
    x.creator_tool(print.creator);
    x.create_date(date);
    x.modify_date(date);
    x.metadata_date(date);
    x.document_id(&document);
    x.instance_id(&instance);
    x.version_id("1");
    x.rendition_class(RenditionClass::Default);
    x.num_pages(pages as u32);
    x.pdf_version(PDF_VERSION);
    x.trapped(false);
    x.pdfx_version(VERSION);
    x.finish(None)
}

fn name(n: &str) -> Object {
    Object::Name(n.as_bytes().to_vec())
}

/// `uuid:xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx` for a file identifier (from its hash: Typst's
/// identifiers are base64 text, not 16 raw bytes).
fn uuid(id: &[u8]) -> String {
    let hex: String = Sha256::digest(id)[..16].iter().map(|b| format!("{b:02x}")).collect();
    format!("uuid:{}-{}-{}-{}-{}", &hex[..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..])
}
