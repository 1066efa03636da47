//! A corpus of bad inputs, each a small edit of the minimal fixture (or a bad command line),
//! run through the `vlr` binary. For every case: the exit code, the located message, no panic,
//! and the PDF of the last good build byte-identical afterwards (nothing written or replaced).
//!
//! Each case names the class it belongs to (see issue "Nothing lost, nothing read from
//! outside, every error located"): syntax, structure, data, references, packs, theme, images,
//! links out of the project, templates, command line — and markup that must print literally.

#![cfg(unix)]

use crate::common;

use std::path::Path;

use common::Project;

/// A bad input: how to make it, how to run vlr, and what vlr must say.
struct Case {
    name: &'static str,
    setup: fn(&Project),
    /// Extra arguments after `build --out <out>`; `--root` is added last.
    args: &'static [&'static str],
    code: i32,
    /// Each must occur in the output (stderr, then stdout).
    says: &'static [&'static str],
}

fn edit(p: &Project, file: &str, from: &str, to: &str) {
    p.edit(file, from, to);
}

fn append(p: &Project, file: &str, text: &str) {
    let old = p.read(file);
    p.write(file, &format!("{old}\n{text}"));
}

fn link_out(p: &Project, rel: &str) {
    let outside =
        p.root.parent().unwrap().join(format!("{}-secret.toml", p.root.file_name().unwrap().to_string_lossy()));
    std::fs::write(&outside, "api_token = \"TOPSECRET-42\"\n").unwrap();
    let target = p.path(rel);
    let _ = std::fs::remove_file(&target);
    std::os::unix::fs::symlink(&outside, &target).unwrap();
}

fn jpeg(width: u32, height: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(width, height, |x, y| image::Rgb([(x % 250) as u8, (y % 250) as u8, 80]));
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Jpeg).unwrap();
    out.into_inner()
}

fn with_image(p: &Project, name: &str, bytes: &[u8]) {
    p.write_bytes(&format!("figures/{name}"), bytes);
    p.edit("chapters/intro.toml", "aspect = 1.5", &format!("image = \"figures/{name}\""));
}

const GOAL: &str = "chapters/goal.toml";
const INTRO: &str = "chapters/intro.toml";
const DATA: &str = "data/g.toml";
const EN_GOAL: &str = "lang/en/goal.toml";
const EN_INTRO: &str = "lang/en/intro.toml";
const REPORT: &str = "report.toml";
const THEME: &str = "styles/theme.toml";

