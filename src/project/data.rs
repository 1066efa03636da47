//! `data/*.toml`: the indicators every tile, chart and data reference reads.
//!
//! An indicator's id is `<file stem>.<table key>`. Values are kept as written (integer or
//! decimal) so formatting never invents precision. A `pending` value has no number at all.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use super::tables::Row;
use super::value::{NotANumber, num_or_pending};
pub use super::value::{Num, PointInfo, Qualifier, Status, Value};
use crate::ctx::Ctx;
use crate::diag::{Code, Diagnostic, Loc};
use crate::files::is_valid_id;

#[derive(Debug, Clone)]
pub struct Indicator {
    pub id: String,
    pub title: String,
    pub short: Option<String>,
    /// The unit as one word (the `other` form when it has plural forms): `%`, `year`, …
    pub unit: String,
    /// The unit's forms by plural category (`one = "enterprise"`, `other = "enterprises"`),
    /// when it has them.
    pub unit_forms: BTreeMap<String, String>,
    pub value: Option<Value>,
    /// Year → value, ascending.
    pub series: BTreeMap<i32, Value>,
    /// Years whose status or qualifier is their own (`2017 = { value = 30, status = "derived" }`).
    pub points: BTreeMap<i32, PointInfo>,
    /// The qualifier of the value, or of every year of the series that has none of its own.
    pub qualifier: Option<Qualifier>,
    pub date: Option<String>,
    pub year: Option<i32>,
    pub source: String,
    /// The status of the value, or of every year of the series that has none of its own.
    pub status: Status,
    /// Fixed number of decimals to print (TOML drops trailing zeros: 86.20 reads as 86.2).
    pub decimals: Option<u8>,
    /// The global SDG goals, targets or indicators it serves (`11`, `11.6`, `11.6.2`).
    pub sdg: Vec<SdgCode>,
    /// Where `sdg` is written (the indicator when it is not).
    pub sdg_loc: Loc,
    pub loc: Loc,
}

/// A code of the global SDG framework: a goal (`11`), target (`11.6`, `11.a`) or indicator
/// (`11.6.2`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct SdgCode {
    pub goal: u8,
    pub code: String,
}

impl SdgCode {
    /// Reads a code and checks it is one of the framework's: its shape first (a clear message
    /// for a typo), then the list of global targets and indicators.
    pub fn parse(s: &str) -> Result<SdgCode, String> {
        let parts: Vec<&str> = s.split('.').collect();
        let goal = parts[0].parse::<u8>().ok().filter(|g| (1..=17).contains(g));
        let Some(goal) = goal else {
            return Err(format!("`{s}` does not start with a goal number from 1 to 17"));
        };
        let number =
            |p: &str| !p.is_empty() && p.len() <= 2 && p.chars().all(|c| c.is_ascii_digit()) && !p.starts_with('0');
        let target = |p: &str| number(p) || (p.len() == 1 && p.chars().all(|c| c.is_ascii_lowercase()));
        let shape = match parts.as_slice() {
            [_] => true,
            [_, t] => target(t),
            [_, t, i] => target(t) && number(i),
            _ => false,
        };
        if !shape {
            return Err(format!(
                "`{s}` is not an SDG code: write a goal (11), a target (11.6 or 11.a) or an indicator (11.6.2)"
            ));
        }
        if parts.len() > 1 && !crate::builtin::sdg_codes().any(|c| c == s) {
            return Err(format!("`{s}` is not a target or indicator of the global SDG framework"));
        }
        Ok(SdgCode { goal, code: s.to_string() })
    }
}

impl Indicator {
    /// The value a reference or tile shows: the scalar, or one year of a series.
    pub fn at(&self, year: Option<i32>) -> Result<Value, String> {
        if self.status == Status::Pending {
            return Ok(Value::Pending);
        }
        match (year, &self.value) {
            (None, Some(v)) => Ok(*v),
            (Some(_), Some(_)) => Err(format!("`{}` is a single value, not a series: drop `@year`", self.id)),
            (None, None) => Err(format!(
                "`{}` is a series: say which year, e.g. `{}@{}`",
                self.id,
                self.id,
                self.series.keys().last().copied().unwrap_or(2020)
            )),
            (Some(y), None) => self.series.get(&y).copied().ok_or_else(|| {
                let years: Vec<_> = self.series.keys().map(|y| y.to_string()).collect();
                format!("`{}` has no value for {y} (it has {})", self.id, years.join(", "))
            }),
        }
    }

