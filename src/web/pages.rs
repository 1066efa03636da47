//! The pages of the site and what each template receives: the book data as the PDF's
//! templates get it (`book`, and `chapter` on a chapter's page), and what only a website
//! needs (`site`: its languages, contents and downloads; `page`: where it is, its neighbours,
//! its headings' levels and figure numbers; `charts` and `images`: a chapter's pictures).
//! Documented for designers in `styles/README.md`.

use std::collections::BTreeMap;

use minijinja::value::Serde;
use minijinja::{Error, Value, context};
use serde::Serialize;

use super::templates::Env;
use super::{Download, DownloadKind, Language};
use crate::project::{ChapterKind, Matter, Project};
use crate::resolve::book::{BlockOut, ChapterOut, Rich, plain_text};
use crate::resolve::charts::ChartData;

/// A language of the site as its links name it.
#[derive(Serialize, Clone)]
struct Lang {
    /// The report's code for it, which is also its folder (`zh-CN`).
    code: String,
    /// Its BCP 47 tag for `lang` (`zh-CN`, `en-GB`) and its direction (`ltr`, `rtl`).
    html_lang: String,
    dir: &'static str,
    /// Its own name (`简体中文`), from its pack.
    name: String,
    /// The report's title in it.
    title: String,
    /// From the page being made to the same page in this language.
    href: String,
    current: bool,
}

#[derive(Serialize, Clone)]
struct Link {
    href: String,
    title: Rich,
}

#[derive(Serialize, Clone)]
struct DownloadLink {
    kind: DownloadKind,
    href: String,
    name: String,
    bytes: usize,
}

#[derive(Serialize, Clone)]
struct PartNav {
    id: String,
    title: Option<Rich>,
    matter: Matter,
    chapters: Vec<ChapterNav>,
}

#[derive(Serialize, Clone)]
struct ChapterNav {
    id: String,
    kind: ChapterKind,
    goal: Option<u8>,
    title: Rich,
    href: String,
    current: bool,
}

/// What every page of one language shares.
#[derive(Serialize, Clone)]
struct Site {
    /// From the page to the site's top folder (`../`, or empty for the top page).
    root: String,
    lang: Lang,
    languages: Vec<Lang>,
    downloads: Vec<DownloadLink>,
    contents: Vec<PartNav>,
}

/// Where a page is, and what its template needs beyond the book data.
#[derive(Serialize)]
struct Page {
    /// `index` (the languages), `cover` (cover and contents) or `chapter`.
    kind: &'static str,
    /// The page's file name in its folder (`sdg13.html`).
    file: String,
    prev: Option<Link>,
    next: Option<Link>,
    /// The title of the part the chapter belongs to, when it has a title page in the PDF.
    part: Option<Rich>,
    /// Per block of the chapter: the level of its heading (2 to 4; the chapter's title is 1)
    /// for headings, sections, measures and sub-headings, else none.
    levels: Vec<Option<u8>>,
    /// Per block: its figure or table number as the PDF numbers it, else none.
    numbers: Vec<Option<u32>>,
}

