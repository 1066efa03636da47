//! The web edition (`--edition web`): the site's structure (languages and directions,
//! landmarks, headings in order, one page per chapter, charts with their titles and values),
//! its numbers read back against the PDF's, every word from the packs, user text literal,
//! nothing fetched from elsewhere, reproducible bytes, nothing written on error, and the
//! release that publishes it.

use crate::common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use common::Project;
use vlr::Edition;

/// Every file of the site, by its path under `web/`.
fn site(dir: &Path) -> Vec<(String, Vec<u8>)> {
    common::tree(dir)
        .into_iter()
        .map(|(p, b)| (p.strip_prefix(dir).unwrap().to_string_lossy().replace('\\', "/"), b))
        .collect()
}

pub(crate) fn pages(dir: &Path) -> Vec<(String, String)> {
    site(dir)
        .into_iter()
        .filter(|(p, _)| p.ends_with(".html"))
        .map(|(p, b)| (p, String::from_utf8(b).unwrap()))
        .collect()
}

/// The values of attribute `name` in the page, entities decoded.
fn attrs(html: &str, name: &str) -> Vec<String> {
    let key = format!(" {name}=\"");
    html.match_indices(&key)
        .map(|(i, _)| {
            let rest = &html[i + key.len()..];
            decode(&rest[..rest.find('"').unwrap()])
        })
        .collect()
}

fn decode(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&#x2f;", "/")
        .replace("&amp;", "&")
}

/// What a reader (or a screen reader) gets of a page: its text, without tags, decoded. Block
/// elements end a word; inline ones (a number's mark, emphasis) do not.
pub(crate) fn text(html: &str) -> String {
    let inline = ["a", "span", "sup", "sub", "em", "strong"];
    let mut out = String::new();
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let name: String = rest[1..].trim_start_matches('/').chars().take_while(char::is_ascii_alphanumeric).collect();
        if !inline.contains(&name.as_str()) {
            out.push(' ');
        }
        rest = &rest[rest.find('>').map_or(rest.len(), |j| j + 1)..];
    }
    out.push_str(rest);
    decode(&out).split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The levels of the page's headings, in order.
fn headings(html: &str) -> Vec<u8> {
    html.match_indices("<h").filter_map(|(i, _)| html[i + 2..].chars().next()?.to_digit(10).map(|d| d as u8)).collect()
}

/// The texts of the elements `<tag class="class"…>…</tag>` (no nested tag of the same name).
fn elements(html: &str, open: &str, close: &str) -> Vec<String> {
    html.match_indices(open)
        .map(|(i, _)| {
            let rest = &html[i..];
            let body = &rest[rest.find('>').unwrap() + 1..];
            text(&body[..body.find(close).unwrap()])
        })
        .collect()
}

