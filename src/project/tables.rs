//! Indicator values from spreadsheets: `data/<group>.csv`, or the first sheet of
//! `data/<group>.xlsx`, beside `data/<group>.toml` (which keeps each indicator's title, unit,
//! source and codes). Tidy rows, one per indicator and year:
//!
//! ```text
//! indicator,year,value,status,qualifier,note
//! nev_sales,2019,63000,derived,,from the 2020 growth rate
//! nev_sales,2020,121000,reported,,
//! ```
//!
//! A row without a year is the indicator's single value (its `date` column, if any, says when).
//! Every problem is reported at its file, row and column (a cell name in a workbook).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::value::{Num, Qualifier, Status, Value};
use crate::ctx::Ctx;
use crate::diag::{Code, Diagnostic, Loc};

/// The columns a value table may have; the first of them are required.
const COLUMNS: [&str; 7] = ["indicator", "value", "status", "year", "date", "qualifier", "note"];
const REQUIRED: usize = 3;

/// Where a cell is: a span of a CSV file, or a cell of a workbook (which has no text to point
/// into, so the message names the cell).
#[derive(Debug, Clone)]
pub enum Place {
    Text(Loc),
    Cell { file: PathBuf, cell: String },
}

impl Place {
    pub fn error(&self, code: Code, message: impl Into<String>) -> Diagnostic {
        match self {
            Place::Text(loc) => loc.error(code, message),
            Place::Cell { file, cell } => {
                Diagnostic::error(code, format!("cell {cell}: {}", message.into())).in_file(file)
            }
        }
    }

    /// For a note pointing back here (a workbook cell is named in the note's text).
    pub fn loc(&self) -> (Loc, String) {
        match self {
            Place::Text(loc) => (loc.clone(), String::new()),
            Place::Cell { file, cell } => (Loc::new(file, 0..0), format!("cell {cell}: ")),
        }
    }
}

/// One row: one value of one indicator.
#[derive(Debug, Clone)]
pub struct Row {
    /// Where the row starts (its indicator cell).
    pub place: Place,
    /// Where its value is.
    pub value_place: Place,
    pub year: Option<i32>,
    pub date: Option<String>,
    pub value: Value,
    pub status: Status,
    pub qualifier: Option<Qualifier>,
}

/// The rows of one group's value table, by indicator key.
#[derive(Debug, Default)]
pub struct Table {
    pub rows: BTreeMap<String, Vec<Row>>,
    /// Indicators with a bad row (reported there): they are not reported again for lacking
    /// values.
    pub broken: std::collections::BTreeSet<String>,
}

/// A table as cells: the header's names and each row's text, with the place of every cell.
struct Grid {
    header: Vec<(String, Place)>,
    rows: Vec<Vec<(String, Place)>>,
}

/// Reads `rel` (`.csv` or `.xlsx`). Problems are reported; rows with problems are left out.
pub fn read(ctx: &mut Ctx, rel: &Path) -> Option<Table> {
    let is_xlsx = rel.extension().is_some_and(|e| e.eq_ignore_ascii_case("xlsx"));
    let grid = if is_xlsx { workbook(ctx, rel)? } else { csv_grid(ctx, rel)? };
    rows(ctx, rel, grid)
}

fn csv_grid(ctx: &mut Ctx, rel: &Path) -> Option<Grid> {
    let text = ctx.files.read_text(&mut ctx.diags, rel)?;
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
    let mut lines: Vec<Vec<(String, Place)>> = Vec::new();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let at = e.position().map_or(0, |p| p.byte() as usize);
                ctx.diags.push(
                    Loc::new(rel, at..at)
                        .error(Code::Csv, format!("cannot read this row: {e}"))
                        .hint("a CSV row is comma-separated; quote a cell that holds a comma or a quote"),
                );
                return None;
            }
        };
        let start = record.position().map_or(0, |p| p.byte() as usize);
        let spans = cell_spans(&text[start..]);
        let cells = record
            .iter()
            .enumerate()
            .map(|(i, cell)| {
                let span = spans.get(i).map_or(start..start, |r| start + r.start..start + r.end);
                (cell.trim().to_string(), Place::Text(Loc::new(rel, span)))
            })
            .collect();
        lines.push(cells);
    }
    split_header(ctx, rel, lines)
}

/// The byte range of each cell of the row that starts `text` (quotes included), up to its end.
fn cell_spans(text: &str) -> Vec<std::ops::Range<usize>> {
    let mut spans = Vec::new();
    let (mut start, mut quoted) = (0, false);
    for (i, c) in text.char_indices() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => {
                spans.push(start..i);
                start = i + 1;
            }
            '\n' | '\r' if !quoted => {
                spans.push(start..i);
                return spans;
            }
            _ => {}
        }
    }
    spans.push(start..text.len());
    spans
}