    /// The status of the value a reference or tile shows (see [`Indicator::at`]).
    pub fn status_at(&self, year: Option<i32>) -> Status {
        match self.at(year) {
            Ok(Value::Pending) => Status::Pending,
            _ => year.and_then(|y| self.points.get(&y)).and_then(|p| p.status).unwrap_or(self.status),
        }
    }

    /// The hedge of the value a reference or tile shows ("about", "over").
    pub fn qualifier_at(&self, year: Option<i32>) -> Option<Qualifier> {
        year.and_then(|y| self.points.get(&y)).and_then(|p| p.qualifier).or(self.qualifier)
    }

    /// Every status its values have.
    pub fn statuses(&self) -> BTreeSet<Status> {
        if self.series.is_empty() {
            return BTreeSet::from([self.status_at(None)]);
        }
        self.series.keys().map(|y| self.status_at(Some(*y))).collect()
    }

    /// Every qualifier its values carry.
    pub fn qualifiers(&self) -> BTreeSet<Qualifier> {
        self.qualifier.into_iter().chain(self.points.values().filter_map(|p| p.qualifier)).collect()
    }

    /// The group (file stem) this indicator is defined in.
    pub fn group(&self) -> &str {
        self.id.split_once('.').map_or("", |(g, _)| g)
    }
}

/// A word written once (`"vehicles"`) or in plural forms (`{ one = "vehicle", other =
/// "vehicles" }`), by CLDR category.
#[derive(Debug, Clone, PartialEq)]
pub enum Words {
    One(String),
    Forms(BTreeMap<String, String>),
}

pub const CATEGORIES: [&str; 6] = ["zero", "one", "two", "few", "many", "other"];

impl Words {
    /// The word to use where no number picks a form: the `other` form.
    pub fn word(&self) -> &str {
        match self {
            Words::One(s) => s,
            Words::Forms(f) => f.get("other").or_else(|| f.values().next()).map_or("", String::as_str),
        }
    }

    /// The forms by category (empty for a word written once).
    pub fn forms(&self) -> BTreeMap<String, String> {
        match self {
            Words::One(_) => BTreeMap::new(),
            Words::Forms(f) => f.clone(),
        }
    }

    fn unknown_category(&self) -> Option<&str> {
        match self {
            Words::One(_) => None,
            Words::Forms(f) => f.keys().find(|k| !CATEGORIES.contains(&k.as_str())).map(String::as_str),
        }
    }
}

impl<'de> Deserialize<'de> for Words {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Words;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a word, or a table of its plural forms (one = \"…\", other = \"…\")")
            }
            fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<Words, E> {
                Ok(Words::One(s.to_string()))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Words, A::Error> {
                let mut forms = BTreeMap::new();
                while let Some((k, v)) = map.next_entry::<String, String>()? {
                    forms.insert(k, v);
                }
                Ok(Words::Forms(forms))
            }
        }
        d.deserialize_any(V)
    }
}

#[derive(Debug, Default)]
pub struct Data {
    pub indicators: BTreeMap<String, Indicator>,
    /// Groups whose file could not be read or parsed: their problem is reported once, and
    /// references into them are not reported again as unknown.
    broken: BTreeSet<String>,
    /// Indicators whose definition has errors (reported once, where they are defined).
    invalid: BTreeSet<String>,
}

impl Data {
    /// The data groups (file stems), sorted.
    pub fn groups(&self) -> Vec<String> {
        let mut g: Vec<String> = self.indicators.values().map(|i| i.group().to_string()).collect();
        g.dedup();
        g
    }

    pub fn get(&self, id: &str) -> Option<&Indicator> {
        self.indicators.get(id)
    }

