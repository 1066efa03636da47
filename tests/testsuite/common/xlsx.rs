//! Excel workbooks for the spreadsheet tests, written as Excel saves them (text in a
//! shared-strings table, numbers in their cells) with the zip crate calamine already brings
//! in, rather than compiling a workbook library for two tests.

use std::io::{Cursor, Write};

use zip::write::SimpleFileOptions;

/// A cell of a test workbook.
#[derive(Clone, Copy)]
pub enum Cell<'a> {
    Number(f64),
    Text(&'a str),
    Empty,
}

const MAIN: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const RELATIONSHIPS: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const PACKAGE_RELATIONSHIPS: &str = "http://schemas.openxmlformats.org/package/2006/relationships";
const HEAD: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#;

/// An .xlsx file whose one sheet holds `rows` from cell A1.
pub fn workbook(rows: &[Vec<Cell>]) -> Vec<u8> {
    let mut strings: Vec<&str> = Vec::new();
    let mut data = String::new();
    for (r, row) in rows.iter().enumerate() {
        data += &format!(r#"<row r="{}">"#, r + 1);
        for (c, cell) in row.iter().enumerate() {
            assert!(c < 26, "test workbooks stay within columns A to Z");
            let at = format!("{}{}", char::from(b'A' + c as u8), r + 1);
            match *cell {
                Cell::Number(n) => data += &format!(r#"<c r="{at}"><v>{n}</v></c>"#),
                Cell::Text(t) => {
                    let i = strings.iter().position(|s| *s == t).unwrap_or_else(|| {
                        strings.push(t);
                        strings.len() - 1
                    });
                    data += &format!(r#"<c r="{at}" t="s"><v>{i}</v></c>"#);
                }
                Cell::Empty => {}
            }
        }
        data += "</row>";
    }
    let shared: String =
        strings.iter().map(|s| format!("<si><t xml:space=\"preserve\">{}</t></si>", escape(s))).collect();
    let parts = [
        (
            "[Content_Types].xml",
            format!(
                r#"{HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>"#
            ),
        ),
        (
            "_rels/.rels",
            format!(
                r#"{HEAD}<Relationships xmlns="{PACKAGE_RELATIONSHIPS}"><Relationship Id="rId1" Type="{RELATIONSHIPS}/officeDocument" Target="xl/workbook.xml"/></Relationships>"#
            ),
        ),
        (
            "xl/workbook.xml",
            format!(
                r#"{HEAD}<workbook xmlns="{MAIN}" xmlns:r="{RELATIONSHIPS}"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>"#
            ),
        ),
        (
            "xl/_rels/workbook.xml.rels",
            format!(
                r#"{HEAD}<Relationships xmlns="{PACKAGE_RELATIONSHIPS}"><Relationship Id="rId1" Type="{RELATIONSHIPS}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="{RELATIONSHIPS}/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#
            ),
        ),
        (
            "xl/worksheets/sheet1.xml",
            format!(r#"{HEAD}<worksheet xmlns="{MAIN}"><sheetData>{data}</sheetData></worksheet>"#),
        ),
        (
            "xl/sharedStrings.xml",
            format!(r#"{HEAD}<sst xmlns="{MAIN}" count="{n}" uniqueCount="{n}">{shared}</sst>"#, n = strings.len()),
        ),
    ];
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, xml) in parts {
        zip.start_file(name, SimpleFileOptions::default()).unwrap();
        zip.write_all(xml.as_bytes()).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}
