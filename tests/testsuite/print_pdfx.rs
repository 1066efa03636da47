//! The print edition is PDF/X-4 (ISO 15930-7) for the theme's printing condition: each point
//! read back from the written PDF with lopdf — output intent and profile, identification in the
//! document info and the XMP, boxes and bleed on every page, fonts, colour, image resolution —
//! and the same PDFs passed through vlr's own check (`export::pdfx_check`), which must also
//! name each failure when a point is broken.

use crate::common;

use common::Project;
use lopdf::{Document, Object};
use vlr::Edition;
use vlr::pdfx::{self, Expect, Finding, Rule};

const MM: f64 = 72.0 / 25.4;

/// What a test expects of a print PDF besides PDF/X-4 itself.
struct Want {
    date: (i32, u8, u8),
    /// The trim size in millimetres.
    trim_mm: (f64, f64),
    bleed_mm: f64,
    condition: &'static str,
}

impl Want {
    fn a4(date: (i32, u8, u8)) -> Self {
        Want { date, trim_mm: (210.0, 297.0), bleed_mm: 3.0, condition: "FOGRA39" }
    }

    fn expect(&self) -> Expect {
        Expect { condition: Some(self.condition.into()), date: Some(self.date), ..Expect::new(200.0) }
    }
}

fn numbers(o: &Object) -> Vec<f64> {
    o.as_array().unwrap().iter().map(|v| v.as_float().unwrap() as f64).collect()
}

fn text(doc: &Document, o: &Object) -> String {
    let o = doc.dereference(o).unwrap().1;
    lopdf::decode_text_string(o).unwrap()
}

