//! What the binary carries: the default theme (the templates and `theme.toml` of this
//! repository's `styles/`, the web edition's `styles/web/`, which a project's own `styles/`
//! overrides file by file), the SDG
//! reference texts in the six UN languages (`src/builtin/sdg/`), the starter packs `vlr new`
//! writes (`src/builtin/packs/`), and the print edition's default output profile
//! (`src/builtin/icc/`).

use std::collections::BTreeMap;

use serde::Deserialize;

/// The default theme, by path relative to a project (`styles/report.typ`, …).
pub(crate) const STYLES: &[(&str, &str)] = &[
    ("styles/report.typ", include_str!("../styles/report.typ")),
    ("styles/pages.typ", include_str!("../styles/pages.typ")),
    ("styles/blocks.typ", include_str!("../styles/blocks.typ")),
    ("styles/theme.toml", include_str!("../styles/theme.toml")),
    ("styles/README.md", include_str!("../styles/README.md")),
    // The web edition's templates and style sheet (see `crate::web`).
    ("styles/web/base.html", include_str!("../styles/web/base.html")),
    ("styles/web/index.html", include_str!("../styles/web/index.html")),
    ("styles/web/cover.html", include_str!("../styles/web/cover.html")),
    ("styles/web/chapter.html", include_str!("../styles/web/chapter.html")),
    ("styles/web/blocks.html", include_str!("../styles/web/blocks.html")),
    ("styles/web/site.css", include_str!("../styles/web/site.css")),
];

/// The ICC output profile of the default printing condition, FOGRA39 (coated offset), made
/// from the FOGRA39L characterization data; origin and licence in src/builtin/icc/README.md.
pub const FOGRA39_PROFILE: &[u8] = include_bytes!("builtin/icc/vlr-FOGRA39.icc");

/// A file of the default theme.
pub fn style(path: &str) -> Option<&'static str> {
    STYLES.iter().find(|(p, _)| *p == path).map(|(_, text)| *text)
}

/// The SDG reference texts of one language.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reference {
    pub language: String,
    /// The local word for "SDG" (`ODD`, `ЦУР`, …).
    pub abbreviation: String,
    /// How a goal is named with its number, `{n}` for the number (`ODD {n}`).
    pub goal_label: String,
    pub goals: BTreeMap<u8, Goal>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Goal {
    pub short: String,
    pub statement: String,
}

const REFERENCE: &[(&str, &str)] = &[
    ("ar", include_str!("builtin/sdg/ar.toml")),
    ("en", include_str!("builtin/sdg/en.toml")),
    ("es", include_str!("builtin/sdg/es.toml")),
    ("fr", include_str!("builtin/sdg/fr.toml")),
    ("ru", include_str!("builtin/sdg/ru.toml")),
    ("zh", include_str!("builtin/sdg/zh.toml")),
];

/// The UN languages the binary has SDG texts and starter packs for.
#[cfg(test)]
fn un_languages() -> Vec<&'static str> {
    REFERENCE.iter().map(|(code, _)| *code).collect()
}

/// The SDG reference texts for a language (its ISO 639-1 code: `fr`, `zh`, …), if built in.
pub fn reference(lang: &str) -> Option<&'static Reference> {
    static PARSED: std::sync::OnceLock<BTreeMap<&'static str, Reference>> = std::sync::OnceLock::new();
    let all = PARSED.get_or_init(|| {
        REFERENCE
            .iter()
            .map(|(code, text)| (*code, toml::from_str(text).expect("the built-in SDG reference texts parse (tested)")))
            .collect()
    });
    all.get(lang)
}

