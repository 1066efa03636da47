//! The book's numbers as open data, next to its PDFs (`vlr build --data`, `vlr release`):
//!
//! - `<id>-data.csv`: one row per value — indicator, group, goal, SDG codes, year or date,
//!   value, unit, status, qualifier, source, and the indicator's title in every language;
//! - `<id>-data.json`: the same, grouped by indicator with its metadata, for programs;
//! - `datapackage.json`: a Frictionless Data Package describing both tables' schemas;
//! - `open-sdg/indicator_<g>-<t>-<i>.csv`: for each global indicator code, the values of the
//!   indicators that serve it in the Open SDG data format (Year, Series, Units, Value).
//!
//! A pending value is an empty value with status `pending`, never a guess. Everything is in a
//! fixed order, so the same sources give the same bytes.

use std::collections::BTreeMap;

use serde_json::{Value as Json, json};

use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::project::packs::Field;
use crate::project::{Indicator, Project, Status, Value};
use crate::resolve::texts::Texts;

/// One value of one indicator: its year (or none for a single value) and what it is.
struct Row<'a> {
    ind: &'a Indicator,
    year: Option<i32>,
    value: Value,
}

impl Row<'_> {
    fn value_text(&self) -> String {
        match self.value {
            Value::Known(n) => n.plain(),
            Value::Pending => String::new(),
        }
    }

    fn status(&self) -> Status {
        if self.ind.value.is_none() && self.ind.series.is_empty() {
            return Status::Pending;
        }
        self.ind.status_at(self.year)
    }

    /// The year a single value is for: its `year`, else a four-digit year in its `date`.
    fn year_for_open_sdg(&self) -> Option<i32> {
        self.year.or(self.ind.year).or_else(|| {
            let date = self.ind.date.as_deref()?;
            date.split(|c: char| !c.is_ascii_digit()).find(|w| w.len() == 4).and_then(|w| w.parse().ok())
        })
    }
}

fn rows(ind: &Indicator) -> Vec<Row<'_>> {
    if !ind.series.is_empty() {
        return ind.series.iter().map(|(y, v)| Row { ind, year: Some(*y), value: *v }).collect();
    }
    vec![Row { ind, year: None, value: ind.value.unwrap_or(Value::Pending) }]
}

/// The indicator's goal: that of its first SDG code.
fn goal(ind: &Indicator) -> Option<u8> {
    ind.sdg.first().map(|c| c.goal)
}

fn codes(ind: &Indicator) -> String {
    ind.sdg.iter().map(|c| c.code.as_str()).collect::<Vec<_>>().join(" ")
}

/// Per language: the texts of the report in it.
struct Languages<'a> {
    codes: Vec<String>,
    texts: Vec<Texts<'a>>,
    /// The source language's, for the columns written in one language (unit, Open SDG series).
    source: Texts<'a>,
}

impl<'a> Languages<'a> {
    fn new(project: &'a Project) -> Self {
        let codes: Vec<String> =
            project.report.languages.iter().filter(|l| project.packs.contains_key(*l)).cloned().collect();
        let texts = codes.iter().map(|c| Texts::new(project, c)).collect();
        Self { codes, texts, source: Texts::new(project, &project.report.default_language) }
    }

    /// A field of an indicator in each language (its source-language text where one lacks it).
    fn each(&self, quiet: &mut Diagnostics, ind: &Indicator, field: Field, fallback: &str) -> Vec<(String, String)> {
        self.codes
            .iter()
            .zip(&self.texts)
            .map(|(code, t)| {
                (code.clone(), t.indicator_text(quiet, ind, field).unwrap_or_else(|| fallback.to_string()))
            })
            .collect()
    }

    fn units(&self, quiet: &mut Diagnostics, ind: &Indicator) -> Vec<(String, String)> {
        self.codes.iter().zip(&self.texts).map(|(code, t)| (code.clone(), t.unit(quiet, ind, None))).collect()
    }
}

/// The data files, by path relative to the output folder. Problems (none stop the build) go to
/// `diags`.
pub fn files(project: &Project, diags: &mut Diagnostics) -> Vec<(String, Vec<u8>)> {
    let id = &project.report.id;
    let langs = Languages::new(project);
    // Texts looked up here were checked when the book was resolved: say nothing twice.
    let mut quiet = Diagnostics::default();
    let indicators: Vec<&Indicator> = project.data.indicators.values().collect();
    let mut out = vec![
        (format!("{id}-data.csv"), table(&langs, &mut quiet, &indicators)),
        (format!("{id}-data.json"), document(project, &langs, &mut quiet, &indicators)),
    ];
    let open_sdg = open_sdg(&langs, &mut quiet, &indicators);
    out.push(("datapackage.json".into(), package(project, &langs, &mut quiet, &open_sdg)));
    out.extend(open_sdg);
    if project.report.license.is_none() {
        diags.push(
            Diagnostic::warning(
                Code::NoLicense,
                "the published data has no licence, so nobody knows whether they may reuse it",
            )
            .in_file("report.toml")
            .hint("add license = \"CC-BY-4.0\" (or the licence the city publishes under) to report.toml"),
        );
    }
    out
}

