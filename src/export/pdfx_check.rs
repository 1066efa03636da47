//! Checks a written print PDF against what PDF/X-4 (ISO 15930-7) and a print shop ask of it,
//! reading the file back with lopdf. [`check`] returns one [`Finding`] per failure, naming the
//! rule, the page (when the failure is on one) and what is wrong; an empty list is a pass.
//!
//! ```ignore
//! let findings = vlr::export::pdfx_check::check(&bytes, &Expect::new(200.0));
//! let diagnostics = vlr::export::pdfx_check::diagnostics("book-en-print.pdf", &findings);
//! ```
//!
//! The rules ([`Rule`]): the PDF version (1.6 at most), no encryption; one `GTS_PDFX` output
//! intent with a condition identifier, a description and an embedded CMYK output profile (ICC
//! class `prtr`, matching its `/N`); `GTS_PDFXVersion (PDF/X-4)` and `Trapped` in the document
//! info and in the XMP, which also holds the title, dates and the document, version and
//! rendition ids; the trailer's document ID; creation and modification dates (the report's, when
//! expected); TrimBox and BleedBox on every page, nested in the MediaBox, with at least
//! [`Expect::min_bleed_mm`] of bleed on every side; no annotation on the printed area; every
//! font embedded; no DeviceRGB anywhere (objects; the content of pages, forms, tiling patterns
//! and Type 3 glyphs; inline images); every image at [`Expect::min_ppi`] or more at its printed
//! size. It checks what vlr writes, not every clause of the standard: no stand-in for a
//! certified preflight.
//!
//! `vlr release` runs it on every print PDF it builds; a `vlr preflight --edition print` can
//! call [`check`] on each written print PDF and report [`diagnostics`] the same way.

use std::collections::{BTreeMap, BTreeSet};

use lopdf::content::Content;
use lopdf::{Dictionary, Document, Object, ObjectId};

use super::pdfx::{PDF_VERSION, VERSION};
use crate::diag::{Code, Diagnostic};
use crate::project::icc::{fourcc, icc_header};

/// What the file should be, beyond PDF/X-4 itself.
#[derive(Debug, Clone, PartialEq)]
pub struct Expect {
    /// Bleed beyond the trim on every side, in millimetres, at least.
    pub min_bleed_mm: f64,
    /// Effective resolution of every image at its printed size, in pixels per inch, at least.
    pub min_ppi: f64,
    /// The output condition identifier (`FOGRA39`), when a particular one is expected.
    pub condition: Option<String>,
    /// The document date (creation and modification), when a particular one is expected.
    pub date: Option<(i32, u8, u8)>,
}

impl Expect {
    /// The bleed a print shop needs at least.
    pub const MIN_BLEED_MM: f64 = 3.0;

    /// PDF/X-4 with 3 mm of bleed and images at `min_ppi`, any condition and date.
    pub fn new(min_ppi: f64) -> Self {
        Expect { min_bleed_mm: Self::MIN_BLEED_MM, min_ppi, condition: None, date: None }
    }

    /// What a print PDF of this theme must be: PDF/X-4 for its condition, photos at its
    /// `min_ppi`. The date is not expected (SOURCE_DATE_EPOCH may set it); the check still
    /// wants one.
    pub fn for_theme(theme: &crate::project::Theme) -> Self {
        Expect { condition: Some(theme.condition.identifier.clone()), ..Expect::new(theme.min_ppi) }
    }
}

/// What a finding is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Rule {
    /// The file or a page's content cannot be read.
    Syntax,
    /// The PDF version is newer than PDF/X-4's 1.6.
    Version,
    Encryption,
    /// The `GTS_PDFX` output intent and its condition.
    OutputIntent,
    /// The output intent's ICC profile.
    Profile,
    /// `GTS_PDFXVersion` and `Trapped`, in the document info and the XMP.
    Identification,
    /// The XMP packet's other required properties.
    Metadata,
    DocumentId,
    Dates,
    /// TrimBox, BleedBox and MediaBox present and nested.
    Boxes,
    /// The bleed beyond the trim.
    Bleed,
    Annotations,
    Fonts,
    DeviceRgb,
    ImageResolution,
}

impl Rule {
    /// The diagnostic code: `pdfx-<rule>`.
    pub fn code(self) -> Code {
        match self {
            Rule::Syntax => Code::PdfxSyntax,
            Rule::Version => Code::PdfxVersion,
            Rule::Encryption => Code::PdfxEncryption,
            Rule::OutputIntent => Code::PdfxOutputIntent,
            Rule::Profile => Code::PdfxProfile,
            Rule::Identification => Code::PdfxIdentification,
            Rule::Metadata => Code::PdfxMetadata,
            Rule::DocumentId => Code::PdfxDocumentId,
            Rule::Dates => Code::PdfxDates,
            Rule::Boxes => Code::PdfxBoxes,
            Rule::Bleed => Code::PdfxBleed,
            Rule::Annotations => Code::PdfxAnnotations,
            Rule::Fonts => Code::PdfxFonts,
            Rule::DeviceRgb => Code::PdfxDeviceRgb,
            Rule::ImageResolution => Code::PdfxImageResolution,
        }
    }

