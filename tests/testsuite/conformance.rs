//! The six-language conformance matrix: for each UN language, a project made by `vlr new`
//! that vlr's own fixtures never saw, filled the way a city would fill it — the longest
//! official goal names, every block kind, negative, percent, per-mille, huge, tiny and pending
//! values, chart labels that wrap, text with Typst's special characters, and the `[numbers]`
//! overrides a city would write — built in both editions. Every edition must pass preflight,
//! every word of every chart label must be set whole as text at the chart size, and every
//! number read back from the PDF must be ICU4X's formatting of it (with the overrides applied
//! to ICU4X's parts). The web edition of each is built with the PDFs: its pages in the
//! language's direction, its numbers as the PDF prints them, its words from the packs.

use crate::common;

use vlr::Edition;
use vlr::Languages;
use vlr::{Format, NumberRules, Ratio};

/// The goals with the longest official names in most languages.
const GOALS: [u8; 3] = [9, 12, 16];

/// Per language: the pack folder, and the `[numbers]` lines a city of that language writes.
const MATRIX: [(&str, &str); 6] = [
    ("ar", "digits = \"arab\"\npercent = \"{n}٪\""),
    ("en", "group_min_digits = 5"),
    ("es", "group = \".\"\ndecimal = \",\""),
    ("fr", "group = \"\\u00A0\""),
    ("ru", "group = \"\\u00A0\"\ndecimal = \",\""),
    ("zh", "group = \"\""),
];

/// Values as a city's data holds them: (key, unit, value as written, how it is checked).
const VALUES: [(&str, &str, &str, Check); 6] = [
    ("grouped", "kWh", "98765432.1", Check::Number),
    ("big", "t", "1234567", Check::Number),
    ("tiny", "mg/L", "0.0042", Check::Number),
    ("negative", "%", "-2.5", Check::Ratio(Ratio::Percent)),
    ("share", "%", "47.5", Check::Ratio(Ratio::Percent)),
    ("rate", "‰", "3.5", Check::Ratio(Ratio::PerMille)),
];

#[derive(Clone, Copy)]
enum Check {
    Number,
    Ratio(Ratio),
}

