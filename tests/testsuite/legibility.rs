//! Every text the built-in templates print is legible, read back from the laid-out pages: it
//! reaches WCAG AA contrast on what it is printed on — text on a goal's official colour, text in
//! a goal's ink on white or on its tint — and it is at least the theme's minimum size. Checked
//! for all 17 goals, with every block type, in the six UN languages.

use crate::common;

use common::Project;
use common::frames::{Printed, illegible, printed};
use vlr::Rgb;

/// The theme's minimum type size (styles/theme.toml).
const MIN_PT: f64 = 8.0;

/// The UN's colours of the 17 goals.
const OFFICIAL: [&str; 17] = [
    "#E5243B", "#DDA63A", "#4C9F38", "#C5192D", "#FF3A21", "#26BDE2", "#FCC30B", "#A21942", "#FD6925", "#DD1367",
    "#FD9D24", "#BF8B2E", "#3F7E44", "#0A97D9", "#56C02B", "#00689D", "#19486A",
];

fn official(goal: usize) -> Rgb {
    Rgb::parse(OFFICIAL[goal - 1]).unwrap()
}

/// The pages of each edition the project's options ask for, by language.
fn typeset(p: &Project) -> Vec<(String, Vec<Printed>)> {
    let (outcome, typeset) = vlr::typeset(&p.opts);
    assert!(!outcome.diags.has_errors(), "{}", outcome.diags.short());
    typeset.iter().map(|t| (t.target.lang.clone(), printed(t.document.as_ref().expect("laid out").pages()))).collect()
}

/// The minimal fixture with an SDG chapter for each of the 17 goals, each with every block the
/// templates draw in a goal's colours (key indicators with a derived value, a case box, a
/// table, section and measure headings), the SDG grid, and the data appendix.
fn seventeen_goals() -> Project {
    let p = Project::minimal().lang("en");
    let goal = p.read("chapters/goal.toml");
    let texts = p.read("lang/en/goal.toml");
    p.remove("chapters/goal.toml").remove("lang/en/goal.toml");
    let mut ids = Vec::new();
    for n in 1..=17 {
        p.write(&format!("chapters/sdg{n}.toml"), &goal.replace("goal = 13", &format!("goal = {n}")));
        p.write(&format!("lang/en/sdg{n}.toml"), &texts);
        ids.push(format!("\"sdg{n}\""));
    }
    let back = "\n\n[[parts]]\nid = \"back\"\nmatter = \"back\"\nchapters = [\"appendix\"]";
    p.edit(
        "report.toml",
        "chapters = [\"intro\", \"goal\"]",
        &format!("chapters = [\"intro\", {}]{back}", ids.join(", ")),
    );
    p.write("chapters/appendix.toml", "kind = \"appendix\"\n");
    p.write("lang/en/appendix.toml", "[chapter]\ntitle = \"Data appendix\"\n");
    with_grid(&p, "chapters/intro.toml", &["lang/en/intro.toml"]);
    // A derived value: its tile prints the status word, the appendix its mark.
    p.edit("data/g.toml", "status = \"reported\"", "status = \"derived\"");
    p
}

/// Adds the SDG grid figure to a chapter, with its texts in the given packs.
fn with_grid(p: &Project, chapter: &str, packs: &[&str]) {
    let old = p.read(chapter);
    p.write(
        chapter,
        &format!("{old}\n[[blocks]]\ntype = \"figure\"\nid = \"grid\"\nchart = {{ kind = \"sdg-grid\" }}\n"),
    );
    for pack in packs {
        let old = p.read(pack);
        p.write(pack, &format!("{old}\n[grid]\ncaption = \"The 17 goals\"\nalt = \"The 17 goals\"\n"));
    }
}

/// A new city's report on all 17 goals in the UN languages whose fonts are here, with the grid.
fn new_city_on_all_goals() -> Project {
    let mut langs = vec!["en", "ru", "es", "fr"];
    if common::require_arabic("new_city_on_all_goals (ar)") {
        langs.push("ar");
    }
    if common::require_cjk("new_city_on_all_goals (zh)") {
        langs.push("zh");
    }
    let report = vlr::starter::NewReport {
        title: None,
        city: "Testville".into(),
        year: 2026,
        goals: (1..=17).collect(),
        languages: langs.iter().map(|l| l.to_string()).collect(),
        page_size: "a4".into(),
        styles: false,
    };
    let root = common::scratch("all-goals");
    vlr::starter::write(&root, vlr::starter::files(&report).unwrap(), true).unwrap();
    let mut p = Project::at(root).all_langs();
    p.opts.system_fonts = true;
    let packs: Vec<String> = langs.iter().map(|l| format!("lang/{l}/introduction.toml")).collect();
    with_grid(&p, "chapters/introduction.toml", &packs.iter().map(String::as_str).collect::<Vec<_>>());
    p
}