fn cases() -> Vec<Case> {
    vec![
        // ---------------------------------------------------------------- TOML syntax and types
        Case {
            name: "report-syntax",
            setup: |p| edit(p, REPORT, "languages = [\"en\", \"xx\"]", "languages = [\"en\", \"xx\""),
            args: &[],
            code: 1,
            says: &["report.toml:", "error[toml]"],
        },
        Case {
            name: "report-unknown-key",
            setup: |p| append(p, REPORT, "titel = \"x\""),
            args: &[],
            code: 1,
            says: &["error[toml]: unknown field `titel`"],
        },
        Case {
            name: "report-wrong-type",
            setup: |p| edit(p, REPORT, "edition = 2021", "edition = \"2021\""),
            args: &[],
            code: 1,
            says: &["report.toml:2:11: error[toml]: invalid type: string \"2021\""],
        },
        Case {
            name: "report-bad-date",
            setup: |p| edit(p, REPORT, "published = 2021-10-31", "published = 2021-13-45"),
            args: &[],
            code: 1,
            says: &["report.toml:3:", "error[toml]"],
        },
        Case {
            name: "report-page-size",
            setup: |p| edit(p, REPORT, "page_size = \"a4\"", "page_size = \"a3\""),
            args: &[],
            code: 1,
            says: &["report.toml:6:13: error[invalid-value]: unknown page size `a3`", "use one of: a4, a5, us-letter"],
        },
        Case {
            name: "pack-leading",
            setup: |p| edit(p, "lang/en/pack.toml", "lang = \"en\"", "lang = \"en\"\nleading = 9"),
            args: &[],
            code: 1,
            says: &["lang/en/pack.toml:3:11: error[invalid-value]: `leading` = 9 is out of range", "between 0.3 and 2"],
        },
        Case {
            name: "report-default-language",
            setup: |p| edit(p, REPORT, "default_language = \"en\"", "default_language = \"fr\""),
            args: &[],
            code: 1,
            says: &["report.toml:5:20: error[invalid-value]: default language `fr` is not in `languages`"],
        },
        Case {
            name: "report-no-languages",
            setup: |p| edit(p, REPORT, "languages = [\"en\", \"xx\"]", "languages = []"),
            args: &[],
            code: 1,
            says: &["report.toml:4:13: error[invalid-value]: `languages` must list at least one language pack"],
        },
        Case {
            name: "report-chapter-twice",
            setup: |p| {
                edit(p, REPORT, "chapters = [\"intro\", \"goal\"]", "chapters = [\"intro\", \"goal\", \"intro\"]")
            },
            args: &[],
            code: 1,
            says: &["error[duplicate-id]: chapter `intro` is listed twice"],
        },
        Case {
            name: "report-chapter-id",
            setup: |p| edit(p, REPORT, "chapters = [\"intro\", \"goal\"]", "chapters = [\"Intro\", \"goal\"]"),
            args: &[],
            code: 1,
            says: &["error[invalid-id]: chapter id `Intro` must be lowercase"],
        },
        Case {
            name: "report-chapter-missing",
            setup: |p| {
                edit(p, REPORT, "chapters = [\"intro\", \"goal\"]", "chapters = [\"intro\", \"goal\", \"extra\"]")
            },
            args: &[],
            code: 1,
            says: &["error[missing-file]: chapter `extra` has no manifest", "create chapters/extra.toml"],
        },
        Case {
            name: "report-not-utf8",
            setup: |p| p.write_bytes(REPORT, &[&p.read(REPORT).into_bytes()[..], b"# caf\xE9\n"].concat()).pipe(),
            args: &[],
            code: 1,
            says: &["report.toml:13:6: error[encoding]: this file is not UTF-8: byte 0xE9"],
        },
        // ---------------------------------------------------------------- Chapter structure
        Case {
            name: "block-without-type",
            setup: |p| append(p, GOAL, "[[blocks]]\nid = \"x\"\n"),
            args: &[],
            code: 1,
            says: &["chapters/goal.toml:44:1: error[missing-field]: a block needs a `type`"],
        },
        Case {
            name: "block-unknown-type",
            setup: |p| edit(p, GOAL, "type = \"measure\"", "type = \"paragraph\""),
            args: &[],
            code: 1,
            says: &["chapters/goal.toml:24:8: error[invalid-value]: unknown block type `paragraph`"],
        },
        Case {
            name: "block-unknown-field",
            setup: |p| edit(p, GOAL, "id = \"m1\"\n", "id = \"m1\"\nnumbr = 2\n"),
            args: &[],
            code: 1,
            says: &["error[toml]: unknown field `numbr`, expected `id` or `number`"],
        },
        Case {
            name: "block-duplicate-id",
            setup: |p| edit(p, GOAL, "id = \"m1-a\"", "id = \"m1\""),
            args: &[],
            code: 1,
            says: &["chapters/goal.toml:29:6: error[duplicate-id]: id `m1` is used twice in this chapter"],
        },
        Case {
            name: "figure-image-and-chart",
            setup: |p| {
                edit(
                    p,
                    INTRO,
                    "aspect = 1.5",
                    "image = \"figures/a.png\"\nchart = { kind = \"bar\", data = [\"g.series\"] }",
                )
            },
            args: &[],
            code: 1,
            says: &["error[invalid-field]: a figure has either `image` or `chart`, not both"],
        },
        Case {
            name: "figure-aspect",
            setup: |p| edit(p, INTRO, "aspect = 1.5", "aspect = 0"),
            args: &[],
            code: 1,
            says: &["chapters/intro.toml:10:10: error[invalid-value]: aspect 0 is out of range"],
        },
        Case {
            name: "figure-width",
            setup: |p| edit(p, INTRO, "aspect = 1.5", "width = 3"),
            args: &[],
            code: 1,
            says: &["chapters/intro.toml:10:9: error[invalid-value]: width 3 is out of range"],
        },
        Case {
            name: "chart-kind",
            setup: |p| edit(p, GOAL, "kind = \"bar\"", "kind = \"pie\""),
            args: &[],
            code: 1,
            says: &[
                "chapters/goal.toml:16:29: error[invalid-value]: unknown chart kind `pie`",
                "use one of: bar, line, pair, sdg-grid",
            ],
        },
        Case {
            name: "chart-no-data",
            setup: |p| edit(p, GOAL, ", data = [\"g.series\"]", ""),
            args: &[],
            code: 1,
            says: &["error[missing-field]: a chart needs `data"],
        },
        Case {
            name: "section-name",
            setup: |p| edit(p, GOAL, "name = \"specific-measures\"", "name = \"measures\""),
            args: &[],
            code: 1,
            says: &[
                "chapters/goal.toml:21:8: error[missing-text]: section `measures` has no heading in lang/en/ui.toml",
                "add [measures] text",
            ],
        },
        Case {
            name: "goal-18",
            setup: |p| edit(p, GOAL, "goal = 13", "goal = 18"),
            args: &[],
            code: 1,
            says: &["chapters/goal.toml:2:8: error[invalid-value]: goal 18 does not exist"],
        },
        Case {
            name: "sdg-without-goal",
            setup: |p| edit(p, GOAL, "goal = 13\n", ""),
            args: &[],
            code: 1,
            says: &["chapters/goal.toml: error[missing-field]: an SDG chapter needs `goal = N`"],
        },
        Case {
            name: "table-columns",
            setup: |p| edit(p, GOAL, "columns = [1, 3]", "columns = [1, -3]"),
            args: &[],
            code: 1,
            says: &["error[invalid-value]: column widths must be positive"],
        },
        Case {
            name: "table-columns-count",
            setup: |p| edit(p, GOAL, "columns = [1, 3]", "columns = [1, 3, 1]"),
            args: &[],
            code: 1,
            says: &["error[invalid-value]: table `tab` has 3 column widths but 2 header cells"],
        },
        Case {
            name: "panel-empty",
            setup: |p| {
                p.edit(GOAL, "charts = [\n  { id = \"ki-chart\", kind = \"bar\", data = [\"g.series\"] },\n]", "").edit(GOAL, "tiles = [\n  { id = \"ki-stock\", data = \"g.stock\" },\n  { id = \"ki-lost\", data = \"g.lost\" },\n]", "").pipe()
            },
            args: &[],
            code: 1,
            says: &["error[missing-field]: a key-indicator panel needs `tiles` or `charts`"],
        },
        // ---------------------------------------------------------------- Data
        Case {
            name: "data-not-a-number",
            setup: |p| edit(p, DATA, "value = 424000", "value = \"many\""),
            args: &[],
            code: 1,
            says: &["data/g.toml:4:9: error[invalid-value]: the value of `g.stock` must be a number or \"pending\""],
        },
        Case {
            name: "data-sdg-code-shape",
            setup: |p| edit(p, DATA, "status = \"reported\"", "status = \"reported\"\nsdg = [\"13.2\", \"SDG13.2.1\"]"),
            args: &[],
            code: 1,
            says: &[
                "data/g.toml:9:16: error[invalid-value]: `SDG13.2.1` does not start with a goal number from 1 to 17",
            ],
        },
        Case {
            name: "data-sdg-code-unknown",
            setup: |p| edit(p, DATA, "status = \"reported\"", "status = \"reported\"\nsdg = [\"13.9.9\"]"),
            args: &[],
            code: 1,
            says: &[
                "data/g.toml:9:8: error[invalid-value]: `13.9.9` is not a target or indicator of the global SDG framework",
            ],
        },
        Case {
            name: "data-sdg-other-goal",
            setup: |p| edit(p, DATA, "status = \"reported\"", "status = \"reported\"\nsdg = [\"11.6.2\"]"),
            args: &["--deny-warnings"],
            code: 1,
            says: &[
                "data/g.toml:9:7: warning[sdg-goal]: `g.stock` serves 11.6.2 but chapter `goal` is about goal 13",
                "add the goal 13 target",
            ],
        },
        Case {
            name: "data-huge",
            setup: |p| edit(p, DATA, "value = 424000", "value = 1e308"),
            args: &[],
            code: 1,
            says: &["data/g.toml:4:9: error[invalid-value]: the value of `g.stock` is too large to print"],
        },
        Case {
            name: "data-huge-series",
            setup: |p| edit(p, DATA, "2019 = 451.35", "2019 = -1e308"),
            args: &[],
            code: 1,
            says: &["data/g.toml:20:34: error[invalid-value]: the 2019 value of `g.series` is too large to print"],
        },
        Case {
            name: "data-tiny",
            setup: |p| edit(p, DATA, "value = 424000", "value = 1e-300"),
            args: &[],
            code: 1,
            says: &["error[invalid-value]: the value of `g.stock` is too small to print"],
        },
        Case {
            name: "data-year-key",
            setup: |p| edit(p, DATA, "2015 = 571.45", "twenty = 571.45"),
            args: &[],
            code: 1,
            says: &["error[invalid-value]: series key `twenty` of `g.series` is not a year"],
        },
        Case {
            name: "data-pending-with-value",
            setup: |p| {
                edit(
                    p,
                    DATA,
                    "year = 2020\nsource = \"Fixture\"\nstatus = \"pending\"",
                    "year = 2020\nvalue = 3\nsource = \"Fixture\"\nstatus = \"pending\"",
                )
            },
            args: &[],
            code: 1,
            says: &["error[invalid-value]: `g.lost` is pending but has a value"],
        },
        Case {
            name: "data-value-and-series",
            setup: |p| edit(p, DATA, "series = { 2015", "value = 1\nseries = { 2015"),
            args: &[],
            code: 1,
            says: &["error[invalid-value]: `g.series` has both `value` and `series`"],
        },
        Case {
            name: "data-no-value",
            setup: |p| edit(p, DATA, "value = 424000\n", ""),
            args: &[],
            code: 1,
            says: &["data/g.toml:1:1: error[invalid-value]: `g.stock` has no `value` or `series`"],
        },
        Case {
            name: "data-qualifier",
            setup: |p| edit(p, DATA, "qualifier = \"about\"", "qualifier = \"roughly\""),
            args: &[],
            code: 1,
            says: &["data/g.toml:5:13: error[invalid-value]: unknown qualifier `roughly`"],
        },
        Case {
            name: "data-status",
            setup: |p| edit(p, DATA, "status = \"reported\"", "status = \"guessed\""),
            args: &[],
            code: 1,
            says: &["data/g.toml:8:10: error[toml]: unknown variant `guessed`"],
        },
        Case {
            name: "data-file-name",
            setup: |p| p.write("data/Bad.toml", "").pipe(),
            args: &[],
            code: 1,
            says: &["data/Bad.toml: error[invalid-id]: data file name `Bad`"],
        },
        Case {
            name: "data-not-utf8",
            setup: |p| p.write_bytes(DATA, b"[stock]\ntitle = \"V\xE9hicules\"\n").pipe(),
            args: &[],
            code: 1,
            says: &["data/g.toml:2:11: error[encoding]"],
        },
        Case {
            name: "data-unknown-field",
            setup: |p| edit(p, DATA, "unit = \"vehicles\"", "unit = \"vehicles\"\nunits = \"cars\""),
            args: &[],
            code: 1,
            says: &["data/g.toml:4:1: error[toml]: unknown field `units`"],
        },
        // ---------------------------------------------------------------- References
        Case {
            name: "tile-unknown-data",
            setup: |p| edit(p, GOAL, "data = \"g.stock\"", "data = \"g.stok\""),
            args: &[],
            code: 1,
            says: &[
                "chapters/goal.toml:12:29: error[unknown-data]: unknown indicator `g.stok`",
                "did you mean `g.stock`?",
            ],
        },
        Case {
            name: "tile-year",
            setup: |p| {
                edit(
                    p,
                    GOAL,
                    "{ id = \"ki-stock\", data = \"g.stock\" }",
                    "{ id = \"ki-stock\", data = \"g.series\", year = 2016 }",
                )
            },
            args: &[],
            code: 1,
            says: &["error[invalid-reference]: `g.series` has no value for 2016 (it has 2015, 2019)"],
        },
        Case {
            name: "chart-unknown-data",
            setup: |p| edit(p, GOAL, "data = [\"g.series\"]", "data = [\"g.serie\"]"),
            args: &[],
            code: 1,
            says: &["chapters/goal.toml:16:44: error[unknown-data]: unknown indicator `g.serie`"],
        },
        Case {
            name: "chart-single-value",
            setup: |p| edit(p, GOAL, "data = [\"g.series\"]", "data = [\"g.stock\"]"),
            args: &[],
            code: 1,
            says: &["error[invalid-reference]: `g.stock` has no series to chart"],
        },
        Case {
            name: "chart-mixed-units",
            setup: |p| {
                append(
                    p,
                    DATA,
                    "[share]\ntitle = \"Share\"\nunit = \"%\"\nseries = { 2015 = 40, 2019 = 50 }\nsource = \"F\"\nstatus = \"reported\"\n",
                );
                edit(
                    p,
                    GOAL,
                    "kind = \"bar\", data = [\"g.series\"]",
                    "kind = \"pair\", data = [\"g.series\", \"g.share\"]",
                );
            },
            args: &[],
            code: 1,
            says: &["error[invalid-chart]: `g.share` is in `%` but `g.series` is in kWh: one chart shows one unit"],
        },
        Case {
            name: "chart-other-years",
            setup: |p| {
                append(
                    p,
                    DATA,
                    "[later]\ntitle = \"Later\"\nunit = \"kWh\"\nseries = { 2019 = 400, 2020 = 390 }\nsource = \"F\"\nstatus = \"reported\"\n",
                );
                edit(
                    p,
                    GOAL,
                    "kind = \"bar\", data = [\"g.series\"]",
                    "kind = \"pair\", data = [\"g.series\", \"g.later\"]",
                );
            },
            args: &[],
            code: 1,
            says: &["error[invalid-chart]: `g.later` compares 2019 and 2020 but `g.series` compares 2015 and 2019"],
        },
        Case {
            name: "inline-unknown-data",
            setup: |p| edit(p, EN_INTRO, "{g.stock}", "{g.stok}"),
            args: &[],
            code: 1,
            says: &["lang/en/intro.toml:6:27: error[unknown-data]: unknown indicator `g.stok`"],
        },
        Case {
            name: "inline-unclosed",
            setup: |p| edit(p, EN_INTRO, "{g.stock} vehicles", "{g.stock vehicles"),
            args: &[],
            code: 1,
            says: &["lang/en/intro.toml:6:27: error[inline-syntax]: `{` is not closed before the next `{`"],
        },
        Case {
            name: "inline-bad-year",
            setup: |p| edit(p, EN_GOAL, "{g.series@2019}.", "{g.series@20x}."),
            args: &[],
            code: 1,
            says: &["lang/en/goal.toml:24:", "error[inline-syntax]: `20x` in `{g.series@20x}` is not a year"],
        },
        Case {
            name: "inline-nested",
            setup: |p| edit(p, EN_INTRO, "{i:The Plan (2020)}", "{i:The {Plan}"),
            args: &[],
            code: 1,
            says: &["error[inline-syntax]: `{` is not closed before the next `{`"],
        },
        Case {
            name: "inline-series-without-year",
            setup: |p| edit(p, EN_GOAL, "{g.series@2019}.", "{g.series}."),
            args: &[],
            code: 1,
            says: &["error[invalid-reference]: `g.series` is a series: say which year"],
        },
        // ---------------------------------------------------------------- Language packs
        Case {
            name: "pack-missing-text",
            setup: |p| edit(p, EN_GOAL, "[m1]\ntext = \"Doing the first thing\"\n", ""),
            args: &[],
            code: 1,
            says: &["chapters/goal.toml:23:1: error[missing-text]: no text for `m1` in lang/en/goal.toml"],
        },
        Case {
            name: "pack-empty-alt",
            setup: |p| edit(p, EN_INTRO, "alt = \"A placeholder\"", "alt = \"\""),
            args: &[],
            code: 1,
            says: &["lang/en/intro.toml:12:7: error[empty-text]: `photo` (alt) is empty"],
        },
        Case {
            name: "pack-empty-title",
            setup: |p| edit(p, EN_GOAL, "title = \"Climate Action\"", "title = \"  \""),
            args: &[],
            code: 1,
            says: &["lang/en/goal.toml:2:9: error[empty-text]: `chapter` (title) is empty"],
        },
        Case {
            name: "pack-control-characters",
            setup: |p| edit(p, EN_INTRO, "Literal marks:", "Bell \\u0007 and NUL \\u0000 marks:"),
            args: &[],
            code: 1,
            says: &["lang/en/intro.toml:7:", "error[invalid-text]: `lead` (text) holds the control character U+0007"],
        },
        Case {
            name: "pack-unknown-field",
            setup: |p| edit(p, EN_INTRO, "caption = \"A photo", "captoin = \"A photo"),
            args: &[],
            code: 1,
            says: &["lang/en/intro.toml:11:1: error[invalid-field]: unknown field `captoin`, expected one of `text`"],
        },
        Case {
            name: "pack-wrong-shape",
            setup: |p| edit(p, EN_GOAL, "title = \"Climate Action\"", "title = [\"Climate Action\"]"),
            args: &[],
            code: 1,
            says: &["lang/en/goal.toml:2:1: error[invalid-field]: `title` must be a string (in `[chapter]`)"],
        },
        Case {
            name: "pack-meta-missing",
            setup: |p| p.remove("lang/xx/pack.toml").pipe(),
            args: &["--lang", "xx"],
            code: 1,
            says: &["lang/xx/pack.toml: error[missing-file]: cannot read `lang/xx/pack.toml`: no such file"],
        },
        Case {
            name: "pack-fallback-circle",
            setup: |p| edit(p, "lang/xx/pack.toml", "fallback = \"en\"", "fallback = \"xx\""),
            args: &["--lang", "xx"],
            code: 1,
            says: &["lang/xx/pack.toml:4:12: error[invalid-value]: language packs fall back in a circle at `xx`"],
        },
        Case {
            name: "pack-language-without-pack",
            setup: |p| edit(p, REPORT, "languages = [\"en\", \"xx\"]", "languages = [\"en\", \"xx\", \"fr\"]"),
            args: &["--lang", "fr"],
            code: 1,
            says: &["report.toml:4:13: error[missing-file]: there is no language pack `fr`", "create lang/fr/"],
        },
        Case {
            name: "pack-not-utf8",
            setup: |p| p.write_bytes("lang/xx/intro.toml", b"[chapter]\ntitle = \"Er\xF6ffnung\"\n").pipe(),
            args: &["--lang", "xx"],
            code: 1,
            says: &["lang/xx/intro.toml:2:12: error[encoding]"],
        },
        Case {
            name: "pack-broken-toml",
            setup: |p| p.write("lang/xx/ui.toml", "[contents\ntext = \"Inhalt\"\n").pipe(),
            args: &["--lang", "xx"],
            code: 1,
            says: &["lang/xx/ui.toml:1:", "error[toml]"],
        },
        // ---------------------------------------------------------------- Theme
        Case {
            name: "theme-font",
            setup: |p| edit(p, THEME, "font = \"Noto Sans\"", "font = \"Noto Sanz\""),
            args: &[],
            code: 1,
            says: &[
                "styles/theme.toml:",
                "error[unknown-font]: no font of the family `Noto Sanz` is available",
                "did you mean `Noto Sans`?",
            ],
        },
        Case {
            name: "theme-colour",
            setup: |p| edit(p, THEME, "13 = \"#3F7E44\"", "13 = \"#3F7E4\""),
            args: &[],
            code: 1,
            says: &["styles/theme.toml:", "error[invalid-value]: SDG 13 colour `#3F7E4` is not a #RRGGBB colour"],
        },
        Case {
            name: "theme-goal-number",
            setup: |p| append(p, THEME, "18 = \"#000000\""),
            args: &[],
            code: 1,
            says: &["styles/theme.toml:", "error[invalid-value]: `18` is not a goal number (1-17)"],
        },
        Case {
            name: "theme-unknown-key",
            setup: |p| edit(p, THEME, "[page]", "[paper]"),
            args: &[],
            code: 1,
            says: &["styles/theme.toml:", "error[toml]: unknown field `paper`"],
        },
        Case {
            name: "theme-out-of-range",
            setup: |p| edit(p, THEME, "inside = 24", "inside = 240"),
            args: &[],
            code: 1,
            says: &["styles/theme.toml:", "error[invalid-value]: `page.inside` = 240 is out of range"],
        },
        Case {
            name: "section-without-word",
            setup: |p| edit(p, "lang/en/ui.toml", "[key-indicators]\ntext = \"Key indicators\"\n", ""),
            args: &[],
            code: 1,
            says: &[
                "chapters/goal.toml:6:8: error[missing-text]: section `key-indicators` has no heading in lang/en/ui.toml",
            ],
        },
        Case {
            name: "template-word-missing",
            // A word of the project's own templates (vlr has no word of its own for it).
            setup: |p| edit(p, "styles/report.typ", "word(ui, \"contents\")", "word(ui, \"table-of-contents\")"),
            args: &[],
            code: 1,
            says: &[
                "styles/report.typ:",
                "error[missing-text]: the templates print the word `table-of-contents`, which lang/en/ui.toml does not have",
            ],
        },
        Case {
            name: "theme-syntax",
            setup: |p| edit(p, THEME, "font = \"Noto Sans\"", "font = Noto Sans"),
            args: &[],
            code: 1,
            says: &["styles/theme.toml:", "error[toml]"],
        },
        // ---------------------------------------------------------------- Images
        Case {
            name: "image-missing",
            setup: |p| edit(p, INTRO, "aspect = 1.5", "image = \"figures/none.jpg\""),
            args: &[],
            code: 1,
            says: &["chapters/intro.toml:10:9: error[missing-file]: image `figures/none.jpg` does not exist"],
        },
        Case {
            name: "image-parent-path",
            setup: |p| edit(p, INTRO, "aspect = 1.5", "image = \"../x.png\""),
            args: &[],
            code: 1,
            says: &["chapters/intro.toml:10:9: error[path-outside-project]: image path `../x.png` is not allowed"],
        },
        Case {
            name: "image-absolute-path",
            setup: |p| edit(p, INTRO, "aspect = 1.5", "image = \"/etc/hostname\""),
            args: &[],
            code: 1,
            says: &[
                "error[path-outside-project]: image path `/etc/hostname` is not allowed: absolute paths are not allowed",
            ],
        },
        Case {
            name: "image-not-an-image",
            setup: |p| with_image(p, "notes.png", b"these are notes, not pixels"),
            args: &[],
            code: 1,
            says: &["chapters/intro.toml:10:9: error[bad-image]: image `figures/notes.png` cannot be read"],
        },
        Case {
            name: "image-cut-jpeg",
            setup: |p| {
                let j = jpeg(600, 400);
                with_image(p, "cut.jpg", &j[..j.len() * 3 / 10]);
            },
            args: &[],
            code: 1,
            says: &[
                "chapters/intro.toml:10:9: error[bad-image]: image `figures/cut.jpg` cannot be read: the JPEG file is cut off",
            ],
        },
        Case {
            name: "image-folder",
            setup: |p| {
                std::fs::create_dir_all(p.path("figures/dir.png")).unwrap();
                p.edit(INTRO, "aspect = 1.5", "image = \"figures/dir.png\"");
            },
            args: &[],
            code: 1,
            says: &["chapters/intro.toml:10:9: error[missing-file]: `figures/dir.png` is a folder"],
        },
        // ---------------------------------------------------------------- Links out of the project
        Case {
            name: "link-pack",
            setup: |p| link_out(p, EN_INTRO),
            args: &[],
            code: 1,
            says: &[
                "lang/en/intro.toml: error[path-outside-project]: `lang/en/intro.toml` leads outside the project folder",
            ],
        },
        Case {
            name: "link-data",
            setup: |p| link_out(p, DATA),
            args: &[],
            code: 1,
            says: &["data/g.toml: error[path-outside-project]"],
        },
        Case {
            name: "link-value-table",
            setup: |p| link_out(p, "data/g.csv"),
            args: &[],
            code: 1,
            says: &["data/g.csv: error[path-outside-project]"],
        },
        Case {
            name: "link-theme",
            setup: |p| link_out(p, THEME),
            args: &[],
            code: 1,
            says: &["styles/theme.toml: error[path-outside-project]"],
        },
        Case {
            name: "link-chapter",
            setup: |p| link_out(p, GOAL),
            args: &[],
            code: 1,
            says: &["chapters/goal.toml: error[path-outside-project]"],
        },
        Case {
            name: "link-report",
            setup: |p| link_out(p, REPORT),
            args: &[],
            code: 1,
            says: &["report.toml: error[path-outside-project]"],
        },
        Case {
            name: "link-template",
            setup: |p| link_out(p, "styles/blocks.typ"),
            args: &[],
            code: 1,
            says: &[
                "styles/blocks.typ: error[path-outside-project]: `styles/blocks.typ` leads outside the project folder",
            ],
        },
        Case {
            name: "link-image",
            setup: |p| {
                let outside =
                    p.root.parent().unwrap().join(format!("{}-out.jpg", p.root.file_name().unwrap().to_string_lossy()));
                std::fs::write(&outside, jpeg(300, 200)).unwrap();
                std::fs::create_dir_all(p.path("figures")).unwrap();
                std::os::unix::fs::symlink(&outside, p.path("figures/photo.jpg")).unwrap();
                p.edit(INTRO, "aspect = 1.5", "image = \"figures/photo.jpg\"");
            },
            args: &[],
            code: 1,
            says: &[
                "chapters/intro.toml:10:9: error[path-outside-project]: image `figures/photo.jpg` leads outside the project folder",
            ],
        },
        // ---------------------------------------------------------------- Templates
        Case {
            name: "template-syntax",
            setup: |p| edit(p, "styles/blocks.typ", "#let paragraphs(paras) =", "#let paragraphs(paras) = {"),
            args: &[],
            code: 1,
            says: &["styles/blocks.typ:", "error[typst]"],
        },
        Case {
            name: "template-unknown-function",
            setup: |p| edit(p, "styles/blocks.typ", "par(rich(p))", "par(richer(p))"),
            args: &[],
            code: 1,
            says: &["styles/blocks.typ:", "error[typst]: unknown variable: richer"],
        },
        // ---------------------------------------------------------------- Command line
        Case {
            name: "cli-lang-path",
            setup: |_| {},
            args: &["--lang", "../lang/xx"],
            code: 2,
            says: &["`../lang/xx` is not a language of this report; --lang takes one of: en, xx, or all"],
        },
        Case {
            name: "cli-lang-unknown",
            setup: |_| {},
            args: &["--lang", "fr"],
            code: 2,
            says: &["--lang takes one of: en, xx, or all"],
        },
        Case {
            name: "cli-edition",
            setup: |_| {},
            args: &["--edition", "glossy"],
            code: 2,
            says: &["invalid value 'glossy'"],
        },
        Case {
            name: "cli-chapter",
            setup: |_| {},
            args: &["--chapter", "gaol"],
            code: 1,
            says: &["error[unknown-chapter]: report.toml has no chapter `gaol`"],
        },
        Case {
            name: "cli-timings-folder",
            setup: |p| std::fs::create_dir_all(p.path("t")).unwrap(),
            args: &["--timings", "t"],
            code: 1,
            says: &["error[write]: --timings t: cannot write a file there, it is a folder"],
        },
        Case {
            name: "cli-deny-warnings",
            setup: |p| edit(p, EN_GOAL, "First case paragraph.", "There were 424,000 vehicles."),
            args: &["--deny-warnings"],
            code: 1,
            says: &[
                "warning[typed-number]",
                "error[warnings-denied]: 1 warning(s) denied (--deny-warnings); nothing was written",
            ],
        },
        Case {
            name: "cli-out-is-a-file",
            setup: |p| p.write("outfile", "x").pipe(),
            args: &["--out", "outfile"],
            code: 1,
            says: &["error[write]: cannot write outfile/mini-en.pdf: outfile is not a folder"],
        },
        Case {
            name: "cli-emit-into-a-file",
            setup: |p| p.write("emitted", "x").pipe(),
            args: &["--emit-typst", "emitted"],
            code: 1,
            says: &["error[write]: cannot write emitted/", "emitted is not a folder"],
        },
        // ---------------------------------------------------------------- Theme: text colours and the minimum size
        Case {
            name: "theme-text-low-contrast",
            setup: |p| append(p, THEME, "[goals.text]\n7 = \"#FFFFFF\""),
            args: &[],
            code: 1,
            says: &[
                "styles/theme.toml:122:5: error[low-contrast]: `goals.text.7` = \"#FFFFFF\" reaches 1.62:1 on SDG 7 (#FCC30B); text needs 4.5:1 (WCAG AA)",
                "remove the line for vlr's #6A5205",
            ],
        },
        Case {
            name: "theme-large-text-not-a-colour",
            setup: |p| append(p, THEME, "[goals.large_text]\n3 = \"white\""),
            args: &[],
            code: 1,
            says: &[
                "styles/theme.toml:122:5: error[invalid-value]: `goals.large_text.3` colour `white` is not a #RRGGBB colour",
            ],
        },
        Case {
            name: "theme-neutral-text-low-contrast",
            setup: |p| {
                edit(p, THEME, "neutral = \"#1A5B92\"", "neutral = \"#1A5B92\"\nneutral_large_text = \"#2A6BA2\"")
            },
            args: &[],
            code: 1,
            says: &["styles/theme.toml:12:22: error[low-contrast]: `neutral_large_text` = \"#2A6BA2\" reaches"],
        },
        Case {
            name: "theme-size-below-minimum",
            setup: |p| edit(p, THEME, "body = 9.5", "body = 7"),
            args: &[],
            code: 1,
            says: &["styles/theme.toml:24:8: error[invalid-value]: `type.body` = 7 pt is below `type.minimum` = 8 pt"],
        },
        Case {
            name: "theme-minimum-out-of-range",
            setup: |p| edit(p, THEME, "minimum = 8", "minimum = 4"),
            args: &[],
            code: 1,
            says: &["styles/theme.toml:26:11: error[invalid-value]: `type.minimum` = 4 is out of range"],
        },
        // ---------------------------------------------------------------- Markup prints literally
        Case {
            name: "markup-in-caption",
            setup: |p| {
                edit(
                    p,
                    EN_INTRO,
                    "caption = \"A photo we do not have\"",
                    "caption = \"#panic(\\\"x\\\") $x$ *b* _i_ <l> @r\"",
                )
            },
            args: &[],
            code: 0,
            says: &[],
        },
        Case {
            name: "markup-in-title",
            setup: |p| {
                edit(p, EN_GOAL, "title = \"Climate Action\"", "title = \"#read(\\\"/report.toml\\\") = [x] \\\\\"")
            },
            args: &[],
            code: 0,
            says: &[],
        },
        // ---------------------------------------------------------------- [numbers] overrides
        Case {
            name: "numbers-percent-without-n",
            setup: |p| edit(p, "lang/en/pack.toml", "decimal = \".\"", "decimal = \".\"\npercent = \"%\""),
            args: &[],
            code: 1,
            says: &[
                "lang/en/pack.toml:7:11: error[invalid-value]: `percent` = \"%\" has no `{n}`",
                "write `{n}` once, where the number goes",
            ],
        },
        Case {
            name: "numbers-same-marks",
            setup: |p| edit(p, "lang/en/pack.toml", "group = \",\"", "group = \".\""),
            args: &[],
            code: 1,
            says: &[
                "lang/en/pack.toml:5:9: error[invalid-value]: `group` and `decimal` are both \".\"",
                "give `group` and `decimal` different marks",
            ],
        },
        Case {
            name: "numbers-group-is-the-decimal-mark",
            setup: |p| edit(p, "lang/xx/pack.toml", "group = \".\"\ndecimal = \",\"", "group = \",\""),
            args: &["--lang", "all"],
            code: 1,
            says: &["lang/xx/pack.toml:7:9: error[invalid-value]: `group` = \",\" is also the language's decimal mark"],
        },
        Case {
            name: "numbers-empty-decimal",
            setup: |p| edit(p, "lang/en/pack.toml", "decimal = \".\"", "decimal = \"\""),
            args: &[],
            code: 1,
            says: &["lang/en/pack.toml:6:11: error[invalid-value]: `decimal` is empty", "write the decimal mark"],
        },
        Case {
            name: "numbers-digit-as-mark",
            setup: |p| edit(p, "lang/xx/pack.toml", "group = \".\"", "group = \"٣\""),
            args: &["--lang", "all"],
            code: 1,
            says: &[
                "lang/xx/pack.toml:7:9: error[invalid-value]: `group` = \"٣\" holds the digit `٣`",
                "write a mark that is not a digit",
            ],
        },
        Case {
            name: "numbers-unknown-digits",
            setup: |p| edit(p, "lang/en/pack.toml", "decimal = \".\"", "decimal = \".\"\ndigits = \"klingon\""),
            args: &[],
            code: 1,
            says: &[
                "lang/en/pack.toml:7:10: error[invalid-value]: `digits` = \"klingon\" is not a numbering system ICU4X has digits for",
                "latn (0-9), arab",
            ],
        },
        Case {
            name: "numbers-group-min-digits-range",
            setup: |p| edit(p, "lang/en/pack.toml", "decimal = \".\"", "decimal = \".\"\ngroup_min_digits = 12"),
            args: &[],
            code: 1,
            says: &["lang/en/pack.toml:7:20: error[invalid-value]: `group_min_digits` = 12 is out of range"],
        },
        Case {
            name: "numbers-group-min-digits-not-honoured",
            setup: |p| {
                edit(p, "lang/xx/pack.toml", "lang = \"de\"", "lang = \"es\"");
                edit(p, "lang/xx/pack.toml", "decimal = \",\"", "decimal = \",\"\ngroup_min_digits = 4");
            },
            args: &["--lang", "all"],
            code: 1,
            says: &["lang/xx/pack.toml:9:20: error[invalid-value]: `group_min_digits` = 4 cannot be honoured"],
        },
        Case {
            name: "numbers-label-without-n",
            setup: |p| edit(p, "lang/en/ui.toml", "text = \"Goal {n}\"", "text = \"Goal\""),
            args: &[],
            code: 1,
            says: &[
                "lang/en/ui.toml:42:8: error[invalid-value]: `goal-label` = \"Goal\" has no `{n}` for the goal's number",
                "write `{n}` where the number goes",
            ],
        },
        Case {
            name: "numbers-all-problems-at-once",
            setup: |p| {
                edit(p, "lang/en/pack.toml", "decimal = \".\"", "decimal = \"\"\npercent = \"{n}\"");
                edit(p, "lang/xx/pack.toml", "group = \".\"", "group = \"1\"");
                append(p, "lang/xx/ui.toml", "[sdg-label]\ntext = \"SDG\"");
            },
            args: &["--lang", "all"],
            code: 1,
            says: &[
                "lang/en/pack.toml:6:11: error[invalid-value]: `decimal` is empty",
                "lang/en/pack.toml:7:11: error[invalid-value]: `percent` = \"{n}\" has no percent sign",
                "lang/xx/pack.toml:7:9: error[invalid-value]: `group` = \"1\" holds the digit `1`",
                "lang/xx/ui.toml:",
                "`sdg-label` = \"SDG\" has no `{n}`",
            ],
        },
        // gates: translations, floods, release, data packs, timings, upgrades
        Case {
            name: "translation-drops-a-reference",
            setup: |p| {
                // The translator's workflow stamps the translation, then a hand edit drops a number.
                let po = p.path("po");
                for command in ["export", "import"] {
                    let dir = if command == "export" { "--out" } else { "--from" };
                    let mut cmd = common::vlr_command();
                    cmd.args(["i18n", command, "--lang", "xx", dir]).arg(&po).arg("--root").arg(&p.root);
                    common::Run::of(&mut cmd).exits(0);
                    let text = p.read("po/intro.po").replace("#, fuzzy\n", "");
                    p.write("po/intro.po", &text);
                }
                edit(p, "lang/xx/intro.toml", "etwa {g.stock} Fahrzeuge", "etwa viele Fahrzeuge");
            },
            args: &["--lang", "xx"],
            code: 1,
            says: &[
                "lang/xx/intro.toml:7:3: error[reference-mismatch]: the translation of `lead` (text) does not print the numbers of its source: it lacks {g.stock}",
            ],
        },
        Case {
            name: "flood-of-bad-rows",
            setup: |p| {
                p.write("data/h.toml", "[h]\ntitle = \"H\"\nunit = \"t\"\nsource = \"S\"\nstatus = \"reported\"\n");
                let rows: String = (0..120).map(|i| format!("h,2020,x{i},reported\n")).collect();
                p.write("data/h.csv", &format!("indicator,year,value,status\n{rows}"));
            },
            args: &[],
            code: 1,
            says: &[
                "data/h.csv:51:8: error[invalid-value]: `x49` is not a number",
                "data/h.csv:52:8: error[invalid-value]: … and 70 more like this",
            ],
        },
        Case {
            name: "flood-of-unknown-indicators",
            setup: |p| {
                let rows: String = (0..80).map(|i| format!("stok{i},2020,1,reported\n")).collect();
                p.write("data/g.csv", &format!("indicator,year,value,status\n{rows}"));
            },
            args: &[],
            code: 1,
            says: &[
                "data/g.csv:2:1: error[unknown-data]: unknown indicator `stok0` (hint: did you mean `stock`?",
                "error[unknown-data]: … and 30 more like this",
            ],
        },
        Case {
            name: "release-lists-every-reason",
            setup: |p| edit(p, EN_INTRO, "{g.stock}", "{g.stok}"),
            args: &["release"],
            code: 1,
            says: &["error[unknown-data]: unknown indicator `g.stok`", "error[release-pending]: `g.lost` is pending"],
        },
        Case {
            name: "data-pack-unchecked",
            setup: |p| edit(p, "lang/xx/intro.toml", "title = ", "titel = "),
            args: &["--data"],
            code: 1,
            says: &["lang/xx/intro.toml:2:1: error[invalid-field]: unknown field `titel`"],
        },
        Case {
            name: "cli-timings-under-a-file",
            setup: |_| {},
            args: &["--timings", "report.toml/t.json"],
            code: 1,
            says: &[
                "error[write]: --timings report.toml/t.json: cannot write a file there, report.toml is not a folder",
            ],
        },
        Case {
            name: "upgrade-builtin-word",
            setup: |p| edit(p, "lang/en/ui.toml", "[part]\ntext = \"Part\"\n", ""),
            args: &["--deny-warnings"],
            code: 0,
            says: &["lang/en/ui.toml: note[builtin-word]: lang/en/ui.toml does not have the interface word(s) `part`"],
        },
        Case {
            name: "upgrade-language-without-builtin-words",
            setup: |p| {
                edit(p, "lang/en/ui.toml", "[part]\ntext = \"Part\"\n", "");
                edit(p, "lang/en/pack.toml", "lang = \"en\"", "lang = \"de\"");
            },
            args: &[],
            code: 1,
            says: &["error[missing-text]: the templates print the word `part`, which lang/en/ui.toml does not have"],
        },
        Case {
            name: "ejected-design-without-chart-words",
            setup: |p| {
                let blocks = vlr::builtin::style("styles/blocks.typ").unwrap();
                let old = "#chart(ch.path, ch.labels, ch.alt)";
                assert!(blocks.contains(old));
                p.write("styles/blocks.typ", &blocks.replace(old, "#image(ch.path, width: w, alt: ch.alt)"));
            },
            args: &["--deny-warnings"],
            code: 1,
            says: &["warning[chart-words]: the templates print `charts/goal-ki-chart.svg` without its words"],
        },
        // ---------------------------------------------------------------- preflight
        Case {
            name: "preflight-chart-text-too-small",
            setup: small_chart_words,
            args: &["preflight"],
            code: 1,
            says: &[
                "error[small-text]: screen edition (en), page ",
                "“571.45” is set at 6.5 pt, under the minimum 8 pt",
            ],
        },
        Case {
            name: "preflight-print-edition-too",
            setup: small_chart_words,
            args: &["preflight", "--edition", "print"],
            code: 1,
            says: &["error[small-text]: print edition (en), page "],
        },
        Case {
            name: "release-refused-by-preflight",
            setup: small_chart_words,
            args: &["release", "--allow", "placeholders,pending,untranslated", "--out", "out/release"],
            code: 1,
            says: &["error[small-text]:", "--allow small-text", "preflight found pages a reader should not get"],
        },
        Case {
            name: "release-allow-unknown-preflight-kind",
            setup: |_| {},
            args: &["release", "--allow", "overflows"],
            code: 2,
            says: &["unknown allowance `overflows`", "overflow, overlap, small-text"],
        },
        // ---------------------------------------------------------------- Print condition (PDF/X output intent)
        Case {
            name: "print-condition-without-profile",
            setup: |p| edit(p, THEME, "identifier = \"FOGRA39\"", "identifier = \"FOGRA51\""),
            args: &[],
            code: 1,
            says: &["styles/theme.toml:", "error[invalid-value]: vlr's built-in profile is for FOGRA39, not `FOGRA51`"],
        },
        Case {
            name: "print-profile-missing",
            setup: |p| {
                edit(
                    p,
                    THEME,
                    "identifier = \"FOGRA39\"",
                    "identifier = \"FOGRA51\"\nprofile = \"styles/PSOcoated_v3.icc\"",
                )
            },
            args: &[],
            code: 1,
            says: &["styles/theme.toml:", "error[missing-file]: cannot read `styles/PSOcoated_v3.icc`: no such file"],
        },
        Case {
            name: "print-profile-not-an-output-profile",
            setup: |p| {
                let mut icc = vlr::builtin::FOGRA39_PROFILE.to_vec();
                icc[12..16].copy_from_slice(b"mntr");
                icc[16..20].copy_from_slice(b"RGB ");
                p.write_bytes("styles/monitor.icc", &icc);
                edit(
                    p,
                    THEME,
                    "identifier = \"FOGRA39\"",
                    "identifier = \"FOGRA39\"\nprofile = \"styles/monitor.icc\"",
                );
            },
            args: &[],
            code: 1,
            says: &["styles/theme.toml:", "`styles/monitor.icc` is a mntr profile for RGB, not a CMYK output profile"],
        },
        Case {
            name: "print-profile-not-icc",
            setup: |p| {
                edit(p, THEME, "identifier = \"FOGRA39\"", "identifier = \"FOGRA39\"\nprofile = \"report.toml\"")
            },
            args: &[],
            code: 1,
            says: &["styles/theme.toml:", "error[invalid-value]: `report.toml` is not an ICC profile"],
        },
        Case {
            name: "print-profile-absolute",
            setup: |p| {
                edit(p, THEME, "identifier = \"FOGRA39\"", "identifier = \"FOGRA39\"\nprofile = \"/etc/passwd\"")
            },
            args: &[],
            code: 1,
            says: &["styles/theme.toml:", "`print.condition.profile`: absolute paths are not allowed"],
        },
        Case {
            name: "print-profile-link-out",
            setup: |p| {
                link_out(p, "styles/press.icc");
                edit(p, THEME, "identifier = \"FOGRA39\"", "identifier = \"FOGRA39\"\nprofile = \"styles/press.icc\"");
            },
            args: &[],
            code: 1,
            says: &[
                "styles/theme.toml:",
                "error[path-outside-project]: `styles/press.icc` leads outside the project folder",
            ],
        },
        Case {
            name: "print-goal-cmyk-out-of-range",
            setup: |p| edit(p, THEME, "13 = [74, 32, 95, 19]", "13 = [74, 32, 195]"),
            args: &[],
            code: 1,
            says: &["styles/theme.toml:", "error[invalid-value]: `goals.cmyk.13` is not four percentages"],
        },
        Case {
            name: "print-profile-own",
            setup: |p| {
                p.write_bytes("styles/press.icc", vlr::builtin::FOGRA39_PROFILE);
                edit(p, THEME, "identifier = \"FOGRA39\"", "identifier = \"FOGRA39\"\nprofile = \"styles/press.icc\"");
            },
            args: &["--edition", "all"],
            code: 0,
            says: &[],
        },
        // ---------------------------------------------------------------- The web edition's templates
        Case {
            name: "web-template-syntax",
            setup: |p| {
                p.write(
                    "styles/web/chapter.html",
                    "{% extends \"base.html\" %}\n{% block main %}\n{% if %}\n{% endblock %}\n",
                );
            },
            args: &["--edition", "web"],
            code: 1,
            says: &["styles/web/chapter.html:3:", "error[web-template]"],
        },
        Case {
            name: "web-template-unknown-field",
            setup: |p| {
                p.write(
                    "styles/web/cover.html",
                    "{% extends \"base.html\" %}\n{% block main %}{{ book.meta.titel }}{% endblock %}\n",
                );
            },
            args: &["--edition", "web"],
            code: 1,
            says: &["styles/web/cover.html:2:", "error[web-template]: the web page en/index.html cannot be made"],
        },
        Case {
            name: "web-template-word",
            setup: |p| {
                p.write(
                    "styles/web/cover.html",
                    "{% extends \"base.html\" %}\n{% block main %}{{ word(ui, \"nope\") }}{% endblock %}\n",
                );
            },
            args: &["--edition", "web"],
            code: 1,
            says: &["styles/web/cover.html:2:", "error[missing-text]: the templates print the word `nope`"],
        },
        Case {
            name: "web-markup-literal",
            setup: |p| edit(p, EN_INTRO, "and {{braces}}", "<script>alert(1)</script> {{{{ book }}}} {{% raw %}}"),
            args: &["--edition", "all"],
            code: 0,
            says: &[],
        },
    ]
}

