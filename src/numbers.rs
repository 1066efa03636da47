//! Numbers as a language writes them. The Unicode CLDR's rules, through ICU4X, decide the
//! decimal mark, the group separator and when to group, the minus sign, the digits, the
//! percent pattern and the plural categories; a pack's `[numbers]` may override any of them
//! and gives the scale words ("million", "万") with a form per plural category.

use std::collections::BTreeMap;
use std::str::FromStr;

use fixed_decimal::Decimal;
use icu_decimal::DecimalFormatter;
use icu_decimal::options::{DecimalFormatterOptions, GroupingStrategy};
use icu_experimental::dimension::percent::formatter::PercentFormatter;
use icu_locale_core::Locale;
use icu_plurals::{PluralCategory, PluralRules};
use serde::Deserialize;
use toml::Spanned;

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

/// A pack's `[numbers]`: what it overrides of CLDR's rules, and its scale words.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NumberRules {
    /// The decimal mark.
    pub decimal: Option<String>,
    /// The group separator; "" never groups.
    pub group: Option<String>,
    /// Group only numbers with at least this many integer digits (4: `1,330`; 5: `1330`).
    pub group_min_digits: Option<usize>,
    /// How a percentage is written, `{n}` for the number (`{n} %`).
    pub percent: Option<String>,
    /// The digits (CLDR numbering system): `latn` for 0-9, `arab` for Arabic-Indic, …
    pub digits: Option<String>,
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

/// At most this many decimals after scaling; otherwise the number is written in full, so that
/// 1,067,700 stays exact instead of becoming "1.0677 million".
const MAX_SCALED_DECIMALS: usize = 3;

/// The number rules of one language, ready to format.
pub struct Format {
    decimal: DecimalFormatter,
    /// The symbols CLDR uses here, and what the pack puts instead.
    symbols: Symbols,
    /// `{n}%`, `{n} %`, …
    percent: String,
    plurals: PluralRules,
    rules: NumberRules,
}

struct Symbols {
    group: String,
    decimal: String,
}

