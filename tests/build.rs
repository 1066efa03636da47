//! End-to-end builds of the minimal fixture: PDF text read back, literal characters,
//! a second language pack with fallback, reproducible bytes and atomic replacement.

mod common;

use vlr::diag::Severity;

fn build_ok(root: &std::path::Path, langs: &[&str]) -> vlr::Outcome {
    let mut o = common::options(root);
    o.langs = langs.iter().map(|s| s.to_string()).collect();
    let outcome = vlr::build(&o);
    let diags = vlr::diag::render_short(&outcome.ctx.diags, &outcome.ctx.sources);
    assert!(outcome.ok(), "build failed:\n{diags}");
    outcome
}

#[test]
fn minimal_project_builds_and_reads_back() {
    let root = common::project(None);
    let outcome = build_ok(&root, &[]);
    let ed = &outcome.editions[0];
    let pdf = ed.pdf.as_ref().unwrap();
    assert_eq!(pdf, &root.join("out/mini-en.pdf"));
    let text = common::pdf_text(pdf);
    for needle in [
        "Mini Review",
        "Contents",
        "The Main Part",
        "Opening Chapter",
        "SDG13 Climate Action",
        "Take urgent action to combat climate change and its impacts",
        "Key indicators",
        "424,000",
        "(1) Doing the first thing",
        "A bullet sub-heading",
        "A case box",
        "Figure 1",
        "A photo we do not have",
        "Power use per year",
        "Table 1 A table of things",
        "Cut power use to 451.35",
        "Second measure",
        "Rebuilt from the text.",
    ] {
        assert!(text.contains(needle), "`{needle}` not in PDF text:\n{text}");
    }
    // Chart labels are SVG text laid out glyph by glyph: compare without spaces.
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    assert!(compact.contains("571.452015451.352019"), "chart labels missing: {compact}");
    // The lost value prints as pending, in the tile and in the sentence.
    assert!(text.contains("The lost share was pending"), "{text}");
    assert_eq!(ed.placeholders.len(), 1);
    assert_eq!(ed.placeholders[0].figure, "photo");
}

#[test]
fn markup_characters_print_literally() {
    let root = common::project(None);
    let outcome = build_ok(&root, &[]);
    let text = common::pdf_text(outcome.editions[0].pdf.as_ref().unwrap());
    assert!(text.contains(r"Literal marks: # $ * _ @ < > \ [ ] = and {braces} stay as typed."), "{text}");
    // Italic titles keep their words.
    assert!(text.contains("The Plan (2020)"), "{text}");
}