    /// What to do about it.
    pub fn hint(self) -> &'static str {
        match self {
            Rule::Bleed => "set `[print] bleed` in styles/theme.toml to 3 (mm) or more",
            Rule::ImageResolution => {
                "use a larger photo, or print it smaller (`width`); the theme's `[images] min_ppi` is the least"
            }
            Rule::OutputIntent | Rule::Profile => {
                "check `[print.condition]` in styles/theme.toml: its identifier, info and profile (a CMYK output profile)"
            }
            Rule::DeviceRgb | Rule::Fonts => "this comes from the templates or an embedded PDF or SVG: report it",
            _ => "vlr writes this itself: report it, with the PDF",
        }
    }
}

/// One failure: which rule, on which page (1-based) if on one, and what is wrong.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub rule: Rule,
    pub page: Option<usize>,
    pub message: String,
}

impl std::fmt::Display for Finding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.page {
            Some(page) => write!(f, "{}: page {page}: {}", self.rule.code(), self.message),
            None => write!(f, "{}: {}", self.rule.code(), self.message),
        }
    }
}

/// Every failure of the PDF in `bytes`; empty when it passes.
pub fn check(bytes: &[u8], expect: &Expect) -> Vec<Finding> {
    let mut c = Checker { findings: Vec::new() };
    if let Some(version) = header_version(bytes) {
        c.version(&version, "the file header");
    }
    let doc = match Document::load_mem(bytes) {
        Ok(doc) => doc,
        Err(e) => {
            c.fail(Rule::Syntax, None, format!("cannot read the PDF: {e}"));
            return c.findings;
        }
    };
    if doc.trailer.get(b"Encrypt").is_ok() || doc.was_encrypted() {
        c.fail(Rule::Encryption, None, "the PDF is encrypted");
    }
    let catalog = doc.catalog().cloned().unwrap_or_default();
    if let Ok(name) = catalog.get(b"Version").and_then(Object::as_name) {
        c.version(&String::from_utf8_lossy(name), "the catalog's /Version");
    }
    c.output_intent(&doc, &catalog, expect);
    let info = doc.trailer.get(b"Info").ok().and_then(|o| deref(&doc, o).as_dict().ok()).cloned().unwrap_or_default();
    let xmp = xmp_packet(&doc, &catalog);
    c.identification(&info, xmp.as_deref());
    c.metadata(xmp.as_deref());
    c.document_id(&doc);
    c.dates(&info, xmp.as_deref(), expect);
    let mut fonts = BTreeSet::new();
    for (n, id) in doc.get_pages() {
        let page = n as usize;
        let Ok(dict) = doc.get_dictionary(id) else {
            c.fail(Rule::Syntax, Some(page), "the page is not a dictionary");
            continue;
        };
        c.boxes(&doc, dict, page, expect);
        c.annotations(&doc, dict, page);
        let resources = inherited(&doc, dict, b"Resources").and_then(|o| deref(&doc, o).as_dict().ok());
        let mut walk = Walk { doc: &doc, page, forms: BTreeSet::new(), fonts: &mut fonts, expect };
        match Content::decode(&doc.get_page_content(id)) {
            Ok(content) => walk.content(&mut c, &content, resources, Matrix::IDENTITY),
            Err(e) => c.fail(Rule::Syntax, Some(page), format!("cannot read the page's content: {e}")),
        }
    }
    c.device_rgb_objects(&doc);
    c.findings
}

/// The findings as diagnostics for the PDF named `file`: one per rule and message, listing
/// the pages it occurs on (a wrong bleed on every page is one diagnostic, not a hundred).
pub fn diagnostics(file: &str, findings: &[Finding]) -> Vec<Diagnostic> {
    let mut grouped: BTreeMap<(Rule, &str), Vec<usize>> = BTreeMap::new();
    let mut order = Vec::new();
    for f in findings {
        let key = (f.rule, f.message.as_str());
        if !grouped.contains_key(&key) {
            order.push(key);
        }
        grouped.entry(key).or_default().extend(f.page);
    }
    order
        .into_iter()
        .map(|key| {
            let pages = &grouped[&key];
            let at = match pages.as_slice() {
                [] => String::new(),
                [one] => format!(" (page {one})"),
                many => format!(" (pages {})", page_list(many)),
            };
            Diagnostic::error(key.0.code(), format!("{file} is not {VERSION}: {}{at}", key.1))
                .in_file(file)
                .hint(key.0.hint())
        })
        .collect()
}