/// A new city's project in `lang`, filled as described above.
fn project(lang: &str, numbers: &str) -> std::path::PathBuf {
    let dir = common::scratch(&format!("conformance-{lang}"));
    let report = vlr::starter::NewReport {
        title: None,
        city: "Ciudad-Jardín de San Cristóbal de las Montañas Altas".into(),
        year: 2026,
        goals: GOALS.to_vec(),
        languages: vec![lang.into()],
        page_size: "a4".into(),
        styles: false,
    };
    let files = vlr::starter::files(&report).unwrap();
    vlr::starter::write(&dir, files, true).unwrap();
    let un = vlr::builtin::reference(lang).unwrap();
    let text = |n: u8| un.goals[&n].statement.clone();
    let short = |n: u8| un.goals[&n].short.clone();
    let append = |rel: &str, more: &str| {
        let path = dir.join(rel);
        let old = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, format!("{old}\n{more}\n")).unwrap();
    };
    // The pack's number rules, as a city writes them.
    let pack = dir.join(format!("lang/{lang}/pack.toml"));
    let old = std::fs::read_to_string(&pack).unwrap();
    let with_rules = if old.contains("[numbers]") {
        old.replacen("[numbers]", &format!("[numbers]\n{numbers}"), 1)
    } else {
        format!("{old}\n[numbers]\n{numbers}\n")
    };
    std::fs::write(&pack, with_rules).unwrap();

    // Data: each value under a long title; a series with a negative year; compared values.
    let mut data = String::new();
    for (key, unit, value, _) in VALUES {
        data += &format!(
            "[{key}]\ntitle = {title:?}\nunit = \"{unit}\"\nvalue = {value}\nyear = 2025\nsource = \"-\"\nstatus = \"reported\"\n\n",
            title = short(16)
        );
    }
    data += &format!(
        "[change]\ntitle = {:?}\nunit = \"%\"\nseries = {{ 2023 = 1.5, 2024 = -2.5, 2025 = -1 }}\nsource = \"-\"\nstatus = \"reported\"\n\n",
        short(12)
    );
    for (i, n) in GOALS.iter().enumerate() {
        data += &format!(
            "[goal{n}]\ntitle = {:?}\nunit = \"t\"\nvalue = {}\nyear = 2025\nsource = \"-\"\nstatus = \"reported\"\n\n",
            short(*n),
            (i as i64 + 1) * 125_000
        );
    }
    append("data/sdg9.toml", &data);

    // Every block kind in the goal chapter, and the pack texts for them.
    append(
        "chapters/sdg9.toml",
        r#"[[blocks]]
type = "indicators"
id = "ki-more"
tiles = [
  { id = "t-grouped", data = "sdg9.grouped" },
  { id = "t-negative", data = "sdg9.negative" },
  { id = "t-rate", data = "sdg9.rate" },
  { id = "t-tiny", data = "sdg9.tiny" },
]
charts = [
  { id = "c-change", kind = "bar", data = ["sdg9.change"] },
  { id = "c-goals", kind = "bar", data = ["sdg9.goal9", "sdg9.goal16"] },
]

[[blocks]]
type = "figure"
id = "compared"
width = 1.0
chart = { kind = "bar", data = ["sdg9.goal9", "sdg9.goal12", "sdg9.goal16"] }

[[blocks]]
type = "heading"
id = "h"

[[blocks]]
type = "subheading"
id = "sub"

[[blocks]]
type = "measure"
id = "m1"

[[blocks]]
type = "case"
id = "case"

[[blocks]]
type = "figure"
id = "photo"
aspect = 1.5

[[blocks]]
type = "figure"
id = "trend"
chart = { kind = "line", data = ["sdg9.change"] }

[[blocks]]
type = "pagebreak"

[[blocks]]
type = "figure"
id = "grid"
chart = { kind = "sdg-grid", data = [] }

[[blocks]]
type = "table"
id = "tab"
"#,
    );
    let values =
        "{sdg9.grouped}, {sdg9.big}, {sdg9.tiny}, {sdg9.negative}, {sdg9.share}, {sdg9.rate}, {sdg9.change@2024}";
    append(
        &format!("lang/{lang}/sdg9.toml"),
        &format!(
            r##"[ki-more]
title = {t16:?}

[t-grouped]
text = {t9:?}

[t-negative]
text = {t12:?}

[t-rate]
text = {t16:?}

[t-tiny]
text = {s9:?}

[c-change]
title = {s12:?}

[c-goals]
title = {s16:?}

[h]
text = {s16:?}

[sub]
text = {s12:?}

[m1]
text = {m1:?}

[case]
title = {s9:?}
text = {t12:?}

[photo]
caption = {s9:?}
alt = {s9:?}

[trend]
caption = {s12:?}

[compared]
caption = {t16:?}

[grid]
caption = {s16:?}
alt = {s16:?}

[tab]
caption = {s9:?}
header = [{s9:?}, {s12:?}]
rows = [[{t9:?}, "{{sdg9.big}}"], ["# $ * _ @ < \\ literal", "{{sdg9.negative}}"]]
"##,
            t9 = text(9),
            t12 = text(12),
            t16 = text(16),
            s9 = short(9),
            s12 = short(12),
            s16 = short(16),
            m1 = format!("{} {values}. # $ * _ @ < \\ [x](y) `code`", text(9)),
        ),
    );
    dir
}

/// What a number must print as: ICU4X's formatting in the pack's locale, with the pack's
/// overrides applied to ICU4X's parts.
fn expected(lang: &str, region: Option<&str>, numbers: &str, value: &str, check: Check) -> String {
    let rules: NumberRules = toml::from_str(numbers).unwrap();
    let f = Format::new(lang, region, &rules).unwrap();
    match check {
        Check::Number => f.number(value),
        Check::Ratio(r) => f.ratio(value, r),
    }
    .unwrap()
}

/// A text as compared: without the marks that only steer direction, and with no-break spaces
/// as spaces (text extraction does not keep them apart).
fn plain(text: &str) -> String {
    text.chars()
        .filter(|c| !vlr::is_invisible(*c))
        .map(|c| if c == '\u{a0}' || c == '\u{202f}' { ' ' } else { c })
        .collect()
}

