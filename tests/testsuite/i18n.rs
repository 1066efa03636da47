//! The translator tools on the minimal fixture: status, PO export and import (which never
//! loses a translation), and font coverage of a pack's characters.

use crate::common;

use common::Project;

/// Stamps the fixture's `xx` pack: export, confirm every message of `files`, import.
fn stamped(files: &[&str]) -> Project {
    let p = Project::minimal();
    p.vlr(&["i18n", "export", "--lang", "xx", "--out", p.path("po").to_str().unwrap()]).exits(0);
    for f in files {
        p.edit(&format!("po/{f}"), "#, fuzzy\n", "");
        let text = p.read(&format!("po/{f}"));
        p.write(&format!("po/{f}"), &text.replace("#, fuzzy\n", ""));
    }
    p.vlr(&["i18n", "import", "--lang", "xx", "--from", p.path("po").to_str().unwrap()]).exits(0);
    p
}

#[test]
fn status_reports_missing_and_stale_strings_by_id_and_strict_fails() {
    let p = stamped(&["ui.po", "intro.po"]);
    // Change the English source of one translated string.
    p.edit("lang/en/intro.toml", "The city counted about", "The city had about");
    let run = p.vlr(&["i18n", "status", "--lang", "xx"]);
    let text = &run.exits(0).stdout;
    assert!(text.lines().any(|l| l == "stale     intro/lead"), "{text}");
    assert!(text.lines().any(|l| l == "missing   intro/photo"), "{text}");
    assert!(
        text.lines()
            .any(|l| l.starts_with("intro ")
                && l.split_whitespace().collect::<Vec<_>>() == ["intro", "1", "1", "1", "0"]),
        "{text}"
    );
    let strict = p.vlr(&["i18n", "status", "--lang", "xx", "--strict"]);
    assert!(strict.exits(1).stderr.contains("missing or stale"));
}

/// A PO file with one broken line: a located error, and not one byte of any pack changes.
#[test]
fn a_broken_po_file_imports_nothing() {
    let p = stamped(&["ui.po", "intro.po"]);
    let before = common::tree(&p.path("lang/xx"));
    p.vlr(&["i18n", "export", "--lang", "xx", "--out", p.path("po").to_str().unwrap()]).exits(0);
    p.edit("po/intro.po", "msgstr \"Eröffnungskapitel\"", "msgstr \"Anfang");
    p.edit("po/ui.po", "msgstr \"Inhalt\"", "msgstr \"Inhaltsverzeichnis\"");
    let run = p.vlr(&["i18n", "import", "--lang", "xx", "--from", p.path("po").to_str().unwrap()]);
    let err = &run.exits(1).stderr;
    assert!(err.contains("error[po]: cannot read line"), "{err}");
    assert!(err.contains("po/intro.po:"), "{err}");
    assert!(err.contains("nothing was imported"), "{err}");
    assert!(common::tree(&p.path("lang/xx")) == before, "a pack file changed");
}

/// An older PO file that lacks some messages: the entries it does not mention are kept (and
/// reported), the others are updated, and the pack's comments stay.
#[test]
fn an_older_po_file_keeps_what_it_does_not_mention() {
    let p = stamped(&["ui.po", "intro.po"]);
    let pack = "lang/xx/intro.toml";
    p.write(pack, &format!("# Reviewed by the translation team.\n{}", p.read(pack)));
    p.vlr(&["i18n", "export", "--lang", "xx", "--out", p.path("po").to_str().unwrap()]).exits(0);
    // Keep only the chapter title's message, translated anew.
    let po = p.read("po/intro.po");
    let header_end = po.find("\n\n").unwrap() + 2;
    let title =
        po.split("\n\n").find(|m| m.contains("intro/chapter.title")).unwrap().replace("Eröffnungskapitel", "Anfang");
    p.write("po/intro.po", &format!("{}{title}\n", &po[..header_end]));
    let run = p.vlr(&["i18n", "import", "--lang", "xx", "--from", p.path("po").to_str().unwrap()]);
    assert!(run.exits(0).stderr.contains("not in the PO files; kept"), "{}", run.stderr);
    let after = p.read(pack);
    assert!(after.starts_with("# Reviewed by the translation team.\n"), "{after}");
    assert!(after.contains("title = \"Anfang\""), "{after}");
    assert!(after.contains("Die Stadt zählte etwa {g.stock} Fahrzeuge."), "the lead was lost:\n{after}");
}

/// An entry the source language no longer has is reported and kept, unless pruned.
#[test]
fn orphaned_entries_are_kept_unless_pruned() {
    let p = stamped(&["ui.po", "intro.po"]);
    p.write("lang/xx/intro.toml", &format!("{}\n[gone]\ntext = \"Alt\"\n", p.read("lang/xx/intro.toml")));
    let from = p.path("po");
    let from = from.to_str().unwrap();
    let run = p.vlr(&["i18n", "import", "--lang", "xx", "--from", from]);
    assert!(run.exits(0).stderr.contains("warning[orphaned-text]: `gone` in lang/xx/intro.toml"), "{}", run.stderr);
    assert!(p.read("lang/xx/intro.toml").contains("[gone]"));
    p.vlr(&["i18n", "import", "--lang", "xx", "--from", from, "--prune"]).exits(0);
    assert!(!p.read("lang/xx/intro.toml").contains("[gone]"));
}