    /// Looks an id up, or explains what is wrong (with the closest known id as a hint). `None`
    /// as the error: the id's group is a file with errors, already reported.
    pub fn lookup(&self, id: &str, loc: &Loc) -> Result<&Indicator, Option<Diagnostic>> {
        if let Some(ind) = self.get(id) {
            return Ok(ind);
        }
        if self.invalid.contains(id) || id.split_once('.').is_some_and(|(g, _)| self.broken.contains(g)) {
            return Err(None);
        }
        let d = loc.error(Code::UnknownData, format!("unknown indicator `{id}`"));
        Err(Some(match self.closest(id) {
            Some(near) => d.hint(format!("did you mean `{near}`? Indicators are defined in data/<group>.toml")),
            None => d.hint("define it in data/<group>.toml; its id is `<group>.<key>`"),
        }))
    }

    fn closest(&self, id: &str) -> Option<&str> {
        crate::diag::closest(id, self.indicators.keys().map(String::as_str))
    }
}

#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawIndicator {
    title: String,
    short: Option<String>,
    unit: Spanned<Words>,
    value: Option<Spanned<toml::Value>>,
    series: Option<Spanned<BTreeMap<String, Spanned<toml::Value>>>>,
    qualifier: Option<Spanned<String>>,
    date: Option<String>,
    year: Option<i32>,
    source: String,
    /// Required unless the values come from a value table (data/<group>.csv or .xlsx).
    status: Option<Status>,
    /// Global SDG codes: goals, targets or indicators.
    sdg: Option<Spanned<Vec<Spanned<String>>>>,
    /// A note for editors (why a value is what it is); not printed.
    #[allow(dead_code, reason = "for editors; checked only for type")]
    note: Option<String>,
    decimals: Option<u8>,
}

pub const DATA_DIR: &str = "data";