/// `1-3, 7, 9-12`.
fn page_list(pages: &[usize]) -> String {
    let mut runs: Vec<(usize, usize)> = Vec::new();
    for &p in pages {
        match runs.last_mut() {
            Some((_, last)) if *last + 1 == p => *last = p,
            Some((_, last)) if *last == p => {}
            _ => runs.push((p, p)),
        }
    }
    let runs: Vec<String> = runs.iter().map(|(a, b)| if a == b { a.to_string() } else { format!("{a}-{b}") }).collect();
    runs.join(", ")
}

// ---------------------------------------------------------------------------------------------
// ICC profiles.

// ---------------------------------------------------------------------------------------------
// The rules.

struct Checker {
    findings: Vec<Finding>,
}

impl Checker {
    fn fail(&mut self, rule: Rule, page: Option<usize>, message: impl Into<String>) {
        self.findings.push(Finding { rule, page, message: message.into() });
    }

    fn version(&mut self, version: &str, what: &str) {
        let parsed = version.split_once('.').and_then(|(a, b)| Some((a.parse::<u32>().ok()?, b.parse::<u32>().ok()?)));
        if parsed.is_none_or(|v| v > (1, 6)) {
            self.fail(Rule::Version, None, format!("{what} says PDF {version}; PDF/X-4 is PDF {PDF_VERSION} at most"));
        }
    }

    fn output_intent(&mut self, doc: &Document, catalog: &Dictionary, expect: &Expect) {
        let intents: Vec<&Dictionary> = catalog
            .get(b"OutputIntents")
            .ok()
            .and_then(|o| deref(doc, o).as_array().ok())
            .map(|a| a.iter().filter_map(|o| deref(doc, o).as_dict().ok()).collect())
            .unwrap_or_default();
        let pdfx: Vec<&Dictionary> =
            intents.into_iter().filter(|d| d.get(b"S").and_then(Object::as_name).ok() == Some(b"GTS_PDFX")).collect();
        let intent = match pdfx.as_slice() {
            [] => return self.fail(Rule::OutputIntent, None, "no output intent with /S /GTS_PDFX"),
            [one] => *one,
            many => {
                return self.fail(
                    Rule::OutputIntent,
                    None,
                    format!("{} GTS_PDFX output intents; one only", many.len()),
                );
            }
        };
        let text = |key: &[u8]| intent.get(key).ok().and_then(|o| lopdf::decode_text_string(deref(doc, o)).ok());
        match text(b"OutputConditionIdentifier") {
            None => self.fail(Rule::OutputIntent, None, "the output intent has no OutputConditionIdentifier"),
            Some(id) if id.trim().is_empty() => {
                self.fail(Rule::OutputIntent, None, "the output intent's OutputConditionIdentifier is empty")
            }
            Some(id) => {
                if let Some(want) = expect.condition.as_ref().filter(|w| **w != id) {
                    self.fail(Rule::OutputIntent, None, format!("the output condition is `{id}`, not `{want}`"));
                }
            }
        }
        if text(b"Info").is_none_or(|i| i.trim().is_empty()) {
            self.fail(Rule::OutputIntent, None, "the output intent has no Info (the condition in words)");
        }
        let profile = intent.get(b"DestOutputProfile").ok().map(|o| deref(doc, o)).and_then(|o| o.as_stream().ok());
        let Some(profile) = profile else {
            return self.fail(Rule::Profile, None, "the output intent embeds no DestOutputProfile");
        };
        let bytes = match profile.decompressed_content() {
            Ok(b) => b,
            Err(_) if profile.dict.get(b"Filter").is_err() => profile.content.clone(),
            Err(e) => return self.fail(Rule::Profile, None, format!("cannot decode the output profile: {e}")),
        };
        let header = match icc_header(&bytes) {
            Ok(h) => h,
            Err(e) => return self.fail(Rule::Profile, None, format!("the output profile is {e}")),
        };
        if &header.class != b"prtr" {
            let class = fourcc(&header.class);
            self.fail(Rule::Profile, None, format!("the output profile's class is `{class}`, not `prtr` (output)"));
        }
        if &header.colour_space != b"CMYK" {
            let space = fourcc(&header.colour_space);
            self.fail(Rule::Profile, None, format!("the output profile is for `{space}`, not CMYK"));
        }
        let n = profile.dict.get(b"N").and_then(Object::as_i64).ok();
        if n != header.channels() {
            self.fail(
                Rule::Profile,
                None,
                format!("the profile stream's /N is {n:?}, the profile has {:?}", header.channels()),
            );
        }
        if !(2..=4).contains(&header.version.0) {
            self.fail(
                Rule::Profile,
                None,
                format!("ICC version {}.{} is not one PDF 1.6 reads", header.version.0, header.version.1),
            );
        }
    }

