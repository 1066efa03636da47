//! The tool end to end on the minimal fixture: PDF text read back, literal characters, a second
//! language pack with fallback, reproducible bytes, all-or-nothing writes, the emitted Typst
//! project, the print edition, chapter previews and the session's caches.

use crate::common;

use common::Project;
use vlr::Edition;

#[test]
fn minimal_project_builds_and_reads_back() {
    let p = Project::minimal();
    let built = p.build().ok();
    assert_eq!(built.pdf(0), p.path("out/mini-en.pdf"));
    let text = built.text(0);
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
    let pdf = &built.0.pdfs[0];
    assert_eq!(pdf.placeholders.len(), 1);
    assert_eq!(pdf.placeholders[0].figure, "photo");
}

#[test]
fn markup_characters_print_literally() {
    let text = Project::minimal().build().ok().text(0);
    assert!(text.contains(r"Literal marks: # $ * _ @ < > \ [ ] = and {braces} stay as typed."), "{text}");
    // Italic titles keep their words.
    assert!(text.contains("The Plan (2020)"), "{text}");
}

#[test]
fn markup_in_text_cannot_run_typst_code() {
    let p = Project::minimal();
    p.edit(
        "lang/en/intro.toml",
        "Literal marks:",
        r#"#read(\"/report.toml\") #panic(\"x\") $x^2$ *bold* _it_ <lbl> @ref = heading \\ Literal marks:"#,
    );
    let text = p.build().ok().text(0);
    assert!(
        text.contains(r#"#read("/report.toml") #panic("x") $x^2$ *bold* _it_ <lbl> @ref = heading \ Literal marks:"#),
        "{text}"
    );
}

#[test]
fn second_pack_translates_and_falls_back_with_warnings() {
    let p = Project::minimal().lang("xx");
    let built = p.build().ok();
    assert_eq!(built.pdf(0), p.path("out/mini-xx.pdf"));
    let text = built.text(0);
    // Translated, with the pack's number format (group ".").
    for needle in ["Eröffnungskapitel", "Die Stadt zählte etwa 424.000 Fahrzeuge.", "Inhalt", "Abbildung 1"] {
        assert!(text.contains(needle), "`{needle}` missing: {text}");
    }
    // Missing strings fall back to English…
    assert!(text.contains("A photo we do not have") && text.contains("Climate Action"), "{text}");
    // …and each is reported as a warning naming the pack file to fix.
    let warnings = built.warnings();
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
    let p = Project::minimal().all_langs();
    let built = p.build().ok();
    let langs: Vec<_> = built.0.pdfs.iter().map(|e| e.target.lang.as_str()).collect();
    assert_eq!(langs, ["en", "xx"]);
    assert!(p.path("out/mini-en.pdf").is_file() && p.path("out/mini-xx.pdf").is_file());
}

#[test]
fn same_inputs_give_identical_bytes() {
    let p = Project::minimal();
    let first = std::fs::read(p.build().ok().pdf(0)).unwrap();
    let second = std::fs::read(p.build().ok().pdf(0)).unwrap();
    assert!(first == second, "two builds differ");
    assert!(first.starts_with(b"%PDF-"));
}

#[test]
fn a_failed_build_leaves_the_previous_pdf_untouched() {
    let p = Project::minimal();
    let pdf = p.build().ok().pdf(0).to_path_buf();
    let before = std::fs::read(&pdf).unwrap();
    // Break the data: the next build must fail and keep the old file.
    p.edit("data/g.toml", "value = 424000", "value = \"many\"");
    p.build().failed();
    assert_eq!(std::fs::read(&pdf).unwrap(), before);
    let leftovers: Vec<_> = std::fs::read_dir(p.path("out")).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(leftovers.len(), 1, "temporary files left behind: {leftovers:?}");
}

#[test]
fn denied_warnings_write_nothing() {
    let p = Project::minimal();
    let pdf = p.build().ok().pdf(0).to_path_buf();
    let before = std::fs::read(&pdf).unwrap();
    p.edit("lang/en/goal.toml", "First case paragraph.", "There were 424,000 vehicles.");
    let denied = Project { root: p.root.clone(), opts: p.opts.clone() }.with(|o| o.deny_warnings = true).build();
    assert!(!denied.0.ok() && denied.0.denied);
    assert!(denied.short().contains("error[warnings-denied]"), "{}", denied.short());
    assert!(denied.0.written.is_empty());
    assert_eq!(std::fs::read(&pdf).unwrap(), before, "the PDF was not replaced");
}

#[test]
fn a_template_error_is_reported_with_its_location_and_call_trace() {
    let p = Project::minimal();
    p.edit(
        "styles/blocks.typ",
        "#let paragraphs(paras) = for p in paras { par(rich(p)) }",
        "#let paragraphs(paras) = for p in paras { par(rich(p)) + undefined-thing }",
    );
    let built = p.build().failed();
    let short = built.short();
    assert!(short.contains("styles/blocks.typ:"), "{short}");
    assert!(short.contains("error[typst]: unknown variable: undefined-thing"), "{short}");
    // The trace names the calls through the templates that led there.
    let d = built.0.diags.iter().find(|d| d.code == "typst").unwrap();
    assert!(d.notes.iter().any(|n| n.message == "while calling `paragraphs`"), "{:#?}", d.notes);
    let human = vlr::render_human(&built.0.diags, false);
    assert!(human.contains("styles/blocks.typ") && human.contains("while calling `render-chapter`"), "{human}");
    assert!(!p.path("out").exists());
}

/// `--emit-typst` writes a project that compiles on its own (here with the `typst` crate, as the
/// official CLI would) into the same pages.
#[test]
fn the_emitted_typst_project_compiles_to_the_same_pages() {
    let p = Project::minimal();
    let emit = p.path("emitted");
    let p = p.with(|o| o.emit_typst = Some(emit.clone()));
    p.build().ok();
    for f in ["main.typ", "book.json", "styles/report.typ", "styles/blocks.typ", "charts/goal-ki-chart.svg"] {
        assert!(emit.join(f).is_file(), "{f} missing");
    }
    let fonts: Vec<_> =
        std::fs::read_dir(emit.join("fonts")).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    assert!(fonts.iter().any(|f| f.starts_with("NotoSans")), "{fonts:?}");

    let (_, typeset) = vlr::typeset(&p.opts);
    let ours = typeset[0].document.as_ref().unwrap();
    let theirs = common::world::compile_dir(&emit);
    assert_eq!(theirs.pages().len(), ours.pages().len());
    for (i, (a, b)) in ours.pages().iter().zip(theirs.pages()).enumerate() {
        assert!(common::same_look(a, b), "page {} differs", i + 1);
    }
}

#[test]
fn a_tile_number_typed_into_prose_is_flagged() {
    let p = Project::minimal();
    p.edit("lang/en/goal.toml", "First case paragraph.", "There were 424,000 vehicles.");
    let built = p.check().ok();
    assert_eq!(
        built.short(),
        "lang/en/goal.toml:28:21: warning[typed-number]: 424,000 is typed as text but is also shown from `g.stock` (hint: write {g.stock} so the sentence follows the data)\n"
    );
}

#[test]
fn an_overfull_key_indicator_panel_is_reported() {
    let p = Project::minimal();
    let tiles: String = (1..=40).map(|i| format!("  {{ id = \"extra-{i}\", data = \"g.stock\" }},\n")).collect();
    p.edit(
        "chapters/goal.toml",
        "  { id = \"ki-lost\", data = \"g.lost\" },\n",
        &format!("  {{ id = \"ki-lost\", data = \"g.lost\" }},\n{tiles}"),
    );
    let built = p.build();
    let overfull: Vec<_> = built.0.diags.iter().filter(|d| d.code == "overfull-panel").collect();
    assert_eq!(overfull.len(), 1, "{}", built.short());
    assert!(
        overfull[0].message.starts_with("key-indicator panel `ki` of chapter `goal` is "),
        "{}",
        overfull[0].message
    );
    assert_eq!(overfull[0].file.as_deref(), Some(std::path::Path::new("chapters/goal.toml")));
    // The normal fixture has no such warning.
    assert!(!Project::minimal().build().0.diags.iter().any(|d| d.code == "overfull-panel"));
}

#[test]
fn a_session_rebuild_reads_only_changed_files_and_redraws_only_changed_charts() {
    let p = Project::minimal();
    let mut session = p.session();
    p.rebuild(&mut session).ok();
    let (reads, charts) = (session.files_read(), session.charts_drawn());
    assert_eq!(charts, 1, "the fixture has one chart");
    // Nothing changed: nothing is read or drawn again.
    p.rebuild(&mut session).ok();
    assert_eq!((session.files_read(), session.charts_drawn()), (reads, charts));
    // A paragraph changes: one file is read again, no chart is redrawn.
    std::thread::sleep(std::time::Duration::from_millis(20));
    p.edit("lang/en/intro.toml", "The city counted", "The city had");
    let built = p.rebuild(&mut session).ok();
    assert_eq!((session.files_read(), session.charts_drawn()), (reads + 1, charts));
    assert!(built.text(0).contains("The city had about 424,000"));
    // The charted series changes: one file read, one chart redrawn.
    p.edit("data/g.toml", "2019 = 451.35", "2019 = 449.5");
    p.rebuild(&mut session).ok();
    assert_eq!((session.files_read(), session.charts_drawn()), (reads + 2, charts + 1));
}

#[test]
fn a_broken_indicator_is_reported_once() {
    let p = Project::minimal();
    p.edit("data/g.toml", "value = 424000", "value = \"lots\"");
    let short = p.check().failed().short();
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
    let p = Project::minimal().editions(&[Edition::Screen, Edition::Print]);
    let built = p.build().ok();
    let files: Vec<_> = built.0.pdfs.iter().map(|e| e.path.clone().unwrap()).collect();
    assert_eq!(files, [p.path("out/mini-en.pdf"), p.path("out/mini-en-print.pdf")]);
    assert_eq!(built.0.pdfs[0].pages, built.0.pdfs[1].pages);

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
    let p = Project::minimal();
    let whole = p.build().ok();
    let built = Project { root: p.root.clone(), opts: p.opts.clone() }.chapter("goal").build().ok();
    let e = &built.0.pdfs[0];
    let (first, last) = e.range.expect("a page range");
    assert_eq!(e.pages, whole.0.pdfs[0].pages, "the whole book is still laid out");
    assert!(first > 1 && last == e.pages, "goal is the last chapter: {first}-{last} of {}", e.pages);
    let pdf = built.pdf(0);
    assert_eq!(pdf.file_name().unwrap(), "mini-en-goal-preview.pdf");
    let doc = lopdf::Document::load(pdf).unwrap();
    assert_eq!(doc.get_pages().len(), last - first + 1);
    // Typst cannot tag part of a document: the preview is plain, the full build stays tagged.
    assert!(doc.catalog().unwrap().get(b"StructTreeRoot").is_err());
    let text = common::pdf_text(pdf);
    assert!(text.contains("Climate Action") && !text.contains("The city counted"), "{text}");
    // The full PDF was not touched.
    assert_eq!(std::fs::read(whole.pdf(0)).unwrap().len(), whole.0.pdfs[0].bytes);
}

/// While only the chapter's own text changes, watch lays out the chapter alone, from the
/// counters the book had where it starts: its pages must look exactly as in the whole book.
#[test]
fn a_chapter_laid_out_alone_matches_the_whole_book() {
    let p = Project::minimal().chapter("goal");
    let mut session = p.session();
    let (first, whole) = vlr::run(&mut session, &p.opts, vlr::Until::Write);
    assert!(first.ok(), "{}", first.diags.short());
    let (from, to) = first.pdfs[0].range.unwrap();
    assert_eq!(session.alone, 0);
    // Nothing changed: the chapter is laid out alone, and its pages are the book's pages.
    let (again, alone) = vlr::run(&mut session, &p.opts, vlr::Until::Write);
    assert_eq!(session.alone, 1);
    assert_eq!((again.pdfs[0].range, again.pdfs[0].pages), (first.pdfs[0].range, first.pdfs[0].pages));
    let book = whole[0].document.as_ref().unwrap().pages();
    let chapter = alone[0].document.as_ref().unwrap().pages();
    let skip = chapter.len() - (to + 1 - from); // the blank page before a left-hand start
    for (i, page) in (from..=to).enumerate() {
        assert!(common::same_look(&book[page - 1], &chapter[skip + i]), "page {page} differs");
    }
    // An edit inside the chapter: still alone.
    std::thread::sleep(std::time::Duration::from_millis(20));
    p.edit("lang/en/goal.toml", "Doing the first thing", "Doing the very first thing");
    p.rebuild(&mut session).ok();
    assert_eq!(session.alone, 2);
    assert!(common::pdf_text(&p.path("out/mini-en-goal-preview.pdf")).contains("Doing the very first thing"));
    // An edit before it may move its pages: the whole book is laid out again.
    p.edit("lang/en/intro.toml", "The city counted", "The city had");
    p.rebuild(&mut session).ok();
    assert_eq!(session.alone, 2);
}

#[test]
fn an_unknown_chapter_is_an_error_listing_the_chapters() {
    let built = Project::minimal().chapter("gaol").build().failed();
    assert_eq!(
        built.short().trim(),
        "report.toml: error[unknown-chapter]: report.toml has no chapter `gaol` (hint: --chapter takes one of: intro, goal)"
    );
    assert!(built.0.pdfs.is_empty());
}

#[test]
fn a_session_reparses_only_changed_files_and_reports_unfixed_errors_again() {
    let p = Project::minimal();
    let mut session = p.session();
    p.rebuild(&mut session).ok();
    let good = p.read("data/g.toml");
    std::thread::sleep(std::time::Duration::from_millis(20));
    p.write("data/g.toml", &good.replace("value = 424000", "value = \"lots\""));
    // The error stays reported on every build until the file is fixed (errors are never cached).
    for _ in 0..2 {
        let short = p.rebuild(&mut session).short();
        assert!(short.contains("data/g.toml:4:9: error[invalid-value]"), "{short}");
    }
    std::thread::sleep(std::time::Duration::from_millis(20));
    p.write("data/g.toml", &good.replace("value = 424000", "value = 431000"));
    assert!(p.rebuild(&mut session).ok().text(0).contains("431,000"));
}

/// Typst markup typed into any text field prints as typed: titles, statements, captions,
/// credits, table cells and notes, tile labels, chart titles, interface words, data titles.
#[test]
fn markup_in_every_text_field_prints_literally() {
    let p = Project::minimal();
    let fields = [
        ("lang/en/report.toml", "title = \"Mini Review\""),
        ("lang/en/report.toml", "title = \"The Main Part\""),
        ("lang/en/goal.toml", "title = \"Climate Action\""),
        ("lang/en/goal.toml", "goal = \"Take urgent action to combat climate change and its impacts\""),
        ("lang/en/goal.toml", "title = \"Indicators panel\""),
        ("lang/en/goal.toml", "text = \"Vehicles on the road\""),
        ("lang/en/goal.toml", "title = \"Power use per year\""),
        ("lang/en/goal.toml", "text = \"Doing the first thing\""),
        ("lang/en/goal.toml", "text = \"A bullet sub-heading\""),
        ("lang/en/goal.toml", "title = \"A case box\""),
        ("lang/en/goal.toml", "caption = \"A table of things\""),
        ("lang/en/goal.toml", "header = [\"Goal\""),
        ("lang/en/goal.toml", "note = \"Rebuilt from the text.\""),
        ("lang/en/intro.toml", "caption = \"A photo we do not have\""),
        ("lang/en/ui.toml", "text = \"Key indicators\""),
        ("data/g.toml", "unit = \"vehicles\""),
    ];
    for (i, (file, field)) in fields.iter().enumerate() {
        let marked = field.replacen('"', &format!("\"#m{i} $x$ *b* _i_ @r <l> [c] \\\\ "), 1);
        p.edit(file, field, &marked);
    }
    let text = p.build().ok().text(0);
    for (i, (_, field)) in fields.iter().enumerate() {
        let needle = format!("#m{i} $x$ *b* _i_ @r <l> [c] \\");
        assert!(text.contains(&needle), "`{needle}` ({field}) is not printed as typed:\n{text}");
    }
}

#[test]
fn a_character_outside_the_chosen_faces_is_a_located_warning() {
    // "∮" is in Typst's math face but not in Noto Sans (the theme's); CO₂ and m² are set as
    // sub- and superscripts of the face's own digits, so they need no other face.
    let p = Project::minimal();
    p.edit("lang/en/intro.toml", "vehicles in", "vehicles (CO₂, m², ∮) in");
    let built = p.build().ok();
    let w = built.warnings();
    assert_eq!(w.len(), 1, "{}", built.short());
    assert_eq!(w[0].code, "fallback-font");
    assert!(w[0].message.starts_with("∮ (U+222E) is not in Noto Sans"), "{}", w[0].message);
    assert!(w[0].file.as_ref().is_some_and(|f| f.ends_with("lang/en/intro.toml")) && w[0].span.is_some(), "{:?}", w[0]);
    let text = built.text(0);
    assert!(text.contains("CO 2 , m 2"), "the digits print, as sub- and superscripts: {text}");
}