pub fn load(ctx: &mut Ctx) -> Data {
    let mut data = Data::default();
    let files = match ctx.files.list(Path::new(DATA_DIR), &["toml", "csv", "xlsx"]) {
        Ok(files) => files,
        Err(crate::files::ReadError::NotFound) => {
            ctx.diags.push(
                Diagnostic::error(Code::MissingFile, "the project has no data/ folder")
                    .hint("create data/ with one TOML file per group of indicators"),
            );
            return data;
        }
        Err(e) => {
            ctx.diags.push(e.diagnostic(Path::new(DATA_DIR)));
            return data;
        }
    };
    // Each group: its TOML (titles, units, sources, codes), and at most one value table.
    let mut groups: BTreeMap<String, (Option<PathBuf>, Vec<PathBuf>)> = BTreeMap::new();
    for rel in files {
        let stem = rel.file_stem().and_then(|s| s.to_str()).unwrap_or_default().to_string();
        let entry = groups.entry(stem).or_default();
        if rel.extension().is_some_and(|e| e == "toml") {
            entry.0 = Some(rel);
        } else {
            entry.1.push(rel);
        }
    }
    for (stem, (toml_file, tables)) in groups {
        if !is_valid_id(&stem, &['_', '-']) {
            let rel = toml_file.clone().or_else(|| tables.first().cloned()).unwrap_or_default();
            ctx.diags.push(
                Diagnostic::error(
                    Code::InvalidId,
                    format!("data file name `{stem}` must be lowercase letters, digits, `_` or `-`"),
                )
                .in_file(&rel),
            );
            continue;
        }
        let Some(rel) = toml_file else {
            for t in &tables {
                ctx.diags.push(
                    Diagnostic::error(Code::MissingFile, format!("{} has values but no data/{stem}.toml", t.display()))
                        .in_file(t)
                        .hint(format!(
                            "data/{stem}.toml gives each indicator's title, unit and source; the table gives its values"
                        )),
                );
            }
            data.broken.insert(stem);
            continue;
        };
        if tables.len() > 1 {
            ctx.diags.push(
                Diagnostic::error(
                    Code::Duplicate,
                    format!("group `{stem}` has two value tables: {}", show_paths(&tables)),
                )
                .in_file(&tables[1])
                .hint("keep one: the CSV or the workbook"),
            );
        }
        let super::tables::Table { mut rows, broken: bad_rows } = match tables.first() {
            Some(t) => match super::tables::read(ctx, t) {
                Some(table) => table,
                None => {
                    data.broken.insert(stem);
                    continue;
                }
            },
            None => Default::default(),
        };
        let Some(raw) = ctx.files.read_toml::<BTreeMap<String, Spanned<RawIndicator>>>(&mut ctx.diags, &rel) else {
            data.broken.insert(stem);
            continue;
        };
        // Rows of indicators the TOML does not define.
        for (key, key_rows) in &rows {
            if raw.contains_key(key) {
                continue;
            }
            let error = key_rows[0].place.error(Code::UnknownData, format!("unknown indicator `{key}`"));
            // Past the listed ones it is only counted: no "did you mean" search for it.
            if !error.file.as_deref().is_some_and(|f| ctx.diags.lists(f, error.code)) {
                ctx.diags.push(error);
                continue;
            }
            let hint = match crate::diag::closest(key, raw.keys().map(String::as_str)) {
                Some(k) => format!("did you mean `{k}`? Each indicator needs its table in {}", rel.display()),
                None => format!("add [{key}] with its title, unit and source to {}", rel.display()),
            };
            ctx.diags.push(error.hint(hint));
        }
        for (key, ri) in raw {
            let span = ri.span();
            let id = format!("{stem}.{key}");
            if !is_valid_id(&key, &['_']) {
                ctx.diags.push(
                    Diagnostic::error(
                        Code::InvalidId,
                        format!("indicator key `{key}` must be lowercase letters, digits and `_`"),
                    )
                    .at(&rel, Some(span.start..span.start)),
                );
                continue;
            }
            let key_rows = rows.remove(&key).unwrap_or_default();
            if bad_rows.contains(&key) {
                // Reported at its rows.
                data.invalid.insert(id);
                continue;
            }
            match validate(ctx, &rel, span.clone(), id.clone(), ri.into_inner(), key_rows) {
                Some(ind) => {
                    data.indicators.insert(id, ind);
                }
                // Its error is reported once, here, and not again at every tile, chart and
                // sentence that cites it.
                None => {
                    data.invalid.insert(id);
                }
            }
        }
    }
    data
}

fn show_paths(paths: &[PathBuf]) -> String {
    paths.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(" and ")
}

