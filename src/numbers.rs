//! Numbers as a language writes them. The Unicode CLDR's rules, through ICU4X, decide the
//! decimal mark, the group separator and when to group, the minus sign, the digits, the
//! percent pattern and the plural categories; a pack's `[numbers]` may override the marks,
//! the grouping, the digits and the percent pattern, and gives the scale words ("million",
//! "万") with a form per plural category.
//!
//! A number is never patched as a string: ICU4X's `DecimalFormatter` writes it as typed parts
//! (integer, group, decimal, fraction, sign) and each part's text is taken as written, except
//! the group and decimal parts when the pack names its own marks. A percentage is CLDR's
//! percent pattern (ICU4X's data, tabled in `numbers/percent_data.rs`) around that number, or
//! the pack's `percent` with the number at its `{n}`.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use fixed_decimal::{Decimal, Sign};
use icu_decimal::DecimalFormatter;
use icu_decimal::options::{DecimalFormatterOptions, GroupingStrategy};
use icu_decimal::parts;
use icu_locale_core::Locale;
use icu_plurals::{PluralCategory, PluralRules};
use icu_provider::prelude::*;
use serde::Deserialize;
use toml::Spanned;
use writeable::{Part, PartsWrite, Writeable};

mod check;
mod percent;

/// A number as written in a data file: integers stay integers, so formatting never invents
/// precision.
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

    /// The number as written in the data file: integers as integers, decimals in their
    /// shortest exact form (571.45 stays 571.45).
    pub fn plain(self) -> String {
        match self {
            Num::Int(i) => i.to_string(),
            Num::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", f as i64),
            Num::Float(f) => format!("{f}"),
        }
    }
}

/// A pack's `[numbers]`: what it overrides of CLDR's rules, and its scale words. Each override
/// keeps its place in `pack.toml`, so [`NumberRules::check`] can point at it.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NumberRules {
    /// The decimal mark.
    pub decimal: Option<Spanned<String>>,
    /// The group separator; "" never groups.
    pub group: Option<Spanned<String>>,
    /// Group only numbers with at least this many integer digits (4: `1,330`; 5: `1330`).
    pub group_min_digits: Option<Spanned<i64>>,
    /// How a percentage is written, `{n}` for the number (`{n} %`).
    pub percent: Option<Spanned<String>>,
    /// The digits (CLDR numbering system): `latn` for 0-9, `arab` for Arabic-Indic, …
    pub digits: Option<Spanned<String>>,
    /// Large numbers are written with a word when that stays exact: 166000000 → "166 million".
    #[serde(default)]
    pub scales: Vec<Spanned<Scale>>,
}

/// A scale word: one form per plural category the language has (`one`, `few`, `other`, …),
/// or `suffix` for every category.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scale {
    /// The power of ten this word stands for (6 = million, 4 = 万, 8 = 亿).
    pub power: u32,
    pub suffix: Option<String>,
    pub zero: Option<String>,
    pub one: Option<String>,
    pub two: Option<String>,
    pub few: Option<String>,
    pub many: Option<String>,
    pub other: Option<String>,
}

impl Scale {
    /// The form for a plural category (as appended to the number).
    pub fn form(&self, category: PluralCategory) -> Option<&str> {
        let form = match category {
            PluralCategory::Zero => &self.zero,
            PluralCategory::One => &self.one,
            PluralCategory::Two => &self.two,
            PluralCategory::Few => &self.few,
            PluralCategory::Many => &self.many,
            PluralCategory::Other => &self.other,
        };
        form.as_deref().or(self.suffix.as_deref())
    }
}

/// The CLDR name of a plural category.
pub fn category_name(c: PluralCategory) -> &'static str {
    match c {
        PluralCategory::Zero => "zero",
        PluralCategory::One => "one",
        PluralCategory::Two => "two",
        PluralCategory::Few => "few",
        PluralCategory::Many => "many",
        PluralCategory::Other => "other",
    }
}

/// The plural categories of a Typst language and region, in CLDR order (they do not depend
/// on a pack's overrides).
pub fn plural_categories(lang: &str, region: Option<&str>) -> Result<Vec<PluralCategory>, String> {
    let locale = locale(lang, region)?;
    let plurals = PluralRules::try_new_cardinal((&locale).into()).map_err(|e| e.to_string())?;
    Ok(plurals.categories().collect())
}