    fn identification(&mut self, info: &Dictionary, xmp: Option<&str>) {
        let version = info.get(b"GTS_PDFXVersion").ok().and_then(|o| lopdf::decode_text_string(o).ok());
        if version.as_deref() != Some(VERSION) {
            let got = version.map_or("nothing".to_string(), |v| format!("`{v}`"));
            self.fail(
                Rule::Identification,
                None,
                format!("the document info's GTS_PDFXVersion is {got}, not `{VERSION}`"),
            );
        }
        let trapped =
            info.get(b"Trapped").and_then(Object::as_name).ok().map(|n| String::from_utf8_lossy(n).into_owned());
        if !matches!(trapped.as_deref(), Some("True" | "False")) {
            self.fail(Rule::Identification, None, "the document info's Trapped is not /True or /False");
        }
        let Some(xmp) = xmp else { return };
        let version = xmp_value(xmp, "pdfxid:GTS_PDFXVersion");
        if version.as_deref() != Some(VERSION) {
            let got = version.map_or("nothing".to_string(), |v| format!("`{v}`"));
            self.fail(
                Rule::Identification,
                None,
                format!("the XMP's pdfxid:GTS_PDFXVersion is {got}, not `{VERSION}`"),
            );
        }
        let xmp_trapped = xmp_value(xmp, "pdf:Trapped");
        if !matches!(xmp_trapped.as_deref(), Some("True" | "False")) {
            self.fail(Rule::Identification, None, "the XMP's pdf:Trapped is not True or False");
        } else if trapped.is_some() && xmp_trapped != trapped {
            self.fail(Rule::Identification, None, "Trapped differs between the document info and the XMP");
        }
    }

    fn metadata(&mut self, xmp: Option<&str>) {
        let Some(xmp) = xmp else {
            return self.fail(Rule::Metadata, None, "the catalog has no XMP metadata stream");
        };
        for (property, what) in [
            ("dc:title", "the title"),
            ("xmpMM:DocumentID", "the document id"),
            ("xmpMM:VersionID", "the version id"),
            ("xmpMM:RenditionClass", "the rendition class"),
        ] {
            if xmp_value(xmp, property).is_none_or(|v| v.is_empty()) {
                self.fail(Rule::Metadata, None, format!("the XMP has no {property} ({what})"));
            }
        }
    }

    fn document_id(&mut self, doc: &Document) {
        let ok = doc
            .trailer
            .get(b"ID")
            .and_then(Object::as_array)
            .is_ok_and(|a| a.len() == 2 && a.iter().all(|o| deref(doc, o).as_str().is_ok_and(|s| !s.is_empty())));
        if !ok {
            self.fail(Rule::DocumentId, None, "the trailer has no document ID (/ID of two strings)");
        }
    }

    fn dates(&mut self, info: &Dictionary, xmp: Option<&str>, expect: &Expect) {
        let want = expect.date.map(|(y, m, d)| format!("{y:04}-{m:02}-{d:02}"));
        for key in ["CreationDate", "ModDate"] {
            let date = info.get(key.as_bytes()).ok().and_then(|o| lopdf::decode_text_string(o).ok());
            // D:YYYYMMDD… → YYYY-MM-DD
            let day = date
                .as_deref()
                .and_then(|d| d.strip_prefix("D:"))
                .filter(|d| d.len() >= 8 && d[..8].bytes().all(|b| b.is_ascii_digit()));
            match (day.map(|d| format!("{}-{}-{}", &d[..4], &d[4..6], &d[6..8])), &want) {
                (None, _) => self.fail(Rule::Dates, None, format!("the document info has no valid {key}")),
                (Some(got), Some(want)) if got != *want => {
                    self.fail(Rule::Dates, None, format!("the document info's {key} is {got}, not the report's {want}"))
                }
                _ => {}
            }
        }
        let Some(xmp) = xmp else { return };
        for property in ["xmp:CreateDate", "xmp:ModifyDate"] {
            let day = xmp_value(xmp, property).filter(|d| d.len() >= 10).map(|d| d[..10].to_string());
            match (day, &want) {
                (None, _) => self.fail(Rule::Dates, None, format!("the XMP has no {property}")),
                (Some(got), Some(want)) if got != *want => {
                    self.fail(Rule::Dates, None, format!("the XMP's {property} is {got}, not the report's {want}"))
                }
                _ => {}
            }
        }
    }