/// Every point of the issue, read back with lopdf, independently of vlr's checker.
fn assert_pdfx4(path: &std::path::Path, want: &Want) {
    let bytes = std::fs::read(path).unwrap();
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    assert!(bytes.starts_with(b"%PDF-1.6"), "{name}: PDF/X-4 is PDF 1.6");
    let doc = Document::load_mem(&bytes).unwrap();
    assert!(doc.trailer.get(b"Encrypt").is_err(), "{name}: encrypted");

    // The output intent: GTS_PDFX, the named condition, an embedded CMYK output profile.
    let catalog = doc.catalog().unwrap();
    let intents = catalog.get(b"OutputIntents").unwrap().as_array().unwrap();
    assert_eq!(intents.len(), 1, "{name}: one output intent");
    let intent = doc.dereference(&intents[0]).unwrap().1.as_dict().unwrap();
    assert_eq!(intent.get(b"S").unwrap().as_name().unwrap(), b"GTS_PDFX");
    assert_eq!(text(&doc, intent.get(b"OutputConditionIdentifier").unwrap()), want.condition);
    assert_eq!(text(&doc, intent.get(b"RegistryName").unwrap()), "http://www.color.org");
    assert!(text(&doc, intent.get(b"Info").unwrap()).contains(want.condition), "{name}: Info names the condition");
    let profile = doc.dereference(intent.get(b"DestOutputProfile").unwrap()).unwrap().1.as_stream().unwrap();
    assert_eq!(profile.dict.get(b"N").unwrap().as_i64().unwrap(), 4);
    let icc = profile.decompressed_content().unwrap();
    assert_eq!(&icc[36..40], b"acsp");
    assert_eq!((&icc[12..16], &icc[16..20]), (&b"prtr"[..], &b"CMYK"[..]), "{name}: a CMYK output profile");

    // Identification: Info and XMP, Trapped, document ID, the report's date.
    let info = doc.dereference(doc.trailer.get(b"Info").unwrap()).unwrap().1.as_dict().unwrap();
    assert_eq!(text(&doc, info.get(b"GTS_PDFXVersion").unwrap()), "PDF/X-4");
    assert_eq!(info.get(b"Trapped").unwrap().as_name().unwrap(), b"False");
    let (y, m, d) = want.date;
    let day = format!("D:{y:04}{m:02}{d:02}");
    for key in [&b"CreationDate"[..], b"ModDate"] {
        assert!(text(&doc, info.get(key).unwrap()).starts_with(&day), "{name}: {}", String::from_utf8_lossy(key));
    }
    let ids = doc.trailer.get(b"ID").unwrap().as_array().unwrap();
    assert!(ids.len() == 2 && ids.iter().all(|i| !i.as_str().unwrap().is_empty()), "{name}: document ID");
    let xmp = doc.dereference(catalog.get(b"Metadata").unwrap()).unwrap().1.as_stream().unwrap();
    let xmp = String::from_utf8(xmp.content.clone()).unwrap();
    let iso = format!("{y:04}-{m:02}-{d:02}T");
    for needle in [
        "<pdfxid:GTS_PDFXVersion>PDF/X-4</pdfxid:GTS_PDFXVersion>",
        "<pdf:Trapped>False</pdf:Trapped>",
        "<xmpMM:VersionID>1</xmpMM:VersionID>",
        "<xmpMM:RenditionClass>default</xmpMM:RenditionClass>",
        "<xmpMM:DocumentID>uuid:",
        &format!("<xmp:CreateDate>{iso}"),
        &format!("<xmp:ModifyDate>{iso}"),
        "<dc:title>",
    ] {
        assert!(xmp.contains(needle), "{name}: the XMP lacks {needle}");
    }

    // Boxes on every page: TrimBox at the trim size, BleedBox `bleed` beyond it, MediaBox around.
    let pages = doc.get_pages();
    assert!(!pages.is_empty());
    for (n, id) in &pages {
        let page = doc.get_dictionary(*id).unwrap();
        let media = numbers(page.get(b"MediaBox").unwrap());
        let trim = numbers(page.get(b"TrimBox").unwrap_or_else(|_| panic!("{name}: page {n} has no TrimBox")));
        let bleed = numbers(page.get(b"BleedBox").unwrap_or_else(|_| panic!("{name}: page {n} has no BleedBox")));
        let (w, h) = ((trim[2] - trim[0]) / MM, (trim[3] - trim[1]) / MM);
        assert!((w - want.trim_mm.0).abs() < 0.1 && (h - want.trim_mm.1).abs() < 0.1, "{name}: page {n} trim {w}×{h}");
        for i in 0..2 {
            let beyond = [(trim[i] - bleed[i]) / MM, (bleed[i + 2] - trim[i + 2]) / MM];
            assert!(beyond.iter().all(|b| (b - want.bleed_mm).abs() < 0.01), "{name}: page {n} bleed {beyond:?}");
            assert!(media[i] <= bleed[i] && bleed[i + 2] <= media[i + 2], "{name}: page {n} MediaBox inside BleedBox");
        }
        // No annotations on the printed page.
        assert!(page.get(b"Annots").is_err(), "{name}: page {n} has annotations");
        // Every font embedded.
        for (font_name, font) in doc.get_page_fonts(*id).unwrap() {
            let font = match font.get(b"DescendantFonts") {
                Ok(d) => doc.dereference(&d.as_array().unwrap()[0]).unwrap().1.as_dict().unwrap(),
                Err(_) => font,
            };
            let descriptor = doc.dereference(font.get(b"FontDescriptor").unwrap()).unwrap().1.as_dict().unwrap();
            let embedded = ["FontFile", "FontFile2", "FontFile3"].iter().any(|k| descriptor.get(k.as_bytes()).is_ok());
            assert!(embedded, "{name}: page {n}: font {} is not embedded", String::from_utf8_lossy(&font_name));
        }
    }

    // No DeviceRGB anywhere: not in any object, not in any page's content.
    fn names(o: &Object, name: &[u8]) -> bool {
        match o {
            Object::Name(n) => n == name,
            Object::Array(a) => a.iter().any(|o| names(o, name)),
            Object::Dictionary(d) => d.iter().any(|(_, v)| names(v, name)),
            Object::Stream(s) => s.dict.iter().any(|(_, v)| names(v, name)),
            _ => false,
        }
    }
    for (id, o) in &doc.objects {
        assert!(!names(o, b"DeviceRGB"), "{name}: object {id:?} uses DeviceRGB");
    }
    for id in pages.values() {
        let content = lopdf::content::Content::decode(&doc.get_page_content(*id)).unwrap();
        assert!(
            !content.operations.iter().any(|op| op.operator == "rg" || op.operator == "RG"),
            "{name}: rg in content"
        );
    }

    // And vlr's own check agrees.
    let findings = pdfx::check(&bytes, &want.expect());
    assert!(findings.is_empty(), "{name}: {}", list(&findings));
}