/// Checks every page: language and direction, landmarks, a skip link to the main content,
/// headings from one h1 without a skipped level, and every local link resolving to a file of
/// the site (so it works from disk and from any host); no `src` or `href` leaves the site.
pub(crate) fn check_pages(dir: &Path, lang: &str, expect_dir: &str) {
    let files: BTreeSet<String> = site(dir).into_iter().map(|(p, _)| p).collect();
    let top = |p: &str| !p.contains('/');
    for (path, html) in pages(dir).into_iter().filter(|(p, _)| p.starts_with(&format!("{lang}/")) || top(p)) {
        assert!(html.starts_with("<!doctype html>"), "{path}");
        assert!(html.contains(&format!("<html lang=\"{}\" dir=\"{expect_dir}\">", attrs(&html, "lang")[0])), "{path}");
        for landmark in ["<header", "<nav", "<main id=\"main\"", "<footer"] {
            assert!(html.contains(landmark), "{path} has no {landmark}");
        }
        let skip = html.find("<a class=\"skip-link\" href=\"#main\"").expect("a skip link");
        assert_eq!(html.find("<a "), Some(skip), "{path}: the skip link is the first link");
        // Each navigation's accessible name (its label, or the text of the element naming it).
        let navs: Vec<&str> =
            html.match_indices("<nav ").map(|(i, _)| &html[i..i + html[i..].find('>').unwrap()]).collect();
        let name = |nav: &str| match attrs(nav, "aria-labelledby").first() {
            Some(id) => elements(&html, &format!(" id=\"{id}\""), "</").pop().unwrap_or_default(),
            None => attrs(nav, "aria-label").pop().unwrap_or_default(),
        };
        let names: BTreeSet<String> = navs.iter().map(|n| name(n)).collect();
        assert_eq!(names.len(), navs.len(), "{path}: each navigation has a name of its own: {names:?}");
        let levels = headings(&html);
        assert_eq!(levels.iter().filter(|l| **l == 1).count(), 1, "{path}: one h1: {levels:?}");
        assert_eq!(levels[0], 1, "{path}: {levels:?}");
        for pair in levels.windows(2) {
            assert!(pair[1] <= pair[0] + 1, "{path}: a heading level is skipped: {levels:?}");
        }
        for url in attrs(&html, "href").into_iter().chain(attrs(&html, "src")) {
            assert!(!url.contains("://") && !url.starts_with("//"), "{path}: {url} leaves the site");
            if url.starts_with('#') {
                continue;
            }
            let target = Path::new(&path).parent().unwrap().join(url.split('#').next().unwrap());
            let mut parts: Vec<String> = Vec::new();
            for c in target.components() {
                match c {
                    std::path::Component::ParentDir => {
                        parts.pop();
                    }
                    std::path::Component::Normal(n) => parts.push(n.to_string_lossy().into_owned()),
                    _ => {}
                }
            }
            assert!(files.contains(&parts.join("/")), "{path}: {url} is not a file of the site");
        }
    }
}

fn minimal_site() -> (Project, common::Built) {
    let p = Project::minimal().lang("en").editions(&[Edition::Screen, Edition::Web]);
    let built = p.build().ok();
    (p, built)
}

#[test]
fn the_site_has_a_page_per_chapter_with_landmarks_headings_and_charts() {
    let (p, built) = minimal_site();
    let dir = p.path("out/web");
    let summary = built.0.site.as_ref().expect("the outcome tells of the site");
    assert_eq!(summary.dir.as_ref(), Some(&dir));
    let files: Vec<String> = site(&dir).into_iter().map(|(p, _)| p).collect();
    let pages: Vec<&String> = files.iter().filter(|f| f.ends_with(".html")).collect();
    assert_eq!(pages, ["en/goal.html", "en/index.html", "en/intro.html", "index.html"], "{files:?}");
    assert_eq!(summary.pages, 4);
    for asset in ["assets/theme.css", "assets/site.css", "assets/fonts/NotoSans-400.ttf", "assets/fonts/Apache-2.0.txt"]
    {
        assert!(files.iter().any(|f| f == asset), "{asset} missing: {files:?}");
    }
    check_pages(&dir, "en", "ltr");

    // The downloads are the PDF this run wrote, byte for byte, linked from every page's footer.
    assert_eq!(std::fs::read(dir.join("downloads/mini-en.pdf")).unwrap(), std::fs::read(built.pdf(0)).unwrap());
    for (path, html) in self::pages(&dir).iter().filter(|(p, _)| p.starts_with("en/")) {
        assert!(html.contains("href=\"../downloads/mini-en.pdf\""), "{path}");
    }

    // The goal chapter: its opener, the sections, the chart with its title, description,
    // words and values, the placeholder said as such.
    let goal = std::fs::read_to_string(dir.join("en/goal.html")).unwrap();
    assert!(goal.contains("<body class=\"goal-13\">"));
    let svg = &goal[goal.find("<svg").unwrap()..goal.find("</svg>").unwrap()];
    assert!(svg.contains("role=\"img\""), "{svg}");
    assert!(svg.contains("<title id=\"chart-goal-ki-chart-title\">Power use per year</title>"), "{svg}");
    let desc = elements(svg, "<desc", "</desc>");
    assert!(desc[0].starts_with("Power use per year") && desc[0].contains("2019"), "{desc:?}");
    assert!(svg.contains("<text ") && svg.contains(">2019</text>"), "the chart's words are set in it: {svg}");
    let values = elements(&goal, "<details class=\"chart-data\"", "</details>");
    assert!(values[0].contains("2019"), "the values as a table: {values:?}");
    assert!(goal.contains("<th scope=\"col\">"), "table headers have a scope");
    let intro = std::fs::read_to_string(dir.join("en/intro.html")).unwrap();
    assert!(text(&intro).contains("Image not available in this edition"), "a missing photo is said as such");
    assert!(intro.contains("<figure") && intro.contains("<figcaption>"));

    // The theme's colours, exact: the official colour of goal 13 for fields.
    let css = std::fs::read_to_string(dir.join("assets/theme.css")).unwrap();
    assert!(css.contains("--goal-13: #3F7E44;"), "{css}");
    assert!(css.contains("@font-face { font-family: \"Noto Sans\"; src: url(\"fonts/NotoSans-400.ttf\")"), "{css}");
}

