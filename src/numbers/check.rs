//! A pack's `[numbers]` overrides, checked when the pack is loaded: each one that cannot
//! print a number right is reported at its value in `pack.toml`, all of them at once.

use std::ops::Range;
use std::path::Path;
use std::str::FromStr;

use fixed_decimal::Decimal;
use icu_decimal::options::GroupingStrategy;
use icu_decimal::parts;
use toml::Spanned;

use super::{GROUP_MIN_DIGITS, N, NumberRules, PER_MILLE, Parts, formatter, has_digits, locale, with_digits};
use crate::diag::{Code, Diagnostic, Loc};

impl NumberRules {
    /// Each override that cannot print a number right, located at its value in `file` (the
    /// pack's `pack.toml`): digits ICU4X has none of, a percent pattern without exactly one
    /// `{n}` or without a percent sign, an empty decimal mark, marks that are digits or that
    /// cannot be told apart, a `group_min_digits` ICU4X cannot honour. A language ICU4X does
    /// not know is the caller's to report; the checks that need the language are skipped then.
    pub fn check(&self, lang: &str, region: Option<&str>, file: &Path) -> Vec<Diagnostic> {
        let at = |s: Range<usize>| Loc::new(file, s);
        let mut out = Vec::new();
        let digits = self.digits.as_ref().filter(|nu| !has_digits(nu.get_ref()));
        if let Some(nu) = digits {
            let message = format!("`digits` = \"{}\" is not a numbering system ICU4X has digits for", nu.get_ref());
            out.push(at(nu.span()).error(Code::InvalidValue, message).hint(
                "write a CLDR numbering system with decimal digits: latn (0-9), arab (٠-٩), arabext (۰-۹), \
                 deva (०-९), beng, thai, hanidec (〇-九), …; or delete the line for the language's own",
            ));
        }
        if let Some(p) = &self.percent {
            out.extend(
                percent(p)
                    .into_iter()
                    .map(|(message, hint)| at(p.span()).error(Code::InvalidValue, message).hint(hint)),
            );
        }
        if let Some(d) = self.decimal.as_ref().filter(|d| d.get_ref().is_empty()) {
            out.push(
                at(d.span())
                    .error(Code::InvalidValue, "`decimal` is empty: 12.5 would print as 125")
                    .hint("write the decimal mark (decimal = \",\"), or delete the line for the language's"),
            );
        }
        for (key, mark, example) in [("group", &self.group, "."), ("decimal", &self.decimal, ",")] {
            let Some(mark) = mark else { continue };
            if let Some(digit) = mark.get_ref().chars().find(|c| c.is_numeric()) {
                let message = format!(
                    "`{key}` = \"{}\" holds the digit `{digit}`: it would read as part of the number",
                    mark.get_ref()
                );
                let hint = format!("write a mark that is not a digit ({key} = \"{example}\"), or delete the line");
                out.push(at(mark.span()).error(Code::InvalidValue, message).hint(hint));
            }
        }
        if let Some(n) = self.group_min_digits.as_ref().filter(|n| !GROUP_MIN_DIGITS.contains(n.get_ref())) {
            out.push(
                at(n.span())
                    .error(Code::InvalidValue, format!("`group_min_digits` = {} is out of range", n.get_ref()))
                    .hint("write 4 (1,234 grouped) or 5 (1234 whole, 12,345 grouped); never group: group = \"\""),
            );
        }
        // The checks against the language's own rules (with the pack's digits, when ICU4X has them).
        let Ok(base) = locale(lang, region) else { return out };
        let nu = self.digits.as_ref().filter(|_| digits.is_none()).map(|nu| nu.get_ref().as_str());
        let Ok(locale) = nu.map_or(Ok(base.clone()), |nu| with_digits(&base, nu)) else { return out };
        let Ok(always) = formatter(&locale, GroupingStrategy::Always) else { return out };
        out.extend(self.same_marks(&always).map(|(span, message)| {
            at(span)
                .error(Code::InvalidValue, message)
                .hint("give `group` and `decimal` different marks (group = \".\", decimal = \",\")")
        }));
        let groups_four_digits = Parts::of(&always.format(&Decimal::from(1000))).first(parts::GROUP).is_some();
        if let Some(n) = &self.group_min_digits
            && *n.get_ref() == *GROUP_MIN_DIGITS.start()
            && self.group.as_ref().is_none_or(|g| !g.get_ref().is_empty())
            && !groups_four_digits
        {
            let message = format!(
                "`group_min_digits` = 4 cannot be honoured: `{lang}` groups from five digits (CLDR), \
                 and ICU4X cannot group sooner"
            );
            out.push(
                at(n.span())
                    .error(Code::InvalidValue, message)
                    .hint("delete the line (1234 stays whole, 12,345 is grouped), or never group: group = \"\""),
            );
        }
        out
    }