fn list(findings: &[Finding]) -> String {
    findings.iter().map(|f| f.to_string()).collect::<Vec<_>>().join("\n")
}

fn print_only(p: Project) -> Project {
    p.editions(&[Edition::Print])
}

#[test]
fn the_2021_books_print_editions_are_pdfx4() {
    if !common::require_cjk("the_2021_books_print_editions_are_pdfx4") {
        return;
    }
    let p = print_only(Project::book().all_langs());
    let built = p.build().ok();
    assert_eq!(built.0.pdfs.len(), 2, "en and zh-CN");
    for i in 0..2 {
        assert_pdfx4(built.pdf(i), &Want::a4((2021, 10, 31)));
    }
}

#[test]
fn the_lakeport_print_editions_are_pdfx4_on_us_letter() {
    if !common::require_arabic("the_lakeport_print_editions_are_pdfx4_on_us_letter") {
        return;
    }
    let p = print_only(Project::fixture("lakeport").all_langs());
    let built = p.build().ok();
    let names: Vec<_> = built.0.pdfs.iter().map(|e| e.target.lang.clone()).collect();
    assert_eq!(names.len(), 5, "{names:?}");
    // report.toml: published = 2025-12-31, page_size = "us-letter".
    let want = Want { trim_mm: (215.9, 279.4), ..Want::a4((2025, 12, 31)) };
    for i in 0..names.len() {
        assert_pdfx4(built.pdf(i), &want);
    }
    // Its photo is prepared at the theme's 300 ppi at its printed size: the check agrees to 300
    // and flags it only when asked for more.
    let bytes = std::fs::read(built.pdf(0)).unwrap();
    assert!(pdfx::check(&bytes, &Expect::new(299.0)).is_empty());
    let finer = pdfx::check(&bytes, &Expect::new(320.0));
    assert!(!finer.is_empty() && finer.iter().all(|f| f.rule == Rule::ImageResolution), "{}", list(&finer));
    assert!(finer[0].message.contains("300 ppi, under 320"), "{}", finer[0].message);
}

#[test]
fn print_editions_are_reproducible_and_the_screen_edition_is_not_pdfx() {
    let p = Project::minimal().editions(&[Edition::Screen, Edition::Print]);
    let first = p.build().ok();
    let (screen, print) = (std::fs::read(first.pdf(0)).unwrap(), std::fs::read(first.pdf(1)).unwrap());
    assert_pdfx4(first.pdf(1), &Want::a4((2021, 10, 31)));
    let again = p.build().ok();
    assert_eq!(std::fs::read(again.pdf(1)).unwrap(), print, "the print PDF is byte-reproducible");
    assert_eq!(std::fs::read(again.pdf(0)).unwrap(), screen);
    // The screen edition stays PDF/A + PDF/UA: tagged, and no PDF/X output intent or boxes.
    let findings = pdfx::check(&screen, &Expect::new(200.0));
    let rules: std::collections::BTreeSet<Rule> = findings.iter().map(|f| f.rule).collect();
    for rule in [Rule::Version, Rule::OutputIntent, Rule::Identification, Rule::Boxes] {
        assert!(rules.contains(&rule), "{rule:?} not found in:\n{}", list(&findings));
    }
    let doc = Document::load_mem(&screen).unwrap();
    assert!(doc.catalog().unwrap().get(b"StructTreeRoot").is_ok(), "the screen edition stays tagged");
}