#[test]
fn a_photo_is_copied_with_its_size_and_alt_text() {
    let p = Project::minimal().lang("en").editions(&[Edition::Web]);
    let img = image::RgbImage::from_fn(400, 300, |x, y| image::Rgb([(x % 250) as u8, (y % 250) as u8, 80]));
    let mut jpeg = std::io::Cursor::new(Vec::new());
    img.write_to(&mut jpeg, image::ImageFormat::Jpeg).unwrap();
    p.write_bytes("figures/photo.jpg", &jpeg.into_inner());
    p.edit("chapters/intro.toml", "aspect = 1.5", "image = \"figures/photo.jpg\"");
    p.build().ok();
    let dir = p.path("out/web");
    check_pages(&dir, "en", "ltr");
    let html = std::fs::read_to_string(dir.join("en/intro.html")).unwrap();
    let img = &html[html.find("<img ").expect("the photo")..];
    let img = &img[..img.find('>').unwrap()];
    assert_eq!(attrs(img, "src"), ["../assets/images/intro-photo.jpg"]);
    assert_eq!(attrs(img, "alt"), ["A placeholder"], "the figure's alt text");
    assert_eq!((attrs(img, "width"), attrs(img, "height")), (vec!["400".to_string()], vec!["300".to_string()]));
    assert!(image::load_from_memory(&std::fs::read(dir.join("assets/images/intro-photo.jpg")).unwrap()).is_ok());
}

#[test]
fn numbers_print_as_in_the_pdf() {
    let (p, built) = minimal_site();
    let pdf = built.text(0);
    let mut seen = 0;
    for (path, html) in pages(&p.path("out/web")).iter().filter(|(p, _)| p.starts_with("en/")) {
        let numbers = elements(html, "<span class=\"value\"", "</span>")
            .into_iter()
            .chain(elements(html, "<span class=\"tile-value\"", "</span>"))
            .chain(elements(html, "<span class=\"pending\"", "</span>"));
        for n in numbers {
            seen += 1;
            assert!(pdf.contains(&n), "{path}: {n:?} is not printed so in the PDF");
        }
    }
    assert!(seen >= 4, "the pages print the data's values ({seen})");
}

#[test]
fn user_text_prints_literally() {
    let p = Project::minimal().lang("en").editions(&[Edition::Web]);
    p.edit("lang/en/intro.toml", "and {{braces}}", "<b>not bold</b> & {{braces}}");
    p.build().ok();
    let html = std::fs::read_to_string(p.path("out/web/en/intro.html")).unwrap();
    assert!(!html.contains("<b>"), "user text is never markup");
    assert!(html.contains("&lt;b&gt;not bold&lt;/b&gt; &amp; {braces}"), "escaped once");
    let shown = r"Literal marks: # $ * _ @ < > \ [ ] = <b>not bold</b> & {braces} stay as typed.";
    assert!(text(&html).contains(shown), "{}", text(&html));
}