    fn boxes(&mut self, doc: &Document, page: &Dictionary, n: usize, expect: &Expect) {
        let get = |key: &[u8]| {
            page.get(key).ok().and_then(|o| deref(doc, o).as_array().ok()).and_then(|a| super::pdfx::rect(a))
        };
        let media = inherited(doc, page, b"MediaBox")
            .and_then(|o| deref(doc, o).as_array().ok())
            .and_then(|a| super::pdfx::rect(a));
        let (trim, bleed) = (get(b"TrimBox"), get(b"BleedBox"));
        let Some(media) = media else { return self.fail(Rule::Boxes, Some(n), "no valid MediaBox") };
        let Some(trim) = trim else { return self.fail(Rule::Boxes, Some(n), "no TrimBox") };
        let Some(bleed) = bleed else { return self.fail(Rule::Boxes, Some(n), "no BleedBox") };
        // A hundredth of a point of rounding is not a fault.
        let within = |inner: [f64; 4], outer: [f64; 4]| {
            inner[0] >= outer[0] - 0.01
                && inner[1] >= outer[1] - 0.01
                && inner[2] <= outer[2] + 0.01
                && inner[3] <= outer[3] + 0.01
        };
        if !within(trim, bleed) {
            self.fail(Rule::Boxes, Some(n), "the TrimBox reaches beyond the BleedBox");
        }
        if !within(bleed, media) {
            self.fail(Rule::Boxes, Some(n), "the BleedBox reaches beyond the MediaBox");
        }
        let mm = |pt: f64| pt * 25.4 / 72.0;
        let least = [trim[0] - bleed[0], trim[1] - bleed[1], bleed[2] - trim[2], bleed[3] - trim[3]]
            .into_iter()
            .fold(f64::INFINITY, f64::min);
        if mm(least) < expect.min_bleed_mm - 0.01 {
            let msg = format!("the bleed is {:.1} mm beyond the trim, less than {} mm", mm(least), expect.min_bleed_mm);
            self.fail(Rule::Bleed, Some(n), msg);
        }
    }

    fn annotations(&mut self, doc: &Document, page: &Dictionary, n: usize) {
        let Some(annots) = page.get(b"Annots").ok().and_then(|o| deref(doc, o).as_array().ok()) else { return };
        let mut kinds: BTreeMap<String, usize> = BTreeMap::new();
        for a in annots.iter().filter_map(|o| deref(doc, o).as_dict().ok()) {
            let kind = a.get(b"Subtype").and_then(Object::as_name).map(|s| String::from_utf8_lossy(s).into_owned());
            let kind = kind.unwrap_or_else(|_| "untyped".into());
            if kind != "PrinterMark" && kind != "TrapNet" {
                *kinds.entry(kind).or_default() += 1;
            }
        }
        for (kind, count) in kinds {
            let msg = format!("{count} {kind} annotation(s) on the page; PDF/X allows none on the printed area");
            self.fail(Rule::Annotations, Some(n), msg);
        }
    }

    /// Every object that names DeviceRGB: a colour space, an image, a shading, a group.
    fn device_rgb_objects(&mut self, doc: &Document) {
        for (id, object) in &doc.objects {
            let in_object = match object {
                Object::Stream(s) => names_device_rgb(&Object::Dictionary(s.dict.clone())),
                other => names_device_rgb(other),
            };
            if in_object {
                let kind = match object {
                    Object::Stream(s) => s
                        .dict
                        .get(b"Subtype")
                        .and_then(Object::as_name)
                        .map(|n| String::from_utf8_lossy(n).into_owned())
                        .unwrap_or_else(|_| "stream".into()),
                    Object::Dictionary(d) => d
                        .get(b"Type")
                        .and_then(Object::as_name)
                        .map(|n| String::from_utf8_lossy(n).into_owned())
                        .unwrap_or_else(|_| "dictionary".into()),
                    _ => "array".into(),
                };
                self.fail(Rule::DeviceRgb, None, format!("object {} {} R ({kind}) uses DeviceRGB", id.0, id.1));
            }
        }
    }
}

/// Whether `o`, or anything directly inside it, is the name DeviceRGB.
fn names_device_rgb(o: &Object) -> bool {
    match o {
        Object::Name(n) => n == b"DeviceRGB",
        Object::Array(a) => a.iter().any(names_device_rgb),
        Object::Dictionary(d) => d.iter().any(|(_, v)| names_device_rgb(v)),
        _ => false,
    }
}

// ---------------------------------------------------------------------------------------------
// Content streams: fonts used, DeviceRGB operators and images at their printed size.

/// A 2-D affine transformation `[a b c d e f]`, as PDF writes it.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Matrix([f64; 6]);

impl Matrix {
    const IDENTITY: Matrix = Matrix([1.0, 0.0, 0.0, 1.0, 0.0, 0.0]);