/// A share of a whole, printed with its sign in the language's percent pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ratio {
    Percent,
    PerMille,
}

impl Ratio {
    /// The ratio a data unit stands for: `%` and `‰`.
    pub fn of(unit: &str) -> Option<Self> {
        match unit {
            "%" => Some(Ratio::Percent),
            "‰" => Some(Ratio::PerMille),
            _ => None,
        }
    }
}

/// Whether values in this unit print with a percent (or per mille) sign.
pub fn is_percent(unit: &str) -> bool {
    Ratio::of(unit).is_some()
}

/// The percent signs a pattern may hold, each with its per mille sign: ICU4X has no per mille
/// data, so a per mille value prints in the percent pattern with this sign swapped.
const PER_MILLE: [(char, char); 2] = [('%', '‰'), ('٪', '؉')];

/// At most this many decimals after scaling; otherwise the number is written in full, so that
/// 1,067,700 stays exact instead of becoming "1.0677 million".
const MAX_SCALED_DECIMALS: usize = 3;

/// What `group_min_digits` may be: 4 groups `1,234`, 5 leaves `1234` whole and groups `12,345`
/// (ICU4X's `Always` and `Min2`; it has no strategy for more).
const GROUP_MIN_DIGITS: std::ops::RangeInclusive<i64> = 4..=5;

/// The number rules of one language, ready to format.
pub struct Format {
    decimal: DecimalFormatter,
    /// The same digits, never grouped (years).
    ungrouped: DecimalFormatter,
    /// The pack's marks, written in place of ICU4X's group and decimal parts.
    marks: Marks,
    /// The minus sign of a negative percentage, from the decimal formatter's sign part.
    minus: String,
    percent: Pattern,
    per_mille: Pattern,
    plurals: PluralRules,
    /// Largest power first.
    scales: Vec<Scale>,
}

#[derive(Default)]
struct Marks {
    group: Option<String>,
    decimal: Option<String>,
}

/// A percentage pattern: the pieces of a positive and of a negative value.
#[derive(Debug, Clone)]
struct Pattern {
    positive: Vec<Piece>,
    negative: Vec<Piece>,
}

#[derive(Debug, Clone)]
enum Piece {
    Text(String),
    /// The number without its sign (CLDR's patterns place the sign themselves).
    Magnitude,
    /// The minus sign, as the decimal formatter writes it for the edition's digits.
    Minus,
    /// The number with its sign, as the decimal formatter writes it (a pack's `{n}`).
    Signed,
}

impl Pattern {
    /// CLDR's percent patterns for a locale, as ICU4X's `PercentFormatter` finds them
    /// ([`percent::cldr`]), taken as pieces so the number itself can be written from its parts
    /// (the formatter writes only a finished string). The data is keyed by language and
    /// region, not digits: its minus sign is taken from the decimal formatter instead, which
    /// writes the same one for the language's own digits and the right one for a pack's
    /// `digits`.
    fn cldr(locale: &Locale) -> Result<Self, String> {
        let (unsigned, signed) =
            percent::cldr(locale).ok_or_else(|| format!("ICU4X has no percent pattern for `{locale}`"))?;
        Ok(Self { positive: Self::pieces(unsigned), negative: Self::pieces(signed) })
    }

    /// A table pattern's pieces: `{0}` the number without its sign, `{1}` the minus sign.
    fn pieces(pattern: &str) -> Vec<Piece> {
        let mut pieces = Vec::new();
        let mut rest = pattern;
        loop {
            let next = [("{0}", Piece::Magnitude), ("{1}", Piece::Minus)]
                .into_iter()
                .filter_map(|(mark, piece)| rest.find(mark).map(|at| (at, mark.len(), piece)))
                .min_by_key(|(at, ..)| *at);
            let Some((at, len, piece)) = next else { break };
            if at > 0 {
                pieces.push(Piece::Text(rest[..at].to_string()));
            }
            pieces.push(piece);
            rest = &rest[at + len..];
        }
        if !rest.is_empty() {
            pieces.push(Piece::Text(rest.to_string()));
        }
        pieces
    }