/// A good print PDF, broken one point at a time: the check names each failure.
#[test]
fn the_check_names_each_failure() {
    let p = print_only(Project::minimal());
    let good = std::fs::read(p.build().ok().pdf(0)).unwrap();
    let expect = Want::a4((2021, 10, 31)).expect();
    assert!(pdfx::check(&good, &expect).is_empty());

    let broken = |f: &dyn Fn(&mut Document)| -> Vec<Finding> {
        let mut doc = Document::load_mem(&good).unwrap();
        f(&mut doc);
        let mut out = Vec::new();
        doc.save_to(&mut out).unwrap();
        pdfx::check(&out, &expect)
    };
    let only = |findings: Vec<Finding>, rule: Rule, says: &str| {
        assert!(!findings.is_empty(), "{rule:?}: nothing found");
        assert!(findings.iter().all(|f| f.rule == rule), "{rule:?}:\n{}", list(&findings));
        assert!(
            findings.iter().any(|f| f.message.contains(says)),
            "{rule:?} does not say {says:?}:\n{}",
            list(&findings)
        );
        findings
    };
    let first_page = |doc: &Document| *doc.get_pages().values().next().unwrap();
    let info_id = |doc: &Document| doc.trailer.get(b"Info").unwrap().as_reference().unwrap();
    let intent = |doc: &mut Document| -> lopdf::Dictionary {
        let catalog = doc.catalog().unwrap();
        catalog.get(b"OutputIntents").unwrap().as_array().unwrap()[0].as_dict().unwrap().clone()
    };
    let set_intent = |doc: &mut Document, intent: lopdf::Dictionary| {
        doc.catalog_mut().unwrap().set("OutputIntents", Object::Array(vec![Object::Dictionary(intent)]));
    };

    only(broken(&|d| doc_version(d, "1.7")), Rule::Version, "PDF 1.7");
    only(
        broken(&|d| {
            d.catalog_mut().unwrap().remove(b"OutputIntents");
        }),
        Rule::OutputIntent,
        "no output intent",
    );
    only(
        broken(&|d| {
            let mut i = intent(d);
            i.set("OutputConditionIdentifier", Object::string_literal("FOGRA51"));
            set_intent(d, i);
        }),
        Rule::OutputIntent,
        "`FOGRA51`, not `FOGRA39`",
    );
    only(
        broken(&|d| {
            // An sRGB-like display profile instead of the CMYK output profile.
            let mut icc = vlr::builtin::FOGRA39_PROFILE.to_vec();
            icc[12..16].copy_from_slice(b"mntr");
            icc[16..20].copy_from_slice(b"RGB ");
            let stream = lopdf::Stream::new(lopdf::Dictionary::from_iter([("N", Object::Integer(3))]), icc);
            let id = d.add_object(stream);
            let mut i = intent(d);
            i.set("DestOutputProfile", id);
            set_intent(d, i);
        }),
        Rule::Profile,
        "class is `mntr`, not `prtr`",
    );
    only(
        broken(&|d| {
            let id = info_id(d);
            d.get_dictionary_mut(id).unwrap().remove(b"GTS_PDFXVersion");
        }),
        Rule::Identification,
        "GTS_PDFXVersion is nothing",
    );
    only(
        broken(&|d| {
            let id = info_id(d);
            d.get_dictionary_mut(id).unwrap().set("Trapped", Object::Name(b"Unknown".to_vec()));
        }),
        Rule::Identification,
        "Trapped is not /True or /False",
    );
    only(
        broken(&|d| {
            d.catalog_mut().unwrap().remove(b"Metadata");
        }),
        Rule::Metadata,
        "no XMP metadata",
    );
    only(
        broken(&|d| {
            d.trailer.remove(b"ID");
        }),
        Rule::DocumentId,
        "no document ID",
    );
    only(
        broken(&|d| {
            let id = info_id(d);
            d.get_dictionary_mut(id).unwrap().set("ModDate", Object::string_literal("D:20991231000000Z"));
        }),
        Rule::Dates,
        "ModDate is 2099-12-31, not the report's 2021-10-31",
    );
    let page_two = only(
        broken(&|d| {
            let page = *d.get_pages().get(&2).unwrap();
            d.get_dictionary_mut(page).unwrap().remove(b"TrimBox");
        }),
        Rule::Boxes,
        "no TrimBox",
    );
    assert_eq!(page_two[0].page, Some(2));
    let thin = only(
        broken(&|d| {
            let page = first_page(d);
            let dict = d.get_dictionary_mut(page).unwrap();
            let t = numbers(dict.get(b"TrimBox").unwrap());
            let b = 2.0 * MM;
            let bleed = [t[0] - b, t[1] - b, t[2] + b, t[3] + b].map(|v| Object::Real(v as f32));
            dict.set("BleedBox", Object::Array(bleed.to_vec()));
        }),
        Rule::Bleed,
        "the bleed is 2.0 mm beyond the trim, less than 3 mm",
    );
    assert_eq!(thin[0].page, Some(1));
    only(
        broken(&|d| {
            let page = first_page(d);
            let link = lopdf::Dictionary::from_iter([
                ("Type", Object::Name(b"Annot".to_vec())),
                ("Subtype", Object::Name(b"Link".to_vec())),
                ("Rect", Object::Array(vec![100.into(), 100.into(), 200.into(), 120.into()])),
            ]);
            let id = d.add_object(link);
            d.get_dictionary_mut(page).unwrap().set("Annots", Object::Array(vec![id.into()]));
        }),
        Rule::Annotations,
        "1 Link annotation(s)",
    );
    only(
        broken(&|d| {
            let ids: Vec<_> = d.objects.keys().copied().collect();
            for id in ids {
                if let Ok(Object::Dictionary(dict)) = d.get_object_mut(id)
                    && dict.get(b"Type").and_then(Object::as_name).ok() == Some(b"FontDescriptor")
                {
                    dict.remove(b"FontFile2");
                    dict.remove(b"FontFile3");
                }
            }
        }),
        Rule::Fonts,
        "is not embedded",
    );
    only(
        broken(&|d| {
            let page = first_page(d);
            let mut content = lopdf::content::Content::decode(&d.get_page_content(page)).unwrap();
            content.operations.insert(0, lopdf::content::Operation::new("rg", vec![1.into(), 0.into(), 0.into()]));
            d.change_page_content(page, content.encode().unwrap()).unwrap();
        }),
        Rule::DeviceRgb,
        "DeviceRGB colour (`rg`)",
    );
    only(
        broken(&|d| {
            let cs = d.add_object(Object::Array(vec![Object::Name(b"DeviceRGB".to_vec())]));
            d.catalog_mut().unwrap().set("Extra", cs);
        }),
        Rule::DeviceRgb,
        "uses DeviceRGB",
    );
}

