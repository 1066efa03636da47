//! `data/*.toml`: the indicators every tile, chart and data reference reads.
//!
//! An indicator's id is `<file stem>.<table key>`. Values are kept as written (integer or
//! decimal) so formatting never invents precision. A `pending` value has no number at all.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use crate::ctx::Ctx;
use crate::diag::{Diagnostic, Loc};
use crate::files::is_valid_id;
pub use crate::numbers::Num;

/// Where a value stands: printed in the published report, worked out from figures it prints
/// (a difference, a base year from a growth rate), printed there but unclear (a smudged or
/// ambiguous figure), or lost (`pending`: no number at all).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Reported,
    Derived,
    Uncertain,
    Pending,
}

impl Status {
    pub const ALL: [Status; 4] = [Status::Reported, Status::Derived, Status::Uncertain, Status::Pending];

    pub fn name(self) -> &'static str {
        match self {
            Status::Reported => "reported",
            Status::Derived => "derived",
            Status::Uncertain => "uncertain",
            Status::Pending => "pending",
        }
    }

    /// The mark a value of this status carries wherever it prints (tile, sentence, chart,
    /// appendix); the appendix and the editorial note say what it means.
    pub fn mark(self) -> Option<&'static str> {
        match self {
            Status::Derived => Some("†"),
            Status::Uncertain => Some("‡"),
            Status::Reported | Status::Pending => None,
        }
    }
}

/// What one year of a series says about itself when it differs from its indicator.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct PointInfo {
    pub status: Option<Status>,
    pub qualifier: Option<Qualifier>,
}

/// A value or the mark that the source lost it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Value {
    Known(Num),
    Pending,
}

/// The hedges a value may carry ("about 424,000"); each prints with the pack's word for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Qualifier {
    About,
    Over,
    Nearly,
    AtLeast,
    AtMost,
    Under,
}

impl Qualifier {
    const ALL: [(&'static str, Qualifier); 6] = [
        ("about", Qualifier::About),
        ("over", Qualifier::Over),
        ("nearly", Qualifier::Nearly),
        ("at least", Qualifier::AtLeast),
        ("at most", Qualifier::AtMost),
        ("under", Qualifier::Under),
    ];

    fn parse(s: &str) -> Option<Self> {
        Self::ALL.iter().find(|(n, _)| *n == s).map(|(_, q)| *q)
    }

    pub fn name(self) -> &'static str {
        Self::ALL.iter().find(|(_, q)| *q == self).map_or("", |(n, _)| n)
    }

    fn names() -> String {
        Self::ALL.iter().map(|(n, _)| *n).collect::<Vec<_>>().join(", ")
    }
}

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
    pub loc: Loc,
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
        let d = loc.error("unknown-data", format!("unknown indicator `{id}`"));
        Err(Some(match self.closest(id) {
            Some(near) => d.hint(format!("did you mean `{near}`? Indicators are defined in data/<group>.toml")),
            None => d.hint("define it in data/<group>.toml; its id is `<group>.<key>`"),
        }))
    }

    fn closest(&self, id: &str) -> Option<&str> {
        self.indicators
            .keys()
            .map(|k| (edit_distance(k, id), k))
            .filter(|(d, _)| *d <= 3)
            .min()
            .map(|(_, k)| k.as_str())
    }
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            cur.push((prev[j] + usize::from(ca != *cb)).min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
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
    status: Status,
    /// A note for editors (why a value is what it is); not printed.
    #[allow(dead_code, reason = "for editors; checked only for type")]
    note: Option<String>,
    decimals: Option<u8>,
}

/// The largest magnitude a value may have: beyond it a number no longer fits a tile or a line
/// of text, and floating point stops being exact.
const MAX_MAGNITUDE: f64 = 1e15;
/// The smallest non-zero magnitude: smaller values print as a long run of zeros.
const MIN_MAGNITUDE: f64 = 1e-6;

pub const DATA_DIR: &str = "data";

