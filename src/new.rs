//! `vlr new DIR`: a new city's report that builds at once — `report.toml`, an introduction, one
//! chapter per goal and the data appendix, a sample indicator per goal (pending), a complete
//! pack per language from the built-in starter packs and the UN's goal texts, and `figures/`
//! with a README. `vlr styles eject` copies the built-in templates for a designer.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use crate::builtin;
use crate::diag::{Code, Diagnostic};
use crate::files::Output;
use crate::project::Field;
use crate::project::translation::{FieldText, Shape, fingerprint};

/// What the new report is.
#[derive(Debug, Clone)]
pub struct NewReport {
    pub title: Option<String>,
    pub city: String,
    pub year: i32,
    pub goals: Vec<u8>,
    /// Language codes of built-in starter packs; the first is the source language.
    pub languages: Vec<String>,
    pub page_size: String,
    /// Also copy the built-in templates into `styles/`.
    pub styles: bool,
}

/// The languages `vlr new` has starter packs for.
pub fn languages() -> Vec<&'static str> {
    builtin::STARTER_PACKS.iter().map(|(code, _)| *code).collect()
}

/// A bad option of `vlr new`: a usage error (exit code 2).
fn usage(message: impl Into<String>) -> Diagnostic {
    Diagnostic::error(Code::Usage, message).hint("see vlr new --help")
}