    /// A pack's pattern, `{n}` for the number with its sign (validated to occur once).
    fn pack(pattern: &str) -> Self {
        let (before, after) = pattern.split_once(N).unwrap_or((pattern, ""));
        let pieces = vec![Piece::Text(before.to_string()), Piece::Signed, Piece::Text(after.to_string())];
        Self { positive: pieces.clone(), negative: pieces }
    }

    /// The same pattern with its percent sign read as a per mille sign.
    fn per_mille(&self) -> Self {
        let swap = |pieces: &[Piece]| {
            pieces
                .iter()
                .map(|p| match p {
                    Piece::Text(t) => Piece::Text(
                        t.chars().map(|c| PER_MILLE.iter().find(|(pc, _)| *pc == c).map_or(c, |(_, pm)| *pm)).collect(),
                    ),
                    other => other.clone(),
                })
                .collect()
        };
        Self { positive: swap(&self.positive), negative: swap(&self.negative) }
    }
}

/// Where a pack's number or label pattern takes its number.
pub const N: &str = "{n}";

impl Format {
    /// The rules for a Typst language and region (`fr`, `zh` + `cn`) with a pack's overrides.
    /// Fails for a language ICU4X does not know and for digits it has none of; the other
    /// overrides are checked by [`NumberRules::check`].
    pub fn new(lang: &str, region: Option<&str>, rules: &NumberRules) -> Result<Self, String> {
        let base = locale(lang, region)?;
        let locale = match &rules.digits {
            Some(nu) => with_digits(&base, nu.get_ref())?,
            None => base.clone(),
        };
        let group = rules.group.as_ref().map(|g| g.get_ref().clone());
        let grouping = match (&group, rules.group_min_digits.as_ref().map(|n| *n.get_ref())) {
            (Some(g), _) if g.is_empty() => GroupingStrategy::Never,
            (_, Some(n)) if n >= 5 => GroupingStrategy::Min2,
            (_, Some(_)) => GroupingStrategy::Always,
            _ => GroupingStrategy::Auto,
        };
        let decimal = formatter(&locale, grouping)?;
        let ungrouped = formatter(&locale, GroupingStrategy::Never)?;
        let plurals = PluralRules::try_new_cardinal((&base).into()).map_err(|e| e.to_string())?;
        let percent = match &rules.percent {
            Some(p) => Pattern::pack(p.get_ref()),
            None => Pattern::cldr(&base)?,
        };
        let per_mille = percent.per_mille();
        let minus = Parts::of(&decimal.format(&Decimal::from(-1))).first(parts::MINUS_SIGN).unwrap_or("-").to_string();
        let marks = Marks { group, decimal: rules.decimal.as_ref().map(|d| d.get_ref().clone()) };
        let mut scales: Vec<Scale> = rules.scales.iter().map(|s| s.get_ref().clone()).collect();
        scales.sort_by_key(|s| std::cmp::Reverse(s.power));
        Ok(Self { decimal, ungrouped, marks, minus, percent, per_mille, plurals, scales })
    }

    /// The plural categories of the language, in CLDR order.
    pub fn categories(&self) -> Vec<PluralCategory> {
        self.plurals.categories().collect()
    }

    /// The plural category of a number as printed (`1.5` and `1` may differ).
    pub fn category(&self, digits: &str) -> PluralCategory {
        match Decimal::from_str(digits) {
            Ok(d) => self.plurals.category_for(&d),
            Err(_) => PluralCategory::Other,
        }
    }

    /// A plain decimal number (`-1234.5`, as data files write numbers) as this language
    /// writes it: ICU4X's `DecimalFormatter` for the pack's language, region, digits and
    /// grouping, each of its parts as ICU4X writes it, except the group and decimal parts
    /// when the pack sets `group` or `decimal`. `None` when `plain` is not a decimal number.
    ///
    /// This is the reference a test compares a printed number with: ICU4X's own formatting,
    /// or the pack's marks put in place of ICU4X's parts.
    pub fn number(&self, plain: &str) -> Option<String> {
        let d = Decimal::from_str(plain).ok()?;
        Some(self.write(&self.decimal, &d))
    }