fn validate(
    ctx: &mut Ctx,
    file: &Path,
    span: Range<usize>,
    id: String,
    mut raw: RawIndicator,
    rows: Vec<Row>,
) -> Option<Indicator> {
    let err = |span: Range<usize>, msg: String, hint: &str| {
        Diagnostic::error(Code::InvalidValue, msg).at(file, Some(span)).hint(hint.to_string())
    };
    let mut ok = true;
    let number =
        |ctx: &mut Ctx, ok: &mut bool, v: &Spanned<toml::Value>, what: String| match num_or_pending(v.get_ref()) {
            Ok(x) => Some(x),
            Err(why) => {
                let hint = match why {
                    NotANumber::Type => "write the number without units or separators, e.g. 424000",
                    NotANumber::TooLarge => "store it in a larger unit (e.g. billion tons instead of tons)",
                    NotANumber::TooSmall => "store it in a smaller unit (e.g. mg instead of kg)",
                };
                let msg = match why {
                    NotANumber::Type => format!("{what} must be a number or \"pending\""),
                    NotANumber::TooLarge => format!("{what} is too large to print (over 10^15)"),
                    NotANumber::TooSmall => format!("{what} is too small to print (under 10^-6)"),
                };
                ctx.diags.push(err(v.span(), msg, hint));
                *ok = false;
                None
            }
        };

    let value = raw.value.as_ref().and_then(|v| number(ctx, &mut ok, v, format!("the value of `{id}`")));
    let mut series = BTreeMap::new();
    let mut points = BTreeMap::new();
    if let Some(s) = &raw.series {
        for (year, v) in s.get_ref() {
            let Ok(y) = year.parse::<i32>() else {
                ctx.diags.push(err(
                    v.span(),
                    format!("series key `{year}` of `{id}` is not a year"),
                    "use years as keys: series = { 2019 = 1.0, 2020 = 2.0 }",
                ));
                ok = false;
                continue;
            };
            // A year is a number, "pending", or a table giving its own status or qualifier.
            let (v, info) = match v.get_ref() {
                toml::Value::Table(t) => match point_table(t) {
                    Ok((value, info)) => (Spanned::new(v.span(), value), info),
                    Err(why) => {
                        ctx.diags.push(err(v.span(), format!("the {year} entry of `{id}`: {why}"), POINT_HINT));
                        ok = false;
                        continue;
                    }
                },
                _ => (v.clone(), PointInfo::default()),
            };
            if let Some(x) = number(ctx, &mut ok, &v, format!("the {year} value of `{id}`")) {
                series.insert(y, x);
                if info != PointInfo::default() {
                    points.insert(y, info);
                }
            }
        }
        if s.get_ref().is_empty() {
            ctx.diags.push(err(
                s.span(),
                format!("the series of `{id}` is empty"),
                "give at least one year, or set status = \"pending\"",
            ));
            ok = false;
        }
    }
    // Values from the group's value table (data/<group>.csv or .xlsx) instead of the TOML.
    let mut value = value;
    let mut status = raw.status;
    let mut qualifier_from_rows = None;
    if let Some(first) = rows.first() {
        let in_toml = raw.value.as_ref().map(|v| v.span()).or(raw.series.as_ref().map(|s| s.span()));
        let scalar: Vec<&Row> = rows.iter().filter(|r| r.year.is_none()).collect();
        if let Some(toml_span) = in_toml {
            ctx.diags.push(
                first
                    .value_place
                    .error(Code::Duplicate, format!("`{id}` has values both here and in {}", file.display()))
                    .note(Loc::new(file, toml_span), "the values in the TOML")
                    .hint("keep the values in one place: the table, or the TOML"),
            );
            ok = false;
        } else if !scalar.is_empty() && scalar.len() < rows.len() {
            ctx.diags.push(
                scalar[0]
                    .place
                    .error(Code::InvalidValue, format!("`{id}` has a row without a year and rows with years"))
                    .hint("give every row its year (a series), or keep one row without a year (a single value)"),
            );
            ok = false;
        } else if let [one] = scalar.as_slice() {
            value = Some(one.value);
            status = Some(one.status);
            qualifier_from_rows = one.qualifier;
            if let Some(d) = &one.date {
                raw.date.get_or_insert_with(|| d.clone());
            }
        } else {
            // A series: the indicator takes its latest year's status; other years keep theirs.
            let latest = rows.iter().max_by_key(|r| r.year).map_or(Status::Reported, |r| r.status);
            let own = |s: Status| if s == Status::Pending { None } else { Some(s) };
            status = Some(status.unwrap_or(if latest == Status::Pending { Status::Reported } else { latest }));
            for r in &rows {
                let y = r.year.expect("rows with years");
                series.insert(y, r.value);
                let info = PointInfo { status: own(r.status).filter(|s| Some(*s) != status), qualifier: r.qualifier };
                if info != PointInfo::default() {
                    points.insert(y, info);
                }
            }
        }
    }
    let Some(status) = status else {
        ctx.diags.push(err(
            span.start..span.start,
            format!("`{id}` has no `status`"),
            "add status = \"reported\" (or derived, uncertain, pending)",
        ));
        return None;
    };
    let has_values = value.is_some() || !series.is_empty() || raw.series.is_some();
    match (status, &raw.value, &raw.series) {
        (Status::Pending, Some(v), _) => {
            ctx.diags.push(err(
                v.span(),
                format!("`{id}` is pending but has a value"),
                "remove the value, or change status to \"reported\"",
            ));
            ok = false;
        }
        (Status::Pending, None, None) if rows.is_empty() => {}
        (_, Some(v), Some(_)) => {
            ctx.diags.push(err(v.span(), format!("`{id}` has both `value` and `series`"), "keep one"));
            ok = false;
        }
        (Status::Reported | Status::Derived | Status::Uncertain, None, None) if !has_values => {
            ctx.diags.push(err(
                span.start..span.start,
                format!("`{id}` has no `value` or `series`"),
                "add the number, or set status = \"pending\" if the source lost it (never guess)",
            ));
            ok = false;
        }
        _ => {}
    }
    let qualifier = match raw.qualifier {
        Some(_) if qualifier_from_rows.is_some() => {
            let first = &rows[0];
            ctx.diags.push(
                first
                    .place
                    .error(Code::Duplicate, format!("`{id}` has a qualifier both here and in {}", file.display()))
                    .hint("keep it in one place"),
            );
            ok = false;
            None
        }
        None => qualifier_from_rows,
        Some(q) => match Qualifier::parse(q.get_ref()) {
            Some(q) => Some(q),
            None => {
                ctx.diags.push(err(
                    q.span(),
                    format!("unknown qualifier `{}`", q.get_ref()),
                    &format!("use one of: {}", Qualifier::names()),
                ));
                None
            }
        },
    };
    let unit_span = raw.unit.span();
    let unit = raw.unit.into_inner();
    if let Some(bad) = unit.unknown_category() {
        ctx.diags.push(err(
            unit_span,
            format!("`{bad}` is not a plural category"),
            "name the forms by CLDR's categories: zero, one, two, few, many, other",
        ));
        ok = false;
    }
    let mut sdg = Vec::new();
    let sdg_loc = Loc::new(file, raw.sdg.as_ref().map_or(span.clone(), |s| s.span()));
    for code in raw.sdg.iter().flat_map(|s| s.get_ref()) {
        match SdgCode::parse(code.get_ref()) {
            Ok(c) if sdg.contains(&c) => {
                ctx.diags.push(
                    Diagnostic::warning(Code::Duplicate, format!("`{}` is listed twice", code.get_ref()))
                        .at(file, Some(code.span()))
                        .hint("list each code once"),
                );
            }
            Ok(c) => sdg.push(c),
            Err(why) => {
                ctx.diags.push(err(
                    code.span(),
                    why,
                    "see the UN's global indicator framework (unstats.un.org/sdgs/indicators); e.g. sdg = [\"11.6\", \"11.6.2\"]",
                ));
                ok = false;
            }
        }
    }
    ok.then(|| Indicator {
        id,
        title: raw.title,
        short: raw.short,
        unit: unit.word().to_string(),
        unit_forms: unit.forms(),
        value,
        series,
        points,
        qualifier,
        date: raw.date,
        year: raw.year,
        source: raw.source,
        status,
        decimals: raw.decimals,
        sdg,
        sdg_loc,
        loc: Loc::new(file, span),
    })
}