pub fn load(ctx: &mut Ctx) -> Data {
    let mut data = Data::default();
    let files = match ctx.files.list(Path::new(DATA_DIR), &["toml"]) {
        Ok(files) => files,
        Err(crate::files::ReadError::NotFound) => {
            ctx.diags.push(
                Diagnostic::error("missing-file", "the project has no data/ folder")
                    .hint("create data/ with one TOML file per group of indicators"),
            );
            return data;
        }
        Err(e) => {
            ctx.diags.push(e.diagnostic(Path::new(DATA_DIR)));
            return data;
        }
    };
    for rel in files {
        let stem = rel.file_stem().and_then(|s| s.to_str()).unwrap_or_default().to_string();
        if !is_valid_id(&stem, &['_', '-']) {
            ctx.diags.push(
                Diagnostic::error(
                    "invalid-id",
                    format!("data file name `{stem}` must be lowercase letters, digits, `_` or `-`"),
                )
                .in_file(&rel),
            );
            continue;
        }
        let Some(raw) = ctx.files.read_toml::<BTreeMap<String, Spanned<RawIndicator>>>(&mut ctx.diags, &rel) else {
            data.broken.insert(stem);
            continue;
        };
        for (key, ri) in raw {
            let span = ri.span();
            let id = format!("{stem}.{key}");
            if !is_valid_id(&key, &['_']) {
                ctx.diags.push(
                    Diagnostic::error(
                        "invalid-id",
                        format!("indicator key `{key}` must be lowercase letters, digits and `_`"),
                    )
                    .at(&rel, Some(span.start..span.start)),
                );
                continue;
            }
            match validate(ctx, &rel, span.clone(), id.clone(), ri.into_inner()) {
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

fn validate(ctx: &mut Ctx, file: &Path, span: Range<usize>, id: String, raw: RawIndicator) -> Option<Indicator> {
    let err = |span: Range<usize>, msg: String, hint: &str| {
        Diagnostic::error("invalid-value", msg).at(file, Some(span)).hint(hint.to_string())
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
    match (raw.status, &raw.value, &raw.series) {
        (Status::Pending, Some(v), _) => {
            ctx.diags.push(err(
                v.span(),
                format!("`{id}` is pending but has a value"),
                "remove the value, or change status to \"reported\"",
            ));
            ok = false;
        }
        (Status::Pending, None, None) => {}
        (_, Some(v), Some(_)) => {
            ctx.diags.push(err(v.span(), format!("`{id}` has both `value` and `series`"), "keep one"));
            ok = false;
        }
        (Status::Reported | Status::Derived, None, None) => {
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
        None => None,
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
        status: raw.status,
        decimals: raw.decimals,
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
                let status = Status::ALL.into_iter().find(|st| st.name() == s).ok_or_else(|| {
                    let names: Vec<_> = Status::ALL.iter().map(|s| s.name()).collect();
                    format!("unknown status `{s}` (use one of: {})", names.join(", "))
                })?;
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

enum NotANumber {
    Type,
    TooLarge,
    TooSmall,
}

fn num_or_pending(v: &toml::Value) -> Result<Value, NotANumber> {
    let n = match v {
        toml::Value::Integer(i) => Num::Int(*i),
        toml::Value::Float(f) if f.is_finite() => Num::Float(*f),
        toml::Value::String(s) if s == "pending" => return Ok(Value::Pending),
        _ => return Err(NotANumber::Type),
    };
    let magnitude = n.as_f64().abs();
    if magnitude >= MAX_MAGNITUDE {
        Err(NotANumber::TooLarge)
    } else if magnitude != 0.0 && magnitude < MIN_MAGNITUDE {
        Err(NotANumber::TooSmall)
    } else {
        Ok(Value::Known(n))
    }
}

/// Where a data file lives, by group.
pub fn file_of(group: &str) -> PathBuf {
    Path::new(DATA_DIR).join(format!("{group}.toml"))
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
    fn closest_id_is_suggested() {
        assert_eq!(edit_distance("sdg13.nev_stok", "sdg13.nev_stock"), 1);
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