fn doc_version(doc: &mut Document, version: &str) {
    doc.version = version.to_string();
}

/// The diagnostics a release (or a preflight command) shows: one per failure, with its pages.
#[test]
fn findings_become_one_diagnostic_per_failure_with_its_pages() {
    let f = |page| Finding { rule: Rule::Bleed, page: Some(page), message: "the bleed is 2.0 mm".into() };
    let findings = [f(1), f(2), f(3), f(7), Finding { rule: Rule::Metadata, page: None, message: "no XMP".into() }];
    let diags = pdfx::diagnostics("book-en-print.pdf", &findings);
    assert_eq!(diags.len(), 2);
    assert_eq!(diags[0].code, "pdfx-bleed");
    assert_eq!(diags[0].message, "book-en-print.pdf is not PDF/X-4: the bleed is 2.0 mm (pages 1-3, 7)");
    assert!(diags[0].hint.as_deref().unwrap().contains("bleed"));
    assert_eq!(diags[1].message, "book-en-print.pdf is not PDF/X-4: no XMP");
}

/// `vlr release` checks every print PDF it built and publishes nothing when one fails.
#[test]
fn a_release_refuses_print_pdfs_that_fail_the_check() {
    let p = Project::minimal();
    p.edit("styles/theme.toml", "bleed = 3", "bleed = 2");
    let out = p.path("release");
    // The minimal fixture's small type and grey-on-tint are preflight's business, not this test's.
    let allowed = "placeholders,pending,untranslated,small-text,low-contrast";
    let allow = ["release", "--allow", allowed, "--out", out.to_str().unwrap()];
    let refused = p.vlr(&allow);
    refused.exits(1);
    for lang in ["en", "xx"] {
        let says = format!(
            "mini-{lang}-print.pdf is not PDF/X-4: the bleed is 2.0 mm beyond the trim, less than 3 mm (pages 1-"
        );
        assert!(refused.stderr.contains(&says), "{says}\n{}", refused.stderr);
    }
    assert!(refused.stderr.contains("error[pdfx-bleed]"), "{}", refused.stderr);
    assert!(!out.exists(), "nothing is published when a print PDF fails");
    // With the 3 mm a print shop needs, the same release is published.
    p.edit("styles/theme.toml", "bleed = 2", "bleed = 3");
    p.vlr(&allow).exits(0);
    assert!(out.join("mini-en-print.pdf").is_file());
}