fn csv_bytes(header: &[String], records: Vec<Vec<String>>) -> Vec<u8> {
    let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(Vec::new());
    // Writing to memory cannot fail.
    w.write_record(header).expect("in memory");
    for r in records {
        w.write_record(&r).expect("in memory");
    }
    w.into_inner().expect("in memory")
}

fn table_header(langs: &Languages) -> Vec<String> {
    let fixed = ["indicator", "group", "goal", "sdg", "year", "date", "value", "unit", "status", "qualifier", "source"];
    fixed.iter().map(|s| s.to_string()).chain(langs.codes.iter().map(|c| format!("title_{c}"))).collect()
}

fn table(langs: &Languages, quiet: &mut Diagnostics, indicators: &[&Indicator]) -> Vec<u8> {
    let mut records = Vec::new();
    for ind in indicators {
        let titles = langs.each(quiet, ind, Field::Title, &ind.title);
        let unit = langs.source.unit(quiet, ind, None);
        for row in rows(ind) {
            let mut r = vec![
                ind.id.clone(),
                ind.group().to_string(),
                goal(ind).map(|g| g.to_string()).unwrap_or_default(),
                codes(ind),
                row.year.or(ind.year).map(|y| y.to_string()).unwrap_or_default(),
                if row.year.is_none() { ind.date.clone().unwrap_or_default() } else { String::new() },
                row.value_text(),
                unit.clone(),
                row.status().name().to_string(),
                ind.qualifier_at(row.year).map(|q| q.name().to_string()).unwrap_or_default(),
                ind.source.clone(),
            ];
            r.extend(titles.iter().map(|(_, t)| t.clone()));
            records.push(r);
        }
    }
    csv_bytes(&table_header(langs), records)
}

fn by_language(pairs: Vec<(String, String)>) -> Json {
    Json::Object(pairs.into_iter().map(|(k, v)| (k, Json::String(v))).collect())
}

fn report_title(langs: &Languages, quiet: &mut Diagnostics) -> BTreeMap<String, String> {
    langs
        .codes
        .iter()
        .zip(&langs.texts)
        .filter_map(|(code, t)| {
            let title = t.line(quiet, "report", "report", Field::Title)?;
            Some((code.clone(), crate::resolve::book::plain_text(&title)))
        })
        .collect()
}

fn document(project: &Project, langs: &Languages, quiet: &mut Diagnostics, indicators: &[&Indicator]) -> Vec<u8> {
    let report = &project.report;
    let (y, m, d) = report.published;
    let list: Vec<Json> = indicators
        .iter()
        .map(|ind| {
            let values: Vec<Json> = rows(ind)
                .iter()
                .map(|r| {
                    json!({
                        "year": r.year.or(ind.year),
                        // As written: an integer stays an integer.
                        "value": match r.value {
                            Value::Known(crate::project::Num::Int(i)) => json!(i),
                            Value::Known(n) => json!(n.as_f64()),
                            Value::Pending => Json::Null,
                        },
                        "status": r.status().name(),
                        "qualifier": ind.qualifier_at(r.year).map(|q| q.name()),
                    })
                })
                .collect();
            json!({
                "id": ind.id,
                "group": ind.group(),
                "goal": goal(ind),
                "sdg": ind.sdg.iter().map(|c| c.code.clone()).collect::<Vec<_>>(),
                "title": by_language(langs.each(quiet, ind, Field::Title, &ind.title)),
                "unit": by_language(langs.units(quiet, ind)),
                "source": by_language(langs.each(quiet, ind, Field::Source, &ind.source)),
                "date": ind.date,
                "year": ind.year,
                "values": values,
            })
        })
        .collect();
    let doc = json!({
        "report": {
            "id": report.id,
            "title": report_title(langs, quiet),
            "year": report.year,
            "published": format!("{y:04}-{m:02}-{d:02}"),
            "languages": langs.codes,
            "license": report.license,
        },
        "statuses": Status::names(),
        "indicators": list,
    });
    (serde_json::to_string_pretty(&doc).expect("JSON serializes") + "\n").into_bytes()
}

