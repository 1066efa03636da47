//! A city other than Shanghai: `vlr new` starts a report that builds at once in any of the
//! UN languages, and the `lakeport` fixture — another city's goals, sections of its own, a
//! French source with an English translation, US Letter, no `styles/` — builds with the
//! built-in design and reads back in its own words and numbers.

use crate::common;

use common::{Project, Run, vlr_command};

fn new_report(args: &[&str]) -> std::path::PathBuf {
    let dir = common::scratch("new").join("report");
    let mut cmd = vlr_command();
    cmd.arg("new").arg(&dir).args(args);
    Run::of(&mut cmd).exits(0);
    dir
}

fn vlr_at(dir: &std::path::Path, args: &[&str]) -> Run {
    let mut cmd = vlr_command();
    cmd.args(args).arg("--root").arg(dir);
    Run::of(&mut cmd)
}

#[test]
fn a_new_report_checks_and_builds_at_once() {
    let dir = new_report(&["--goals", "2,9,14", "--lang", "es,en", "--city", "Riverton", "--year", "2026"]);
    assert!(!dir.join("styles").exists(), "the built-in design is used");
    vlr_at(&dir, &["check", "--lang", "all"]).exits(0);
    let run = vlr_at(&dir, &["build", "--lang", "all", "--edition", "all"]);
    run.exits(0);
    let pdfs: Vec<_> = std::fs::read_dir(dir.join("build"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|n| n.to_string_lossy().ends_with(".pdf"))
        .collect();
    assert_eq!(pdfs.len(), 4, "{pdfs:?}");
    // Each language in its own words: the UN's goal names, the local word for SDG, the
    // starter's headings; the pending sample values are reported, not guessed.
    let es = common::pdf_text(&dir.join("build/riverton-vlr-2026-es.pdf"));
    for needle in ["ODS 2 Hambre Cero", "ODS 9", "ODS 14 Vida Submarina", "Indicadores clave", "Riverton 2026"] {
        assert!(es.contains(needle), "`{needle}` not in the Spanish edition:\n{es}");
    }
    let en = common::pdf_text(&dir.join("build/riverton-vlr-2026-en.pdf"));
    for needle in ["SDG 2 Zero hunger", "SDG 14 Life below water", "Key indicators", "Goal 9"] {
        assert!(en.contains(needle), "`{needle}` not in the English edition:\n{en}");
    }
    // The translation is complete and current.
    vlr_at(&dir, &["i18n", "status", "--lang", "en", "--strict"]).exits(0);
}

#[test]
fn new_reports_in_other_languages_and_goals() {
    let mut cases = vec![
        (vec!["--goals", "1,16", "--lang", "fr"], "ODD 16"),
        (vec!["--goals", "5,11", "--lang", "ru,en"], "ЦУР 5"),
    ];
    // Arabic and Chinese need their fonts (CI installs them).
    if common::require_cjk("new_reports_in_other_languages_and_goals (zh)") {
        cases.push((vec!["--goals", "3", "--lang", "zh,en"], "可持续发展目标3"));
    }
    if common::require_arabic("new_reports_in_other_languages_and_goals (ar)") {
        cases.push((vec!["--goals", "13,15", "--lang", "ar,fr"], "الهدف 13"));
    }
    for (args, prefix) in cases {
        let mut all = args.clone();
        all.extend(["--city", "Lisière", "--year", "2025"]);
        let dir = new_report(&all);
        vlr_at(&dir, &["check", "--lang", "all"]).exits(0);
        vlr_at(&dir, &["build", "--lang", "all"]).exits(0);
        let first = args[3].split(',').next().unwrap();
        let pdf = dir.join(format!("build/lisiere-vlr-2025-{first}.pdf"));
        // Without spaces; a right-to-left script comes out of the PDF in visual order.
        let text: String = common::pdf_text(&pdf).chars().filter(|c| !c.is_whitespace()).collect();
        let want: String = prefix.chars().filter(|c| !c.is_whitespace()).collect();
        let word: String = prefix.split(' ').next().unwrap().chars().rev().collect();
        assert!(text.contains(&want) || text.contains(&word), "`{prefix}` not in {}:\n{text}", pdf.display());
    }
}

#[test]
fn new_refuses_a_folder_in_use_and_bad_requests() {
    let dir = common::scratch("new-busy");
    std::fs::write(dir.join("notes.txt"), "mine").unwrap();
    let busy = Run::of(vlr_command().arg("new").arg(&dir).args(["--goals", "6", "--city", "X", "--year", "2025"]));
    assert!(busy.exits(2).stderr.contains("is not empty"), "{}", busy.stderr);
    assert_eq!(std::fs::read_to_string(dir.join("notes.txt")).unwrap(), "mine");
    let forced =
        Run::of(vlr_command().arg("new").arg(&dir).args(["--goals", "6", "--city", "X", "--year", "2025", "--force"]));
    forced.exits(0);
    for (args, says) in [
        (vec!["--goals", "18"], "--goals takes goal numbers from 1 to 17"),
        (vec!["--goals", "6", "--lang", "de"], "there is no starter pack for `de`"),
        (vec!["--goals", "6", "--page-size", "a3"], "--page-size takes a4, a5, us-letter"),
    ] {
        let target = common::scratch("new-bad").join("r");
        let run = Run::of(vlr_command().arg("new").arg(&target).args(&args).args(["--city", "X", "--year", "2025"]));
        assert!(run.exits(2).stderr.contains(says), "{}", run.stderr);
        assert!(!target.exists());
    }
}

#[test]
fn styles_can_be_ejected_for_a_designer_and_override_the_builtin_ones() {
    let dir = new_report(&["--goals", "6", "--city", "Riverton", "--year", "2026", "--styles"]);
    for f in ["report.typ", "pages.typ", "blocks.typ", "theme.toml", "README.md"] {
        assert!(dir.join("styles").join(f).is_file(), "{f} not copied");
    }
    // A project's own template replaces the built-in one.
    let blocks = dir.join("styles/blocks.typ");
    let text = std::fs::read_to_string(&blocks).unwrap();
    std::fs::write(
        &blocks,
        text.replace(
            "#let paragraphs(paras) = for p in paras { par(rich(p)) }",
            "#let paragraphs(paras) = for p in paras { par[DESIGNED #rich(p)] }",
        ),
    )
    .unwrap();
    vlr_at(&dir, &["build"]).exits(0);
    assert!(common::pdf_text(&dir.join("build/riverton-vlr-2026-en.pdf")).contains("DESIGNED"));
    // Eject keeps what is there unless forced.
    let run = vlr_at(&dir, &["styles", "eject"]);
    assert!(run.exits(0).stderr.contains("0 file(s)"), "{}", run.stderr);
    vlr_at(&dir, &["styles", "eject", "--force"]).exits(0);
    assert!(!std::fs::read_to_string(&blocks).unwrap().contains("DESIGNED"));
}

/// The lakeport fixture: no Rust change and no styles of its own, yet its own city, goals,
/// sections, languages, numbers and paper.
#[test]
fn another_city_reads_back_in_its_own_words() {
    // French and English (the bundled fonts); tests/locales.rs has the other scripts.
    let p = Project::fixture("lakeport").lang("fr").lang("en");
    assert!(!p.path("styles").exists());
    let built = p.build().ok();
    assert!(built.0.diags.is_empty(), "{}", built.short());
    let fr = built.text(0);
    for needle in [
        "ODD 6 Eau propre et assainissement",
        "OBJECTIF 6",
        "Situation",
        "Actions menées",
        "98,5 %",
        "1,25 million",
        "1 kilomètre",
        "Tableau 1 Les partenaires de Lakeport",
        "Figure 3 Le port de Lakeport",
    ] {
        assert!(fr.contains(needle), "`{needle}` not in the French edition:\n{fr}");
    }
    let en = built.text(1);
    for needle in [
        "SDG 6 Clean water and sanitation",
        "Current situation",
        "Actions taken",
        "98.5%",
        "1.25 million",
        "1 kilometre",
    ] {
        assert!(en.contains(needle), "`{needle}` not in the English edition:\n{en}");
    }
    // US Letter, as report.toml says.
    let doc = lopdf::Document::load(built.pdf(0)).unwrap();
    let page = doc.get_pages().into_values().next().unwrap();
    let media = doc.get_object(page).unwrap().as_dict().unwrap().get(b"MediaBox").unwrap().as_array().unwrap().clone();
    let size: Vec<f32> = media.iter().map(|v| v.as_float().unwrap()).collect();
    assert_eq!(size, [0.0, 0.0, 612.0, 792.0]);
}
