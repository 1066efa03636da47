//! The theme as CSS (`assets/theme.css`): the faces copied with the site as `@font-face`
//! rules, and every colour and size of `styles/theme.toml` the design uses as a custom
//! property, so `site.css` (the designer's) names them and never a value of its own.
//!
//! Colours are the book data's, as the PDF prints them: each goal's official colour for
//! fields (`--color`), its ink for text in the colour on white (`--ink`), and the colours vlr
//! chose for text on the colour, of any size and large (`--on`, `--on-large`). A page's
//! element of class `goal-<n>` (or `neutral`) takes that goal's four.

use std::fmt::Write;

use super::Language;
use super::fonts::Face;
use crate::project::Project;
use crate::resolve::book::Colours;

/// The style sheet of the theme and the fonts.
pub fn theme(project: &Project, languages: &[Language], faces: &[Face]) -> String {
    let mut css = String::from(
        "/* The theme (styles/theme.toml) and the fonts, as CSS. vlr writes this file on every build:\n   \
         change styles/theme.toml, or the design in styles/web/site.css. */\n\n",
    );
    for f in faces {
        let _ = writeln!(
            css,
            "@font-face {{ font-family: {}; src: url(\"{}\") format(\"{}\"); font-weight: {}; font-style: {}; font-display: swap; }}",
            quoted(&f.family),
            f.file,
            f.format,
            f.weight,
            if f.italic { "italic" } else { "normal" }
        );
    }
    let theme = &project.theme;
    let neutral = Colours::new(theme, None);
    css.push_str("\n:root {\n");
    let _ = writeln!(css, "  --font: {}, sans-serif;", quoted(&theme.font));
    let _ = writeln!(css, "  --body-pt: {};", theme.body_pt);
    let _ = writeln!(css, "  --chart-pt: {};", theme.chart_pt);
    let _ = writeln!(css, "  --minimum-pt: {};", theme.min_pt);
    colours(&mut css, "neutral", &neutral);
    for n in 1..=17u8 {
        colours(&mut css, &format!("goal-{n}"), &Colours::new(theme, Some(n)));
    }
    css.push_str("}\n\n");
    for class in std::iter::once("neutral".to_string()).chain((1..=17).map(|n| format!("goal-{n}"))) {
        let _ = writeln!(
            css,
            ".{class} {{ --color: var(--{class}); --ink: var(--{class}-ink); --on: var(--{class}-on); --on-large: var(--{class}-on-large); }}"
        );
    }
    // Each language in its faces (the theme's first, then the pack's, as in the PDF) and with
    // its script's line spacing.
    css.push('\n');
    for lang in languages {
        let meta = &lang.resolved.book.meta;
        let mut stack = vec![quoted(&theme.font)];
        stack.extend(meta.fonts.iter().map(|f| quoted(f)));
        let _ = writeln!(
            css,
            "[lang=\"{}\"] {{ font-family: {}, sans-serif; --leading: {:.2}; }}",
            html_lang(&meta.lang, meta.region.as_deref()),
            stack.join(", "),
            1.0 + meta.leading
        );
    }
    css
}

fn colours(css: &mut String, name: &str, c: &Colours) {
    let _ = writeln!(
        css,
        "  --{name}: {}; --{name}-ink: {}; --{name}-on: {}; --{name}-on-large: {};",
        c.color, c.ink, c.on_color, c.on_color_large
    );
}

/// A family name as CSS quotes it.
fn quoted(family: &str) -> String {
    format!("\"{}\"", family.replace(['"', '\\'], ""))
}

/// The language as HTML's `lang` names it (BCP 47): `en-GB`, `zh-CN`, `ar`.
pub fn html_lang(lang: &str, region: Option<&str>) -> String {
    match region {
        Some(r) if !r.is_empty() => format!("{lang}-{}", r.to_uppercase()),
        _ => lang.to_string(),
    }
}