#[test]
fn the_same_sources_give_the_same_site_and_an_error_writes_nothing() {
    let p = Project::minimal().lang("en").editions(&[Edition::Web]);
    p.build().ok();
    let first = site(&p.path("out/web"));
    std::fs::remove_dir_all(p.path("out")).unwrap();
    p.build().ok();
    assert_eq!(site(&p.path("out/web")), first, "same sources, same bytes");

    // A designer's template with an error: located at its line, exit 1, nothing replaced.
    p.write(
        "styles/web/chapter.html",
        "{% extends \"base.html\" %}\n{% block main %}\n{{ chapter.title | nope }}\n{% endblock %}\n",
    );
    let run = p.vlr(&["build", "--edition", "web", "--lang", "en", "--out", p.path("out").to_str().unwrap()]);
    assert!(run.exits(1).stderr.contains("error[web-template]"), "{}", run.stderr);
    assert!(run.stderr.contains("styles/web/chapter.html:3"), "{}", run.stderr);
    assert_eq!(site(&p.path("out/web")), first, "nothing was written or replaced");
}

#[test]
fn a_chapter_taken_out_of_the_report_leaves_the_site() {
    let p = Project::minimal().lang("en").editions(&[Edition::Web]);
    p.build().ok();
    assert!(p.path("out/web/en/goal.html").is_file());
    // The user's own dot-files in the folder (a host's marker file) stay.
    p.write("out/web/.nojekyll", "");
    p.edit("report.toml", "chapters = [\"intro\", \"goal\"]", "chapters = [\"intro\"]");
    p.build().ok();
    let files: Vec<String> = site(&p.path("out/web")).into_iter().map(|(f, _)| f).collect();
    assert!(!files.iter().any(|f| f.contains("goal")), "no page or chart of the old chapter: {files:?}");
    assert!(p.path("out/web/.nojekyll").is_file());
    check_pages(&p.path("out/web"), "en", "ltr");
}

#[test]
fn check_and_preflight_render_the_web_templates() {
    let p = Project::minimal().lang("en");
    let run = p.vlr(&["preflight", "--edition", "web"]);
    assert!(run.exits(0).stderr.contains("checked the web edition (4 pages)"), "{}", run.stderr);
    assert!(!p.path("build/web").exists(), "nothing written");

    // A designer's error in a template is found by `vlr check`, at its line, before any build.
    p.write(
        "styles/web/chapter.html",
        "{% extends \"base.html\" %}\n{% block main %}\n{{ chapter.title | nope }}\n{% endblock %}\n",
    );
    let run = p.vlr(&["check"]);
    assert!(run.exits(1).stderr.contains("error[web-template]"), "{}", run.stderr);
    assert!(run.stderr.contains("styles/web/chapter.html:3"), "{}", run.stderr);
    let run = p.vlr(&["preflight", "--edition", "web"]);
    assert!(run.exits(1).stderr.contains("error[web-template]"), "{}", run.stderr);
    assert!(!p.path("build").exists(), "nothing written");
}

#[test]
fn a_word_the_web_templates_print_must_be_in_the_pack() {
    let p = Project::minimal().lang("en").editions(&[Edition::Web]);
    p.write(
        "styles/web/cover.html",
        "{% extends \"base.html\" %}\n{% block main %}{{ word(ui, \"colophon-words\") }}{% endblock %}\n",
    );
    let built = p.build().failed();
    assert!(
        built.short().contains("styles/web/cover.html:2:")
            && built.short().contains("the templates print the word `colophon-words`"),
        "{}",
        built.short()
    );
    // The PDF alone does not need the web's words.
    Project::minimal().lang("en").build().ok();
}