    fn from_operands(ops: &[Object]) -> Option<Matrix> {
        let n: Vec<f64> = ops.iter().filter_map(|o| o.as_float().ok().map(f64::from)).collect();
        <[f64; 6]>::try_from(n).ok().map(Matrix)
    }

    /// `self` then `outer` (PDF's `cm`: the new CTM is self × CTM).
    fn then(self, outer: Matrix) -> Matrix {
        let [a, b, c, d, e, f] = self.0;
        let [a2, b2, c2, d2, e2, f2] = outer.0;
        Matrix([
            a * a2 + b * c2,
            a * b2 + b * d2,
            c * a2 + d * c2,
            c * b2 + d * d2,
            e * a2 + f * c2 + e2,
            e * b2 + f * d2 + f2,
        ])
    }
}

struct Walk<'a> {
    doc: &'a Document,
    page: usize,
    /// The form XObjects being walked, against cycles.
    forms: BTreeSet<ObjectId>,
    /// Fonts already checked (each is reported once, on the first page it is used on).
    fonts: &'a mut BTreeSet<ObjectId>,
    expect: &'a Expect,
}

impl<'a> Walk<'a> {
    fn content(&mut self, c: &mut Checker, content: &Content, resources: Option<&'a Dictionary>, ctm: Matrix) {
        let (mut ctm, mut saved) = (ctm, Vec::new());
        let page = Some(self.page);
        for op in &content.operations {
            let name = op.operands.first().and_then(|o| o.as_name().ok());
            match op.operator.as_str() {
                "q" => saved.push(ctm),
                "Q" => ctm = saved.pop().unwrap_or(ctm),
                "cm" => {
                    if let Some(m) = Matrix::from_operands(&op.operands) {
                        ctm = m.then(ctm);
                    }
                }
                "rg" | "RG" => {
                    c.fail(Rule::DeviceRgb, page, format!("the content sets a DeviceRGB colour (`{}`)", op.operator))
                }
                "cs" | "CS" if name == Some(b"DeviceRGB") => {
                    c.fail(Rule::DeviceRgb, page, "the content selects DeviceRGB")
                }
                "BI" | "ID" if op.operands.iter().any(|o| matches!(o.as_name(), Ok(b"RGB" | b"DeviceRGB"))) => {
                    c.fail(Rule::DeviceRgb, page, "an inline image in DeviceRGB")
                }
                "Tf" => {
                    if let Some(name) = name {
                        self.font(c, resources, name);
                    }
                }
                "Do" => {
                    if let Some(name) = name {
                        self.xobject(c, resources, name, ctm);
                    }
                }
                "scn" | "SCN" => {
                    if let Some(name) = op.operands.last().and_then(|o| o.as_name().ok()) {
                        self.pattern(c, resources, name);
                    }
                }
                _ => {}
            }
        }
    }

    /// A named resource of a kind (`Font`, `XObject`), with its object id when it has one.
    fn lookup(
        &self,
        resources: Option<&'a Dictionary>,
        kind: &[u8],
        name: &[u8],
    ) -> Option<(Option<ObjectId>, &'a Object)> {
        let of_kind = deref(self.doc, resources?.get(kind).ok()?).as_dict().ok()?;
        let entry = of_kind.get(name).ok()?;
        self.doc.dereference(entry).ok()
    }

    fn font(&mut self, c: &mut Checker, resources: Option<&'a Dictionary>, name: &[u8]) {
        let Some((id, font)) = self.lookup(resources, b"Font", name) else {
            let name = String::from_utf8_lossy(name);
            return c.fail(
                Rule::Fonts,
                Some(self.page),
                format!("the content uses font /{name}, which the page's resources lack"),
            );
        };
        if let Some(id) = id
            && !self.fonts.insert(id)
        {
            return;
        }
        let Ok(font) = font.as_dict() else { return };
        if !embedded(self.doc, font) {
            let base = font.get(b"BaseFont").and_then(Object::as_name).map(|n| String::from_utf8_lossy(n).into_owned());
            let base = base.unwrap_or_else(|_| String::from_utf8_lossy(name).into_owned());
            c.fail(Rule::Fonts, Some(self.page), format!("font `{base}` is not embedded"));
        }
        // A Type 3 font's glyphs are content streams of their own.
        let procs = font.get(b"CharProcs").ok().and_then(|o| deref(self.doc, o).as_dict().ok());
        let own = font.get(b"Resources").ok().and_then(|o| deref(self.doc, o).as_dict().ok());
        for glyph in procs.into_iter().flat_map(|p| p.iter()) {
            if let Ok(Object::Stream(stream)) = self.doc.dereference(glyph.1).map(|(_, o)| o) {
                self.nested(c, stream, None, own.or(resources), Matrix::IDENTITY);
            }
        }
    }

