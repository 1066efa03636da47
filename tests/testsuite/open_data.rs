//! The book's numbers as open data: `vlr build --data` and `vlr release` write the values as
//! CSV and JSON, a Frictionless Data Package that describes them, and Open SDG files for the
//! global indicators the data names — every value once, with its status, pending ones empty.

use crate::common;

use std::collections::BTreeMap;

use common::Project;

fn read_csv(path: &std::path::Path) -> (Vec<String>, Vec<BTreeMap<String, String>>) {
    let mut r = csv::Reader::from_path(path).unwrap();
    let header: Vec<String> = r.headers().unwrap().iter().map(str::to_string).collect();
    let rows =
        r.records().map(|rec| header.iter().cloned().zip(rec.unwrap().iter().map(str::to_string)).collect()).collect();
    (header, rows)
}

#[test]
fn every_value_of_the_book_appears_once_with_its_status() {
    let p = Project::book().with(|o| o.data = true);
    let built = p.build().ok();
    let out = p.path("out");
    let (header, rows) = read_csv(&out.join("shanghai-vlr-2021-data.csv"));
    assert_eq!(header.last().unwrap(), "title_zh-CN", "a title column per language: {header:?}");
    // The data files, as vlr reads them.
    let mut expected = 0;
    let mut seen = std::collections::BTreeSet::new();
    for entry in std::fs::read_dir(p.path("data")).unwrap() {
        let path = entry.unwrap().path();
        let group = path.file_stem().unwrap().to_string_lossy().into_owned();
        let table: toml::Table = toml::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        for (key, ind) in table {
            let id = format!("{group}.{key}");
            let mine: Vec<_> = rows.iter().filter(|r| r["indicator"] == id).collect();
            match ind.get("series").and_then(|s| s.as_table()) {
                Some(series) => {
                    assert_eq!(mine.len(), series.len(), "`{id}`: one row per year");
                    for (year, v) in series {
                        let row = mine.iter().find(|r| &r["year"] == year).unwrap_or_else(|| panic!("`{id}` {year}"));
                        let (value, status) = match v {
                            toml::Value::Table(t) => (t["value"].to_string(), t.get("status").and_then(|s| s.as_str())),
                            toml::Value::String(s) if s == "pending" => (String::new(), Some("pending")),
                            other => (other.to_string(), None),
                        };
                        let status = status.unwrap_or_else(|| ind["status"].as_str().unwrap());
                        assert_eq!(row["status"], status, "`{id}` {year}");
                        if status == "pending" {
                            assert_eq!(row["value"], "", "`{id}` {year}: a pending value is empty");
                        } else {
                            assert_eq!(
                                row["value"].parse::<f64>().unwrap(),
                                value.parse::<f64>().unwrap(),
                                "`{id}` {year}"
                            );
                        }
                        expected += 1;
                    }
                }
                None => {
                    assert_eq!(mine.len(), 1, "`{id}`: one row");
                    let status = ind["status"].as_str().unwrap();
                    assert_eq!(mine[0]["status"], status, "`{id}`");
                    match ind.get("value") {
                        Some(v) => {
                            assert_eq!(mine[0]["value"].parse::<f64>().unwrap(), v.to_string().parse::<f64>().unwrap())
                        }
                        None => assert_eq!(mine[0]["value"], "", "`{id}`: pending"),
                    }
                    expected += 1;
                }
            }
            seen.insert(id);
        }
    }
    assert_eq!(rows.len(), expected, "no row beyond the data's values");
    assert!(expected > 400, "{expected} values");
    assert!(rows.iter().all(|r| seen.contains(&r["indicator"])));
    // A derived year of a series that also holds a reported one.
    let loan = |y: &str| rows.iter().find(|r| r["indicator"] == "sdg8.corporate_loan_rate" && r["year"] == y).unwrap();
    assert_eq!((loan("2019")["status"].as_str(), loan("2020")["status"].as_str()), ("derived", "reported"));
    // Nothing else in the build changes: the PDFs are the same as without --data.
    assert_eq!(built.0.pdfs.len(), 1);
}

