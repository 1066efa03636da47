//! `vlr release`: every language's PDF, checksums and a build manifest, for publishing.
//!
//! A release refuses what a reader should not get by accident — placeholder figures, pending
//! values, missing or stale translations — unless each kind is explicitly allowed, and lists
//! every offender.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::diag::Diagnostic;
use crate::{Ctx, Options, session::Session};

/// What a release may contain when allowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Allow {
    Placeholders,
    Pending,
    Untranslated,
}

impl std::str::FromStr for Allow {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "placeholders" => Ok(Allow::Placeholders),
            "pending" => Ok(Allow::Pending),
            "untranslated" => Ok(Allow::Untranslated),
            _ => Err(format!("unknown allowance `{s}` (use placeholders, pending, untranslated)")),
        }
    }
}

#[derive(Serialize)]
struct Manifest {
    tool: String,
    report: String,
    inputs: BTreeMap<String, String>,
    fonts: Vec<FontUse>,
    pdfs: Vec<PdfEntry>,
    warnings: Vec<String>,
    allowed: Vec<String>,
}

#[derive(Serialize, PartialEq, Eq, PartialOrd, Ord)]
struct FontUse {
    family: String,
    file: String,
    sha256: String,
}

#[derive(Serialize)]
struct PdfEntry {
    file: String,
    lang: String,
    pages: usize,
    bytes: usize,
    sha256: String,
}

fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// The sources a release is made from, with their hashes (sorted, project-relative).
fn inputs(root: &Path) -> BTreeMap<String, String> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, String>) {
        let Ok(rd) = std::fs::read_dir(dir) else { return };
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(root, &p, out);
            } else if let (Ok(bytes), Ok(rel)) = (std::fs::read(&p), p.strip_prefix(root)) {
                out.insert(rel.display().to_string(), sha256(&bytes));
            }
        }
    }
    let mut out = BTreeMap::new();
    if let Ok(b) = std::fs::read(root.join("report.toml")) {
        out.insert("report.toml".into(), sha256(&b));
    }
    for d in ["chapters", "data", "lang", "styles", "figures"] {
        walk(root, &root.join(d), &mut out);
    }
    out
}

/// Builds every language into `out`, gated by `allow`. Returns the run's context (with every
/// offender as an error) and the files written.
pub fn release(opts: &Options, out: &Path, allow: &[Allow]) -> (Ctx, Vec<PathBuf>) {
    let mut opts = opts.clone();
    opts.all_langs = true;
    opts.outputs = vec![crate::Output::Screen, crate::Output::Print];
    opts.out_dir = Some(out.to_path_buf());
    let mut session = Session::new(opts.clone());
    let (mut ctx, typeset) = session.typeset();
    if ctx.diags.has_errors() {
        return (ctx, Vec::new());
    }

    // The gate: everything a reader should not get by accident, each offender listed.
    if !allow.contains(&Allow::Placeholders) {
        for t in &typeset {
            for p in &t.assembled.placeholders {
                ctx.push(
                    Diagnostic::error(
                        "release-placeholder",
                        format!(
                            "{} edition: figure `{}` of chapter `{}` is a placeholder ({})",
                            t.lang, p.figure, p.chapter, p.caption
                        ),
                    )
                    .in_file(format!("chapters/{}.toml", p.chapter))
                    .hint("add the image, or release with --allow placeholders"),
                );
            }
        }
    }
    // The gate's data and packs come from the session's caches: nothing is read twice.
    let loaded = session.load_language(&typeset.first().map_or(String::new(), |t| t.lang.clone()));
    if let Some(l) = &loaded {
        if !allow.contains(&Allow::Pending) {
            for ind in l.data.indicators.values().filter(|i| i.status == crate::data::Status::Pending) {
                ctx.push(
                    ind.loc
                        .error("release-pending", format!("`{}` is pending: the PDF prints it as pending", ind.id))
                        .hint("add the value, or release with --allow pending"),
                );
            }
        }
        if !allow.contains(&Allow::Untranslated) {
            for code in l.report.languages.iter().filter(|c| **c != l.report.default_language) {
                let Some(lang) = session.load_language(code) else { continue };
                let stems = crate::i18n::stems(&lang.report, &lang.data);
                for f in crate::translate::status(&lang.lang, &lang.data, &stems) {
                    for (what, ids) in [("missing", &f.missing), ("stale", &f.stale)] {
                        for id in ids {
                            ctx.push(
                                Diagnostic::error("release-untranslated", format!("{code}: {}/{id} is {what}", f.stem))
                                    .in_file(format!("lang/{code}/{}.toml", f.stem))
                                    .hint("translate it (vlr i18n status), or release with --allow untranslated"),
                            );
                        }
                    }
                }
            }
        }
    }
    if ctx.diags.has_errors() {
        return (ctx, Vec::new());
    }

    // The artifacts.
    let mut written = Vec::new();
    let mut pdfs = Vec::new();
    let mut fonts = std::collections::BTreeSet::new();
    let mut sums = String::new();
    if let Err(e) = std::fs::create_dir_all(out) {
        ctx.push(Diagnostic::error("write", format!("cannot create {}: {e}", out.display())));
        return (ctx, written);
    }
    let exported = crate::session::export_editions(&typeset, None);
    for (t, result) in typeset.iter().zip(exported) {
        let bytes = match result {
            Ok(done) => done.bytes,
            Err(d) => {
                ctx.push(d);
                continue;
            }
        };
        let name = format!("{}.pdf", t.ident);
        let path = out.join(&name);
        if let Err(e) = crate::export::write_atomic(&path, &bytes) {
            ctx.push(Diagnostic::error("write", format!("cannot write {}: {e}", path.display())));
            continue;
        }
        let hash = sha256(&bytes);
        sums.push_str(&format!("{hash}  {name}\n"));
        pdfs.push(PdfEntry {
            file: name,
            lang: t.lang.clone(),
            pages: t.document.pages().len(),
            bytes: bytes.len(),
            sha256: hash,
        });
        for (file, font) in crate::emit::used_fonts(&t.document) {
            fonts.insert(FontUse { family: font.info().family.clone(), file, sha256: sha256(font.data()) });
        }
        written.push(path);
    }
    let manifest = Manifest {
        tool: crate::export::CREATOR.to_string(),
        report: loaded.as_ref().map(|l| l.report.id.clone()).unwrap_or_default(),
        inputs: inputs(&opts.root),
        fonts: fonts.into_iter().collect(),
        pdfs,
        warnings: crate::diag::render_short(&ctx.diags, &ctx.sources).lines().map(str::to_string).collect(),
        allowed: allow.iter().map(|a| format!("{a:?}").to_lowercase()).collect(),
    };
    for (name, body) in [
        ("SHA256SUMS", sums),
        ("build-manifest.json", serde_json::to_string_pretty(&manifest).expect("manifest serializes") + "\n"),
    ] {
        let path = out.join(name);
        match crate::export::write_atomic(&path, body.as_bytes()) {
            Ok(()) => written.push(path),
            Err(e) => ctx.push(Diagnostic::error("write", format!("cannot write {}: {e}", path.display()))),
        }
    }
    (ctx, written)
}