fn workbook(ctx: &mut Ctx, rel: &Path) -> Option<Grid> {
    use calamine::{Data, Reader, Xlsx};
    let bytes = match ctx.files.read_bytes(rel) {
        Ok(b) => b,
        Err(e) => {
            ctx.diags.push(e.diagnostic(rel));
            return None;
        }
    };
    let unreadable = |why: String| {
        Diagnostic::error(Code::Xlsx, format!("cannot read the workbook: {why}"))
            .in_file(rel)
            .hint("save it as an Excel workbook (.xlsx), or export the first sheet as CSV")
    };
    let mut book: Xlsx<_> = match calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)) {
        Ok(b) => b,
        Err(e) => {
            ctx.diags.push(unreadable(e.to_string()));
            return None;
        }
    };
    let sheet = match book.worksheet_range_at(0) {
        Some(Ok(s)) => s,
        Some(Err(e)) => {
            ctx.diags.push(unreadable(e.to_string()));
            return None;
        }
        None => {
            ctx.diags.push(unreadable("it has no sheet".into()));
            return None;
        }
    };
    let (row0, col0) = sheet.start().unwrap_or((0, 0));
    let lines = sheet
        .rows()
        .enumerate()
        .map(|(r, cells)| {
            cells
                .iter()
                .enumerate()
                .map(|(c, cell)| {
                    let text = match cell {
                        Data::Empty => String::new(),
                        // Whole numbers are stored as floats: write them as integers.
                        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
                        Data::Float(f) => format!("{f}"),
                        Data::Int(i) => i.to_string(),
                        other => other.to_string(),
                    };
                    let name = cell_name(row0 as usize + r, col0 as usize + c);
                    (text.trim().to_string(), Place::Cell { file: rel.to_path_buf(), cell: name })
                })
                .collect()
        })
        .collect();
    split_header(ctx, rel, lines)
}

/// "C3" for row 2, column 2 (both from 0).
fn cell_name(row: usize, col: usize) -> String {
    let mut letters = String::new();
    let mut n = col + 1;
    while n > 0 {
        letters.insert(0, (b'A' + ((n - 1) % 26) as u8) as char);
        n = (n - 1) / 26;
    }
    format!("{letters}{}", row + 1)
}

fn split_header(ctx: &mut Ctx, rel: &Path, mut lines: Vec<Vec<(String, Place)>>) -> Option<Grid> {
    // Blank rows (a spreadsheet's trailing ones) say nothing.
    lines.retain(|l| l.iter().any(|(t, _)| !t.is_empty()));
    if lines.is_empty() {
        ctx.diags.push(
            Diagnostic::error(Code::MissingField, "the value table is empty")
                .in_file(rel)
                .hint(format!("start with a header row: {}", COLUMNS.join(","))),
        );
        return None;
    }
    let header = lines.remove(0);
    Some(Grid { header, rows: lines })
}

fn rows(ctx: &mut Ctx, rel: &Path, grid: Grid) -> Option<Table> {
    // The header names the columns, in any order.
    let mut column: BTreeMap<&str, usize> = BTreeMap::new();
    let mut ok = true;
    for (i, (name, place)) in grid.header.iter().enumerate() {
        let name = name.to_lowercase();
        match COLUMNS.iter().find(|c| **c == name) {
            Some(c) if column.contains_key(c) => {
                ctx.diags.push(place.error(Code::Duplicate, format!("column `{c}` appears twice")).hint("keep one"));
                ok = false;
            }
            Some(c) => {
                column.insert(c, i);
            }
            None if name.is_empty() => {}
            None => {
                ctx.diags.push(
                    place
                        .error(Code::UnknownField, format!("unknown column `{name}`"))
                        .hint(format!("the columns are: {}", COLUMNS.join(", "))),
                );
                ok = false;
            }
        }
    }
    let header_place = grid.header.first().map(|(_, p)| p.clone()).unwrap_or(Place::Text(Loc::new(rel, 0..0)));
    for required in &COLUMNS[..REQUIRED] {
        if !column.contains_key(required) {
            ctx.diags.push(
                header_place
                    .error(Code::MissingField, format!("the header has no `{required}` column"))
                    .hint(format!("the header row names the columns: {}", COLUMNS.join(","))),
            );
            ok = false;
        }
    }
    if !ok {
        return None;
    }
    let mut out = Table::default();
    for line in &grid.rows {
        let last = line.last().map(|(_, p)| p.clone()).unwrap_or_else(|| header_place.clone());
        let cell = |name: &str| -> (&str, Place) {
            match column.get(name).and_then(|i| line.get(*i)) {
                Some((text, place)) => (text.as_str(), place.clone()),
                None => ("", last.clone()),
            }
        };
        match row(ctx, &cell, &out.rows) {
            Ok((key, row)) => out.rows.entry(key).or_default().push(row),
            Err(Some(key)) => {
                out.broken.insert(key);
            }
            Err(None) => {}
        }
    }
    Some(out)
}

