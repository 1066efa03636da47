//! Number formatting by the rules of a language pack (`[numbers]` in `lang/<l>/pack.toml`).
//! The rules are data, so a new language needs no new code path.

use serde::Deserialize;

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
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NumberRules {
    /// Thousands separator ("" for none).
    #[serde(default)]
    pub group: String,
    /// Only group numbers with at least this many integer digits (4: `1,330`; 5: `1330`).
    #[serde(default = "default_group_min")]
    pub group_min_digits: usize,
    #[serde(default = "default_decimal")]
    pub decimal: String,
    /// Large numbers are written with a word when that stays exact: 166000000 → "166 million".
    #[serde(default)]
    pub scales: Vec<Scale>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scale {
    /// The power of ten this word stands for (6 = million, 4 = 万, 8 = 亿).
    pub power: u32,
    /// Appended after the scaled number, e.g. " million" or "万".
    pub suffix: String,
}

fn default_group_min() -> usize {
    4
}
fn default_decimal() -> String {
    ".".into()
}

impl Default for NumberRules {
    fn default() -> Self {
        Self { group: ",".into(), group_min_digits: 4, decimal: ".".into(), scales: Vec::new() }
    }
}

/// At most this many decimals after scaling; otherwise the number is written in full, so that
/// 1,067,700 stays exact instead of becoming "1.0677 million".
const MAX_SCALED_DECIMALS: usize = 3;

impl NumberRules {
    pub fn format(&self, n: Num, unit: &str) -> String {
        // Years and similar labels are never grouped ("2008", not "2,008").
        if unit == "year" {
            return plain(n);
        }
        let mut scales: Vec<&Scale> = self.scales.iter().collect();
        scales.sort_by_key(|s| std::cmp::Reverse(s.power));
        for s in scales {
            if let Some(text) = self.scaled(n, s) {
                return text;
            }
        }
        self.grouped(&plain(n))
    }

    /// A fixed number of decimals, as printed in the source (`86.20`); never scaled.
    pub fn format_fixed(&self, n: Num, decimals: u8) -> String {
        self.grouped(&format!("{:.*}", decimals as usize, n.as_f64()))
    }

    fn scaled(&self, n: Num, s: &Scale) -> Option<String> {
        let digits = plain(n);
        let negative = digits.starts_with('-');
        let digits = digits.trim_start_matches('-');
        let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
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
        let mut out = String::new();
        if negative {
            out.push('-');
        }
        out.push_str(&self.grouped(head));
        if !decimals.is_empty() {
            out.push_str(&self.decimal);
            out.push_str(decimals);
        }
        out.push_str(&s.suffix);
        Some(out)
    }

    /// Applies the group and decimal separators to a plain `-1234.5` string.
    fn grouped(&self, plain: &str) -> String {
        let (sign, digits) = plain.strip_prefix('-').map_or(("", plain), |d| ("-", d));
        let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
        let mut out = String::from(sign);
        if !self.group.is_empty() && int.len() >= self.group_min_digits {
            for (i, c) in int.chars().enumerate() {
                if i > 0 && (int.len() - i) % 3 == 0 {
                    out.push_str(&self.group);
                }
                out.push(c);
            }
        } else {
            out.push_str(int);
        }
        if !frac.is_empty() {
            out.push_str(&self.decimal);
            out.push_str(frac);
        }
        out
    }
}

/// The number as written in the data file: integers as integers, decimals in their shortest
/// exact form (571.45 stays 571.45).
fn plain(n: Num) -> String {
    match n {
        Num::Int(i) => i.to_string(),
        Num::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", f as i64),
        Num::Float(f) => format!("{f}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn en() -> NumberRules {
        NumberRules {
            group: ",".into(),
            group_min_digits: 4,
            decimal: ".".into(),
            scales: vec![Scale { power: 6, suffix: " million".into() }, Scale { power: 9, suffix: " billion".into() }],
        }
    }

    fn zh() -> NumberRules {
        NumberRules {
            group: String::new(),
            group_min_digits: 5,
            decimal: ".".into(),
            scales: vec![Scale { power: 4, suffix: "万".into() }, Scale { power: 8, suffix: "亿".into() }],
        }
    }

    #[test]
    fn english() {
        let f = en();
        assert_eq!(f.format(Num::Int(1330), ""), "1,330");
        assert_eq!(f.format(Num::Int(424000), ""), "424,000");
        assert_eq!(f.format(Num::Int(1_857_000_000), "yuan"), "1.857 billion");
        assert_eq!(f.format(Num::Int(166_000_000), "tons"), "166 million");
        assert_eq!(f.format(Num::Int(1_067_700), "tons"), "1,067,700");
        assert_eq!(f.format(Num::Float(571.45), ""), "571.45");
        assert_eq!(f.format(Num::Float(80.0), "%"), "80");
        assert_eq!(f.format(Num::Int(2008), "year"), "2008");
        assert_eq!(f.format_fixed(Num::Float(86.2), 2), "86.20");
        assert_eq!(f.format_fixed(Num::Float(4200.5), 2), "4,200.50");
    }

    #[test]
    fn chinese_style_rules_are_just_data() {
        let f = zh();
        assert_eq!(f.format(Num::Int(1330), ""), "1330");
        assert_eq!(f.format(Num::Int(424000), ""), "42.4万");
        assert_eq!(f.format(Num::Int(1_857_000_000), ""), "18.57亿");
    }
}
