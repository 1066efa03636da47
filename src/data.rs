//! Stage 2: load `data/*.toml` — the indicators every tile, chart and data reference reads.
//!
//! An indicator's id is `<file stem>.<table key>`. Values are kept as written (integer or
//! decimal) so formatting never invents precision. A `pending` value has no number at all.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use crate::ctx::{Ctx, is_valid_id};
use crate::diag::Diagnostic;
use crate::manifest::Loc;

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Num {
    Int(i64),
    Float(f64),
}

impl Num {
    pub fn as_f64(self) -> f64 {
        match self {
            Num::Int(i) => i as f64,
            Num::Float(f) => f,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Reported,
    Derived,
    Pending,
}

/// A value or the mark that the source lost it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Value {
    Known(Num),
    Pending,
}

#[derive(Debug, Clone)]
pub struct Indicator {
    pub id: String,
    pub title: String,
    pub short: Option<String>,
    pub unit: String,
    pub value: Option<Value>,
    /// Year → value, ascending.
    pub series: BTreeMap<i32, Value>,
    pub qualifier: Option<String>,
    pub date: Option<String>,
    pub year: Option<i32>,
    pub source: String,
    pub status: Status,
    pub note: Option<String>,
    /// Fixed number of decimals to print (TOML drops trailing zeros: 86.20 reads as 86.2).
    pub decimals: Option<u8>,
    pub loc: Loc,
}

impl Indicator {
    /// Stands in for an indicator whose definition has errors.
    fn invalid(id: String, loc: Loc) -> Self {
        Indicator {
            title: id.clone(),
            id,
            short: None,
            unit: String::new(),
            value: None,
            series: BTreeMap::new(),
            qualifier: None,
            date: None,
            year: None,
            source: String::new(),
            status: Status::Pending,
            note: None,
            decimals: None,
            loc,
        }
    }

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

    /// The number as this indicator prints in a language.
    pub fn format(&self, n: Num, rules: &crate::numfmt::NumberRules) -> String {
        match self.decimals {
            Some(d) => rules.format_fixed(n, d),
            None => rules.format(n, &self.unit),
        }
    }
}

#[derive(Debug, Default)]
pub struct Data {
    pub indicators: BTreeMap<String, Indicator>,
}

impl Data {
    /// The data groups (file stems), sorted.
    pub fn groups(&self) -> Vec<String> {
        let mut g: Vec<String> =
            self.indicators.keys().filter_map(|id| id.split_once('.')).map(|(g, _)| g.to_string()).collect();
        g.dedup();
        g
    }

    pub fn get(&self, id: &str) -> Option<&Indicator> {
        self.indicators.get(id)
    }