/// One row checked: its indicator key and its value; or its problems reported, and the key of
/// the indicator it was for (if it names one).
fn row<'a>(
    ctx: &mut Ctx,
    cell: &dyn Fn(&str) -> (&'a str, Place),
    seen: &BTreeMap<String, Vec<Row>>,
) -> Result<(String, Row), Option<String>> {
    let (key, place) = cell("indicator");
    if key.is_empty() || !crate::files::is_valid_id(key, &['_']) {
        let what = if key.is_empty() {
            "the indicator is empty".to_string()
        } else {
            format!("`{key}` is not an indicator key")
        };
        ctx.diags.push(
            place
                .error(Code::InvalidValue, what)
                .hint("write the key of its table in the group's TOML, e.g. nev_sales"),
        );
        return Err(None);
    }
    let broken = || Some(key.to_string());
    let mut ok = true;
    let (year_text, year_place) = cell("year");
    let year = match year_text {
        "" => None,
        y => match y.parse::<i32>() {
            Ok(y) if (1000..=9999).contains(&y) => Some(y),
            _ => {
                ctx.diags.push(
                    year_place
                        .error(Code::InvalidValue, format!("`{y}` is not a year"))
                        .hint("write the year as four digits, e.g. 2020"),
                );
                ok = false;
                None
            }
        },
    };
    let (status_text, status_place) = cell("status");
    let status = Status::parse(&status_text.to_lowercase());
    if status.is_none() {
        let what = if status_text.is_empty() {
            "the status is empty".to_string()
        } else {
            format!("unknown status `{status_text}`")
        };
        ctx.diags.push(
            status_place.error(Code::InvalidValue, what).hint(format!("use one of: {}", Status::names().join(", "))),
        );
        ok = false;
    }
    let (value_text, value_place) = cell("value");
    let value = match (value_text, status) {
        ("" | "pending", Some(Status::Pending)) => Some(Value::Pending),
        ("" | "pending", _) => {
            ctx.diags.push(
                value_place
                    .error(Code::InvalidValue, format!("`{key}` has no value here"))
                    .hint("write the number, or set the status to pending if the source lost it (never guess)"),
            );
            None
        }
        (_, Some(Status::Pending)) => {
            ctx.diags.push(
                value_place
                    .error(Code::InvalidValue, format!("`{key}` is pending but has a value"))
                    .hint("empty the value, or give the status it has (reported, derived, uncertain)"),
            );
            None
        }
        (text, _) => match number(text) {
            Some(n) => Some(Value::Known(n)),
            None => {
                ctx.diags.push(value_place.error(Code::InvalidValue, format!("`{text}` is not a number")).hint(
                    "write the number without units or thousands separators, with a point for decimals: 424000, 3.5",
                ));
                None
            }
        },
    };
    let (qualifier_text, qualifier_place) = cell("qualifier");
    let qualifier = match qualifier_text {
        "" => None,
        q => {
            let parsed = Qualifier::parse(q);
            if parsed.is_none() {
                ctx.diags.push(
                    qualifier_place
                        .error(Code::InvalidValue, format!("unknown qualifier `{q}`"))
                        .hint(format!("use one of: {}", Qualifier::names())),
                );
                ok = false;
            }
            parsed
        }
    };
    let (date, _) = cell("date");
    let date = (!date.is_empty()).then(|| date.to_string());
    // One row per indicator and year.
    if let Some(first) = seen.get(key).and_then(|rows| rows.iter().find(|r| r.year == year)) {
        let (loc, cell_name) = first.place.loc();
        let which = year.map_or("its single value".to_string(), |y| y.to_string());
        ctx.diags.push(
            place
                .error(Code::Duplicate, format!("`{key}` has a second row for {which}"))
                .note(loc, format!("{cell_name}the first row for it"))
                .hint("keep one row per indicator and year"),
        );
        return Err(broken());
    }
    match (value, status, ok) {
        (Some(value), Some(status), true) => {
            Ok((key.to_string(), Row { place, value_place, year, date, value, status, qualifier }))
        }
        _ => Err(broken()),
    }
}

/// A number as a spreadsheet writes it: kept as written (integer or decimal), within what a
/// page can print.
fn number(text: &str) -> Option<Num> {
    let value = if let Ok(i) = text.parse::<i64>() {
        toml::Value::Integer(i)
    } else {
        toml::Value::Float(text.parse::<f64>().ok().filter(|f| f.is_finite())?)
    };
    match super::value::num_or_pending(&value) {
        Ok(Value::Known(n)) => Some(n),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_found_in_their_row() {
        assert_eq!(cell_spans("a,\"b,c\",d\nnext"), [0..1, 2..7, 8..9]);
        assert_eq!(cell_name(2, 2), "C3");
        assert_eq!(cell_name(0, 27), "AB1");
        assert!(number("1,234").is_none());
        assert_eq!(number("-2.5").map(|n| n.as_f64()), Some(-2.5));
    }
}