/// What is wrong with an edition's text: goals whose official colour carries no text (the
/// templates print on another shade), text under WCAG AA, text under the minimum size.
fn problems(lang: &str, printed: &[Printed]) -> Vec<String> {
    let mut out: Vec<String> = (1..=17)
        .filter(|&goal| !printed.iter().any(|t| t.background == official(goal)))
        .map(|goal| format!("no text on SDG {goal}'s official colour {}", OFFICIAL[goal - 1]))
        .collect();
    out.extend(illegible(printed, MIN_PT));
    out.iter().map(|p| format!("{lang}: {p}")).collect()
}

/// Lines of a goal's name that touch: on each page, the text on a goal's official colour (a
/// tile; the opener's big number aside, which stands beside the name) taken line by line, each
/// line's lowest ink at least a tenth of the size above the next line's highest.
fn touching_lines(lang: &str, printed: &[Printed]) -> Vec<String> {
    let mut out = Vec::new();
    let pages = printed.iter().map(|t| t.page).max().unwrap_or(0);
    for (page, goal) in (1..=pages).flat_map(|p| (1..=17).map(move |g| (p, g))) {
        let tile: Vec<&Printed> = printed
            .iter()
            .filter(|t| {
                t.page == page && t.background == official(goal) && t.size_pt < 30.0 && !t.text.trim().is_empty()
            })
            .collect();
        // Lines by baseline, top to bottom: (baseline, highest ink, lowest ink, size, text).
        let mut lines: Vec<(f64, f64, f64, f64, String)> = Vec::new();
        for t in tile {
            match lines.iter_mut().find(|l| (l.0 - t.baseline).abs() < 0.5) {
                Some(l) => {
                    l.1 = l.1.min(t.top);
                    l.2 = l.2.max(t.bottom);
                    l.4.push_str(&t.text);
                }
                None => lines.push((t.baseline, t.top, t.bottom, t.size_pt, t.text.clone())),
            }
        }
        lines.sort_by(|a, b| a.0.total_cmp(&b.0));
        for pair in lines.windows(2) {
            let gap = pair[1].1 - pair[0].2;
            if gap < 0.1 * pair[1].3 {
                out.push(format!(
                    "{lang}: page {page}, SDG {goal}: {:?} and {:?} are {gap:.2} pt apart",
                    pair[0].4, pair[1].4
                ));
            }
        }
    }
    out
}

fn assert_legible(p: &Project) {
    let mut all = Vec::new();
    for (lang, printed) in typeset(p) {
        assert!(printed.len() > 100, "{lang}: only {} runs of text read back", printed.len());
        all.extend(problems(&lang, &printed));
        all.extend(touching_lines(&lang, &printed));
    }
    let shown: Vec<&str> = all.iter().take(40).map(String::as_str).collect();
    assert!(all.is_empty(), "{} problems:\n{}", all.len(), shown.join("\n"));
}

#[test]
fn every_text_on_every_goal_is_legible() {
    assert_legible(&seventeen_goals());
}

#[test]
fn every_text_is_legible_in_the_un_languages() {
    assert_legible(&new_city_on_all_goals());
}

/// A goal's name too long for its tiles, even at the minimum size: a warning naming the
/// chapter, the goal and the pack key; the name printed at the minimum size, inside its tiles
/// (broken between letters rather than running out), every line apart.
#[test]
fn a_name_that_cannot_fit_is_reported_and_stays_in_its_tile() {
    let p = Project::minimal().lang("en");
    with_grid(&p, "chapters/intro.toml", &["lang/en/intro.toml"]);
    let name = "Klimaschutzmassnahmenbeschleunigungsgesetzgebungsverfahren";
    p.edit("lang/en/ui.toml", "[sdg-13]\ntext = \"Climate Action\"", &format!("[sdg-13]\ntext = \"{name}\""));
    let (outcome, typeset) = vlr::typeset(&p.opts);
    assert!(!outcome.diags.has_errors(), "{}", outcome.diags.short());
    let overfull: Vec<_> = outcome.diags.iter().filter(|d| d.code == "overfull-text").collect();
    let place = |d: &vlr::Diagnostic| d.file.as_ref().map(|f| f.display().to_string());
    for (chapter, box_) in [("goal", "on its opener"), ("intro", "in the SDG grid")] {
        let found = overfull.iter().find(|d| d.message.contains(box_)).unwrap_or_else(|| panic!("{overfull:?}"));
        assert_eq!(place(found).as_deref(), Some(format!("chapters/{chapter}.toml").as_str()));
        assert!(
            found.message.starts_with("the name of goal 13 (`[sdg-13]` of the language pack's ui.toml)")
                && found.message.ends_with("does not fit its box, even at 8 pt"),
            "{}",
            found.message
        );
    }
    let printed = printed(typeset[0].document.as_ref().unwrap().pages());
    let on_goal: Vec<&Printed> = printed
        .iter()
        .filter(|t| t.background == official(13) && t.text.replace('\u{200B}', "").contains("KLIMA"))
        .collect();
    assert_eq!(on_goal.len(), 2, "the name's first line on the opener and in the grid: {on_goal:?}");
    let problems: Vec<String> = illegible(&printed, MIN_PT).into_iter().chain(touching_lines("en", &printed)).collect();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