/// The files of the new report, relative to its folder; or why the options cannot start one.
pub fn files(r: &NewReport) -> Result<Vec<(String, String)>, Diagnostic> {
    if r.goals.is_empty() || r.goals.iter().any(|g| !(1..=17).contains(g)) {
        return Err(usage("--goals takes goal numbers from 1 to 17, e.g. --goals 6,7,17"));
    }
    let mut goals = r.goals.clone();
    goals.sort();
    goals.dedup();
    let Some(source) = r.languages.first() else {
        return Err(usage("--lang needs at least one language, e.g. --lang en,fr"));
    };
    for code in &r.languages {
        if !builtin::STARTER_PACKS.iter().any(|(c, _)| c == code) {
            return Err(usage(format!(
                "there is no starter pack for `{code}`; --lang takes {}",
                languages().join(", ")
            )));
        }
    }
    if crate::project::PageSize::parse(&r.page_size).is_none() {
        return Err(usage(format!("--page-size takes {}", crate::project::PageSize::names())));
    }
    let id = format!("{}-vlr-{}", slug(&r.city), r.year);
    let starter = |code: &str| Starter::new(code, r);
    let src = starter(source);
    let mut out = Vec::new();

    // report.toml and the chapter manifests: structure only.
    let chapters: Vec<String> = goals.iter().map(|g| format!("\"sdg{g}\"")).collect();
    let langs: Vec<String> = r.languages.iter().map(|l| format!("\"{l}\"")).collect();
    out.push((
        "report.toml".into(),
        format!(
            "# The book: its identity and the order of its parts and chapters (structure only:\n# every word lives in the language packs under lang/).\nid = \"{id}\"\nyear = {year}\n# The document date of every PDF: builds never read the clock. Set it to the day of publication.\npublished = {year}-12-31\nlanguages = [{langs}]\ndefault_language = \"{source}\"\npage_size = \"{size}\"\n\n[[parts]]\nid = \"review\"\nmatter = \"main\"\nchapters = [\"introduction\"]\n\n[[parts]]\nid = \"goals\"\nmatter = \"main\"\nopener = true\nchapters = [{chapters}]\n\n[[parts]]\nid = \"back\"\nmatter = \"back\"\nchapters = [\"data-appendix\"]\n",
            year = r.year,
            langs = langs.join(", "),
            size = r.page_size,
            chapters = chapters.join(", "),
        ),
    ));
    out.push((
        "chapters/introduction.toml".into(),
        "kind = \"chapter\"\n\n[[blocks]]\ntype = \"text\"\nid = \"intro\"\n".into(),
    ));
    out.push((
        "chapters/data-appendix.toml".into(),
        "# Generated from the indicators the chapters before it show and cite.\nkind = \"appendix\"\n".into(),
    ));
    for g in &goals {
        out.push((
            format!("chapters/sdg{g}.toml"),
            format!(
                "kind = \"sdg\"\ngoal = {g}\n\n[[blocks]]\ntype = \"section\"\nname = \"key-indicators\"\n\n[[blocks]]\ntype = \"indicators\"\nid = \"ki\"\ntiles = [\n  {{ id = \"ki-sample\", data = \"sdg{g}.sample\" }},\n]\n\n[[blocks]]\ntype = \"section\"\nname = \"progress\"\n\n[[blocks]]\ntype = \"text\"\nid = \"progress\"\n\n[[blocks]]\ntype = \"section\"\nname = \"measures\"\n\n[[blocks]]\ntype = \"text\"\nid = \"measures\"\n"
            ),
        ));
        // A sample indicator per goal, pending: it prints as pending until the city gives it.
        out.push((
            format!("data/sdg{g}.toml"),
            format!(
                "# The indicators of SDG {g}: full magnitude, with unit, year or date, source and status.\n[sample]\ntitle = {title}\nunit = {unit}\nyear = {year}\nsource = {source}\nstatus = \"pending\"\n",
                title = q(&src.text("sample-indicator", Some(*g))),
                unit = q(&src.text("sample-unit", None)),
                year = r.year,
                source = q(&r.city),
            ),
        ));
    }

    // One complete pack per language; the others fall back to the first and are stamped as
    // translations of it.
    for code in &r.languages {
        let s = starter(code);
        let translated = code != source;
        let dir = format!("lang/{code}");
        let mut pack = s.pack.clone();
        if translated {
            pack.push_str(&format!(
                "\n# Texts missing here are printed in the source language.\nfallback = \"{source}\"\n"
            ));
            // TOML puts keys after a table into it: the fallback goes before [numbers].
            pack = move_before_tables(&pack);
        }
        out.push((format!("{dir}/pack.toml"), pack));
        let stamp = |stem: &str, key: &str, fields: &[(Field, Vec<String>)]| {
            translated.then(|| src.fingerprint(stem, key, fields))
        };
        // ui.toml: the starter's words, each stamped against the source's.
        let mut ui = String::from("# Interface words the templates print.\n");
        for (key, text) in &s.ui {
            let hash = translated.then(|| {
                fingerprint(&[FieldText { field: Field::Text, shape: Shape::One, strings: vec![src.ui[key].clone()] }])
            });
            entry(&mut ui, key, &[(Field::Text, vec![text.clone()])], hash.as_deref());
        }
        out.push((format!("{dir}/ui.toml"), ui));

        let mut report = String::new();
        let title = match (&r.title, translated) {
            (Some(t), false) => t.clone(),
            _ => s.text("report-title", None),
        };
        let fields = [(Field::Title, vec![title]), (Field::Subtitle, vec![s.text("report-subtitle", None)])];
        entry(
            &mut report,
            "report",
            &fields,
            stamp(
                "report",
                "report",
                &[(Field::Title, vec![src_title(r, &src)]), (Field::Subtitle, vec![src.text("report-subtitle", None)])],
            )
            .flatten()
            .as_deref(),
        );
        let authors = [(Field::Names, s.names("authors"))];
        entry(
            &mut report,
            "authors",
            &authors,
            stamp("report", "authors", &[(Field::Names, src.names("authors"))]).flatten().as_deref(),
        );
        let part = [(Field::Title, vec![s.text("part-goals", None)])];
        entry(
            &mut report,
            "part-goals",
            &part,
            stamp("report", "part-goals", &[(Field::Title, vec![src.text("part-goals", None)])]).flatten().as_deref(),
        );
        out.push((format!("{dir}/report.toml"), report));

        let mut intro = String::new();
        let f = |s: &Starter| [(Field::Title, vec![s.text("introduction-title", None)])];
        entry(&mut intro, "chapter", &f(&s), stamp("introduction", "chapter", &f(&src)).flatten().as_deref());
        let f = |s: &Starter| [(Field::Text, s.list("introduction-text"))];
        entry(&mut intro, "intro", &f(&s), stamp("introduction", "intro", &f(&src)).flatten().as_deref());
        out.push((format!("{dir}/introduction.toml"), intro));

        let mut appendix = String::new();
        let f = |s: &Starter| [(Field::Title, vec![s.text("appendix-title", None)])];
        entry(&mut appendix, "chapter", &f(&s), stamp("data-appendix", "chapter", &f(&src)).flatten().as_deref());
        out.push((format!("{dir}/data-appendix.toml"), appendix));

        for g in &goals {
            let stem = format!("sdg{g}");
            let mut ch = String::new();
            // The title is the UN's short name of the goal; its statement comes from the UN's
            // texts built into vlr (add `goal = "…"` here to write your own).
            let f = |s: &Starter| [(Field::Title, vec![s.goal_name(*g)])];
            entry(&mut ch, "chapter", &f(&s), stamp(&stem, "chapter", &f(&src)).flatten().as_deref());
            let f = |s: &Starter| [(Field::Title, vec![s.text("key-indicators-title", Some(*g))])];
            entry(&mut ch, "ki", &f(&s), stamp(&stem, "ki", &f(&src)).flatten().as_deref());
            for key in ["progress", "measures"] {
                let f = |s: &Starter| [(Field::Text, vec![s.text(&format!("{key}-text"), Some(*g))])];
                entry(&mut ch, key, &f(&s), stamp(&stem, key, &f(&src)).flatten().as_deref());
            }
            out.push((format!("{dir}/{stem}.toml"), ch));
            if translated {
                // The sample indicator's words in this language (the source's are in data/).
                let mut data = String::new();
                let fields = |s: &Starter| {
                    [
                        (Field::Title, vec![s.text("sample-indicator", Some(*g))]),
                        (Field::Unit, vec![s.text("sample-unit", None)]),
                        (Field::Source, vec![r.city.clone()]),
                    ]
                };
                let hash = fingerprint(&to_fields(&fields(&src)));
                entry(&mut data, "sample", &fields(&s), Some(&hash));
                out.push((format!("{dir}/data/{stem}.toml"), data));
            }
        }
    }
    out.push(("figures/README.md".into(), FIGURES_README.into()));
    if r.styles {
        out.extend(styles());
    }
    Ok(out)
}