/// PO files are read from inside the project only.
#[test]
fn po_files_outside_the_project_are_refused() {
    let p = Project::minimal();
    let outside = common::scratch("po-outside");
    p.vlr(&["i18n", "export", "--lang", "xx", "--out", outside.to_str().unwrap()]).exits(0);
    let run = p.vlr(&["i18n", "import", "--lang", "xx", "--from", outside.to_str().unwrap()]);
    assert!(run.exits(2).stderr.contains("is not inside the project"), "{}", run.stderr);
    // A link inside the project that leads out is refused too, before reading.
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(outside.join("intro.po"), p.path("intro.po")).unwrap();
        std::fs::create_dir_all(p.path("po")).unwrap();
        std::os::unix::fs::symlink(outside.join("intro.po"), p.path("po/intro.po")).unwrap();
        let run = p.vlr(&["i18n", "import", "--lang", "xx", "--from", p.path("po").to_str().unwrap()]);
        assert!(run.exits(1).stderr.contains("error[path-outside-project]"), "{}", run.stderr);
    }
}

/// A translator's broken `{…}` form is caught at import, at its line in the PO file.
#[test]
fn a_broken_inline_form_in_a_translation_is_refused() {
    let p = stamped(&["ui.po", "intro.po"]);
    p.vlr(&["i18n", "export", "--lang", "xx", "--out", p.path("po").to_str().unwrap()]).exits(0);
    p.edit("po/intro.po", "etwa {g.stock} Fahrzeuge", "etwa {g.stok} Fahrzeuge");
    let run = p.vlr(&["i18n", "import", "--lang", "xx", "--from", p.path("po").to_str().unwrap()]);
    assert!(run.exits(1).stderr.contains("error[unknown-data]: unknown indicator `g.stok`"), "{}", run.stderr);
    assert!(p.read("lang/xx/intro.toml").contains("{g.stock}"));
}

#[test]
fn a_character_outside_every_font_is_reported_with_its_place() {
    let p = Project::minimal().lang("xx");
    p.edit("lang/xx/intro.toml", "Die Stadt", "上海 Die Stadt");
    let short = p.check().short();
    assert!(
        short.contains("lang/xx/intro.toml:6:4: error[missing-glyphs]: no available font has 上 (U+4E0A), 海 (U+6D77)"),
        "{short}"
    );
}

/// A translator's PO file that drops a data reference (a number of the edition) is refused at
/// the line of its `msgstr`, and nothing is imported.
#[test]
fn a_translation_that_drops_a_data_reference_is_refused_at_import() {
    let p = stamped(&["ui.po", "intro.po"]);
    let before = common::tree(&p.path("lang/xx"));
    p.vlr(&["i18n", "export", "--lang", "xx", "--out", p.path("po").to_str().unwrap()]).exits(0);
    p.edit(
        "po/intro.po",
        "msgstr \"Die Stadt zählte etwa {g.stock} Fahrzeuge.\"",
        "msgstr \"Die Stadt zählte Fahrzeuge.\"",
    );
    let line = p.read("po/intro.po").lines().position(|l| l == "msgstr \"Die Stadt zählte Fahrzeuge.\"").unwrap() + 1;
    let run = p.vlr(&["i18n", "import", "--lang", "xx", "--from", p.path("po").to_str().unwrap()]);
    let err = &run.exits(1).stderr;
    assert!(err.contains("error[reference-mismatch]"), "{err}");
    assert!(err.contains(&format!("po/intro.po:{line}:1")), "{err}");
    assert!(err.contains("intro/lead.text.1") && err.contains("lacks {g.stock}"), "{err}");
    assert!(err.contains("nothing was imported"), "{err}");
    assert!(common::tree(&p.path("lang/xx")) == before, "a pack file changed");
    // The same references in another order, and other styling, are a translation's right.
    p.edit(
        "po/intro.po",
        "msgstr \"Die Stadt zählte Fahrzeuge.\"",
        "msgstr \"{g.stock} {i:Fahrzeuge} zählte die Stadt.\"",
    );
    p.vlr(&["i18n", "import", "--lang", "xx", "--from", p.path("po").to_str().unwrap()]).exits(0);
}

/// A pack edited by hand that drops a data reference: an error in check and build at the
/// string's line, with the missing reference named; `i18n status` lists it and `--strict` fails.
#[test]
fn a_hand_edited_translation_that_drops_a_data_reference_is_an_error() {
    let p = stamped(&["ui.po", "intro.po"]).lang("xx");
    p.edit("lang/xx/intro.toml", "etwa {g.stock} Fahrzeuge", "etwa viele Fahrzeuge");
    let line = p.read("lang/xx/intro.toml").lines().position(|l| l.contains("etwa viele Fahrzeuge")).unwrap() + 1;
    let short = p.check().failed().short();
    assert!(
        short.contains(&format!("lang/xx/intro.toml:{line}:3: error[reference-mismatch]: the translation of `lead` (text) does not print the numbers of its source: it lacks {{g.stock}}")),
        "{short}"
    );
    assert!(short.contains("write {g.stock} where the sentence says it"), "{short}");
    p.build().failed();
    let status = p.vlr(&["i18n", "status", "--lang", "xx"]);
    assert!(
        status.exits(0).stdout.lines().any(|l| l == "mismatch  intro/lead (text): lacks {g.stock}"),
        "{}",
        status.stdout
    );
    p.vlr(&["i18n", "status", "--lang", "xx", "--strict"]).exits(1);
}