#[test]
fn markup_in_text_cannot_run_typst_code() {
    let root = common::project(None);
    let intro = root.join("lang/en/intro.toml");
    common::edit(
        &intro,
        "Literal marks:",
        r#"#read(\"/report.toml\") #panic(\"x\") $x^2$ *bold* _it_ <lbl> @ref = heading \\ Literal marks:"#,
    );
    let outcome = build_ok(&root, &[]);
    let text = common::pdf_text(outcome.editions[0].pdf.as_ref().unwrap());
    assert!(
        text.contains(r#"#read("/report.toml") #panic("x") $x^2$ *bold* _it_ <lbl> @ref = heading \ Literal marks:"#),
        "{text}"
    );
}

#[test]
fn second_pack_translates_and_falls_back_with_warnings() {
    let root = common::project(None);
    let outcome = build_ok(&root, &["xx"]);
    let ed = &outcome.editions[0];
    assert_eq!(ed.pdf.as_ref().unwrap(), &root.join("out/mini-xx.pdf"));
    let text = common::pdf_text(ed.pdf.as_ref().unwrap());
    // Translated, with the pack's number format (group ".").
    assert!(text.contains("Eröffnungskapitel"), "{text}");
    assert!(text.contains("Die Stadt zählte etwa 424.000 Fahrzeuge."), "{text}");
    assert!(text.contains("Inhalt"), "{text}");
    assert!(text.contains("Abbildung 1"), "{text}");
    // Missing strings fall back to English…
    assert!(text.contains("A photo we do not have"), "{text}");
    assert!(text.contains("Climate Action"), "{text}");
    // …and each is reported as a warning naming the pack file to fix.
    let warnings: Vec<_> = outcome.ctx.diags.iter().filter(|d| d.severity == Severity::Warning).collect();
    assert!(
        warnings.iter().any(|d| d.code == "missing-translation"
            && d.message == "`photo` (caption) is not translated into xx; using en"
            && d.file.as_deref() == Some(std::path::Path::new("lang/xx/intro.toml"))),
        "{warnings:#?}"
    );
    assert!(warnings.iter().any(|d| d.message.starts_with("`m1` (text) is not translated")), "{warnings:#?}");
    // Tables fall back the same way, and say so.
    assert!(text.contains("Measures"), "{text}");
    assert!(
        warnings.iter().any(|d| d.message == "`tab` (header and rows) is not translated into xx; using en"),
        "{warnings:#?}"
    );
}

#[test]
fn all_languages_in_one_run() {
    let root = common::project(None);
    let mut o = common::options(&root);
    o.all_langs = true;
    let outcome = vlr::build(&o);
    assert!(outcome.ok());
    let langs: Vec<_> = outcome.editions.iter().map(|e| e.lang.as_str()).collect();
    assert_eq!(langs, ["en", "xx"]);
    assert!(root.join("out/mini-en.pdf").is_file() && root.join("out/mini-xx.pdf").is_file());
}

#[test]
fn same_inputs_give_identical_bytes() {
    let root = common::project(None);
    let first = std::fs::read(build_ok(&root, &[]).editions[0].pdf.clone().unwrap()).unwrap();
    let second = std::fs::read(build_ok(&root, &[]).editions[0].pdf.clone().unwrap()).unwrap();
    assert!(first == second, "two builds differ");
    assert!(first.starts_with(b"%PDF-"));
}

#[test]
fn a_failed_build_leaves_the_previous_pdf_untouched() {
    let root = common::project(None);
    let pdf = build_ok(&root, &[]).editions[0].pdf.clone().unwrap();
    let before = std::fs::read(&pdf).unwrap();
    // Break the data: the next build must fail and keep the old file.
    let data = root.join("data/g.toml");
    common::edit(&data, "value = 424000", "value = \"many\"");
    let outcome = vlr::build(&common::options(&root));
    assert!(!outcome.ok());
    assert_eq!(std::fs::read(&pdf).unwrap(), before);
    let leftovers: Vec<_> = std::fs::read_dir(root.join("out")).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(leftovers.len(), 1, "temporary files left behind: {leftovers:?}");
}

#[test]
fn a_template_error_is_reported_with_its_location() {
    let root = common::project(None);
    let tpl = root.join("styles/blocks.typ");
    common::edit(
        &tpl,
        "#let paragraphs(paras) = for p in paras { par(rich(p)) }",
        "#let paragraphs(paras) = for p in paras { par(rich(p)) + undefined-thing }",
    );
    let outcome = vlr::build(&common::options(&root));
    assert!(!outcome.ok());
    let short = vlr::diag::render_short(&outcome.ctx.diags, &outcome.ctx.sources);
    assert!(short.contains("styles/blocks.typ:"), "{short}");
    assert!(short.contains("error[typst]: unknown variable: undefined-thing"), "{short}");
    assert!(!root.join("out").exists());
}

#[test]
fn emit_typst_writes_a_self_contained_project() {
    let root = common::project(None);
    let mut o = common::options(&root);
    let emit = root.join("emitted");
    o.emit_typst = Some(emit.clone());
    assert!(vlr::build(&o).ok());
    for f in ["main.typ", "book.json", "styles/report.typ", "styles/blocks.typ", "charts/goal-ki-chart.svg"] {
        assert!(emit.join(f).is_file(), "{f} missing");
    }
    let fonts: Vec<_> =
        std::fs::read_dir(emit.join("fonts")).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    assert!(fonts.iter().any(|f| f.starts_with("NotoSans")), "{fonts:?}");
}

#[test]
fn a_tile_number_typed_into_prose_is_flagged() {
    let root = common::project(None);
    let intro = root.join("lang/en/goal.toml");
    common::edit(&intro, "First case paragraph.", "There were 424,000 vehicles.");
    let outcome = vlr::check(&common::options(&root));
    let short = vlr::diag::render_short(&outcome.ctx.diags, &outcome.ctx.sources);
    assert_eq!(
        short,
        "lang/en/goal.toml:28:21: warning[typed-number]: 424,000 is typed as text but is also shown from `g.stock` (hint: write {g.stock} so the sentence follows the data)\n"
    );
    assert!(outcome.ok(), "a warning does not fail the build");
}

#[test]
fn an_overfull_key_indicator_panel_is_reported() {
    let root = common::project(None);
    let goal = root.join("chapters/goal.toml");
    let tiles: String = (1..=40).map(|i| format!("  {{ id = \"extra-{i}\", data = \"g.stock\" }},\n")).collect();
    common::edit(
        &goal,
        "  { id = \"ki-lost\", data = \"g.lost\" },\n",
        &format!("  {{ id = \"ki-lost\", data = \"g.lost\" }},\n{tiles}"),
    );
    let outcome = vlr::build(&common::options(&root));
    let overfull: Vec<_> = outcome.ctx.diags.iter().filter(|d| d.code == "overfull-panel").collect();
    assert_eq!(overfull.len(), 1, "{:#?}", outcome.ctx.diags);
    let d = overfull[0];
    assert!(d.message.starts_with("key-indicator panel `ki` of chapter `goal` is "), "{}", d.message);
    assert_eq!(d.file.as_deref(), Some(std::path::Path::new("chapters/goal.toml")));
    // The normal fixture has no such warning.
    let fine = vlr::build(&common::options(&common::project(None)));
    assert!(!fine.ctx.diags.iter().any(|d| d.code == "overfull-panel"));
}

#[test]
fn a_session_rebuild_reads_only_changed_files_and_redraws_only_changed_charts() {
    let root = common::project(None);
    let mut session = vlr::session::Session::new(common::options(&root));
    assert!(session.build().ok());
    let (reads, charts) = (session.files_read(), session.charts_drawn());
    assert_eq!(charts, 1, "the fixture has one chart");
    // Nothing changed: nothing is read or drawn again.
    assert!(session.build().ok());
    assert_eq!((session.files_read(), session.charts_drawn()), (reads, charts));
    // A paragraph changes: one file is read again, no chart is redrawn.
    std::thread::sleep(std::time::Duration::from_millis(20));
    let intro = root.join("lang/en/intro.toml");
    common::edit(&intro, "The city counted", "The city had");
    let outcome = session.build();
    assert!(outcome.ok());
    assert_eq!((session.files_read(), session.charts_drawn()), (reads + 1, charts));
    assert!(common::pdf_text(outcome.editions[0].pdf.as_ref().unwrap()).contains("The city had about 424,000"));
    // The charted series changes: one file read, one chart redrawn.
    let data = root.join("data/g.toml");
    common::edit(&data, "2019 = 451.35", "2019 = 449.5");
    assert!(session.build().ok());
    assert_eq!((session.files_read(), session.charts_drawn()), (reads + 2, charts + 1));
}

#[test]
fn a_broken_indicator_is_reported_once() {
    let root = common::project(None);
    let data = root.join("data/g.toml");
    common::edit(&data, "value = 424000", "value = \"lots\"");
    let outcome = vlr::check(&common::options(&root));
    let short = vlr::diag::render_short(&outcome.ctx.diags, &outcome.ctx.sources);
    assert_eq!(short.lines().count(), 1, "{short}");
    assert!(
        short.starts_with(
            "data/g.toml:4:9: error[invalid-value]: the value of `g.stock` must be a number or \"pending\""
        ),
        "{short}"
    );
}

#[test]
fn the_print_edition_has_bleed_trim_and_crop_marks() {
    let root = common::project(None);
    let mut o = common::options(&root);
    o.outputs = vec![vlr::Output::Screen, vlr::Output::Print];
    let outcome = vlr::build(&o);
    assert!(outcome.ok(), "{}", vlr::diag::render_short(&outcome.ctx.diags, &outcome.ctx.sources));
    let files: Vec<_> = outcome.editions.iter().map(|e| e.pdf.clone().unwrap()).collect();
    assert_eq!(files, [root.join("out/mini-en.pdf"), root.join("out/mini-en-print.pdf")]);
    assert_eq!(outcome.editions[0].pages, outcome.editions[1].pages);

    let mm = |v: f32| v * 72.0 / 25.4;
    let boxes = |path: &std::path::Path| {
        let doc = lopdf::Document::load(path).unwrap();
        let page = doc.get_pages().into_values().next().unwrap();
        let dict = doc.get_object(page).unwrap().as_dict().unwrap().clone();
        let get = |k: &[u8]| {
            dict.get(k)
                .ok()
                .and_then(|o| o.as_array().ok())
                .map(|a| a.iter().map(|v| v.as_float().unwrap()).collect::<Vec<f32>>())
        };
        (get(b"MediaBox").unwrap(), get(b"TrimBox"), get(b"BleedBox"))
    };
    let close = |a: &[f32], b: &[f32]| a.iter().zip(b).all(|(x, y)| (x - y).abs() < 0.05);
    let (media, trim, bleed) = boxes(&files[1]);
    let (a4w, a4h) = (595.28, 841.89);
    assert!(close(&media, &[0.0, 0.0, a4w + mm(20.0), a4h + mm(20.0)]), "{media:?}");
    assert!(close(&trim.unwrap(), &[mm(10.0), mm(10.0), a4w + mm(10.0), a4h + mm(10.0)]));
    assert!(close(&bleed.unwrap(), &[mm(7.0), mm(7.0), a4w + mm(13.0), a4h + mm(13.0)]));
    // The screen edition has neither.
    let (media, trim, bleed) = boxes(&files[0]);
    assert!(close(&media, &[0.0, 0.0, a4w, a4h]) && trim.is_none() && bleed.is_none());
}

#[test]
fn a_chapter_preview_holds_that_chapters_pages_only() {
    let root = common::project(None);
    let whole = build_ok(&root, &[]);
    let mut o = common::options(&root);
    o.chapter = Some("goal".into());
    let outcome = vlr::build(&o);
    assert!(outcome.ok(), "{}", vlr::diag::render_short(&outcome.ctx.diags, &outcome.ctx.sources));
    let e = &outcome.editions[0];
    let (first, last) = e.range.expect("a page range");
    assert_eq!(e.pages, whole.editions[0].pages, "the whole book is still laid out");
    assert!(first > 1 && last == e.pages, "goal is the last chapter: {first}-{last} of {}", e.pages);
    let pdf = e.pdf.as_ref().unwrap();
    assert_eq!(pdf.file_name().unwrap(), "mini-en-goal-preview.pdf");
    let doc = lopdf::Document::load(pdf).unwrap();
    assert_eq!(doc.get_pages().len(), last - first + 1);
    // Typst cannot tag part of a document: the preview is plain, the full build stays tagged.
    assert!(doc.catalog().unwrap().get(b"StructTreeRoot").is_err());
    let text = common::pdf_text(pdf);
    assert!(text.contains("Climate Action") && !text.contains("The city counted"), "{text}");
    // The full PDF was not touched.
    assert_eq!(std::fs::read(whole.editions[0].pdf.as_ref().unwrap()).unwrap().len(), whole.editions[0].bytes);
}

/// While only the chapter's own text changes, watch lays out the chapter alone, from the
/// counters the book had where it starts: the pages must come out as in the whole book.
#[test]
fn a_chapter_laid_out_alone_matches_the_whole_book() {
    let root = common::project(None);
    let mut o = common::options(&root);
    o.chapter = Some("goal".into());
    let mut session = vlr::session::Session::new(o);
    let first = session.build();
    assert!(first.ok());
    let pdf = first.editions[0].pdf.clone().unwrap();
    let whole_text = common::pdf_text(&pdf);
    assert_eq!(session.chapter_alone_layouts(), 0);
    // Nothing changed: the chapter alone gives the same pages (page numbers, figure numbers).
    let again = session.build();
    assert_eq!(session.chapter_alone_layouts(), 1);
    assert_eq!((again.editions[0].range, again.editions[0].pages), (first.editions[0].range, first.editions[0].pages));
    assert_eq!(common::pdf_text(&pdf), whole_text);
    assert!(whole_text.contains("Table 1"), "{whole_text}");
    // An edit inside the chapter: still alone.
    std::thread::sleep(std::time::Duration::from_millis(20));
    let goal = root.join("lang/en/goal.toml");
    common::edit(&goal, "Doing the first thing", "Doing the very first thing");
    assert!(session.build().ok());
    assert_eq!(session.chapter_alone_layouts(), 2);
    assert!(common::pdf_text(&pdf).contains("Doing the very first thing"));
    // An edit before it may move its pages: the whole book is laid out again.
    let intro = root.join("lang/en/intro.toml");
    common::edit(&intro, "The city counted", "The city had");
    assert!(session.build().ok());
    assert_eq!(session.chapter_alone_layouts(), 2);
}

#[test]
fn an_unknown_chapter_is_an_error_listing_the_chapters() {
    let root = common::project(None);
    let mut o = common::options(&root);
    o.chapter = Some("gaol".into());
    let outcome = vlr::build(&o);
    let short = vlr::diag::render_short(&outcome.ctx.diags, &outcome.ctx.sources);
    assert_eq!(
        short.trim(),
        "report.toml: error[unknown-chapter]: report.toml has no chapter `gaol` (hint: --chapter takes one of: intro, goal)"
    );
    assert!(outcome.editions.is_empty());
}

#[test]
fn a_session_reparses_only_changed_files_and_reports_unfixed_errors_again() {
    let root = common::project(None);
    let mut session = vlr::session::Session::new(common::options(&root));
    assert!(session.build().ok());
    let data = root.join("data/g.toml");
    let good = std::fs::read_to_string(&data).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(20));
    std::fs::write(&data, good.replace("value = 424000", "value = \"lots\"")).unwrap();
    // The error stays reported on every build until the file is fixed (errors are never cached).
    for _ in 0..2 {
        let outcome = session.build();
        let short = vlr::diag::render_short(&outcome.ctx.diags, &outcome.ctx.sources);
        assert!(short.contains("data/g.toml:4:9: error[invalid-value]"), "{short}");
    }
    std::thread::sleep(std::time::Duration::from_millis(20));
    std::fs::write(&data, good.replace("value = 424000", "value = 431000")).unwrap();
    let outcome = session.build();
    assert!(outcome.ok());
    assert!(common::pdf_text(outcome.editions[0].pdf.as_ref().unwrap()).contains("431,000"));
}