/// The built-in templates and theme, for a project's `styles/`.
pub fn styles() -> Vec<(String, String)> {
    builtin::STYLES.iter().map(|(path, text)| (path.to_string(), text.to_string())).collect()
}

/// Writes the files into `dir`, which must be empty (or not exist) unless `force`.
pub fn write(
    dir: &Path,
    files: Vec<(String, String)>,
    force: bool,
) -> Result<Vec<std::path::PathBuf>, Vec<Diagnostic>> {
    let occupied = std::fs::read_dir(dir).map(|mut d| d.next().is_some()).unwrap_or(false);
    if occupied && !force {
        let message = format!("{} is not empty", dir.display());
        return Err(vec![
            Diagnostic::error(Code::Usage, message).hint("choose a new folder, or pass --force to write into it"),
        ]);
    }
    let outputs: Vec<Output> =
        files.into_iter().map(|(rel, text)| Output { path: dir.join(rel), bytes: text.into_bytes() }).collect();
    crate::files::write_all(&outputs)
}

fn src_title(r: &NewReport, src: &Starter) -> String {
    r.title.clone().unwrap_or_else(|| src.text("report-title", None))
}

const FIGURES_README: &str = "# Figures

Photos and graphics of the report. A figure block names its file in its chapter manifest:

```toml
[[blocks]]
type = \"figure\"
id = \"fig-river\"
image = \"figures/fig-river.jpg\"
```

- One file per figure, named after the figure's id.
- JPEG, PNG, WebP, TIFF (CMYK or 16-bit are fine) or SVG.
- For print, a photo needs about 300 pixels per inch at its printed width: 2000 pixels
  across for a figure the full text width of an A4 page. Under 200 ppi vlr warns.
- vlr prepares every photo for print itself (sRGB, downsampled, no metadata), so give it the
  best original you have.
- A figure without `image` prints as a frame with its caption, and every build lists these
  placeholders; `vlr release` refuses them unless `--allow placeholders`.
";

/// A starter pack: its files, with the report's city and year filled in.
struct Starter {
    pack: String,
    ui: BTreeMap<String, String>,
    starter: toml::Table,
    lang: String,
    city: String,
    year: i32,
}

impl Starter {
    fn new(code: &str, r: &NewReport) -> Self {
        let [pack, ui, starter] = builtin::STARTER_PACKS.iter().find(|(c, _)| *c == code).expect("checked").1;
        let ui: toml::Table = toml::from_str(ui).expect("the built-in starter packs parse (tested)");
        let ui = ui.into_iter().map(|(k, v)| (k, v["text"].as_str().unwrap_or_default().to_string())).collect();
        let starter: toml::Table = toml::from_str(starter).expect("the built-in starter packs parse (tested)");
        let pack_table: toml::Table = toml::from_str(pack).expect("the built-in starter packs parse (tested)");
        let lang = pack_table["lang"].as_str().unwrap_or(code).to_string();
        Self { pack: pack.to_string(), ui, starter, lang, city: r.city.clone(), year: r.year }
    }

    /// Fills in the placeholders. The city is escaped for inline syntax (`{` → `{{`).
    fn fill(&self, s: &str, goal: Option<u8>) -> String {
        let city = self.city.replace('{', "{{").replace('}', "}}");
        let s = s.replace("{city}", &city).replace("{year}", &self.year.to_string());
        match goal {
            Some(g) => s.replace("{n}", &g.to_string()),
            None => s,
        }
    }