    /// A group mark the same as the decimal mark, the pack's or the language's (CLDR's, as
    /// ICU4X's parts name them in a number every language groups): where, and what to say.
    fn same_marks(&self, always: &icu_decimal::DecimalFormatter) -> Option<(Range<usize>, String)> {
        let cldr = Parts::of(&always.format(&Decimal::from_str("1000000.5").ok()?));
        let group = text(&self.group).or(cldr.first(parts::GROUP)).unwrap_or("");
        let decimal = text(&self.decimal).or(cldr.first(parts::DECIMAL)).unwrap_or("");
        if group.is_empty() || group != decimal {
            return None;
        }
        let (mark, what) = match (&self.group, &self.decimal) {
            (Some(g), Some(_)) => (g, format!("`group` and `decimal` are both \"{group}\"")),
            (Some(g), None) => (g, format!("`group` = \"{group}\" is also the language's decimal mark")),
            (None, Some(d)) => (d, format!("`decimal` = \"{decimal}\" is also the language's group mark")),
            (None, None) => return None,
        };
        Some((mark.span(), format!("{what}: 1{group}234{decimal}5 could be read two ways")))
    }
}

fn text(mark: &Option<Spanned<String>>) -> Option<&str> {
    mark.as_ref().map(|m| m.get_ref().as_str())
}

/// What is wrong with a pack's percent pattern, as (message, hint) pairs.
fn percent(pattern: &Spanned<String>) -> Vec<(String, String)> {
    let text = pattern.get_ref();
    let mut out = Vec::new();
    let count = text.matches(N).count();
    if count != 1 {
        let how = if count == 0 { "no".to_string() } else { count.to_string() };
        out.push((
            format!("`percent` = \"{text}\" has {how} `{N}`: a percentage prints one number"),
            format!("write `{N}` once, where the number goes: percent = \"{N} %\""),
        ));
    }
    if !text.contains(|c| PER_MILLE.iter().any(|(sign, _)| *sign == c)) {
        out.push((
            format!("`percent` = \"{text}\" has no percent sign"),
            format!("write `%` or `٪` (per mille values print with `‰` or `؉` in its place): percent = \"{N} %\""),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each override's problems, as (message, the text the diagnostic points at).
    fn problems(lang: &str, rules: &str) -> Vec<(String, String)> {
        let parsed: NumberRules = toml::from_str(rules).unwrap();
        let region = if lang == "zh" { Some("cn") } else { None };
        parsed
            .check(lang, region, Path::new("lang/xx/pack.toml"))
            .into_iter()
            .map(|d| {
                assert_eq!(d.code, Code::InvalidValue);
                assert_eq!(d.file.as_deref(), Some(Path::new("lang/xx/pack.toml")));
                assert!(d.hint.is_some(), "{}", d.message);
                (d.message, rules[d.span.unwrap()].to_string())
            })
            .collect()
    }

    #[test]
    fn overrides_that_cannot_print_a_number_are_located() {
        for (lang, rules, says, at) in [
            ("en", "percent = \"%\"", "has no `{n}`", "\"%\""),
            ("en", "percent = \"{n} {n} %\"", "has 2 `{n}`", "\"{n} {n} %\""),
            ("en", "percent = \"{n} pct\"", "has no percent sign", "\"{n} pct\""),
            ("es", "group = \",\"", "`group` = \",\" is also the language's decimal mark", "\",\""),
            ("en", "decimal = \",\"", "`decimal` = \",\" is also the language's group mark", "\",\""),
            ("de", "decimal = \".\"\ngroup = \".\"", "`group` and `decimal` are both \".\"", "\".\""),
            ("en", "decimal = \"\"", "`decimal` is empty", "\"\""),
            ("en", "group = \"1\"", "holds the digit `1`", "\"1\""),
            ("ar", "decimal = \"٣\"", "holds the digit `٣`", "\"٣\""),
            ("zh", "group = \"〇\"", "holds the digit `〇`", "\"〇\""),
            (
                "en",
                "digits = \"roman\"",
                "`digits` = \"roman\" is not a numbering system ICU4X has digits for",
                "\"roman\"",
            ),
            ("en", "digits = \"arabic digits\"", "is not a numbering system", "\"arabic digits\""),
            ("en", "group_min_digits = 2", "`group_min_digits` = 2 is out of range", "2"),
            ("en", "group_min_digits = 9", "is out of range", "9"),
            ("es", "group_min_digits = 4", "`group_min_digits` = 4 cannot be honoured", "4"),
        ] {
            let found = problems(lang, rules);
            assert_eq!(found.len(), 1, "{lang} {rules}: {found:?}");
            assert!(found[0].0.contains(says), "{lang} {rules}: {}", found[0].0);
            assert_eq!(found[0].1, at, "{lang} {rules}");
        }
        // Every problem at once.
        let found = problems("en", "percent = \"x\"\ndecimal = \"\"\ndigits = \"nope\"\ngroup_min_digits = 0");
        assert_eq!(found.len(), 5, "{found:?}");
    }

    #[test]
    fn sound_overrides_pass() {
        for (lang, rules) in [
            ("es", "group = \".\"\ndecimal = \",\"\npercent = \"{n} %\""),
            ("es", "group = \"\""),
            ("es", "group_min_digits = 5"),
            ("es", "group = \"\"\ngroup_min_digits = 4"),
            ("en", "group_min_digits = 4"),
            ("en", "group = \"\u{202f}\"\ndecimal = \",\""),
            ("zh", "digits = \"hanidec\"\ngroup = \"\""),
            ("ar", "digits = \"arab\"\npercent = \"{n}٪\"\ndecimal = \"٫\""),
        ] {
            assert_eq!(problems(lang, rules), Vec::<(String, String)>::new(), "{lang} {rules}");
        }
    }
}
