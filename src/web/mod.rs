//! The web edition: the book as a static, accessible website, from the same book data as the
//! PDFs (the screen edition's `book.json` and chapters, with its RGB colours) and the charts and
//! photos the render stage made — never typeset again.
//!
//! The site is laid out by templates a designer edits, like the PDF's: `styles/web/*.html`
//! (Jinja syntax, through minijinja, every text escaped as HTML) and `styles/web/site.css`,
//! built in and overridden file by file by a project's own ([`templates`]). The theme becomes
//! CSS custom properties ([`css`]), the fonts the PDF uses are copied beside the pages
//! ([`fonts`]), and each chart is inlined as SVG with its words placed as the PDF places them
//! ([`svg`]).
//!
//! What [`site`] returns is written by the run with the PDFs, all or nothing, under
//! `<out>/web/`: `index.html` (the languages), `<lang>/index.html` (cover and contents),
//! `<lang>/<chapter>.html`, `downloads/` (the PDFs and open data this run made) and `assets/`.

pub mod css;
pub mod fonts;
pub mod pages;
pub mod subset;
pub mod svg;
pub mod templates;

use std::collections::BTreeMap;

use serde::Serialize;

use crate::ctx::Ctx;
use crate::edition::{Edition, Target};
use crate::project::Project;
use crate::resolve::Resolved;

/// The folder of the web templates, in a project and built in.
pub const TEMPLATES: &str = crate::project::WEB_TEMPLATES;
/// The site's folder under the output folder.
pub const DIR: &str = "web";

/// One language of the site: its book resolved (with the screen edition's data) and the
/// assets the render stage made for it (`charts/*.svg`, `charts/*.json`, `images/*`).
pub struct Language {
    pub resolved: Resolved,
    pub assets: Vec<(String, Vec<u8>)>,
}

/// A file this run made that the site offers for download, copied into `downloads/` so the
/// site is whole wherever it is published.
#[derive(Debug, Clone)]
pub struct Download {
    pub kind: DownloadKind,
    /// The language of a PDF; none for the open data, which speaks every language.
    pub lang: Option<String>,
    /// Its file name.
    pub name: String,
    pub bytes: Vec<u8>,
}

/// What a download is: the templates label each kind with a word of the pack.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DownloadKind {
    /// The screen edition (tagged PDF/A and PDF/UA).
    Pdf,
    /// The print edition (PDF/X-4).
    PrintPdf,
    /// The open data as CSV, as JSON, and its Data Package description.
    DataCsv,
    DataJson,
    DataPackage,
}

impl Download {
    /// The PDF of `target`, written as `name`.
    pub fn pdf(target: &Target, name: String, bytes: Vec<u8>) -> Option<Self> {
        let kind = match target.edition {
            Edition::Screen => DownloadKind::Pdf,
            Edition::Print => DownloadKind::PrintPdf,
            Edition::Web => return None,
        };
        Some(Self { kind, lang: Some(target.lang.clone()), name, bytes })
    }

    /// One of the open data files (`export::data::files`), if the site offers it: the tables
    /// and their description (the Open SDG files are for that platform, not for readers).
    pub fn data(name: &str, bytes: &[u8]) -> Option<Self> {
        let kind = match name {
            "datapackage.json" => DownloadKind::DataPackage,
            n if n.ends_with("-data.csv") => DownloadKind::DataCsv,
            n if n.ends_with("-data.json") => DownloadKind::DataJson,
            _ => return None,
        };
        Some(Self { kind, lang: None, name: name.to_string(), bytes: bytes.to_vec() })
    }
}

/// The characters each family of the site sets: those of the pages of every language that
/// names it (the theme's face, every language), and of the top page (every language's name),
/// with the characters HTML writes as entities.
fn printed(
    project: &Project,
    languages: &[Language],
    pages: &BTreeMap<String, Vec<u8>>,
) -> BTreeMap<String, std::collections::BTreeSet<char>> {
    let mut out = BTreeMap::new();
    for family in fonts::families(project, languages) {
        let uses = |code: &str| {
            family == project.theme.font
                || languages.iter().any(|l| l.resolved.lang == code && l.resolved.book.meta.fonts.contains(&family))
        };
        let mut chars: std::collections::BTreeSet<char> = "&<>\"'".chars().collect();
        for (path, html) in pages {
            let lang = path.split_once('/').map_or("", |(l, _)| l);
            if lang.is_empty() || uses(lang) {
                chars.extend(String::from_utf8_lossy(html).chars());
            }
        }
        out.insert(family, chars);
    }
    out
}

/// What a site holds: for the summary line.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    /// Where it was written (`<out>/web`); none when it was only checked (`vlr check`,
    /// `vlr preflight`) or the run wrote nothing.
    pub dir: Option<std::path::PathBuf>,
    /// HTML pages.
    pub pages: usize,
    /// Files of every kind.
    pub files: usize,
    pub bytes: usize,
}

/// The whole site: every file by its path under `web/`, or none when a template fails (the
/// errors are in `ctx.diags`, at the template's line). `fonts` are the build's fonts, from
/// which the faces the PDF uses are copied.
pub fn site(
    ctx: &mut Ctx,
    project: &Project,
    languages: &[Language],
    downloads: &[Download],
    fonts: &typst_kit::fonts::FontStore,
) -> Option<(BTreeMap<String, Vec<u8>>, Summary)> {
    let env = templates::environment(ctx)?;
    let mut files: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    let mut failed = false;
    for (path, html) in pages::render(&env, project, languages, downloads) {
        match html {
            Ok(html) => {
                files.insert(path, html.into_bytes());
            }
            Err(e) => {
                ctx.diags.push(env.diagnostic(&e, &path));
                failed = true;
            }
        }
    }
    let chars = printed(project, languages, &files);
    let copied = fonts::copy(&mut ctx.diags, project, languages, fonts, &chars);
    files.insert("assets/theme.css".into(), css::theme(project, languages, &copied.faces).into_bytes());
    files.extend(copied.files);
    files.insert("assets/site.css".into(), env.css.clone().into_bytes());
    for d in downloads {
        files.insert(format!("downloads/{}", d.name), d.bytes.clone());
    }
    for lang in languages {
        files.extend(pages::assets(lang));
    }
    if failed {
        return None;
    }
    let summary = Summary {
        dir: Default::default(),
        pages: files.keys().filter(|p| p.ends_with(".html")).count(),
        files: files.len(),
        bytes: files.values().map(Vec::len).sum(),
    };
    Some((files, summary))
}