    /// Looks an id up, or explains what is wrong (with the closest known id as a hint).
    pub fn lookup(&self, id: &str, loc: &Loc) -> Result<&Indicator, Diagnostic> {
        self.get(id).ok_or_else(|| {
            let mut d = loc.error("unknown-data", format!("unknown indicator `{id}`"));
            d = match self.closest(id) {
                Some(near) => d.hint(format!("did you mean `{near}`? Indicators are defined in data/<group>.toml")),
                None => d.hint("define it in data/<group>.toml; its id is `<group>.<key>`"),
            };
            d
        })
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
    unit: String,
    value: Option<Spanned<toml::Value>>,
    series: Option<Spanned<BTreeMap<String, Spanned<toml::Value>>>>,
    qualifier: Option<Spanned<String>>,
    date: Option<String>,
    year: Option<i32>,
    source: String,
    status: Status,
    #[serde(default)]
    #[allow(dead_code, reason = "provenance for editors; checked only for type")]
    seed_lines: Vec<u32>,
    note: Option<String>,
    decimals: Option<u8>,
}

pub const QUALIFIERS: &[&str] = &["about", "over", "nearly", "at least", "at most", "under"];

pub fn load(ctx: &mut Ctx) -> Data {
    let mut data = Data::default();
    let dir = ctx.root.join("data");
    let mut files: Vec<PathBuf> = match std::fs::read_dir(&dir) {
        Ok(rd) => {
            rd.filter_map(|e| e.ok()).map(|e| e.path()).filter(|p| p.extension().is_some_and(|e| e == "toml")).collect()
        }
        Err(_) => {
            ctx.push(
                Diagnostic::error("missing-file", "the project has no data/ folder")
                    .hint("create data/ with one TOML file per group of indicators"),
            );
            return data;
        }
    };
    files.sort();
    for path in files {
        let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or_default().to_string();
        let rel = Path::new("data").join(path.file_name().unwrap_or_default());
        if !is_valid_id(&stem, &['_', '-']) {
            ctx.push(
                Diagnostic::error(
                    "invalid-id",
                    format!("data file name `{stem}` must be lowercase letters, digits, `_` or `-`"),
                )
                .in_file(&rel),
            );
            continue;
        }
        let Some(raw) = ctx.read_toml::<BTreeMap<String, Spanned<RawIndicator>>>(&rel) else { continue };
        for (key, ri) in raw {
            let span = ri.span();
            let id = format!("{stem}.{key}");
            if !is_valid_id(&key, &['_']) {
                ctx.push(
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
                // Keep the id known (as pending): its error is reported once, here, and not
                // again at every tile and sentence that cites it.
                None => {
                    data.indicators.insert(id.clone(), Indicator::invalid(id, Loc { file: rel.clone(), span }));
                }
            }
        }
    }
    data
}

fn validate(ctx: &mut Ctx, file: &Path, span: Range<usize>, id: String, raw: RawIndicator) -> Option<Indicator> {
    let loc = Loc { file: file.to_path_buf(), span: span.clone() };
    let err = |span: Range<usize>, msg: String, hint: &str| {
        Diagnostic::error("invalid-value", msg).at(file, Some(span)).hint(hint.to_string())
    };
    let mut ok = true;

    let value = match &raw.value {
        Some(v) => match num_or_pending(v.get_ref()) {
            Some(x) => Some(x),
            None => {
                ctx.push(err(
                    v.span(),
                    format!("the value of `{id}` must be a number or \"pending\""),
                    "write the number without units or separators, e.g. 424000",
                ));
                ok = false;
                None
            }
        },
        None => None,
    };
    let mut series = BTreeMap::new();
    if let Some(s) = &raw.series {
        for (year, v) in s.get_ref() {
            let Ok(y) = year.parse::<i32>() else {
                ctx.push(err(
                    v.span(),
                    format!("series key `{year}` of `{id}` is not a year"),
                    "use years as keys: series = { 2019 = 1.0, 2020 = 2.0 }",
                ));
                ok = false;
                continue;
            };
            match num_or_pending(v.get_ref()) {
                Some(x) => {
                    series.insert(y, x);
                }
                None => {
                    ctx.push(err(
                        v.span(),
                        format!("the {year} value of `{id}` must be a number or \"pending\""),
                        "write the number without units or separators",
                    ));
                    ok = false;
                }
            }
        }
        if s.get_ref().is_empty() {
            ctx.push(err(
                s.span(),
                format!("the series of `{id}` is empty"),
                "give at least one year, or set status = \"pending\"",
            ));
            ok = false;
        }
    }
    match (raw.status, &raw.value, &raw.series) {
        (Status::Pending, Some(v), _) => {
            ctx.push(err(
                v.span(),
                format!("`{id}` is pending but has a value"),
                "remove the value, or change status to \"reported\"",
            ));
            ok = false;
        }
        (Status::Pending, None, None) => {}
        (_, Some(v), Some(_)) => {
            ctx.push(err(v.span(), format!("`{id}` has both `value` and `series`"), "keep one"));
            ok = false;
        }
        (Status::Reported | Status::Derived, None, None) => {
            ctx.push(err(
                span.start..span.start,
                format!("`{id}` has no `value` or `series`"),
                "add the number, or set status = \"pending\" if the source lost it (never guess)",
            ));
            ok = false;
        }
        _ => {}
    }
    let qualifier = match raw.qualifier {
        Some(q) if QUALIFIERS.contains(&q.get_ref().as_str()) => Some(q.into_inner()),
        Some(q) => {
            ctx.push(err(
                q.span(),
                format!("unknown qualifier `{}`", q.get_ref()),
                &format!("use one of: {}", QUALIFIERS.join(", ")),
            ));
            None
        }
        None => None,
    };
    ok.then(|| Indicator {
        id,
        title: raw.title,
        short: raw.short,
        unit: raw.unit,
        value,
        series,
        qualifier,
        date: raw.date,
        year: raw.year,
        source: raw.source,
        status: raw.status,
        note: raw.note,
        decimals: raw.decimals,
        loc,
    })
}

fn num_or_pending(v: &toml::Value) -> Option<Value> {
    match v {
        toml::Value::Integer(i) => Some(Value::Known(Num::Int(*i))),
        toml::Value::Float(f) if f.is_finite() => Some(Value::Known(Num::Float(*f))),
        toml::Value::String(s) if s == "pending" => Some(Value::Pending),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ind(value: Option<Value>, series: &[(i32, f64)], status: Status) -> Indicator {
        Indicator {
            id: "g.x".into(),
            title: "X".into(),
            short: None,
            unit: "%".into(),
            value,
            series: series.iter().map(|(y, v)| (*y, Value::Known(Num::Float(*v)))).collect(),
            qualifier: None,
            date: None,
            year: None,
            source: "s".into(),
            status,
            note: None,
            decimals: None,
            loc: Loc { file: "data/g.toml".into(), span: 0..0 },
        }
    }

    #[test]
    fn value_lookup_by_year() {
        let s = ind(None, &[(2015, 60.0), (2020, 80.0)], Status::Reported);
        assert_eq!(s.at(Some(2020)), Ok(Value::Known(Num::Float(80.0))));
        assert!(s.at(Some(2019)).unwrap_err().contains("has no value for 2019"));
        assert!(s.at(None).unwrap_err().contains("is a series"));
        let p = ind(None, &[], Status::Pending);
        assert_eq!(p.at(None), Ok(Value::Pending));
    }

    #[test]
    fn closest_id_is_suggested() {
        assert_eq!(edit_distance("sdg13.nev_stok", "sdg13.nev_stock"), 1);
    }
}