/// Every page of the site: its path under `web/` and its HTML (or the template's error).
pub fn render(
    env: &Env,
    project: &Project,
    languages: &[Language],
    downloads: &[Download],
) -> Vec<(String, Result<String, Error>)> {
    let mut out = Vec::new();
    let langs: Vec<Lang> = languages.iter().map(|l| lang(project, l)).collect();
    let Some(default) = languages
        .iter()
        .position(|l| l.resolved.lang == project.report.default_language)
        .or((!langs.is_empty()).then_some(0))
    else {
        return out;
    };
    let numbers = numbers(&languages[default].resolved.chapters);
    // The top page: the languages, in the default one's words.
    let top = site(project, &langs, &languages[default], downloads, "", "index.html", None);
    let page = Page {
        kind: "index",
        file: "index.html".into(),
        prev: None,
        next: None,
        part: None,
        levels: vec![],
        numbers: vec![],
    };
    let book = val(&languages[default].resolved.book);
    let ui = val(&languages[default].resolved.book.ui);
    let ctx = context! { book => book, ui => ui, site => val(&top), page => val(&page) };
    out.push(("index.html".into(), env.render("index.html", ctx)));
    for (i, l) in languages.iter().enumerate() {
        let code = &langs[i].code;
        let book = val(&l.resolved.book);
        let ui = val(&l.resolved.book.ui);
        let chapters = &l.resolved.chapters;
        let cover_site = site(project, &langs, l, downloads, "../", "index.html", None);
        let first = chapters.first().map(|(_, c)| Link { href: format!("{}.html", c.id), title: c.title.clone() });
        let cover = Page {
            kind: "cover",
            file: "index.html".into(),
            prev: None,
            next: first,
            part: None,
            levels: vec![],
            numbers: vec![],
        };
        let ctx = context! { book => book.clone(), ui => ui.clone(), site => val(&cover_site), page => val(&cover) };
        out.push((format!("{code}/index.html"), env.render("cover.html", ctx)));
        let home = Link {
            href: "index.html".into(),
            title: vec![crate::resolve::book::Run::Text { s: l.resolved.book.meta.short.clone() }],
        };
        for (k, (_, ch)) in chapters.iter().enumerate() {
            let file = format!("{}.html", ch.id);
            let site = site(project, &langs, l, downloads, "../", &file, Some(&ch.id));
            let link = |c: &ChapterOut| Link { href: format!("{}.html", c.id), title: c.title.clone() };
            let page = Page {
                kind: "chapter",
                file: file.clone(),
                prev: if k == 0 { Some(home.clone()) } else { Some(link(&chapters[k - 1].1)) },
                next: chapters.get(k + 1).map(|(_, c)| link(c)),
                part: part_title(l, &ch.id),
                levels: levels(ch),
                numbers: numbers.get(&ch.id).cloned().unwrap_or_default(),
            };
            let pictures = pictures(l, ch);
            let ctx = context! {
                book => book.clone(),
                ui => ui.clone(),
                chapter => val(ch),
                site => val(&site),
                page => val(&page),
                charts => pictures.0,
                images => pictures.1,
            };
            out.push((format!("{code}/{file}"), env.render("chapter.html", ctx)));
        }
    }
    out
}

/// The files a language's pages use: its photos (`assets/images/`) and its charts with their
/// words as SVG files of their own (`assets/charts/<lang>/`), for anyone to reuse.
pub fn assets(l: &Language) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for (path, bytes) in &l.assets {
        if let Some(name) = path.strip_prefix("images/") {
            out.push((format!("assets/images/{name}.{}", image_ext(bytes)), bytes.clone()));
        }
    }
    for (_, ch) in &l.resolved.chapters {
        for (path, svg, _) in chart_svgs(l, ch) {
            let name = path.trim_start_matches("/charts/");
            out.push((format!("assets/charts/{}/{name}", l.resolved.lang), svg.into_bytes()));
        }
    }
    out
}

fn lang(project: &Project, l: &Language) -> Lang {
    let meta = &l.resolved.book.meta;
    let name = project.packs.get(&l.resolved.lang).map_or_else(|| l.resolved.lang.clone(), |p| p.meta.name.clone());
    Lang {
        code: l.resolved.lang.clone(),
        html_lang: super::css::html_lang(&meta.lang, meta.region.as_deref()),
        dir: if meta.rtl { "rtl" } else { "ltr" },
        name,
        title: plain_text(&meta.title),
        href: String::new(),
        current: false,
    }
}