    /// A tiling pattern's cell is a content stream of its own.
    fn pattern(&mut self, c: &mut Checker, resources: Option<&'a Dictionary>, name: &[u8]) {
        let Some((id, Object::Stream(stream))) = self.lookup(resources, b"Pattern", name) else { return };
        let Some(id) = id.filter(|id| !self.forms.contains(id)) else { return };
        let own = stream.dict.get(b"Resources").ok().and_then(|o| deref(self.doc, o).as_dict().ok());
        let matrix = stream.dict.get(b"Matrix").ok().and_then(|o| deref(self.doc, o).as_array().ok());
        let matrix = matrix.and_then(|a| Matrix::from_operands(a)).unwrap_or(Matrix::IDENTITY);
        self.nested(c, stream, Some(id), own.or(resources), matrix);
    }

    /// Walks a form, pattern cell or glyph: its content, with its resources and matrix.
    fn nested(
        &mut self,
        c: &mut Checker,
        stream: &'a lopdf::Stream,
        id: Option<ObjectId>,
        resources: Option<&'a Dictionary>,
        ctm: Matrix,
    ) {
        let bytes = stream.decompressed_content().unwrap_or_else(|_| stream.content.clone());
        match Content::decode(&bytes) {
            Ok(content) => {
                self.forms.extend(id);
                self.content(c, &content, resources, ctm);
                if let Some(id) = id {
                    self.forms.remove(&id);
                }
            }
            Err(e) => c.fail(Rule::Syntax, Some(self.page), format!("cannot read a content stream: {e}")),
        }
    }

    fn xobject(&mut self, c: &mut Checker, resources: Option<&'a Dictionary>, name: &[u8], ctm: Matrix) {
        let Some((id, Object::Stream(stream))) = self.lookup(resources, b"XObject", name) else { return };
        let dict = &stream.dict;
        match dict.get(b"Subtype").and_then(Object::as_name).ok() {
            Some(b"Image") => self.image(c, dict, ctm),
            Some(b"Form") => {
                let Some(id) = id.filter(|id| !self.forms.contains(id)) else { return };
                let matrix = dict.get(b"Matrix").ok().and_then(|o| deref(self.doc, o).as_array().ok());
                let matrix = matrix.and_then(|a| Matrix::from_operands(a)).unwrap_or(Matrix::IDENTITY);
                let own = dict.get(b"Resources").ok().and_then(|o| deref(self.doc, o).as_dict().ok());
                self.nested(c, stream, Some(id), own.or(resources), matrix.then(ctm));
            }
            _ => {}
        }
    }

    /// An image's resolution where it is drawn: its pixels over the size the CTM gives the unit
    /// square, in the lesser direction.
    fn image(&mut self, c: &mut Checker, dict: &Dictionary, ctm: Matrix) {
        if dict.get(b"ImageMask").and_then(Object::as_bool).unwrap_or(false) {
            return;
        }
        let size = |key: &[u8]| dict.get(key).and_then(Object::as_i64).ok().filter(|v| *v > 0);
        let (Some(w), Some(h)) = (size(b"Width"), size(b"Height")) else { return };
        let [a, b, cc, d, _, _] = ctm.0;
        let (width_pt, height_pt) = (a.hypot(b), cc.hypot(d));
        if width_pt < 0.01 || height_pt < 0.01 {
            return;
        }
        let ppi = (w as f64 / (width_pt / 72.0)).min(h as f64 / (height_pt / 72.0));
        if ppi + 0.5 < self.expect.min_ppi {
            let mm = |pt: f64| pt * 25.4 / 72.0;
            let msg = format!(
                "an image of {w} × {h} pixels prints at {:.0} × {:.0} mm: {ppi:.0} ppi, under {:.0}",
                mm(width_pt),
                mm(height_pt),
                self.expect.min_ppi
            );
            c.fail(Rule::ImageResolution, Some(self.page), msg);
        }
    }
}

/// Whether a font's program is in the file (Type 3 glyphs always are).
fn embedded(doc: &Document, font: &Dictionary) -> bool {
    fn dict<'a>(doc: &'a Document, o: &'a Object) -> Option<&'a Dictionary> {
        deref(doc, o).as_dict().ok()
    }
    let with_program = |font: &Dictionary| {
        font.get(b"FontDescriptor")
            .ok()
            .and_then(|o| dict(doc, o))
            .is_some_and(|d| [&b"FontFile"[..], b"FontFile2", b"FontFile3"].iter().any(|k| d.get(k).is_ok()))
    };
    match font.get(b"Subtype").and_then(Object::as_name).ok() {
        Some(b"Type3") => true,
        Some(b"Type0") => font
            .get(b"DescendantFonts")
            .ok()
            .and_then(|o| deref(doc, o).as_array().ok())
            .and_then(|a| a.first())
            .and_then(|o| dict(doc, o))
            .is_some_and(with_program),
        _ => with_program(font),
    }
}