/// `11.6.2` → `indicator_11-6-2.csv`, with the values of every indicator serving it.
fn open_sdg(langs: &Languages, quiet: &mut Diagnostics, indicators: &[&Indicator]) -> Vec<(String, Vec<u8>)> {
    let mut by_code: BTreeMap<String, Vec<&Indicator>> = BTreeMap::new();
    for ind in indicators {
        for c in ind.sdg.iter().filter(|c| c.code.split('.').count() == 3) {
            by_code.entry(c.code.clone()).or_default().push(ind);
        }
    }
    let header: Vec<String> = ["Year", "Series", "Units", "Value"].iter().map(|s| s.to_string()).collect();
    by_code
        .into_iter()
        .filter_map(|(code, inds)| {
            let mut records = Vec::new();
            for ind in inds {
                let series = langs.source.indicator_text(quiet, ind, Field::Title).unwrap_or_else(|| ind.title.clone());
                let units = langs.source.unit(quiet, ind, None);
                for row in rows(ind) {
                    // Open SDG places every value in a year; a value without one is left out.
                    let Some(year) = row.year_for_open_sdg() else { continue };
                    records.push(vec![year.to_string(), series.clone(), units.clone(), row.value_text()]);
                }
            }
            records.sort();
            // No value with a year: nothing Open SDG could show.
            (!records.is_empty())
                .then(|| (format!("open-sdg/indicator_{}.csv", code.replace('.', "-")), csv_bytes(&header, records)))
        })
        .collect()
}

fn field(name: &str, kind: &str, description: &str) -> Json {
    json!({ "name": name, "type": kind, "description": description })
}

/// The Frictionless Data Package descriptor: the tables, their schemas and the licence.
fn package(project: &Project, langs: &Languages, quiet: &mut Diagnostics, open_sdg: &[(String, Vec<u8>)]) -> Vec<u8> {
    let report = &project.report;
    let id = &report.id;
    let mut fields = vec![
        field("indicator", "string", "The indicator's id: <group>.<key>"),
        field("group", "string", "The data file the indicator is defined in"),
        field("goal", "integer", "The Sustainable Development Goal it serves (1-17)"),
        field("sdg", "string", "The global SDG goals, targets and indicators it serves, space-separated"),
        field("year", "integer", "The year of the value"),
        field("date", "string", "When the value applies, where the report gives a date rather than a year"),
        field("value", "number", "The value as the report gives it; empty when pending"),
        field("unit", "string", "The unit, in the source language"),
        json!({
            "name": "status", "type": "string",
            "description": "reported: printed in the report; derived: worked out from figures it prints; uncertain: printed but unclear; pending: no value available to this edition",
            "constraints": { "required": true, "enum": Status::names() },
        }),
        json!({
            "name": "qualifier", "type": "string", "description": "The report's hedge on the value",
            "constraints": { "enum": crate::project::Qualifier::ALL_NAMES },
        }),
        field("source", "string", "Where the published report gives it (chapter, section)"),
    ];
    fields[0]["constraints"] = json!({ "required": true });
    for code in &langs.codes {
        fields.push(field(&format!("title_{code}"), "string", &format!("The indicator's title in {code}")));
    }
    let mut resources = vec![json!({
        "name": format!("{id}-data"),
        "path": format!("{id}-data.csv"),
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "schema": { "fields": fields, "missingValues": [""] },
    })];
    for (path, _) in open_sdg {
        let name = path.trim_start_matches("open-sdg/").trim_end_matches(".csv").replace('_', "-");
        resources.push(json!({
            "name": format!("open-sdg-{name}"),
            "path": path,
            "profile": "tabular-data-resource",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "schema": {
                "fields": [
                    field("Year", "integer", "The year of the value"),
                    field("Series", "string", "The local indicator the values belong to"),
                    field("Units", "string", "The unit"),
                    field("Value", "number", "The value; empty when pending"),
                ],
                "missingValues": [""],
            },
        }));
    }
    let titles = report_title(langs, quiet);
    let title = titles.get(&report.default_language).cloned().unwrap_or_else(|| id.clone());
    let mut package = json!({
        "profile": "tabular-data-package",
        "name": package_name(id),
        "title": title,
        "description": format!("Every value of {title}, with its unit, status and source in the report"),
        "version": report.year.to_string(),
        "resources": resources,
    });
    if let Some(license) = &report.license {
        let entry = if license.contains("://") { json!({ "path": license }) } else { json!({ "name": license }) };
        package["licenses"] = json!([entry]);
    }
    (serde_json::to_string_pretty(&package).expect("JSON serializes") + "\n").into_bytes()
}

/// A package name as Frictionless wants it: lowercase letters, digits, `-`, `_` and `.`.
fn package_name(id: &str) -> String {
    id.to_lowercase().chars().map(|c| if c.is_ascii_alphanumeric() || "-_.".contains(c) { c } else { '-' }).collect()
}
