//! Language packs: the Chinese edition, translation status, PO round trips, font coverage.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

fn vlr() -> Command {
    Command::new(env!("CARGO_BIN_EXE_vlr"))
}

/// A copy of the repository's book in a scratch folder (the i18n commands write into it).
fn book_copy() -> PathBuf {
    let dir = common::scratch("book-i18n");
    for sub in ["chapters", "data", "lang", "styles"] {
        common::copy_dir(&common::repo().join(sub), &dir.join(sub));
    }
    std::fs::copy(common::repo().join("report.toml"), dir.join("report.toml")).unwrap();
    dir
}

fn has_cjk_font() -> bool {
    vlr::fonts::store(&[], true).book().contains_family("noto sans cjk sc")
}

#[test]
fn chinese_edition_needs_a_cjk_font_and_builds_with_one() {
    // Without system fonts (as on a machine without fonts-noto-cjk) the build refuses to
    // print tofu and names the characters, their file and the fix.
    let mut o = vlr::Options::new(common::repo());
    o.system_fonts = false;
    o.langs = vec!["zh-CN".into()];
    o.out_dir = Some(common::scratch("zh-nofont"));
    let outcome = vlr::build(&o);
    assert!(!outcome.ok());
    assert!(outcome.editions.is_empty(), "no PDF without the font");
    let d = outcome.ctx.diags.iter().find(|d| d.code == "missing-glyphs").expect("a missing-glyphs error");
    assert!(d.message.starts_with("no available font has "), "{}", d.message);
    assert!(d.file.as_ref().is_some_and(|f| f.starts_with("lang/zh-CN")), "{d:?}");
    assert!(d.span.is_some(), "points at the first occurrence");
    assert!(d.hint.as_deref().is_some_and(|h| h.contains("fonts-noto-cjk") && h.contains("Noto Sans CJK SC")), "{d:?}");

    if !has_cjk_font() {
        eprintln!(
            "note: no Noto Sans CJK SC on this machine: checked the missing-font error only (CI installs fonts-noto-cjk and builds the full Chinese edition)"
        );
        return;
    }
    let mut o = vlr::Options::new(common::repo());
    o.langs = vec!["zh-CN".into()];
    o.out_dir = Some(common::scratch("zh"));
    let outcome = vlr::build(&o);
    assert!(outcome.ok(), "{}", vlr::diag::render_short(&outcome.ctx.diags, &outcome.ctx.sources));
    assert!(outcome.ctx.diags.is_empty(), "{}", vlr::diag::render_short(&outcome.ctx.diags, &outcome.ctx.sources));
    let ed = &outcome.editions[0];
    assert!(ed.pdf.as_ref().unwrap().ends_with("shanghai-vlr-2021-zh-CN.pdf"));
    let text: String = common::pdf_text(ed.pdf.as_ref().unwrap()).chars().filter(|c| !c.is_whitespace()).collect();
    for needle in [
        "目录",
        "引言",
        "SDG1无贫穷",
        "SDG3良好健康与福祉",
        "SDG4优质教育",
        "SDG8体面工作和经济增长",
        "SDG11可持续城市和社区",
        "SDG13气候行动",
        "SDG15陆地生物",
        "采取紧急行动应对气候变化及其影响",
        "关键指标",
        "42.4万",
        "18.57亿",
    ] {
        assert!(text.contains(needle), "`{needle}` not in the Chinese PDF");
    }
}

#[test]
fn status_reports_missing_and_stale_strings_by_id_and_strict_fails() {
    let root = common::project(None);
    // Stamp the test pack: export, confirm every message, import.
    let po = root.join("po");
    let run = |args: &[&str]| vlr().args(args).arg("--root").arg(&root).output().unwrap();
    assert!(run(&["i18n", "export", "--lang", "xx", "--out", po.to_str().unwrap()]).status.success());
    for f in ["ui.po", "intro.po"] {
        let p = po.join(f);
        common::edit(&p, "#, fuzzy\n", "");
    }
    assert!(run(&["i18n", "import", "--lang", "xx", "--from", po.to_str().unwrap()]).status.success());
    // Change the English source of one translated string.
    let en = root.join("lang/en/intro.toml");
    common::edit(&en, "The city counted about", "The city had about");

    let out = run(&["i18n", "status", "--lang", "xx"]);
    assert!(out.status.success(), "without --strict status only reports");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.lines().any(|l| l == "stale     intro/lead"), "{text}");
    assert!(text.lines().any(|l| l == "missing   intro/photo"), "{text}");
    assert!(
        text.lines()
            .any(|l| l.starts_with("intro ")
                && l.split_whitespace().collect::<Vec<_>>() == ["intro", "1", "1", "1", "0"]),
        "{text}"
    );

    let strict = run(&["i18n", "status", "--lang", "xx", "--strict"]);
    assert_eq!(strict.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&strict.stderr).contains("missing or stale"));
}

#[test]
fn po_export_then_import_changes_nothing() {
    let root = book_copy();
    let po = root.join("po");
    let before = read_tree(&root.join("lang/zh-CN"));
    let out = vlr()
        .args(["i18n", "export", "--lang", "zh-CN", "--format", "po", "--out"])
        .arg(&po)
        .arg("--root")
        .arg(&root)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let sample = std::fs::read_to_string(po.join("sdg13.po")).unwrap();
    assert!(
        sample.contains("msgctxt \"sdg13/chapter.title\"\nmsgid \"Climate Action\"\nmsgstr \"气候行动\""),
        "{}",
        &sample[..600.min(sample.len())]
    );
    let out =
        vlr().args(["i18n", "import", "--lang", "zh-CN", "--from"]).arg(&po).arg("--root").arg(&root).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let after = read_tree(&root.join("lang/zh-CN"));
    assert_eq!(before.len(), after.len());
    for ((p, a), (_, b)) in before.iter().zip(&after) {
        assert!(a == b, "{} changed in the round trip", p.display());
    }
    // And the repository's pack is complete and current.
    let out = vlr().args(["i18n", "status", "--lang", "zh-CN", "--strict", "--root"]).arg(&root).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stdout));
}

#[test]
fn a_character_outside_every_font_is_reported_with_its_place() {
    let root = common::project(None);
    let p = root.join("lang/xx/intro.toml");
    common::edit(&p, "Die Stadt", "上海 Die Stadt");
    let mut o = common::options(&root);
    o.langs = vec!["xx".into()];
    let outcome = vlr::check(&o);
    let short = vlr::diag::render_short(&outcome.ctx.diags, &outcome.ctx.sources);
    assert!(
        short.contains("lang/xx/intro.toml:6:4: error[missing-glyphs]: no available font has 上 (U+4E0A), 海 (U+6D77)"),
        "{short}"
    );
}

fn read_tree(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(read_tree(&p));
        } else {
            out.push((p.clone(), std::fs::read(&p).unwrap()));
        }
    }
    out.sort();
    out
}