/// A project names its printer's condition and profile in styles/theme.toml: the output intent
/// carries them (read through the project's files, like every other input).
#[test]
fn the_theme_names_another_printing_condition() {
    let p = print_only(Project::minimal());
    // A stand-in for the printer's profile: any CMYK output profile will do for the test.
    p.write_bytes("styles/press.icc", vlr::builtin::FOGRA39_PROFILE);
    let condition = "[print.condition]\nidentifier = \"FOGRA51\"\nregistry = \"http://www.color.org\"\n\
                     info = \"PSO Coated v3 (FOGRA51)\"\nprofile = \"styles/press.icc\"\n";
    let theme = p.read("styles/theme.toml");
    let start = theme.find("[print.condition]").unwrap();
    let end = start + theme[start..].find("\n\n[").unwrap();
    p.write("styles/theme.toml", &format!("{}{condition}{}", &theme[..start], &theme[end..]));
    let built = p.build().ok();
    let want = Want { condition: "FOGRA51", ..Want::a4((2021, 10, 31)) };
    assert_pdfx4(built.pdf(0), &want);
    let doc = Document::load(built.pdf(0)).unwrap();
    let intents = doc.catalog().unwrap().get(b"OutputIntents").unwrap().as_array().unwrap();
    let intent = intents[0].as_dict().unwrap();
    assert_eq!(text(&doc, intent.get(b"Info").unwrap()), "PSO Coated v3 (FOGRA51)");
    let profile = doc.dereference(intent.get(b"DestOutputProfile").unwrap()).unwrap().1.as_stream().unwrap();
    assert_eq!(profile.decompressed_content().unwrap(), vlr::builtin::FOGRA39_PROFILE);
}

/// The CMYK operands of every fill and stroke colour set on the pages (`k`, `K`), in percent.
fn cmyk_colours(path: &std::path::Path) -> std::collections::BTreeSet<[i64; 4]> {
    let doc = Document::load(path).unwrap();
    let mut out = std::collections::BTreeSet::new();
    for id in doc.get_pages().values() {
        let content = lopdf::content::Content::decode(&doc.get_page_content(*id)).unwrap();
        for op in content.operations.iter().filter(|op| op.operator == "k" || op.operator == "K") {
            let v: Vec<i64> = op.operands.iter().map(|o| (o.as_float().unwrap() * 100.0).round() as i64).collect();
            out.insert(<[i64; 4]>::try_from(v).unwrap());
        }
    }
    out
}

/// Goal fields print in the UN's process colours (theme `[goals.cmyk]`, overridable) in the
/// print edition only; the screen edition keeps the official RGB colours.
#[test]
fn goal_fields_print_in_the_uns_cmyk_values() {
    let p = Project::minimal().editions(&[Edition::Screen, Edition::Print]);
    let built = p.build().ok();
    // The minimal fixture's goal chapter is SDG 13; its opener tile is a goal field.
    let print = cmyk_colours(built.pdf(1));
    assert!(print.contains(&[74, 32, 95, 19]), "SDG 13 in CMYK: {print:?}");
    assert!(cmyk_colours(built.pdf(0)).is_empty(), "the screen edition sets no CMYK colour");
    assert_pdfx4(built.pdf(1), &Want::a4((2021, 10, 31)));
    // A project overrides a goal's process colour.
    let theme = p.read("styles/theme.toml");
    p.write("styles/theme.toml", &theme.replace("13 = [74, 32, 95, 19]", "13 = [70, 30, 90, 20]"));
    let built = p.build().ok();
    let print = cmyk_colours(built.pdf(1));
    assert!(print.contains(&[70, 30, 90, 20]) && !print.contains(&[74, 32, 95, 19]), "{print:?}");
}