/// The site as a page at `root` (`../` from a language's folder) named `file` sees it.
fn site(
    project: &Project,
    langs: &[Lang],
    l: &Language,
    downloads: &[Download],
    root: &str,
    file: &str,
    chapter: Option<&str>,
) -> Site {
    let code = &l.resolved.lang;
    let languages = langs
        .iter()
        .map(|other| Lang {
            href: format!("{root}{}/{file}", other.code),
            current: other.code == *code,
            ..other.clone()
        })
        .collect();
    let lang = langs.iter().find(|x| x.code == *code).cloned().unwrap_or_else(|| self::lang(project, l));
    let downloads = downloads
        .iter()
        .filter(|d| d.lang.as_ref().is_none_or(|dl| dl == code))
        .map(|d| DownloadLink {
            kind: d.kind,
            href: format!("{root}downloads/{}", d.name),
            name: d.name.clone(),
            bytes: d.bytes.len(),
        })
        .collect();
    let chapters: BTreeMap<String, &ChapterOut> =
        l.resolved.chapters.iter().map(|(_, c)| (format!("/chapters/{}.json", c.id), c)).collect();
    let contents = l
        .resolved
        .book
        .parts
        .iter()
        .map(|part| PartNav {
            id: part.id.clone(),
            title: part.title.clone(),
            matter: part.matter,
            chapters: part
                .chapters
                .iter()
                .filter_map(|p| chapters.get(p))
                .map(|c| ChapterNav {
                    id: c.id.clone(),
                    kind: c.kind,
                    goal: c.goal,
                    title: c.title.clone(),
                    href: format!("{}.html", c.id),
                    current: chapter == Some(c.id.as_str()),
                })
                .collect(),
        })
        .collect();
    Site { root: root.into(), lang, languages, downloads, contents }
}

/// The title of the part chapter `id` belongs to, when that part has a title.
fn part_title(l: &Language, id: &str) -> Option<Rich> {
    let path = format!("/chapters/{id}.json");
    l.resolved.book.parts.iter().find(|p| p.chapters.contains(&path)).and_then(|p| p.title.clone())
}

/// Heading levels as the PDF's templates choose them, below the chapter's title (level 1): a
/// section or heading is 2, a measure or sub-heading one below the heading before it.
fn levels(ch: &ChapterOut) -> Vec<Option<u8>> {
    let mut depth = 1;
    ch.blocks
        .iter()
        .map(|b| {
            let level = match b {
                BlockOut::Section { .. } | BlockOut::Heading { .. } => Some(2),
                BlockOut::Measure { .. } => Some((depth + 1).min(3)),
                BlockOut::Subheading { .. } => Some((depth + 1).min(4)),
                _ => None,
            };
            if let Some(l) = level {
                depth = l;
            }
            level
        })
        .collect()
}

/// Figure and table numbers by chapter and block, counted through the book as the PDF counts
/// them (figures and tables each from 1).
fn numbers(chapters: &[(String, ChapterOut)]) -> BTreeMap<String, Vec<Option<u32>>> {
    let (mut figures, mut tables) = (0, 0);
    chapters
        .iter()
        .map(|(_, ch)| {
            let numbers = ch
                .blocks
                .iter()
                .map(|b| match b {
                    BlockOut::Figure(_) => {
                        figures += 1;
                        Some(figures)
                    }
                    BlockOut::Table { .. } => {
                        tables += 1;
                        Some(tables)
                    }
                    _ => None,
                })
                .collect();
            (ch.id.clone(), numbers)
        })
        .collect()
}

/// A chapter's charts (its SVG with words, its id, and its values as a table) and photos (file and
/// size), by the path the book data names them with.
fn pictures(l: &Language, ch: &ChapterOut) -> (BTreeMap<String, Value>, BTreeMap<String, Value>) {
    let mut charts = BTreeMap::new();
    for (path, svg, id) in chart_svgs(l, ch) {
        let table = l.resolved.charts.iter().find(|c| format!("/{}", c.svg) == path).map(|c| table(&c.data));
        charts.insert(path, context! { svg => Value::from_safe_string(svg), id => id, table => val(&table) });
    }
    let mut images = BTreeMap::new();
    for b in &ch.blocks {
        let BlockOut::Figure(f) = b else { continue };
        let Some(path) = f.path.as_ref().filter(|_| f.kind == crate::resolve::book::FigureKind::Image) else {
            continue;
        };
        let Some((_, bytes)) = l.assets.iter().find(|(p, _)| format!("/{p}") == *path) else { continue };
        let name = path.trim_start_matches("/images/");
        let (width, height) = image::ImageReader::new(std::io::Cursor::new(bytes))
            .with_guessed_format()
            .ok()
            .and_then(|r| r.into_dimensions().ok())
            .unwrap_or((0, 0));
        let src = format!("../assets/images/{name}.{}", image_ext(bytes));
        images.insert(path.clone(), context! { src => src, width => width, height => height });
    }
    (charts, images)
}

