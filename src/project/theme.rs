//! `styles/theme.toml`: the values the templates and the charts share (font, colours).
//! Everything else about the look lives in the `.typ` templates.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;
use toml::Spanned;

use crate::ctx::Ctx;
use crate::diag::{Diagnostic, Loc};

pub const THEME_FILE: &str = "styles/theme.toml";

#[derive(Debug, Clone)]
pub struct Theme {
    /// The font family of text and charts.
    pub font: String,
    /// Where `font` is written, for a family no font file provides.
    pub font_at: Loc,
    pub neutral: Rgb,
    goals: BTreeMap<u8, Rgb>,
}

/// An sRGB colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    /// `#RRGGBB`.
    pub fn parse(hex: &str) -> Option<Self> {
        let h = hex.strip_prefix('#')?;
        if h.len() != 6 || !h.is_ascii() {
            return None;
        }
        let v = u32::from_str_radix(h, 16).ok()?;
        Some(Rgb((v >> 16) as u8, (v >> 8) as u8, v as u8))
    }

    /// `#RRGGBB`, upper case.
    pub fn hex(self) -> String {
        format!("#{:02X}{:02X}{:02X}", self.0, self.1, self.2)
    }
}

impl Theme {
    /// The colour of a goal (the neutral colour for anything else).
    pub fn goal(&self, goal: u8) -> Rgb {
        self.goals.get(&goal).copied().unwrap_or(self.neutral)
    }
}

#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTheme {
    font: Spanned<String>,
    neutral: Spanned<String>,
    goals: BTreeMap<String, Spanned<String>>,
}

pub fn load(ctx: &mut Ctx) -> Option<Theme> {
    let file = Path::new(THEME_FILE);
    let raw: RawTheme = ctx.files.read_toml(&mut ctx.diags, file)?;
    let colour = |ctx: &mut Ctx, s: &Spanned<String>, what: &str| {
        Rgb::parse(s.get_ref()).unwrap_or_else(|| {
            ctx.diags.push(
                Diagnostic::error("invalid-value", format!("{what} colour `{}` is not a #RRGGBB colour", s.get_ref()))
                    .at(file, Some(s.span())),
            );
            Rgb(0x33, 0x33, 0x33)
        })
    };
    let neutral = colour(ctx, &raw.neutral, "the neutral");
    let mut goals = BTreeMap::new();
    for (k, v) in &raw.goals {
        match k.parse::<u8>() {
            Ok(n) if (1..=17).contains(&n) => {
                goals.insert(n, colour(ctx, v, &format!("SDG {n}")));
            }
            _ => ctx.diags.push(
                Diagnostic::error("invalid-value", format!("`{k}` is not a goal number (1-17)"))
                    .at(file, Some(v.span())),
            ),
        }
    }
    for n in 1..=17u8 {
        if !goals.contains_key(&n) {
            ctx.diags.push(
                Diagnostic::error("missing-field", format!("SDG {n} has no colour"))
                    .in_file(file)
                    .hint(format!("add `{n} = \"#RRGGBB\"` under [goals]")),
            );
        }
    }
    if raw.font.get_ref().trim().is_empty() {
        ctx.diags.push(
            Diagnostic::error("invalid-value", "the theme font is empty")
                .at(file, Some(raw.font.span()))
                .hint("name a font family, e.g. font = \"Noto Sans\""),
        );
    }
    Some(Theme { font_at: Loc::new(file, raw.font.span()), font: raw.font.into_inner(), neutral, goals })
}