/// The 2021 book's Chinese pages: every word from the packs (no English), the numbers as the
/// Chinese PDF prints them, the CJK face copied with the site.
#[test]
fn the_2021_books_chinese_site_speaks_chinese() {
    if !common::require_cjk("the_2021_books_chinese_site_speaks_chinese") {
        return;
    }
    let p = Project::book().lang("zh-CN").editions(&[Edition::Screen, Edition::Web]);
    let built = p.build().ok();
    let dir = p.path("out/web");
    check_pages(&dir, "zh-CN", "ltr");
    let chapters = std::fs::read_to_string(p.path("report.toml")).unwrap();
    let pages = pages(&dir);
    let ids: Vec<&str> = chapters
        .lines()
        .filter(|l| l.starts_with("chapters = ["))
        .flat_map(|l| l[l.find('[').unwrap() + 1..l.rfind(']').unwrap()].split(','))
        .map(|s| s.trim().trim_matches('"'))
        .collect();
    for id in &ids {
        assert!(pages.iter().any(|(p, _)| *p == format!("zh-CN/{id}.html")), "no page for {id}");
    }
    assert_eq!(pages.len(), ids.len() + 2, "one page per chapter, the cover and the languages");

    // Every Latin word on a Chinese page is one the Chinese pack writes.
    let mut pack = String::new();
    for (_, bytes) in common::tree(&p.path("lang/zh-CN")) {
        pack.push_str(&String::from_utf8_lossy(&bytes));
    }
    let known: BTreeSet<&str> = latin_words(&pack).into_iter().collect();
    for (path, html) in pages.iter().filter(|(p, _)| p.starts_with("zh-CN/")) {
        let said = format!("{} {} {}", text(html), attrs(html, "alt").join(" "), attrs(html, "aria-label").join(" "));
        let english: Vec<&str> = latin_words(&said).into_iter().filter(|w| !known.contains(w)).collect();
        assert!(english.is_empty(), "{path} prints words no Chinese pack has: {english:?}");
    }

    // The numbers are the Chinese PDF's (read back without spaces: PDF text has none between
    // Chinese characters).
    let pdf: String = built.text(0).split_whitespace().collect();
    let mut seen = 0;
    for (path, html) in pages.iter().filter(|(p, _)| p.starts_with("zh-CN/")) {
        for n in elements(html, "<span class=\"value\"", "</span>") {
            seen += 1;
            assert!(pdf.contains(&n.replace(' ', "")), "{path}: {n:?} is not in the PDF");
        }
    }
    assert!(seen > 50, "{seen} numbers");
    let css = std::fs::read_to_string(dir.join("assets/theme.css")).unwrap();
    assert!(css.contains("font-family: \"Noto Sans CJK SC\""), "the CJK face travels with the site");
    // Cut to the characters the pages print (not the 16 MB face), each of them mapped.
    for weight in [400, 700] {
        let bytes = std::fs::read(dir.join(format!("assets/fonts/NotoSansCJKSC-{weight}.otf"))).unwrap();
        assert!(bytes.len() < 2_000_000, "{} bytes", bytes.len());
        let face = ttf_parser::Face::parse(&bytes, 0).unwrap();
        for (path, html) in pages.iter().filter(|(p, _)| p.starts_with("zh-CN/")) {
            let han: Vec<char> = text(html).chars().filter(|c| ('\u{4E00}'..='\u{9FFF}').contains(c)).collect();
            assert!(han.iter().all(|c| face.glyph_index(*c).is_some()), "{path}: a character the face lost");
        }
    }
    assert!(css.contains("[lang=\"zh-CN\"] { font-family: \"Noto Sans\", \"Noto Sans CJK SC\", sans-serif;"), "{css}");
}

fn latin_words(s: &str) -> Vec<&str> {
    s.split(|c: char| !c.is_ascii_alphabetic()).filter(|w| w.len() > 1).collect()
}

#[test]
fn arabic_pages_run_right_to_left() {
    if !common::require_arabic("arabic_pages_run_right_to_left") {
        return;
    }
    let mut p = Project::fixture("lakeport").lang("ar").editions(&[Edition::Web]);
    p.opts.system_fonts = true;
    p.build().ok();
    let dir = p.path("out/web");
    check_pages(&dir, "ar", "rtl");
    let page = pages(&dir).into_iter().find(|(p, html)| p.starts_with("ar/") && html.contains("<svg")).unwrap();
    assert!(page.1.contains("direction=\"rtl\""), "a chart's words run right to left in {}", page.0);
    assert!(std::fs::read_to_string(dir.join("assets/theme.css")).unwrap().contains("\"Noto Sans Arabic\""));
}