const POINT_HINT: &str =
    "write the year as a number, \"pending\", or { value = 30, status = \"derived\", qualifier = \"about\" }";

/// A year written as a table: its value (kept as TOML for the number check) and what it says
/// about itself.
fn point_table(t: &toml::Table) -> Result<(toml::Value, PointInfo), String> {
    let mut info = PointInfo::default();
    for (k, v) in t {
        match (k.as_str(), v) {
            ("value", _) => {}
            ("status", toml::Value::String(s)) => {
                let status = Status::parse(s)
                    .ok_or_else(|| format!("unknown status `{s}` (use one of: {})", Status::names().join(", ")))?;
                if status == Status::Pending {
                    return Err("a pending year is written `\"pending\"`, without a value".into());
                }
                info.status = Some(status);
            }
            ("qualifier", toml::Value::String(s)) => {
                info.qualifier = Some(
                    Qualifier::parse(s)
                        .ok_or_else(|| format!("unknown qualifier `{s}` (use one of: {})", Qualifier::names()))?,
                );
            }
            ("status" | "qualifier", _) => return Err(format!("`{k}` must be a string")),
            _ => return Err(format!("unknown key `{k}` (a year has value, status and qualifier)")),
        }
    }
    let value = t.get("value").cloned().ok_or("it has no `value`")?;
    Ok((value, info))
}