    /// A plain decimal number as a percentage or per mille value: CLDR's percent pattern
    /// around [`Format::number`] (or the pack's `percent`, the number at its `{n}`).
    /// `None` when `plain` is not a decimal number.
    pub fn ratio(&self, plain: &str, ratio: Ratio) -> Option<String> {
        let d = Decimal::from_str(plain).ok()?;
        let pattern = match ratio {
            Ratio::Percent => &self.percent,
            Ratio::PerMille => &self.per_mille,
        };
        let negative = d.sign() == Sign::Negative;
        let pieces = if negative { &pattern.negative } else { &pattern.positive };
        let mut out = String::new();
        for piece in pieces {
            match piece {
                Piece::Text(t) => out.push_str(t),
                Piece::Minus => out.push_str(&self.minus),
                Piece::Signed => out.push_str(&self.write(&self.decimal, &d)),
                Piece::Magnitude => out.push_str(&self.write(&self.decimal, &d.clone().with_sign(Sign::None))),
            }
        }
        Some(out)
    }

    /// A value of an indicator in `unit`, as it prints: years in the language's digits but
    /// never grouped ("2008"), percentages in the language's pattern ("47,5 %"), large exact
    /// numbers with a scale word ("1.857 billion"), others grouped; `decimals` fixes the
    /// number of decimals ("86.20").
    pub fn value(&self, n: Num, unit: &str, decimals: Option<u8>) -> String {
        let plain = match decimals {
            Some(d) => format!("{:.*}", d as usize, n.as_f64()),
            None => n.plain(),
        };
        let printed = if unit == "year" {
            Decimal::from_str(&plain).ok().map(|d| self.write(&self.ungrouped, &d))
        } else if let Some(ratio) = Ratio::of(unit) {
            self.ratio(&plain, ratio)
        } else if decimals.is_none() {
            self.scaled(n).or_else(|| self.number(&plain))
        } else {
            self.number(&plain)
        };
        // Not a decimal number (an infinite float): as the data file writes it.
        printed.unwrap_or(plain)
    }

    /// The number with the largest scale word that keeps it exact, if any.
    fn scaled(&self, n: Num) -> Option<String> {
        let plain = n.plain();
        let negative = plain.starts_with('-');
        let digits = plain.trim_start_matches('-');
        let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
        self.scales.iter().find_map(|s| {
            let power = s.power as usize;
            if int.len() <= power {
                return None;
            }
            // Shift the decimal point left by `power`, exactly, on the digit string.
            let (head, tail) = int.split_at(int.len() - power);
            let decimals = format!("{tail}{frac}");
            let decimals = decimals.trim_end_matches('0');
            if decimals.len() > MAX_SCALED_DECIMALS {
                return None;
            }
            let sign = if negative { "-" } else { "" };
            let shifted =
                if decimals.is_empty() { format!("{sign}{head}") } else { format!("{sign}{head}.{decimals}") };
            let word = s.form(self.category(&shifted))?;
            Some(format!("{}{word}", self.number(&shifted)?))
        })
    }

    /// The form of a word (a unit) for a value as printed, from its forms by category name.
    pub fn pick<'a>(&self, n: Num, forms: &'a BTreeMap<String, String>) -> Option<&'a str> {
        let c = self.category(&n.plain());
        forms.get(category_name(c)).or_else(|| forms.get("other")).map(String::as_str)
    }

    /// A number through a formatter's parts, the pack's marks in place of ICU4X's.
    fn write(&self, formatter: &DecimalFormatter, d: &Decimal) -> String {
        let parts = Parts::of(&formatter.format(d));
        let mut out = String::new();
        for (part, text) in &parts.runs {
            let mark = match *part {
                Some(p) if p == parts::GROUP => self.marks.group.as_deref(),
                Some(p) if p == parts::DECIMAL => self.marks.decimal.as_deref(),
                _ => None,
            };
            out.push_str(mark.unwrap_or(text));
        }
        out
    }
}

/// The text ICU4X writes for a number, run by run, each with the innermost part it belongs
/// to (a group mark is a `GROUP` run between two `INTEGER` runs).
#[derive(Default)]
struct Parts {
    runs: Vec<(Option<Part>, String)>,
    current: Option<Part>,
}

impl Parts {
    fn of(w: &impl Writeable) -> Self {
        let mut parts = Parts::default();
        // Writing into a String cannot fail.
        let _ = w.write_to_parts(&mut parts);
        parts
    }

