//! Every UN language by its own rules, on the lakeport fixture (French source; English,
//! Spanish, Russian and Arabic packs): CLDR numbers and plural forms, hyphenation, right to
//! left, and charts in the edition's script at the theme's size.

use crate::common;

use common::Project;
use typst::layout::{Frame, FrameItem, Point};

/// Long words a justified line can only fill well by hyphenating them.
const LONG_ES: &str = "Las infraestructuras interconectadas garantizan electrificación descentralizada, interoperabilidad tecnológica, descarbonización progresiva, corresponsabilidad institucional, sostenibilidad presupuestaria e internacionalización administrativa extraordinariamente ambiciosa.";
const LONG_RU: &str = "Межмуниципальное взаимодействие обеспечивает децентрализованную электрификацию, технологическую совместимость, последовательную декарбонизацию, институциональную ответственность, бюджетную устойчивость и чрезвычайно амбициозную административную интернационализацию.";

/// The fixture with a paragraph of long words first in the Spanish and Russian `details` text.
fn with_long_words() -> Project {
    let p = Project::fixture("lakeport").lang("es").lang("ru");
    p.edit(
        "lang/es/sdg7.toml",
        "text = [\n  \"Los edificios",
        &format!("text = [\n  \"{LONG_ES}\",\n  \"Los edificios"),
    );
    p.edit("lang/ru/sdg7.toml", "text = [\n  \"В 2025", &format!("text = [\n  \"{LONG_RU}\",\n  \"В 2025"));
    p
}

#[test]
fn spanish_and_russian_print_numbers_plurals_and_hyphens_by_their_rules() {
    let p = with_long_words();
    let (outcome, typeset) = vlr::typeset(&p.opts);
    assert!(outcome.diags.is_empty(), "{:?}", outcome.diags);
    let es = laid_out_text(&typeset[0]);
    for needle in [
        "98.765.432,1 kWh",
        "el 7,5 % de ese consumo",
        "un -2,5 % en 2024",
        "1 millón el primer año, 2 millones dos años después y 5 millones",
        "1,25 millones de euros",
    ] {
        assert!(es.contains(needle), "`{needle}` not in the Spanish edition:\n{es}");
    }
    let ru = laid_out_text(&typeset[1]);
    for needle in [
        // CLDR's Russian group separator is a no-break space (whitespace once extracted).
        "98 765 432,1 кВт·ч",
        "покрыли 7,5 % этого объема",
        "изменился на -2,5 %",
        "1 миллион в первый год, 2 миллиона два года спустя и 5 миллионов",
        "1,25 миллиона евро",
    ] {
        assert!(ru.contains(needle), "`{needle}` not in the Russian edition:\n{ru}");
    }
    // A negative value in a tile and in prose (the chart's bar: the next test).
    assert!(es.matches("-2,5 %").count() >= 2, "tile and prose");
    // Justified lines are hyphenated...
    assert!(hyphenated_lines(&typeset[0]) > 0, "no hyphenated line in the Spanish edition");
    assert!(hyphenated_lines(&typeset[1]) > 0, "no hyphenated line in the Russian edition");
    // ...unless the pack turns it off.
    p.edit("lang/es/pack.toml", "lang = \"es\"", "lang = \"es\"\nhyphenate = false");
    let (_, typeset) = vlr::typeset(&p.opts);
    assert_eq!(hyphenated_lines(&typeset[0]), 0, "hyphenate = false is obeyed");
    assert!(hyphenated_lines(&typeset[1]) > 0);
}

/// A pack's own group mark (the README's example) replaces ICU4X's group parts only: it never
/// lands between digits that CLDR does not group, nor inside a percentage.
#[test]
fn a_packs_group_mark_lands_between_groups_only() {
    let p = Project::fixture("lakeport").lang("es");
    p.edit("lang/es/pack.toml", "[numbers]\n", "[numbers]\ngroup = \".\"\n");
    let (outcome, typeset) = vlr::typeset(&p.opts);
    assert!(outcome.diags.is_empty(), "{:?}", outcome.diags);
    let es = laid_out_text(&typeset[0]);
    for needle in ["98.765.432,1 kWh", "el 7,5 % de ese consumo", "un -2,5 % en 2024", "1,25 millones de euros"] {
        assert!(es.contains(needle), "`{needle}` not in the Spanish edition:\n{es}");
    }
}