/// A designer's template that sets chart words at 6.5 pt (the theme itself refuses a size
/// under its minimum).
fn small_chart_words(p: &Project) {
    let blocks = vlr::builtin::style("styles/blocks.typ").unwrap();
    assert!(blocks.contains("size: l.size * 1pt"), "the chart template sets its words at the labels' size");
    p.write("styles/blocks.typ", &blocks.replace("size: l.size * 1pt", "size: 6.5pt"));
}

/// Lets a `&Project`-returning chain end a setup closure.
trait Pipe {
    fn pipe(&self) {}
}
impl Pipe for Project {}

#[test]
fn bad_inputs_are_refused_with_located_messages_and_nothing_written() {
    // One good build, copied into every case: its PDF must survive each bad input untouched.
    let base = Project::minimal();
    base.vlr(&["build", "--out", base.path("out").to_str().unwrap()]).exits(0);
    let good = std::fs::read(base.path("out/mini-en.pdf")).unwrap();
    let cases = cases();
    assert!(cases.len() >= 60, "only {} cases", cases.len());
    let failures: Vec<String> = std::thread::scope(|s| {
        let chunks: Vec<_> = cases.chunks(cases.len().div_ceil(4)).collect();
        let handles: Vec<_> = chunks
            .into_iter()
            .map(|chunk| s.spawn(|| chunk.iter().filter_map(|c| run_case(&base, c, &good).err()).collect::<Vec<_>>()))
            .collect();
        handles.into_iter().flat_map(|h| h.join().unwrap()).collect()
    });
    assert!(failures.is_empty(), "{} of {} cases failed:\n\n{}", failures.len(), cases.len(), failures.join("\n\n"));
}