    /// The text of the first run of a part.
    fn first(&self, part: Part) -> Option<&str> {
        self.runs.iter().find(|(p, _)| *p == Some(part)).map(|(_, t)| t.as_str())
    }
}

impl fmt::Write for Parts {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        match self.runs.last_mut() {
            Some((part, text)) if *part == self.current => text.push_str(s),
            _ => self.runs.push((self.current, s.to_string())),
        }
        Ok(())
    }
}

impl PartsWrite for Parts {
    type SubPartsWrite = Self;

    fn with_part(&mut self, part: Part, mut f: impl FnMut(&mut Self) -> fmt::Result) -> fmt::Result {
        let outer = self.current.replace(part);
        // Each part starts a run of its own: two groups never merge into one.
        self.runs.push((Some(part), String::new()));
        let result = f(self);
        self.current = outer;
        result
    }
}

/// A Typst language and region as a locale (`zh` + `cn` → `zh-CN`).
fn locale(lang: &str, region: Option<&str>) -> Result<Locale, String> {
    let tag = match region {
        Some(r) => format!("{lang}-{}", r.to_uppercase()),
        None => lang.to_string(),
    };
    Locale::from_str(&tag).map_err(|e| format!("`{tag}` is not a language tag: {e}"))
}

/// The locale with a numbering system ICU4X has digits for (`-u-nu-arab`). ICU4X itself falls
/// back to the language's digits for one it does not know: refused here instead.
fn with_digits(locale: &Locale, nu: &str) -> Result<Locale, String> {
    if !has_digits(nu) {
        return Err(format!("ICU4X has no digits `{nu}`"));
    }
    Locale::from_str(&format!("{locale}-u-nu-{nu}")).map_err(|e| e.to_string())
}

/// Whether ICU4X's data has the ten digits of a CLDR numbering system.
fn has_digits(nu: &str) -> bool {
    // A locale's `nu` value: 3 to 8 letters and digits.
    if !(3..=8).contains(&nu.len()) || !nu.chars().all(|c| c.is_ascii_alphanumeric()) {
        return false;
    }
    let Ok(attributes) = DataMarkerAttributes::try_from_str(nu) else { return false };
    let request = DataRequest { id: DataIdentifierBorrowed::for_marker_attributes(attributes), ..Default::default() };
    let digits: Result<DataResponse<icu_decimal::provider::DecimalDigitsV1>, _> =
        icu_decimal::provider::Baked.load(request);
    digits.is_ok()
}