    fn text(&self, key: &str, goal: Option<u8>) -> String {
        self.fill(self.starter[key]["text"].as_str().unwrap_or_default(), goal)
    }

    fn list(&self, key: &str) -> Vec<String> {
        let v = &self.starter[key]["text"];
        match v.as_array() {
            Some(items) => items.iter().filter_map(|i| i.as_str()).map(|s| self.fill(s, None)).collect(),
            None => vec![self.fill(v.as_str().unwrap_or_default(), None)],
        }
    }

    fn names(&self, key: &str) -> Vec<String> {
        let items = self.starter[key]["names"].as_array().cloned().unwrap_or_default();
        items.iter().filter_map(|i| i.as_str()).map(|s| self.fill(s, None)).collect()
    }

    /// The UN's short name of a goal in this language.
    fn goal_name(&self, g: u8) -> String {
        builtin::reference(&self.lang).and_then(|r| r.goals.get(&g)).map(|goal| goal.short.clone()).unwrap_or_default()
    }

    /// The fingerprint of this (source) entry, as a translation records it.
    fn fingerprint(&self, _stem: &str, _key: &str, fields: &[(Field, Vec<String>)]) -> Option<String> {
        Some(fingerprint(&to_fields(fields)))
    }
}

fn to_fields(fields: &[(Field, Vec<String>)]) -> Vec<FieldText> {
    fields
        .iter()
        .map(|(f, strings)| {
            let shape =
                if *f == Field::Names || (*f == Field::Text && strings.len() > 1) { Shape::List } else { Shape::One };
            FieldText { field: *f, shape, strings: strings.clone() }
        })
        .collect()
}

/// One pack entry in the canonical layout.
fn entry(out: &mut String, key: &str, fields: &[(Field, Vec<String>)], hash: Option<&str>) {
    if !out.is_empty() && !out.ends_with("\n\n") {
        out.push('\n');
    }
    let _ = writeln!(out, "[{key}]");
    for (field, strings) in fields {
        let name = field.name();
        if *field == Field::Names || (*field == Field::Text && strings.len() > 1) {
            let _ = writeln!(out, "{name} = [");
            for s in strings {
                let _ = writeln!(out, "  {},", q(s));
            }
            out.push_str("]\n");
        } else {
            let _ = writeln!(out, "{name} = {}", q(&strings[0]));
        }
    }
    if let Some(h) = hash {
        let _ = writeln!(out, "source_hash = {}", q(h));
    }
}

/// A TOML string.
fn q(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// `fallback = …` appended to a pack.toml, moved before its first table.
fn move_before_tables(pack: &str) -> String {
    let Some(fallback_at) = pack.rfind("\n# Texts missing here") else { return pack.to_string() };
    let (body, fallback) = pack.split_at(fallback_at);
    match body.find("\n[") {
        Some(table) => format!("{}{}\n{}", &body[..table], fallback.trim_end(), &body[table..]),
        None => pack.to_string(),
    }
}

/// A file-name-safe id from a city's name (`São Paulo` → `sao-paulo`).
fn slug(city: &str) -> String {
    let mut out = String::new();
    for c in city.chars().flat_map(char::to_lowercase) {
        let c = match c {
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => 'a',
            'ç' => 'c',
            'è' | 'é' | 'ê' | 'ë' => 'e',
            'ì' | 'í' | 'î' | 'ï' => 'i',
            'ñ' => 'n',
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' => 'o',
            'ù' | 'ú' | 'û' | 'ü' => 'u',
            c => c,
        };
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-').to_string();
    if out.is_empty() { "city".into() } else { out }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert_eq!(slug("São Paulo"), "sao-paulo");
        assert_eq!(slug("Riverton"), "riverton");
        assert_eq!(slug("上海"), "city");
    }

    #[test]
    fn every_starter_pack_parses_and_has_the_same_keys() {
        let r = NewReport {
            title: None,
            city: "X".into(),
            year: 2026,
            goals: vec![1],
            languages: vec!["en".into()],
            page_size: "a4".into(),
            styles: false,
        };
        let en = Starter::new("en", &r);
        for code in languages() {
            let s = Starter::new(code, &r);
            assert_eq!(s.ui.keys().collect::<Vec<_>>(), en.ui.keys().collect::<Vec<_>>(), "{code}");
            assert_eq!(s.starter.keys().collect::<Vec<_>>(), en.starter.keys().collect::<Vec<_>>(), "{code}");
            assert!(!s.goal_name(17).is_empty(), "{code}");
        }
    }
}
