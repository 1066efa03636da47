//! The design data Rust needs from `styles/`: the theme (`styles/theme.toml`): the report's
//! font and the SDG palette. Everything else about the look lives in the `.typ` templates.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;
use toml::Spanned;

use crate::charts::parse_hex;
use crate::ctx::Ctx;
use crate::diag::Diagnostic;

pub const THEME_FILE: &str = "styles/theme.toml";

#[derive(Debug, Clone)]
pub struct Theme {
    /// The font family of text and charts.
    pub font: String,
    pub neutral: String,
    goals: BTreeMap<u8, String>,
}

#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTheme {
    font: Spanned<String>,
    neutral: Spanned<String>,
    goals: BTreeMap<String, Spanned<String>>,
}

impl Theme {
    pub fn goal_hex(&self, goal: u8) -> &str {
        self.goals.get(&goal).map_or(self.neutral.as_str(), String::as_str)
    }
}

pub fn load(ctx: &mut Ctx) -> Option<Theme> {
    let file = Path::new(THEME_FILE);
    let raw: RawTheme = ctx.read_toml(file)?;
    let check = |ctx: &mut Ctx, s: &Spanned<String>, what: &str| {
        if parse_hex(s.get_ref()).is_none() {
            ctx.push(
                Diagnostic::error("invalid-value", format!("{what} colour `{}` is not a #RRGGBB colour", s.get_ref()))
                    .at(file, Some(s.span())),
            );
        }
    };
    check(ctx, &raw.neutral, "the neutral");
    let mut goals = BTreeMap::new();
    for (k, v) in &raw.goals {
        match k.parse::<u8>() {
            Ok(n) if (1..=17).contains(&n) => {
                check(ctx, v, &format!("SDG {n}"));
                goals.insert(n, v.get_ref().clone());
            }
            _ => ctx.push(
                Diagnostic::error("invalid-value", format!("`{k}` is not a goal number (1-17)"))
                    .at(file, Some(v.span())),
            ),
        }
    }
    for n in 1..=17u8 {
        if !goals.contains_key(&n) {
            ctx.push(
                Diagnostic::error("missing-field", format!("SDG {n} has no colour"))
                    .in_file(file)
                    .hint(format!("add `{n} = \"#RRGGBB\"` under [goals]")),
            );
        }
    }
    if raw.font.get_ref().trim().is_empty() {
        ctx.push(
            Diagnostic::error("invalid-value", "the theme font is empty")
                .at(file, Some(raw.font.span()))
                .hint("name a font family, e.g. font = \"Noto Sans\""),
        );
    }
    Some(Theme { font: raw.font.into_inner(), neutral: raw.neutral.into_inner(), goals })
}