#[test]
fn a_release_publishes_the_site_with_its_downloads() {
    let p = Project::minimal();
    let out: PathBuf = p.path("rel");
    p.vlr(&["release", "--allow", "placeholders,pending,untranslated", "--out", out.to_str().unwrap()]).exits(0);
    let sums = std::fs::read_to_string(out.join("SHA256SUMS")).unwrap();
    for file in ["web/index.html", "web/en/index.html", "web/xx/goal.html", "web/downloads/mini-xx-print.pdf"] {
        assert!(sums.lines().any(|l| l.ends_with(&format!("  {file}"))), "{file} is not in SHA256SUMS:\n{sums}");
    }
    assert_eq!(
        std::fs::read(out.join("web/downloads/mini-en.pdf")).unwrap(),
        std::fs::read(out.join("mini-en.pdf")).unwrap()
    );
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("build-manifest.json")).unwrap()).unwrap();
    let web = manifest["web"].as_array().unwrap();
    assert!(web.iter().any(|f| f["file"] == "web/en/goal.html" && f["sha256"].as_str().unwrap().len() == 64));
    assert_eq!(web.len(), sums.lines().filter(|l| l.contains("  web/")).count());
    check_pages(&out.join("web"), "xx", "ltr");
}

/// One HTTP GET to 127.0.0.1:`port`: the status line and the body.
fn get(port: u16, path: &str) -> (String, String) {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(stream, "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    let (head, body) = answer.split_once("\r\n\r\n").unwrap_or((&answer, ""));
    (head.lines().next().unwrap_or("").to_string(), body.to_string())
}

#[test]
fn serve_rebuilds_the_site_and_serves_nothing_outside_it() {
    use std::io::BufRead;
    let p = Project::minimal().lang("en");
    let mut child = common::vlr_command()
        .args(["serve", "--port", "0", "--lang", "en", "--root"])
        .arg(&p.root)
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = std::io::BufReader::new(child.stderr.take().unwrap()).lines();
    let first = lines.next().unwrap().unwrap();
    let port: u16 = first
        .split("127.0.0.1:")
        .nth(1)
        .and_then(|s| s.split('/').next())
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("the address is printed first: {first}"));
    assert!(lines.next().unwrap().unwrap().starts_with("initial build: web 4 pages"));
    std::thread::spawn(move || lines.for_each(drop));

    let (status, page) = get(port, "/en/goal.html");
    assert_eq!(status, "HTTP/1.1 200 OK");
    assert!(page.contains("Power use per year") && page.contains("/.vlr/build"), "the page, with its reload script");
    assert!(!std::fs::read_to_string(p.path("build/web/en/goal.html")).unwrap().contains("<script"), "not on disk");
    assert_eq!(get(port, "/.vlr/build").1, "1");
    assert_eq!(get(port, "/../report.toml").0, "HTTP/1.1 404 Not Found");
    assert_eq!(get(port, "/%2e%2e/report.toml").0, "HTTP/1.1 404 Not Found");

    // An edit: a rebuild, a new build number, the new text served.
    p.edit("lang/en/goal.toml", "Power use per year", "Power used each year");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while get(port, "/.vlr/build").1 == "1" && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let served = get(port, "/en/goal.html").1;
    // A second server on the same port: a diagnostic, not a panic.
    let again = p.vlr(&["serve", "--port", &port.to_string()]);
    assert!(again.exits(1).stderr.contains("error[serve]: cannot listen on 127.0.0.1:"), "{}", again.stderr);
    let _ = child.kill();
    let _ = child.wait();
    assert!(served.contains("Power used each year"), "the rebuilt page is served");
}