// ---------------------------------------------------------------------------------------------
// Reading helpers.

/// The object a reference points to (or the object itself); null when it points nowhere.
fn deref<'a>(doc: &'a Document, o: &'a Object) -> &'a Object {
    const NULL: &Object = &Object::Null;
    doc.dereference(o).map(|(_, o)| o).unwrap_or(NULL)
}

/// A page attribute, looked up the page tree when the page does not set it.
fn inherited<'a>(doc: &'a Document, page: &'a Dictionary, key: &[u8]) -> Option<&'a Object> {
    let mut node = page;
    for _ in 0..64 {
        if let Ok(v) = node.get(key) {
            return Some(v);
        }
        node = deref(doc, node.get(b"Parent").ok()?).as_dict().ok()?;
    }
    None
}

/// `1.6` from `%PDF-1.6`.
fn header_version(bytes: &[u8]) -> Option<String> {
    let at = bytes.windows(5).take(1024).position(|w| w == b"%PDF-")?;
    let rest = &bytes[at + 5..];
    let end = rest.iter().position(|b| !(b.is_ascii_digit() || *b == b'.')).unwrap_or(rest.len());
    Some(String::from_utf8_lossy(&rest[..end]).into_owned())
}

/// The catalog's XMP packet as text.
fn xmp_packet(doc: &Document, catalog: &Dictionary) -> Option<String> {
    let stream = deref(doc, catalog.get(b"Metadata").ok()?).as_stream().ok()?;
    let bytes = stream.decompressed_content().unwrap_or_else(|_| stream.content.clone());
    Some(String::from_utf8_lossy(&bytes).into_owned())
}

/// The text of an XMP property written with its usual prefix, as an element
/// (`<pdf:Trapped>False</pdf:Trapped>`, with any `rdf:Alt`/`rdf:li` inside stripped) or as an
/// attribute (`pdf:Trapped="False"`), entities decoded.
fn xmp_value(xmp: &str, property: &str) -> Option<String> {
    let open = format!("<{property}>");
    let close = format!("</{property}>");
    if let Some(start) = xmp.find(&open) {
        let inner = &xmp[start + open.len()..];
        let inner = &inner[..inner.find(&close)?];
        let mut text = String::new();
        let mut in_tag = false;
        for ch in inner.chars() {
            match ch {
                '<' => in_tag = true,
                '>' => in_tag = false,
                _ if !in_tag => text.push(ch),
                _ => {}
            }
        }
        return Some(unescape(text.trim()));
    }
    let attribute = format!("{property}=\"");
    let start = xmp.find(&attribute)? + attribute.len();
    let value = &xmp[start..];
    Some(unescape(&value[..value.find('"')?]))
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&apos;", "'").replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_are_listed_as_runs() {
        assert_eq!(page_list(&[1, 2, 3, 7, 9, 10]), "1-3, 7, 9-10");
        assert_eq!(page_list(&[4]), "4");
    }

    #[test]
    fn xmp_properties_are_read_as_elements_or_attributes() {
        let xmp = r#"<rdf:Description pdf:Trapped="False"><dc:title><rdf:Alt><rdf:li xml:lang="x-default">A &amp; B</rdf:li></rdf:Alt></dc:title><pdfxid:GTS_PDFXVersion>PDF/X-4</pdfxid:GTS_PDFXVersion>"#;
        assert_eq!(xmp_value(xmp, "dc:title").as_deref(), Some("A & B"));
        assert_eq!(xmp_value(xmp, "pdf:Trapped").as_deref(), Some("False"));
        assert_eq!(xmp_value(xmp, "pdfxid:GTS_PDFXVersion").as_deref(), Some("PDF/X-4"));
        assert_eq!(xmp_value(xmp, "xmpMM:VersionID"), None);
    }

    #[test]
    fn matrices_compose_as_pdf_does() {
        // Scale by 2, then move by (10, 20): a point at (1, 1) lands at (12, 22).
        let m = Matrix([2.0, 0.0, 0.0, 2.0, 0.0, 0.0]).then(Matrix([1.0, 0.0, 0.0, 1.0, 10.0, 20.0]));
        assert_eq!(m.0, [2.0, 0.0, 0.0, 2.0, 10.0, 20.0]);
    }

    #[test]
    fn the_builtin_profile_is_a_cmyk_output_profile() {
        let h = icc_header(crate::builtin::FOGRA39_PROFILE).unwrap();
        assert!(h.is_cmyk_output(), "{h:?}");
        assert_eq!(h.channels(), Some(4));
        assert!(icc_header(b"not a profile").is_err());
    }
}