#[test]
fn every_un_language_passes_preflight_and_prints_its_numbers_by_cldr() {
    if !common::require_cjk("conformance matrix") || !common::require_arabic("conformance matrix") {
        return;
    }
    let mut failures = Vec::new();
    for (lang, numbers) in MATRIX {
        let root = project(lang, numbers);
        let mut opts = vlr::Options::new(&root);
        opts.languages = Languages::All;
        opts.editions = Edition::ALL.to_vec();
        opts.system_fonts = true;
        let mut session = opts.session();
        // Preflight and the PDFs from one session: the second run reuses Typst's layout.
        let (checked, typeset) = vlr::run(&mut session, &opts, vlr::Until::Preflight);
        let problems: Vec<String> = checked.diags.iter().map(|d| format!("{}: {}", d.code, d.message)).collect();
        if !problems.is_empty() {
            failures.push(format!("{lang}: {problems:#?}"));
            continue;
        }
        for t in &typeset {
            failures
                .extend(common::chart_words(t).1.into_iter().map(|w| format!("{lang} {:?}: {w}", t.target.edition)));
        }
        let (built, _) = vlr::run(&mut session, &opts, vlr::Until::Write);
        assert!(built.ok(), "{lang}: {}", built.diags.short());
        let region = (lang == "zh").then_some("cn");
        for pdf in &built.pdfs {
            let text = plain(&common::pdf_text(pdf.path.as_ref().unwrap()));
            for (key, _, value, check) in VALUES {
                let want = expected(lang, region, numbers, value, check);
                let want = plain(&want);
                // In a right-to-left edition the extractor separates the runs of a number
                // (digits, then the sign Typst drew apart): compare those without spaces.
                let found = if vlr::is_rtl(lang) {
                    let squeeze = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
                    squeeze(&text).contains(&squeeze(&want))
                } else {
                    text.contains(&want)
                };
                if !found {
                    failures
                        .push(format!("{lang} {:?}: sdg9.{key} = {value} should print {want:?}", pdf.target.edition));
                }
            }
        }
        failures.extend(site_problems(lang, numbers, region, &built));
        // CI opens these sites in a browser too (.ci/run): pages no fixture was written for.
        if let (Some(keep), Some(site)) =
            (std::env::var_os("VLR_CONFORMANCE_SITES"), built.site.as_ref().and_then(|s| s.dir.as_ref()))
        {
            let to = std::path::Path::new(&keep).join(lang);
            let _ = std::fs::remove_dir_all(&to);
            common::copy_dir(site, &to, &[]);
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Interface words of vlr's English pack that a page in another language must not print.
const ENGLISH: [&str; 7] =
    ["Skip to content", "Previous", "Next", "The chart's values", "Key indicators", "Downloads", "Image not available"];

/// What is wrong with the web edition `built` wrote for `lang`: the pages' structure is
/// checked (language, direction, landmarks, headings, links inside the site) and the goal
/// chapter must print every value as the PDF does, the literal text as typed, and no English
/// interface word.
fn site_problems(lang: &str, numbers: &str, region: Option<&str>, built: &vlr::Outcome) -> Vec<String> {
    let Some(dir) = built.site.as_ref().and_then(|s| s.dir.clone()) else {
        return vec![format!("{lang}: no web edition was written")];
    };
    crate::web::check_pages(&dir, lang, if vlr::is_rtl(lang) { "rtl" } else { "ltr" });
    let mut problems = Vec::new();
    let pages = crate::web::pages(&dir);
    let goal = pages.iter().find(|(p, _)| *p == format!("{lang}/sdg9.html"));
    let Some((_, html)) = goal else { return vec![format!("{lang}: the site has no page {lang}/sdg9.html")] };
    let shown = plain(&crate::web::text(html));
    for (key, _, value, check) in VALUES {
        let want = plain(&expected(lang, region, numbers, value, check));
        if !shown.contains(&want) {
            problems.push(format!("{lang} web: sdg9.{key} = {value} should print {want:?}"));
        }
    }
    if !shown.contains("# $ * _ @ < \\ literal") {
        problems.push(format!("{lang} web: the literal table cell is not printed as typed"));
    }
    if lang != "en" {
        for (path, html) in pages.iter().filter(|(p, _)| p.starts_with(&format!("{lang}/"))) {
            let shown = crate::web::text(html);
            problems.extend(ENGLISH.iter().filter(|w| shown.contains(**w)).map(|w| format!("{path}: English {w:?}")));
        }
    }
    problems
}