/// The starter packs `vlr new` writes, by language (ISO 639-1, as a pack's `lang` names it):
/// `pack.toml`, `ui.toml` (vlr's interface words) and the starter texts.
pub(crate) const STARTER_PACKS: &[(&str, [&str; 3])] = &[
    (
        "ar",
        [
            include_str!("builtin/packs/ar/pack.toml"),
            include_str!("builtin/packs/ar/ui.toml"),
            include_str!("builtin/packs/ar/starter.toml"),
        ],
    ),
    (
        "en",
        [
            include_str!("builtin/packs/en/pack.toml"),
            include_str!("builtin/packs/en/ui.toml"),
            include_str!("builtin/packs/en/starter.toml"),
        ],
    ),
    (
        "es",
        [
            include_str!("builtin/packs/es/pack.toml"),
            include_str!("builtin/packs/es/ui.toml"),
            include_str!("builtin/packs/es/starter.toml"),
        ],
    ),
    (
        "fr",
        [
            include_str!("builtin/packs/fr/pack.toml"),
            include_str!("builtin/packs/fr/ui.toml"),
            include_str!("builtin/packs/fr/starter.toml"),
        ],
    ),
    (
        "ru",
        [
            include_str!("builtin/packs/ru/pack.toml"),
            include_str!("builtin/packs/ru/ui.toml"),
            include_str!("builtin/packs/ru/starter.toml"),
        ],
    ),
    (
        "zh",
        [
            include_str!("builtin/packs/zh/pack.toml"),
            include_str!("builtin/packs/zh/ui.toml"),
            include_str!("builtin/packs/zh/starter.toml"),
        ],
    ),
];

/// The interface words vlr carries for one language: what a project made by an earlier vlr
/// falls back to for a word the templates have gained since.
#[derive(Debug)]
pub struct Words {
    /// The language's own name (`English`, `简体中文`).
    pub name: String,
    /// The Typst region the words are written for (`cn`: simplified Chinese), if any.
    pub region: Option<String>,
    pub words: BTreeMap<String, String>,
}

/// vlr's interface words for a language (a pack's `lang` and `region`), if it carries them.
/// A region other than the words' own (traditional Chinese for `zh`, `tw`) has none.
pub fn words(lang: &str, region: Option<&str>) -> Option<&'static Words> {
    #[derive(Deserialize)]
    struct Meta {
        name: String,
        region: Option<String>,
    }
    #[derive(Deserialize)]
    struct Word {
        text: String,
    }
    static PARSED: std::sync::OnceLock<BTreeMap<&'static str, Words>> = std::sync::OnceLock::new();
    let all = PARSED.get_or_init(|| {
        STARTER_PACKS
            .iter()
            .map(|(code, [pack, ui, _])| {
                let meta: Meta = toml::from_str(pack).expect("the built-in packs parse (tested)");
                let ui: BTreeMap<String, Word> = toml::from_str(ui).expect("the built-in words parse (tested)");
                let words = ui.into_iter().map(|(k, w)| (k, w.text)).collect();
                (*code, Words { name: meta.name, region: meta.region, words })
            })
            .collect()
    });
    all.get(lang).filter(|w| match (&w.region, region) {
        (Some(own), Some(asked)) => own.eq_ignore_ascii_case(asked),
        _ => true,
    })
}

/// Every valid global target (`11.6`) and indicator (`11.6.2`) code of the SDG framework.
pub(crate) fn sdg_codes() -> impl Iterator<Item = &'static str> {
    include_str!("builtin/sdg/codes.txt").lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty())
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_reference_language_has_17_goals() {
        for code in super::un_languages() {
            let r = super::reference(code).unwrap();
            assert_eq!(r.language, code);
            assert_eq!(r.goals.keys().copied().collect::<Vec<_>>(), (1..=17).collect::<Vec<u8>>(), "{code}");
            assert!(r.goal_label.contains("{n}"), "{code}");
            assert!(r.goals.values().all(|g| !g.short.is_empty() && !g.statement.is_empty()), "{code}");
        }
        assert!(super::sdg_codes().any(|c| c == "11.6.2") && super::sdg_codes().any(|c| c == "14.c"));
    }

    #[test]
    fn every_un_language_has_the_same_interface_words() {
        let en = super::words("en", None).unwrap();
        assert!(en.words.contains_key("part") && en.name == "English");
        for code in super::un_languages() {
            let w = super::words(code, None).unwrap();
            assert_eq!(w.words.keys().collect::<Vec<_>>(), en.words.keys().collect::<Vec<_>>(), "{code}");
        }
        assert_eq!(
            super::words("zh", Some("cn")).unwrap().words["part"],
            super::words("zh", None).unwrap().words["part"]
        );
        assert!(super::words("zh", Some("tw")).is_none(), "simplified words are not traditional Chinese");
        assert!(super::words("de", None).is_none());
    }
}
