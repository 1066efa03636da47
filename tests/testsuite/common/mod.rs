//! The test builder: a project copied into a scratch folder, set up and built in one chain.
//!
//! ```ignore
//! let p = Project::minimal().lang("xx");
//! p.edit("lang/xx/intro.toml", "Eröffnung", "Anfang");
//! let built = p.build().ok();
//! assert!(built.text(0).contains("Anfang"));
//! ```
//!
//! Fixture projects live in `tests/fixtures/`: `minimal` (a small valid report), one folder per
//! error case under `errors/` laid over it, and other complete projects. Projects are copied
//! into fresh folders, so tests never write into the repository and run in parallel.

#![allow(dead_code, reason = "each test binary uses a different subset")]

pub mod frames;
pub mod pdf;
pub mod world;
pub mod xlsx;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

use vlr::Edition;
use vlr::Languages;

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn fixtures() -> PathBuf {
    repo().join("tests/fixtures")
}

/// A scratch folder unique to this process and call. Folders of earlier runs older than an
/// hour are removed on the first call, so repeated local runs do not fill the disk.
pub fn scratch(name: &str) -> PathBuf {
    static N: AtomicUsize = AtomicUsize::new(0);
    static SWEEP: std::sync::Once = std::sync::Once::new();
    SWEEP.call_once(|| {
        let own = format!("vlr-test-{}-", std::process::id());
        for e in std::fs::read_dir(std::env::temp_dir()).into_iter().flatten().flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            let old = e
                .metadata()
                .and_then(|m| m.modified())
                .ok()
                .and_then(|t| t.elapsed().ok())
                .is_some_and(|age| age.as_secs() > 3600);
            if name.starts_with("vlr-test-") && !name.starts_with(&own) && old {
                let _ = std::fs::remove_dir_all(e.path());
            }
        }
    });
    let dir = std::env::temp_dir().join(format!(
        "vlr-test-{}-{}-{name}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Copies a folder, skipping `skip` names at its top level.
pub fn copy_dir(from: &Path, to: &Path, skip: &[&str]) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name();
        if skip.iter().any(|s| name == *s) {
            continue;
        }
        let target = to.join(&name);
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target, &[]);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A project in a scratch folder, and the options to build it with.
pub struct Project {
    pub root: PathBuf,
    pub opts: vlr::Options,
}

impl Project {
    pub fn at(root: PathBuf) -> Self {
        // Hermetic: bundled fonts only, PDFs into the scratch folder.
        let mut opts = vlr::Options::new(&root);
        opts.system_fonts = false;
        opts.out_dir = Some(root.join("out"));
        Self { root, opts }
    }

    /// The minimal fixture, with the repository's templates.
    pub fn minimal() -> Self {
        let root = scratch("minimal");
        copy_dir(&fixtures().join("minimal"), &root, &[]);
        copy_dir(&repo().join("styles"), &root.join("styles"), &[]);
        Self::at(root)
    }

    /// An error case (`tests/fixtures/errors/<case>`) laid over the minimal fixture.
    pub fn error_case(case: &str) -> Self {
        let p = Self::minimal();
        let case_dir = fixtures().join("errors").join(case);
        copy_dir(&case_dir, &p.root, &["expected.txt"]);
        p
    }

    /// A fixture project exactly as it is in `tests/fixtures/<name>`.
    pub fn fixture(name: &str) -> Self {
        let root = scratch(name);
        copy_dir(&fixtures().join(name), &root, &[]);
        Self::at(root)
    }

    /// A copy of the repository's own book (not its build outputs), with the system's fonts
    /// (the Chinese edition needs Noto Sans CJK).
    pub fn book() -> Self {
        let root = scratch("book");
        for entry in ["report.toml", "chapters", "data", "lang", "styles", "figures"] {
            let from = repo().join(entry);
            if from.is_dir() {
                copy_dir(&from, &root.join(entry), &[]);
            } else if from.is_file() {
                std::fs::copy(&from, root.join(entry)).unwrap();
            }
        }
        let mut p = Self::at(root);
        p.opts.system_fonts = true;
        p
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path(rel)).unwrap_or_else(|e| panic!("cannot read {rel}: {e}"))
    }

    /// Replaces `from` with `to` in a file; `from` must occur, so a test never edits nothing.
    pub fn edit(&self, rel: &str, from: &str, to: &str) -> &Self {
        let text = self.read(rel);
        assert!(text.contains(from), "{rel} has no {from:?}");
        self.write(rel, &text.replacen(from, to, 1))
    }

    pub fn write(&self, rel: &str, text: &str) -> &Self {
        self.write_bytes(rel, text.as_bytes())
    }

    pub fn write_bytes(&self, rel: &str, bytes: &[u8]) -> &Self {
        let path = self.path(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
        self
    }

    pub fn remove(&self, rel: &str) -> &Self {
        let path = self.path(rel);
        if path.is_dir() {
            std::fs::remove_dir_all(path).unwrap()
        } else {
            std::fs::remove_file(path).unwrap()
        }
        self
    }

    /// Builds this language (repeatable).
    pub fn lang(mut self, code: &str) -> Self {
        let mut codes = match self.opts.languages {
            Languages::Some(c) => c,
            _ => Vec::new(),
        };
        codes.push(code.into());
        self.opts.languages = Languages::Some(codes);
        self
    }

    pub fn all_langs(mut self) -> Self {
        self.opts.languages = Languages::All;
        self
    }

    pub fn editions(mut self, editions: &[Edition]) -> Self {
        self.opts.editions = editions.to_vec();
        self
    }

    pub fn chapter(mut self, id: &str) -> Self {
        self.opts.chapter = Some(id.into());
        self
    }

    pub fn with(mut self, f: impl FnOnce(&mut vlr::Options)) -> Self {
        f(&mut self.opts);
        self
    }

    pub fn build(&self) -> Built {
        Built(vlr::build(&self.opts))
    }

    pub fn check(&self) -> Built {
        Built(vlr::check(&self.opts))
    }

    /// A session to rebuild with (as `vlr watch` does).
    pub fn session(&self) -> vlr::Session {
        self.opts.session()
    }

    pub fn rebuild(&self, session: &mut vlr::Session) -> Built {
        Built(vlr::run(session, &self.opts, vlr::Until::Write).0)
    }

    /// Runs the `vlr` binary with `args` and `--root` (for commands that take it last).
    pub fn vlr(&self, args: &[&str]) -> Run {
        let mut cmd = vlr_command();
        cmd.args(args).arg("--root").arg(&self.root);
        Run::of(&mut cmd)
    }
}

pub fn vlr_command() -> Command {
    Command::new(env!("CARGO_BIN_EXE_vlr"))
}

/// What the binary did.
pub struct Run {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn of(cmd: &mut Command) -> Self {
        let out = cmd.output().unwrap();
        Self {
            code: out.status.code(),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    /// Asserts the exit code, showing stderr when it differs.
    pub fn exits(&self, code: i32) -> &Self {
        assert_eq!(self.code, Some(code), "stderr:\n{}\nstdout:\n{}", self.stderr, self.stdout);
        self
    }
}

/// A run's outcome, with the questions tests ask of it.
pub struct Built(pub vlr::Outcome);

impl Built {
    /// Asserts success (no errors).
    pub fn ok(self) -> Self {
        assert!(self.0.ok(), "the run failed:\n{}", self.short());
        self
    }

    /// Asserts failure.
    pub fn failed(self) -> Self {
        assert!(!self.0.ok(), "the run succeeded, but errors were expected:\n{}", self.short());
        self
    }

    pub fn short(&self) -> String {
        self.0.diags.short()
    }

    pub fn pdf(&self, i: usize) -> &Path {
        self.0.pdfs[i].path.as_deref().expect("a written PDF")
    }

    pub fn text(&self, i: usize) -> String {
        pdf_text(self.pdf(i))
    }

    pub fn warnings(&self) -> Vec<&vlr::Diagnostic> {
        self.0.diags.iter().filter(|d| !d.is_error()).collect()
    }
}

/// Every file under `dir` with its bytes, sorted by path (to compare a folder before and after).
pub fn tree(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(tree(&p));
        } else {
            out.push((p.clone(), std::fs::read(&p).unwrap()));
        }
    }
    out.sort();
    out
}

/// The text of a PDF, with whitespace runs collapsed to single spaces.
pub fn pdf_text(path: &Path) -> String {
    pdf::text(path).split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whether the system has a font family (Typst's lowercase name, e.g. "noto sans cjk sc").
pub fn has_font(family: &str) -> bool {
    vlr::has_font_family(family)
}

/// Skips a test that needs a system font when it is missing — loudly, and never in CI
/// (`.ci/run` installs the fonts and sets VLR_REQUIRE_FONTS=1, so a missing font fails there).
pub fn require_font(test: &str, family: &str, package: &str) -> bool {
    if has_font(family) {
        return true;
    }
    assert!(
        std::env::var_os("VLR_REQUIRE_FONTS").is_none(),
        "{test}: the font {family:?} is required here (VLR_REQUIRE_FONTS is set): apt-get install {package}"
    );
    eprintln!("SKIPPED {test}: the font {family:?} is not installed (apt-get install {package})");
    false
}

/// The Chinese editions' face.
pub fn require_cjk(test: &str) -> bool {
    require_font(test, "noto sans cjk sc", "fonts-noto-cjk")
}

/// The Arabic editions' face.
pub fn require_arabic(test: &str) -> bool {
    require_font(test, "noto sans arabic", "fonts-noto-core")
}

/// A page rendered to pixels at `scale` pixels per point (for comparing layouts).
pub fn render(page: &typst_layout::Page, scale: f64) -> Vec<u8> {
    let opts = typst_render::RenderOptions { pixel_per_pt: typst::utils::Scalar::new(scale), render_bleed: false };
    typst_render::render(page, &opts).data().to_vec()
}

/// Whether two pages look the same: rendered at 0.5 px/pt, no channel of any pixel differs by
/// more than a few steps (floating-point positions may move anti-aliasing by a hair; anything
/// laid out differently moves whole glyphs).
pub fn same_look(a: &typst_layout::Page, b: &typst_layout::Page) -> bool {
    let (a, b) = (render(a, 0.5), render(b, 0.5));
    a.len() == b.len() && a.iter().zip(&b).all(|(x, y)| x.abs_diff(*y) <= 8)
}

/// Every text run the pages draw at `size` (pt), in drawing order, without the marks that only
/// steer direction.
fn text_at(frame: &typst::layout::Frame, size: f64, out: &mut String) {
    for (_, item) in frame.items() {
        match item {
            typst::layout::FrameItem::Group(g) => text_at(&g.frame, size, out),
            typst::layout::FrameItem::Text(t) if (t.size.to_pt() - size).abs() < 0.01 => {
                out.extend(t.text.chars().filter(|c| !vlr::is_invisible(*c)))
            }
            _ => {}
        }
    }
}

/// The words of an edition's chart labels (`charts/*.json`), and those of them that are not
/// set whole as text at the chart size, 8 pt (a number's sign may be a run of its own).
pub fn chart_words(t: &vlr::Typeset) -> (usize, Vec<String>) {
    let mut drawn = String::new();
    for page in t.document.as_ref().unwrap().pages() {
        text_at(&page.frame, 8.0, &mut drawn);
    }
    let visible = |s: &str| s.chars().filter(|c| !vlr::is_invisible(*c)).collect::<String>();
    let (mut words, mut unset) = (0, Vec::new());
    for (path, bytes) in t.files.iter().filter(|(p, _)| p.starts_with("charts/") && p.ends_with(".json")) {
        let labels: serde_json::Value = serde_json::from_slice(bytes).unwrap();
        for line in labels["labels"].as_array().unwrap().iter().flat_map(|l| l["lines"].as_array().unwrap()) {
            for word in line.as_str().unwrap().split_whitespace().map(visible) {
                words += 1;
                if !drawn.contains(&word) {
                    unset.push(format!("{path}: {word:?} of {line} is not set whole at 8 pt"));
                }
            }
        }
    }
    (words, unset)
}