impl Format {
    /// The rules for a Typst language and region (`fr`, `zh` + `cn`) with a pack's overrides.
    pub fn new(lang: &str, region: Option<&str>, rules: &NumberRules) -> Result<Self, String> {
        let mut tag = lang.to_string();
        if let Some(r) = region {
            tag = format!("{tag}-{}", r.to_uppercase());
        }
        if let Some(nu) = &rules.digits {
            tag = format!("{tag}-u-nu-{nu}");
        }
        let locale = Locale::from_str(&tag).map_err(|e| format!("`{tag}` is not a language tag: {e}"))?;
        let grouping = match (&rules.group, rules.group_min_digits) {
            (Some(g), _) if g.is_empty() => GroupingStrategy::Never,
            (_, Some(n)) if n >= 5 => GroupingStrategy::Min2,
            (_, Some(_)) => GroupingStrategy::Always,
            _ => GroupingStrategy::Auto,
        };
        let mut options = DecimalFormatterOptions::default();
        options.grouping_strategy = Some(grouping);
        let decimal = DecimalFormatter::try_new((&locale).into(), options).map_err(|e| e.to_string())?;
        let plurals = PluralRules::try_new_cardinal((&locale).into()).map_err(|e| e.to_string())?;
        // CLDR's symbols, read off a probe: "1000.5" always grouped.
        let mut probe_options = DecimalFormatterOptions::default();
        probe_options.grouping_strategy = Some(GroupingStrategy::Always);
        let probe = DecimalFormatter::try_new((&locale).into(), probe_options).map_err(|e| e.to_string())?;
        let symbols = symbols(&probe.format(&Decimal::from_str("1000.5").expect("a number")).to_string());
        let percent = match &rules.percent {
            Some(p) => p.clone(),
            None => {
                let seven = decimal.format(&Decimal::from(7)).to_string();
                let p = PercentFormatter::try_new((&locale).into(), Default::default()).map_err(|e| e.to_string())?;
                p.format(&Decimal::from(7)).to_string().replacen(&seven, "{n}", 1)
            }
        };
        Ok(Self { decimal, symbols, percent, plurals, rules: rules.clone() })
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

    /// A plain number string (`-1234.5`) with the language's digits, grouping and marks.
    fn digits(&self, plain: &str) -> String {
        let Ok(d) = Decimal::from_str(plain) else { return plain.to_string() };
        let out = self.decimal.format(&d).to_string();
        let (group, decimal) = (self.rules.group.as_deref(), self.rules.decimal.as_deref());
        if group.is_none() && decimal.is_none() {
            return out;
        }
        // Swap CLDR's symbols for the pack's, through placeholders so one cannot eat the other.
        let out = out.replace(&self.symbols.decimal, "\u{E000}").replace(&self.symbols.group, "\u{E001}");
        out.replace('\u{E000}', decimal.unwrap_or(&self.symbols.decimal))
            .replace('\u{E001}', group.unwrap_or(&self.symbols.group))
    }

    /// A value of an indicator in `unit`, as it prints: years plain ("2008"), percentages in
    /// the language's pattern ("47,5 %"), large exact numbers with a scale word ("1.857
    /// billion"), others grouped; `decimals` fixes the number of decimals ("86.20").
    pub fn value(&self, n: Num, unit: &str, decimals: Option<u8>) -> String {
        if unit == "year" {
            return n.plain();
        }
        let number = match decimals {
            Some(d) => self.digits(&format!("{:.*}", d as usize, n.as_f64())),
            None if is_percent(unit) => self.digits(&n.plain()),
            None => self.scaled(n).unwrap_or_else(|| self.digits(&n.plain())),
        };
        match unit {
            "%" => self.percent.replace("{n}", &number),
            "‰" => self.percent.replace("{n}", &number).replace('%', "‰"),
            _ => number,
        }
    }

    /// The number with the largest scale word that keeps it exact, if any.
    fn scaled(&self, n: Num) -> Option<String> {
        let mut scales: Vec<&Scale> = self.rules.scales.iter().map(Spanned::get_ref).collect();
        scales.sort_by_key(|s| std::cmp::Reverse(s.power));
        let plain = n.plain();
        let negative = plain.starts_with('-');
        let digits = plain.trim_start_matches('-');
        let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
        scales.into_iter().find_map(|s| {
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
            Some(format!("{}{word}", self.digits(&shifted)))
        })
    }

    /// The form of a word (a unit) for a value as printed, from its forms by category name.
    pub fn pick<'a>(&self, n: Num, forms: &'a BTreeMap<String, String>) -> Option<&'a str> {
        let c = self.category(&n.plain());
        forms.get(category_name(c)).or_else(|| forms.get("other")).map(String::as_str)
    }
}

/// Whether values in this unit print with a percent (or per mille) sign.
pub fn is_percent(unit: &str) -> bool {
    unit == "%" || unit == "‰"
}

/// The group and decimal symbols in a formatted "1000.5" (any digits).
fn symbols(probe: &str) -> Symbols {
    let chars: Vec<char> = probe.chars().collect();
    let is_digit = |c: &char| c.is_numeric();
    // digit, group…, digit×3, decimal…, digit
    let first = chars.iter().position(is_digit).unwrap_or(0);
    let group_end = chars[first + 1..].iter().position(is_digit).map_or(first + 1, |i| first + 1 + i);
    let group: String = chars[first + 1..group_end].iter().collect();
    let after = group_end + 3;
    let decimal_end = chars[after.min(chars.len())..].iter().position(is_digit).map_or(after, |i| after + i);
    let decimal: String = chars[after.min(chars.len())..decimal_end.min(chars.len())].iter().collect();
    Symbols { group, decimal }
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
}
