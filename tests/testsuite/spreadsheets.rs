//! Indicator values from spreadsheets: `data/<group>.csv` or the first sheet of
//! `data/<group>.xlsx` beside the group's TOML, with every problem at its file, row and
//! column (or cell).

use crate::common;

use common::Project;
use common::xlsx::{Cell, workbook};

/// The minimal fixture with `g.series` and `g.stock` taken out of the TOML (the CSV or
/// workbook gives them).
fn without_toml_values() -> Project {
    let p = Project::minimal();
    p.edit("data/g.toml", "series = { 2015 = 571.45, 2019 = 451.35 }\n", "");
    p.edit("data/g.toml", "value = 424000\n", "");
    p.edit("data/g.toml", "qualifier = \"about\"\n", "");
    p
}

const CSV: &str = "indicator,year,value,status,qualifier,note
series,2015,571.45,reported,,
series,2019,451.35,derived,about,worked out from the 2015 value
stock,,424000,reported,about,
";

#[test]
fn values_from_a_csv_print_as_if_written_in_toml() {
    let p = without_toml_values();
    p.write("data/g.csv", CSV);
    let built = p.lang("en").build().ok();
    assert!(built.0.diags.is_empty(), "{}", built.short());
    let text = built.text(0);
    assert!(text.contains("about 424,000"), "{text}");
    // The chart: both years, the derived one marked.
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    assert!(compact.contains("571.45") && compact.contains("451.35†"), "{text}");
}

#[test]
fn values_from_the_first_sheet_of_a_workbook() {
    let p = without_toml_values().lang("en");
    let rows: Vec<Vec<Cell>> = CSV
        .lines()
        .map(|line| {
            line.split(',')
                .map(|cell| match cell.parse::<f64>() {
                    Ok(n) => Cell::Number(n),
                    Err(_) if cell.is_empty() => Cell::Empty,
                    Err(_) => Cell::Text(cell),
                })
                .collect()
        })
        .collect();
    p.write_bytes("data/g.xlsx", &workbook(&rows));
    let built = p.build().ok();
    assert!(built.0.diags.is_empty(), "{}", built.short());
    assert!(built.text(0).contains("about 424,000"));

    // A bad cell is named.
    let rows = [
        ["indicator", "year", "value", "status"],
        ["series", "2015", "lots", "reported"],
        ["stock", "", "424000", "reported"],
    ];
    p.write_bytes("data/g.xlsx", &workbook(&rows.map(|row| row.map(Cell::Text).to_vec())));
    let built = p.check().failed();
    assert_eq!(
        built.short(),
        "data/g.xlsx: error[invalid-value]: cell C2: `lots` is not a number (hint: write the number without units or thousands separators, with a point for decimals: 424000, 3.5)\n"
    );
}

/// Each bad table gives exactly these diagnostics.
#[test]
fn bad_tables_are_refused_at_their_row_and_column() {
    let cases: [(&str, &str, &str); 6] = [
        (
            "a bad number",
            "indicator,year,value,status\nseries,2015,1 234,reported\nseries,2019,451.35,reported\nstock,,424000,reported\n",
            "data/g.csv:2:13: error[invalid-value]: `1 234` is not a number",
        ),
        (
            "an unknown indicator",
            "indicator,year,value,status\nseries,2015,571.45,reported\nseries,2019,451.35,reported\nstock,,424000,reported\nstok,,1,reported\n",
            "data/g.csv:5:1: error[unknown-data]: unknown indicator `stok` (hint: did you mean `stock`?",
        ),
        (
            "a duplicate row",
            "indicator,year,value,status\nseries,2015,571.45,reported\nseries,2015,571.45,reported\nseries,2019,451.35,reported\nstock,,424000,reported\n",
            "data/g.csv:3:1: error[duplicate]: `series` has a second row for 2015",
        ),
        (
            "a value in both places",
            "indicator,year,value,status\nseries,2015,571.45,reported\nseries,2019,451.35,reported\nstock,,424000,reported\nlost,,5,reported\n",
            "data/g.csv:5:7: error[duplicate]: `g.lost` has values both here and in data/g.toml",
        ),
        (
            "an unknown column",
            "indicator,year,value,status,comment\nstock,,424000,reported,\n",
            "data/g.csv:1:29: error[unknown-field]: unknown column `comment`",
        ),
        (
            "a missing status",
            "indicator,year,value,status\nseries,2015,571.45,\nseries,2019,451.35,reported\nstock,,424000,reported\n",
            "data/g.csv:2:20: error[invalid-value]: the status is empty",
        ),
    ];
    for (what, csv, expected) in cases {
        let p = without_toml_values();
        if what == "a value in both places" {
            // g.lost is pending in the TOML with no value: give it one there, and one here.
            p.edit(
                "data/g.toml",
                "[lost]\ntitle = \"A lost number\"\nunit = \"%\"\n",
                "[lost]\ntitle = \"A lost number\"\nunit = \"%\"\nvalue = 4\n",
            );
            p.edit("data/g.toml", "status = \"pending\"", "status = \"reported\"");
        }
        p.write("data/g.csv", csv);
        let built = p.build().failed();
        assert!(!p.path("out").exists(), "{what}: nothing written");
        let got = built.short();
        assert!(got.starts_with(expected), "{what}: expected\n{expected}\ngot\n{got}");
    }
}

/// A value table of a million bad rows: fifty of them listed, then one line that counts the
/// rest, at the same file and with the same code; not eight million lines.
#[test]
fn a_million_bad_rows_are_listed_fifty_times_then_counted() {
    let p = Project::minimal();
    p.write("data/h.toml", "[h]\ntitle = \"H\"\nunit = \"t\"\nsource = \"S\"\nstatus = \"reported\"\n");
    let mut csv = String::from("indicator,year,value,status\n");
    for i in 0..1_000_000 {
        csv.push_str(&format!("h,2020,x{i},reported\n"));
    }
    p.write("data/h.csv", &csv);
    let run = p.vlr(&["check"]);
    let err = &run.exits(1).stderr;
    assert!(err.lines().count() < 1_000, "{} lines", err.lines().count());
    assert!(err.contains("error[invalid-value]: … and 999,950 more like this\n   ┌─ data/h.csv:52:8"), "{err}");
    assert!(err.contains("failed with 1000000 error(s)"), "{err}");
    let json = p.vlr(&["check", "--format", "json"]);
    let diags: serde_json::Value = serde_json::from_str(&json.exits(1).stdout).unwrap();
    let diags = diags.as_array().unwrap();
    assert_eq!(diags.len(), 51);
    assert!(diags.iter().all(|d| d["file"] == "data/h.csv" && d["code"] == "invalid-value"));
    assert_eq!(diags[50]["message"], "… and 999,950 more like this");
}