#[test]
fn the_data_package_describes_its_tables() {
    let p = Project::fixture("lakeport").all_langs().with(|o| {
        o.data = true;
        o.system_fonts = true;
    });
    p.edit("report.toml", "page_size = \"us-letter\"", "page_size = \"us-letter\"\nlicense = \"CC-BY-4.0\"");
    if !common::require_arabic("the_data_package_describes_its_tables") {
        return;
    }
    let built = p.build().ok();
    assert!(built.0.diags.is_empty(), "{}", built.short());
    let out = p.path("out");
    let package: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("datapackage.json")).unwrap()).unwrap();
    assert_eq!(package["profile"], "tabular-data-package");
    assert_eq!(package["name"], "lakeport-vlr-2025");
    assert_eq!(package["licenses"][0]["name"], "CC-BY-4.0");
    let resources = package["resources"].as_array().unwrap();
    assert_eq!(resources.len(), 2, "the table and one Open SDG file (6.1.1)");
    // Each resource: its file exists, its header is the schema's fields, each cell fits its
    // field's type and constraints (what `frictionless validate` checks).
    for res in resources {
        let (header, rows) = read_csv(&out.join(res["path"].as_str().unwrap()));
        let fields = res["schema"]["fields"].as_array().unwrap();
        let names: Vec<&str> = fields.iter().map(|f| f["name"].as_str().unwrap()).collect();
        assert_eq!(header, names, "{}", res["path"]);
        assert!(!rows.is_empty());
        for row in &rows {
            for f in fields {
                let cell = &row[f["name"].as_str().unwrap()];
                if cell.is_empty() {
                    assert!(f["constraints"]["required"] != true, "{} is required", f["name"]);
                    continue;
                }
                match f["type"].as_str().unwrap() {
                    "integer" => assert!(cell.parse::<i64>().is_ok(), "{cell} is not an integer"),
                    "number" => assert!(cell.parse::<f64>().is_ok(), "{cell} is not a number"),
                    _ => {}
                }
                if let Some(options) = f["constraints"]["enum"].as_array() {
                    assert!(options.iter().any(|o| o == cell.as_str()), "{cell} is not one of {options:?}");
                }
            }
        }
    }
    // The Open SDG file: Year, Series, Units, Value.
    let (_, open) = read_csv(&out.join("open-sdg/indicator_6-1-1.csv"));
    assert_eq!(open.len(), 1);
    assert_eq!((open[0]["Year"].as_str(), open[0]["Value"].as_str()), ("2025", "98.5"));
    // Titles in every language; the pending sample is empty, not a guess.
    let (header, rows) = read_csv(&out.join("lakeport-vlr-2025-data.csv"));
    for lang in ["fr", "en", "es", "ru", "ar"] {
        assert!(header.contains(&format!("title_{lang}")), "{header:?}");
    }
    let sample = rows.iter().find(|r| r["indicator"] == "sdg7.sample").unwrap();
    assert_eq!((sample["value"].as_str(), sample["status"].as_str()), ("", "pending"));
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("lakeport-vlr-2025-data.json")).unwrap()).unwrap();
    let demand = json["indicators"].as_array().unwrap().iter().find(|i| i["id"] == "sdg7.demand_change").unwrap();
    assert_eq!(demand["sdg"][0], "7.3");
    assert_eq!(demand["values"][1]["value"], -2.5);
    assert_eq!(demand["title"]["ru"], "Годовое изменение спроса на электроэнергию");
}

#[test]
fn a_build_without_a_licence_says_so() {
    let p = Project::minimal().with(|o| o.data = true);
    let built = p.build().ok();
    let w = built.warnings();
    assert_eq!(w.len(), 1, "{}", built.short());
    assert_eq!(w[0].code, "no-license");
    assert!(p.path("out/mini-data.csv").exists() && p.path("out/datapackage.json").exists());
    // A chapter preview writes no data.
    let p = Project::minimal().with(|o| o.data = true).chapter("goal");
    p.build().ok();
    assert!(!p.path("out/mini-data.csv").exists());
}

/// The open data speaks every language, so `--data` loads the packs of languages not built:
/// they are checked like every other pack, and their problems fail the build at their line.
#[test]
fn the_packs_loaded_for_the_open_data_are_checked() {
    let p = Project::minimal().with(|o| o.data = true);
    p.edit("lang/xx/intro.toml", "title = \"Eröffnungskapitel\"", "titel = \"Eröffnungskapitel\"");
    let short = p.build().failed().short();
    assert!(short.contains("lang/xx/intro.toml:2:1: error[invalid-field]: unknown field `titel`"), "{short}");
    assert!(!p.path("out").exists(), "nothing was written");
}