#[cfg(test)]
pub(crate) fn test_indicator(value: Option<Value>, series: &[(i32, Value)], status: Status) -> Indicator {
    Indicator {
        id: "g.x".into(),
        title: "X".into(),
        short: None,
        unit: "%".into(),
        unit_forms: BTreeMap::new(),
        value,
        series: series.iter().copied().collect(),
        points: BTreeMap::new(),
        qualifier: None,
        date: None,
        year: None,
        source: "s".into(),
        status,
        decimals: None,
        sdg: Vec::new(),
        sdg_loc: Loc::new("data/g.toml", 0..0),
        loc: Loc::new("data/g.toml", 0..0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn value_lookup_by_year() {
        let k = |v: f64| Value::Known(Num::Float(v));
        let s = test_indicator(None, &[(2015, k(60.0)), (2020, k(80.0))], Status::Reported);
        assert_eq!(s.at(Some(2020)), Ok(k(80.0)));
        assert!(s.at(Some(2019)).unwrap_err().contains("has no value for 2019"));
        assert!(s.at(None).unwrap_err().contains("is a series"));
        let p = test_indicator(None, &[], Status::Pending);
        assert_eq!(p.at(None), Ok(Value::Pending));
    }

    #[test]
    fn a_year_may_have_its_own_status_and_qualifier() {
        let k = |v: f64| Value::Known(Num::Float(v));
        let mut s = test_indicator(None, &[(2017, k(30.0)), (2020, k(190.0))], Status::Reported);
        s.points.insert(2017, PointInfo { status: Some(Status::Derived), qualifier: Some(Qualifier::About) });
        assert_eq!(s.status_at(Some(2017)), Status::Derived);
        assert_eq!(s.status_at(Some(2020)), Status::Reported);
        assert_eq!(s.qualifier_at(Some(2017)), Some(Qualifier::About));
        assert_eq!(s.qualifier_at(Some(2020)), None);
        assert_eq!(s.statuses(), BTreeSet::from([Status::Reported, Status::Derived]));
        let t: toml::Table = toml::from_str("value = 1\nstatus = \"pending\"").unwrap();
        assert!(point_table(&t).unwrap_err().contains("without a value"));
        let t: toml::Table = toml::from_str("value = 1\nstate = \"derived\"").unwrap();
        assert!(point_table(&t).unwrap_err().contains("unknown key `state`"));
    }

    #[test]
    fn sdg_codes_are_checked_for_shape_and_against_the_framework() {
        assert_eq!(SdgCode::parse("11.6.2"), Ok(SdgCode { goal: 11, code: "11.6.2".into() }));
        assert_eq!(SdgCode::parse("14.c").map(|c| c.goal), Ok(14));
        assert_eq!(SdgCode::parse("13").map(|c| c.goal), Ok(13));
        assert!(SdgCode::parse("18.1").unwrap_err().contains("goal number from 1 to 17"));
        assert!(SdgCode::parse("SDG11").unwrap_err().contains("goal number"));
        assert!(SdgCode::parse("11.6.2.1").unwrap_err().contains("is not an SDG code"));
        assert!(SdgCode::parse("11.06").unwrap_err().contains("is not an SDG code"));
        assert!(SdgCode::parse("11.6.9").unwrap_err().contains("not a target or indicator of the global"));
    }

    #[test]
    fn values_beyond_what_a_page_can_show_are_refused() {
        assert!(matches!(num_or_pending(&toml::Value::Float(1e308)), Err(NotANumber::TooLarge)));
        assert!(matches!(num_or_pending(&toml::Value::Float(-1e16)), Err(NotANumber::TooLarge)));
        assert!(matches!(num_or_pending(&toml::Value::Float(1e-9)), Err(NotANumber::TooSmall)));
        assert!(num_or_pending(&toml::Value::Integer(1_857_000_000)).is_ok());
        assert!(num_or_pending(&toml::Value::Float(0.0)).is_ok());
    }
}