fn run_case(base: &Project, case: &Case, good: &[u8]) -> Result<(), String> {
    let root = common::scratch(case.name);
    common::copy_dir(&base.root, &root, &[]);
    let p = Project { root: root.clone(), opts: vlr::Options::new(&root) };
    (case.setup)(&p);
    // A case runs `build`, or the command its first argument names (`release`, `preflight`).
    let (command, args) = match case.args.split_first() {
        Some((&"release", rest)) => ("release", rest),
        Some((&"preflight", rest)) => ("preflight", rest),
        _ => ("build", case.args),
    };
    let preflight = command == "preflight";
    let mut cmd = common::vlr_command();
    cmd.current_dir(&root).args([command, "--format", "json"]);
    if !args.contains(&"--out") && !preflight {
        cmd.args(["--out", "out"]);
    }
    cmd.args(args).arg("--root").arg(&root);
    let run = common::Run::of(&mut cmd);
    // The diagnostics as `file:line:col: severity[code]: message (hint: …)` lines, then stderr.
    let output = format!("{}{}", short(&run.stdout), run.stderr);
    let mut problems = Vec::new();
    if run.code != Some(case.code) {
        problems.push(format!("exit code {:?}, expected {}", run.code, case.code));
    }
    if output.contains("panicked") {
        problems.push("it panicked".into());
    }
    for needle in case.says {
        if !output.contains(needle) {
            problems.push(format!("does not say `{needle}`"));
        }
    }
    if output.contains("TOPSECRET") {
        problems.push("it printed the content of a file outside the project".into());
    }
    let pdf = std::fs::read(root.join("out/mini-en.pdf")).unwrap_or_default();
    if case.code != 0 {
        if pdf != good {
            problems.push("the last good PDF was replaced".into());
        }
        let written: Vec<_> = walk(&root.join("out")).into_iter().filter(|f| !f.ends_with("out/mini-en.pdf")).collect();
        if !written.is_empty() {
            problems.push(format!("it wrote {written:?}"));
        }
    }
    if problems.is_empty() {
        let _ = std::fs::remove_dir_all(&root);
        Ok(())
    } else {
        Err(format!("{}: {}\n--- output ---\n{}", case.name, problems.join("; "), output.trim_end()))
    }
}

/// The JSON diagnostics on stdout as short lines.
fn short(stdout: &str) -> String {
    let Ok(serde_json::Value::Array(diags)) = serde_json::from_str(stdout) else { return stdout.to_string() };
    let mut out = String::new();
    for d in diags {
        let s = |k: &str| d[k].as_str().map(str::to_string);
        let n = |k: &str| d[k].as_u64();
        match (s("file"), n("line"), n("column")) {
            (Some(f), Some(l), Some(c)) => out.push_str(&format!("{f}:{l}:{c}: ")),
            (Some(f), _, _) => out.push_str(&format!("{f}: ")),
            _ => {}
        }
        out.push_str(&format!(
            "{}[{}]: {}",
            s("severity").unwrap_or_default(),
            s("code").unwrap_or_default(),
            s("message").unwrap_or_default()
        ));
        if let Some(h) = s("hint") {
            out.push_str(&format!(" (hint: {h})"));
        }
        out.push('\n');
    }
    out
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let Ok(rd) = std::fs::read_dir(dir) else { return Vec::new() };
    rd.flatten().flat_map(|e| if e.path().is_dir() { walk(&e.path()) } else { vec![e.path()] }).collect()
}