fn formatter(locale: &Locale, grouping: GroupingStrategy) -> Result<DecimalFormatter, String> {
    let mut options = DecimalFormatterOptions::default();
    options.grouping_strategy = Some(grouping);
    DecimalFormatter::try_new(locale.into(), options).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn format(lang: &str, region: Option<&str>, rules: &str) -> Format {
        Format::new(lang, region, &toml::from_str(rules).unwrap()).unwrap()
    }

    #[test]
    fn english() {
        let f =
            format("en", None, "scales = [{ power = 6, suffix = \" million\" }, { power = 9, suffix = \" billion\" }]");
        assert_eq!(f.value(Num::Int(1330), "", None), "1,330");
        assert_eq!(f.value(Num::Int(424000), "", None), "424,000");
        assert_eq!(f.value(Num::Int(1_857_000_000), "yuan", None), "1.857 billion");
        assert_eq!(f.value(Num::Int(166_000_000), "tons", None), "166 million");
        assert_eq!(f.value(Num::Int(1_067_700), "tons", None), "1,067,700");
        assert_eq!(f.value(Num::Float(571.45), "", None), "571.45");
        assert_eq!(f.value(Num::Float(41.0), "%", None), "41%");
        assert_eq!(f.value(Num::Int(2008), "year", None), "2008");
        assert_eq!(f.value(Num::Float(86.2), "", Some(2)), "86.20");
        assert_eq!(f.value(Num::Float(4200.5), "", Some(2)), "4,200.50");
        assert_eq!(f.value(Num::Float(-2.5), "%", None), "-2.5%");
        assert_eq!(f.value(Num::Float(3.5), "‰", None), "3.5‰");
    }

    #[test]
    fn cldr_rules_per_language() {
        let es = format("es", None, "");
        assert_eq!(es.value(Num::Float(98765432.1), "", None), "98.765.432,1");
        assert_eq!(es.value(Num::Int(1234), "", None), "1234", "Spanish groups from five digits");
        assert_eq!(es.value(Num::Float(7.5), "%", None), "7,5\u{a0}%");
        let ru = format("ru", None, "");
        assert_eq!(ru.value(Num::Float(98765432.1), "", None), "98\u{a0}765\u{a0}432,1");
        let fr = format("fr", None, "");
        assert_eq!(fr.value(Num::Float(47.5), "%", None), "47,5\u{a0}%");
    }

    #[test]
    fn scale_words_agree_with_the_number() {
        let ru = format(
            "ru",
            None,
            "scales = [{ power = 6, one = \" миллион\", few = \" миллиона\", many = \" миллионов\", other = \" миллиона\" }]",
        );
        assert_eq!(ru.value(Num::Int(1_000_000), "", None), "1 миллион");
        assert_eq!(ru.value(Num::Int(2_000_000), "", None), "2 миллиона");
        assert_eq!(ru.value(Num::Int(5_000_000), "", None), "5 миллионов");
        assert_eq!(ru.value(Num::Int(1_500_000), "", None), "1,5 миллиона");
        let fr = format(
            "fr",
            None,
            "scales = [{ power = 6, one = \" million\", many = \" millions\", other = \" millions\" }]",
        );
        assert_eq!(fr.value(Num::Int(1_250_000), "", None), "1,25 million");
        assert_eq!(fr.value(Num::Int(3_000_000), "", None), "3 millions");
    }

    #[test]
    fn chinese_style_rules_are_data() {
        let zh = format(
            "zh",
            Some("cn"),
            "group = \"\"\nscales = [{ power = 4, suffix = \"万\" }, { power = 8, suffix = \"亿\" }]",
        );
        assert_eq!(zh.value(Num::Int(1330), "", None), "1330");
        assert_eq!(zh.value(Num::Int(424000), "", None), "42.4万");
        assert_eq!(zh.value(Num::Int(1_857_000_000), "", None), "18.57亿");
        assert_eq!(zh.value(Num::Float(41.0), "%", None), "41%");
    }

    #[test]
    fn a_pack_overrides_the_symbols() {
        let xx = format("de", None, "group = \".\"\ndecimal = \",\"");
        assert_eq!(xx.value(Num::Float(424000.5), "", None), "424.000,5");
    }

    /// Languages whose CLDR rules group only from five digits: a probe of "1000.5" found no
    /// group mark in them, and a pack's `group` was put between every character.
    const GROUPING_FROM_FIVE_DIGITS: [(&str, Option<&str>); 8] = [
        ("es", None),
        ("it", None),
        ("pl", None),
        ("pt", Some("pt")),
        ("hu", None),
        ("bg", None),
        ("lv", None),
        ("et", None),
    ];

    #[test]
    fn a_group_override_marks_the_groups_only() {
        for (lang, region) in GROUPING_FROM_FIVE_DIGITS {
            // CLDR: Estonian writes U+2212 for minus; Spanish a no-break space before `%`.
            let minus = if lang == "et" { "\u{2212}" } else { "-" };
            let space = if lang == "es" { "\u{a0}" } else { "" };
            let f = format(lang, region, "group = \".\"");
            let value = |n: Num, unit: &str| f.value(n, unit, None);
            assert_eq!(value(Num::Int(1_234_567), ""), "1.234.567", "{lang}");
            assert_eq!(value(Num::Int(1234), ""), "1234", "{lang}");
            assert_eq!(value(Num::Int(12345), ""), "12.345", "{lang}");
            assert_eq!(value(Num::Float(-1_234_567.5), ""), format!("{minus}1.234.567,5"), "{lang}");
            assert_eq!(value(Num::Int(123_456_789_012_345), ""), "123.456.789.012.345", "{lang}");
            assert_eq!(value(Num::Float(41.0), "%"), format!("41{space}%"), "{lang}");
            assert_eq!(value(Num::Float(-2.5), "%"), format!("{minus}2,5{space}%"), "{lang}");
            assert_eq!(value(Num::Float(12345.5), "%"), format!("12.345,5{space}%"), "{lang}");
            assert_eq!(value(Num::Float(-3.5), "‰"), format!("{minus}3,5{space}‰"), "{lang}");
            assert_eq!(value(Num::Int(2026), "year"), "2026", "{lang}");
            let f = format(lang, region, "group = \"'\"\ndecimal = \".\"");
            assert_eq!(f.value(Num::Float(-1_234_567.5), "", None), format!("{minus}1'234'567.5"), "{lang}");
            assert_eq!(f.value(Num::Float(-12345.25), "%", None), format!("{minus}12'345.25{space}%"), "{lang}");
            assert_eq!(f.value(Num::Float(0.5), "‰", None), format!("0.5{space}‰"), "{lang}");
        }
    }

    #[test]
    fn a_percent_override_prints_its_number() {
        let es = format("es", None, "percent = \"{n}%\"\ngroup = \".\"");
        assert_eq!(es.value(Num::Float(41.0), "%", None), "41%");
        assert_eq!(es.value(Num::Float(-2.5), "%", None), "-2,5%");
        assert_eq!(es.value(Num::Float(12345.5), "%", None), "12.345,5%");
        assert_eq!(es.value(Num::Float(3.5), "‰", None), "3,5‰");
    }

    #[test]
    fn chinese_digits_keep_their_marks() {
        let zh = format("zh", Some("cn"), "digits = \"hanidec\"");
        assert_eq!(zh.value(Num::Float(1_234_567.5), "", None), "一,二三四,五六七.五");
        assert_eq!(zh.value(Num::Float(-1234.5), "", None), "-一,二三四.五");
        assert_eq!(zh.value(Num::Float(41.0), "%", None), "四一%");
        assert_eq!(zh.value(Num::Float(-2.5), "%", None), "-二.五%");
        assert_eq!(zh.value(Num::Float(3.5), "‰", None), "三.五‰");
        assert_eq!(zh.value(Num::Int(2021), "year", None), "二〇二一");
        let zh = format(
            "zh",
            Some("cn"),
            "digits = \"hanidec\"\ngroup = \"\"\n\
             scales = [{ power = 4, suffix = \"万\" }, { power = 8, suffix = \"亿\" }]",
        );
        assert_eq!(zh.value(Num::Int(1330), "", None), "一三三〇");
        assert_eq!(zh.value(Num::Int(424_000), "", None), "四二.四万");
        assert_eq!(zh.value(Num::Int(-1_857_000_000), "", None), "-一八.五七亿");
    }

    #[test]
    fn arabic_indic_digits_keep_their_marks() {
        let ar = format("ar", None, "digits = \"arab\"");
        // CLDR's marks for these digits: ٬ groups, ٫ before the decimals, ALM and hyphen for minus.
        assert_eq!(ar.value(Num::Float(1_234_567.5), "", None), "١٬٢٣٤٬٥٦٧٫٥");
        assert_eq!(ar.value(Num::Float(-1234.5), "", None), "\u{61c}-١٬٢٣٤٫٥");
        assert_eq!(ar.value(Num::Int(2021), "year", None), "٢٠٢١");
        // ICU4X's percent pattern is the language's (Latin digits): its sign stays, the
        // number and its minus are the edition's.
        assert_eq!(ar.value(Num::Float(41.0), "%", None), "٤١\u{200e}%\u{200e}");
        assert_eq!(ar.value(Num::Float(-2.5), "%", None), "\u{61c}-٢٫٥\u{200e}%\u{200e}");
        // The README's advice for these digits: the pack's own percent pattern.
        let ar = format("ar", None, "digits = \"arab\"\npercent = \"{n}٪\"");
        assert_eq!(ar.value(Num::Float(41.0), "%", None), "٤١٪");
        assert_eq!(ar.value(Num::Float(-2.5), "%", None), "\u{61c}-٢٫٥٪");
        assert_eq!(ar.value(Num::Float(3.5), "‰", None), "٣٫٥؉");
        assert_eq!(ar.value(Num::Float(-1234.5), "‰", None), "\u{61c}-١٬٢٣٤٫٥؉");
    }

    /// Where a negative percentage differs from ICU4X's PercentFormatter: Egyptian Arabic
    /// writes Arabic-Indic digits, but ICU4X's percent data is Arabic's (Latin digits) with
    /// its minus sign (LRM, hyphen). The minus here is the one of the digits (ALM, hyphen), as
    /// every other negative number of the edition prints.
    const MINUS_OF_THE_DIGITS: [(&str, &str, &str); 2] = [
        ("ar-EG", "-2.5", "\u{61c}-٢٫٥\u{200e}%\u{200e}"),
        ("ar-EG", "-98765432.1", "\u{61c}-٩٨٬٧٦٥٬٤٣٢٫١\u{200e}%\u{200e}"),
    ];

    /// What ICU4X's PercentFormatter (icu_experimental 0.7) writes for 7 and -7, recorded when
    /// vlr took CLDR's percent patterns into a table instead of compiling that crate: a
    /// percentage prints the number's magnitude in the place of the 7.
    const PERCENT_FORMATTER: [(&str, &str, &str); 24] = [
        ("en", "7%", "-7%"),
        ("es", "7\u{a0}%", "-7\u{a0}%"),
        ("fr", "7\u{a0}%", "-7\u{a0}%"),
        ("de", "7\u{a0}%", "-7\u{a0}%"),
        ("ru", "7\u{a0}%", "-7\u{a0}%"),
        ("ar", "7\u{200e}%\u{200e}", "\u{200e}-7\u{200e}%\u{200e}"),
        ("ar-EG", "٧\u{200e}%\u{200e}", "\u{200e}-٧\u{200e}%\u{200e}"),
        ("zh-CN", "7%", "-7%"),
        ("ja", "7%", "-7%"),
        ("hi", "7%", "-7%"),
        ("bn", "৭%", "-৭%"),
        ("fa", "۷%", "\u{200e}−۷%"),
        ("he", "7%", "\u{200e}-7%"),
        ("tr", "%7", "-%7"),
        ("sv", "7\u{a0}%", "−7\u{a0}%"),
        ("et", "7%", "−7%"),
        ("pt-PT", "7%", "-7%"),
        ("de-CH", "7%", "-7%"),
        ("th", "7%", "-7%"),
        ("pl", "7%", "-7%"),
        ("it", "7%", "-7%"),
        ("hu", "7%", "-7%"),
        ("bg", "7%", "-7%"),
        ("lv", "7%", "-7%"),
    ];

    /// With no override, a number is what ICU4X's DecimalFormatter writes and a percentage
    /// what its PercentFormatter writes, in every script.
    #[test]
    fn without_overrides_numbers_are_icu4x_own() {
        for (tag, seven, minus_seven) in PERCENT_FORMATTER {
            let (lang, region) = tag.split_once('-').map_or((tag, None), |(l, r)| (l, Some(r)));
            let f = Format::new(lang, region, &NumberRules::default()).unwrap();
            let locale = Locale::from_str(tag).unwrap();
            let decimal = DecimalFormatter::try_new((&locale).into(), Default::default()).unwrap();
            let digit_seven = decimal.format(&Decimal::from(7)).to_string();
            for plain in ["0", "7", "-2.5", "1234", "12345.678", "-98765432.1", "0.05"] {
                let d = Decimal::from_str(plain).unwrap();
                assert_eq!(f.number(plain).unwrap(), decimal.format(&d).to_string(), "{tag} {plain}");
                let ours = f.ratio(plain, Ratio::Percent).unwrap();
                let magnitude = decimal.format(&d.clone().with_sign(Sign::None)).to_string();
                let pattern = if d.sign() == Sign::Negative { minus_seven } else { seven };
                let percent_formatter = pattern.replacen(&digit_seven, &magnitude, 1);
                match MINUS_OF_THE_DIGITS.iter().find(|(t, p, _)| *t == tag && *p == plain) {
                    Some((_, _, expected)) => assert_eq!(ours, *expected, "{tag} {plain}%"),
                    None => assert_eq!(ours, percent_formatter, "{tag} {plain}%"),
                }
            }
        }
    }

    #[test]
    fn not_a_number_is_refused() {
        let en = format("en", None, "");
        assert_eq!(en.number("12a"), None);
        assert_eq!(en.ratio("", Ratio::Percent), None);
        assert_eq!(en.value(Num::Float(f64::INFINITY), "", None), "inf");
    }
}