/// Each chart of a chapter as inline SVG with its words, by its path in the book data.
fn chart_svgs(l: &Language, ch: &ChapterOut) -> Vec<(String, String, String)> {
    let mut wanted: Vec<(&str, &str, String, &str)> = Vec::new();
    for b in &ch.blocks {
        match b {
            BlockOut::Figure(f) => {
                if let (Some(path), Some(labels)) = (&f.path, &f.labels) {
                    wanted.push((path, labels, plain_text(&f.caption), &f.alt));
                }
            }
            BlockOut::Indicators { charts, .. } => {
                wanted.extend(
                    charts.iter().map(|c| (c.path.as_str(), c.labels.as_str(), plain_text(&c.title), c.alt.as_str())),
                );
            }
            _ => {}
        }
    }
    let asset = |path: &str| l.assets.iter().find(|(p, _)| format!("/{p}") == path).map(|(_, b)| b.as_slice());
    wanted
        .into_iter()
        .filter_map(|(path, labels, title, alt)| {
            let picture = std::str::from_utf8(asset(path)?).ok()?;
            let labels: crate::render::charts::Labels = serde_json::from_slice(asset(labels)?).ok()?;
            let id: String = path
                .trim_start_matches("/charts/")
                .trim_end_matches(".svg")
                .chars()
                .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
                .collect();
            let id = format!("chart-{id}");
            let chart = super::svg::Chart {
                picture,
                labels: &labels,
                id: &id,
                title: &title,
                alt,
                rtl: l.resolved.book.meta.rtl,
            };
            Some((path.to_string(), super::svg::inline(&chart), id))
        })
        .collect()
}

/// A chart's values as a table: one row per year of a single series (`by` = `date`), or per
/// indicator (`by` = `indicator`), with a column per year when several series have years.
#[derive(Serialize)]
struct Table {
    by: &'static str,
    /// The years (or dates) heading the value columns; empty: one column of values.
    columns: Vec<String>,
    rows: Vec<Row>,
    /// The values' unit, unless they print it themselves (a percentage).
    unit: String,
}

#[derive(Serialize)]
struct Row {
    head: String,
    cells: Vec<String>,
}

fn table(data: &ChartData) -> Table {
    let unit =
        data.series.first().map(|s| s.unit.clone()).filter(|u| !crate::numbers::is_percent(u)).unwrap_or_default();
    if let [s] = data.series.as_slice() {
        let rows = s.points.iter().map(|p| Row { head: p.label.clone(), cells: vec![p.text.clone()] }).collect();
        return Table { by: "date", columns: vec![], rows, unit };
    }
    if data.series.iter().all(|s| s.points.is_empty()) {
        let rows = data.axis_points().into_iter().map(|p| Row { head: p.label, cells: vec![p.text] }).collect();
        return Table { by: "indicator", columns: vec![], rows, unit };
    }
    let mut columns: Vec<String> = Vec::new();
    for p in data.series.iter().flat_map(|s| &s.points) {
        if !columns.contains(&p.label) {
            columns.push(p.label.clone());
        }
    }
    let rows = data
        .series
        .iter()
        .map(|s| Row {
            head: s.label.clone(),
            cells: columns
                .iter()
                .map(|c| s.points.iter().find(|p| p.label == *c).map(|p| p.text.clone()).unwrap_or_default())
                .collect(),
        })
        .collect();
    Table { by: "indicator", columns, rows, unit }
}

/// Data for a template.
fn val<T: Serialize>(x: &T) -> Value {
    Value::from(Serde(x))
}

/// The file extension of a prepared photo: JPEG, PNG, or SVG.
fn image_ext(bytes: &[u8]) -> &'static str {
    if bytes.starts_with(&[0xFF, 0xD8]) {
        "jpg"
    } else if bytes.starts_with(b"\x89PNG") {
        "png"
    } else if bytes.starts_with(b"RIFF") {
        "webp"
    } else {
        "svg"
    }
}