/// The text of every page as laid out, runs joined by spaces, whitespace collapsed.
fn laid_out_text(t: &vlr::Typeset) -> String {
    let mut items = Vec::new();
    for page in t.document.as_ref().unwrap().pages() {
        texts(&page.frame, Point::zero(), &mut items);
    }
    let joined: Vec<String> = items.into_iter().map(|(_, t)| t).collect();
    joined.join(" ").split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Lines that end in a hyphen Typst added: a hyphen glyph after a letter, or a run of its own
/// standing for a soft hyphen.
fn hyphenated_lines(t: &vlr::Typeset) -> usize {
    fn count(frame: &Frame) -> usize {
        frame
            .items()
            .map(|(_, item)| match item {
                FrameItem::Group(g) => count(&g.frame),
                FrameItem::Text(t) => {
                    let hyphen = t.font.ttf().glyph_index('-').map(|g| g.0);
                    let last = t.glyphs.last().map(|g| g.id);
                    (t.text == "\u{AD}"
                        || (hyphen.is_some() && last == hyphen && t.text.ends_with(char::is_alphabetic)))
                        as usize
                }
                _ => 0,
            })
            .sum()
    }
    t.document.as_ref().unwrap().pages().iter().map(|p| count(&p.frame)).sum()
}

#[test]
fn a_negative_value_hangs_below_the_charts_zero_line() {
    let emit = common::scratch("lakeport-emit");
    let p = Project::fixture("lakeport").lang("es").with(|o| o.emit_typst = Some(emit.clone()));
    p.build().ok();
    let svg = std::fs::read_to_string(emit.join("charts/sdg7-ki-demand.svg")).unwrap();
    // The bars of the goal's colour: 2023 (+1.5), 2024 (-2.5), 2025 (-1), left to right.
    let bars: Vec<(i32, i32)> = svg
        .lines()
        .filter(|l| l.starts_with("<rect") && l.contains("fill=\"#FCC30B\""))
        .map(|l| {
            let attr = |name: &str| -> i32 {
                let at = l.find(&format!(" {name}=\"")).unwrap() + name.len() + 3;
                l[at..].split('"').next().unwrap().parse().unwrap()
            };
            (attr("y"), attr("y") + attr("height"))
        })
        .collect();
    assert_eq!(bars.len(), 3, "{svg}");
    let zero = bars[0].1;
    assert!(bars[1].0 == zero && bars[2].0 == zero, "negative bars start at the zero line: {bars:?}");
    assert!(bars[1].1 > bars[2].1 && bars[2].1 > zero, "and hang below it by their size: {bars:?}");
    let labels = std::fs::read_to_string(emit.join("charts/sdg7-ki-demand.json")).unwrap();
    assert!(
        labels.contains("[\"-2,5\u{a0}%\"]") && labels.contains("[\"-1\u{a0}%\"]"),
        "values in the edition's format: {labels}"
    );
}

/// Text items of a frame, with their position on the page.
fn texts(frame: &Frame, at: Point, out: &mut Vec<(Point, String)>) {
    for (pos, item) in frame.items() {
        let pos = at + *pos;
        match item {
            FrameItem::Group(g) => texts(&g.frame, pos + Point::new(g.transform.tx, g.transform.ty), out),
            FrameItem::Text(t) => out.push((pos, t.text.to_string())),
            _ => {}
        }
    }
}

#[test]
fn arabic_is_set_right_to_left_with_numbers_on_the_outer_edge() {
    if !common::require_arabic("arabic_is_set_right_to_left_with_numbers_on_the_outer_edge") {
        return;
    }
    let p = Project::fixture("lakeport").lang("ar").with(|o| o.system_fonts = true);
    let (outcome, typeset) = vlr::typeset(&p.opts);
    assert!(outcome.diags.is_empty(), "{:?}", outcome.diags);
    let doc = typeset[0].document.as_ref().unwrap();
    let mut numbered = 0;
    for (i, page) in doc.pages().iter().enumerate() {
        let (w, h) = (page.frame.width().to_pt(), page.frame.height().to_pt());
        let mut items = Vec::new();
        texts(&page.frame, Point::zero(), &mut items);
        // The folio: the page's number alone, in the bottom margin.
        let folio = |t: &str| !t.is_empty() && t.chars().all(|c| c.is_ascii_digit());
        let Some((pos, _)) = items.iter().find(|(pos, t)| folio(t) && pos.y.to_pt() > h * 0.9) else { continue };
        numbered += 1;
        // A book bound on the right: odd pages on the left of the spread, their outer edge left.
        let left = pos.x.to_pt() < w / 2.0;
        assert_eq!(left, (i + 1) % 2 == 1, "page {}: the number is in the gutter", i + 1);
    }
    assert!(numbered >= 6, "page numbers found on {numbered} pages");
    // Body text starts at the right margin: the heading of the introduction is on the right.
    let mut items = Vec::new();
    let intro = doc.pages().iter().position(|pg| {
        items.clear();
        texts(&pg.frame, Point::zero(), &mut items);
        items.iter().any(|(_, t)| t == "مقدمة") && !items.iter().any(|(_, t)| t.contains("....."))
    });
    let page = &doc.pages()[intro.expect("the introduction page")];
    let (w, h) = (page.frame.width().to_pt(), page.frame.height().to_pt());
    let below_header = |p: &Point| p.y.to_pt() > h * 0.12;
    let heading = items.iter().find(|(p, t)| t == "مقدمة" && below_header(p)).expect("the heading");
    assert!(heading.0.x.to_pt() > w / 2.0, "the heading starts on the right");
    // A negative percentage reads "-2.5%" from left to right wherever it prints (tile,
    // prose, appendix): its sign and percent sign are not reordered by the Arabic around it.
    let mut found = 0;
    for page in doc.pages() {
        glyph_orders(&page.frame, "2.5", &mut |text, order| {
            let at = |c: char| order.iter().position(|r| text[r.clone()].contains(c));
            if let (Some(minus), Some(digit), Some(percent)) = (at('-'), at('2'), at('%')) {
                found += 1;
                assert!(minus < digit && digit < percent, "{text:?} is drawn as {order:?}");
            }
        });
    }
    assert!(found >= 3, "the negative value printed {found} times");
}

/// For each text run containing `needle`: its text and the text of each glyph (a byte range),
/// in the order the glyphs are drawn (left to right).
fn glyph_orders(frame: &Frame, needle: &str, f: &mut dyn FnMut(&str, Vec<std::ops::Range<usize>>)) {
    for (_, item) in frame.items() {
        match item {
            FrameItem::Group(g) => glyph_orders(&g.frame, needle, f),
            FrameItem::Text(t) if t.text.contains(needle) => {
                f(&t.text, t.glyphs.iter().map(|g| g.range.start as usize..g.range.end as usize).collect())
            }
            _ => {}
        }
    }
}

#[test]
fn chart_words_are_set_as_text_at_the_theme_size_in_every_script() {
    let mut langs = vec!["fr", "en", "es", "ru"];
    if common::require_arabic("chart_words_are_set_as_text_at_the_theme_size_in_every_script") {
        langs.push("ar");
    }
    let mut p = Project::fixture("lakeport");
    for l in &langs {
        p = p.lang(l);
    }
    let (outcome, typeset) = vlr::typeset(&p.with(|o| o.system_fonts = true).opts);
    assert!(outcome.diags.is_empty(), "{:?}", outcome.diags);
    for (t, lang) in typeset.iter().zip(&langs) {
        // Every word of every chart label is set by Typst as text at the theme's chart size
        // (8 pt), never cut into letters.
        let (words, unset) = common::chart_words(t);
        assert!(unset.is_empty(), "{lang}: {unset:#?}");
        assert!(words > 10, "{lang}: chart words found: {words}");
    }
}

/// A project made before the templates printed `part`: each edition takes vlr's own word in
/// its language, with one note per pack (not a warning: `--deny-warnings` builds pass), and
/// `i18n status` lists the words.
#[test]
fn words_the_templates_gained_come_from_vlrs_own_words_in_each_language() {
    let p = Project::fixture("lakeport").lang("es").with(|o| o.deny_warnings = true);
    for code in ["fr", "en", "es", "ru", "ar"] {
        let ui = format!("lang/{code}/ui.toml");
        let text = p.read(&ui);
        let start = text.find("[part]\n").unwrap();
        let end = start + text[start..].find("\n\n").unwrap_or(text.len() - start);
        p.write(&ui, &format!("{}{}", &text[..start], &text[end..]));
    }
    let built = p.build().ok();
    let notes: Vec<String> =
        built.0.diags.iter().map(|d| format!("{:?} {} {}", d.severity, d.code, d.message)).collect();
    assert_eq!(
        notes,
        [
            "Note builtin-word lang/es/ui.toml does not have the interface word(s) `part` that this version of vlr prints: vlr's own Español words are used",
            "Note builtin-word lang/fr/ui.toml does not have the interface word(s) `part` that this version of vlr prints: vlr's own Français words are used",
        ],
    );
    let (_, project) = vlr::load_project(&p.root, &vlr::Languages::Some(vec!["es".into()]));
    let project = project.unwrap();
    let texts = vlr::Texts::new(&project, "es");
    let mut diags = vlr::Diagnostics::default();
    assert_eq!(texts.ui(&mut diags, "part"), vlr::builtin::words("es", None).unwrap().words["part"]);
    assert!(diags.is_empty(), "the Spanish word is the edition's own: {}", diags.short());
    let status = p.vlr(&["i18n", "status", "--lang", "es", "--strict"]);
    assert!(status.exits(0).stdout.lines().any(|l| l == "builtin   ui/part"), "{}", status.stdout);
}
