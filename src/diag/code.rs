//! Every diagnostic code vlr prints, each with its stable kebab-case name and a one-line meaning.
//! The list is defined once, below; README.md's table of codes is checked against it both ways.

use std::fmt;
use std::str::FromStr;

use serde::{Serialize, Serializer};

/// Defines [`Code`] from `Variant = "name": "meaning"` lines: the enum, [`Code::ALL`] in the
/// order given, [`Code::name`] and [`Code::meaning`].
macro_rules! codes {
    ($($variant:ident = $name:literal: $meaning:literal,)*) => {
        /// What kind of problem a diagnostic reports: a stable name for tools, tests and
        /// `vlr release --allow`.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code {
            $($variant,)*
        }

        impl Code {
            /// Every code, in the order of the README's table (by name).
            pub const ALL: &[Code] = &[$(Code::$variant,)*];

            /// The stable kebab-case name: `error[name]` in the output, `"code"` in JSON.
            pub const fn name(self) -> &'static str {
                match self {
                    $(Code::$variant => $name,)*
                }
            }

            /// What the problem is, in one line (the README's table).
            pub const fn meaning(self) -> &'static str {
                match self {
                    $(Code::$variant => $meaning,)*
                }
            }
        }
    };
}

codes! {
    BadImage = "bad-image": "an image cannot be read: not a PNG, JPEG, WebP, TIFF or SVG file, or a damaged one",
    BuiltinWord = "builtin-word": "a pack lacks interface words this version of vlr prints (the templates gained them after the project was made): the edition uses vlr's own words in the pack's language, listed in one note per pack and by `vlr i18n status`",
    Chart = "chart": "a chart cannot be drawn from its data",
    ChartLabel = "chart-label": "a chart label cannot fit its place: a word wider than its slot that the language cannot hyphenate, or a label longer than three lines (cut with an ellipsis); names the edition, the chart and the label, at the chart in its chapter manifest",
    ChartWords = "chart-words": "the templates print a chart's picture without its words (a design made before the words moved out of the SVG): print charts with `chart(path, labels, alt)`",
    Csv = "csv": "a row of a CSV value table cannot be read (a cell holding a comma or a quote must be quoted)",
    DoubledUnit = "doubled-unit": "a unit sign typed right after a data reference that already prints it (`{group.key}%`)",
    Duplicate = "duplicate": "something given twice: a group's value table as CSV and workbook, an indicator's values or qualifier in the TOML and a table, a column or row of a table, an SDG code",
    DuplicateId = "duplicate-id": "an id used twice: a block's id in one chapter, a language in `languages`, a part of the report",
    EmptyText = "empty-text": "a text in a language pack is empty (delete the field to use the fallback language's)",
    Encoding = "encoding": "a file is not UTF-8",
    FallbackFace = "fallback-face": "preflight: text set in a face that neither the theme nor the pack chose",
    FallbackFont = "fallback-font": "characters that no face the theme or the pack names has: Typst sets them in another installed face",
    I18nImport = "i18n-import": "`vlr i18n import` imported nothing: the PO files have the problems listed with it",
    I18nStrict = "i18n-strict": "`vlr i18n status --strict`: a pack has missing or stale strings, or translations that print other numbers",
    InlineSyntax = "inline-syntax": "a text's inline markup cannot be read: a `{` never closed, or a `{…}` that is neither `{i:…}`, `{b:…}` nor a data reference",
    InvalidChart = "invalid-chart": "the indicators of one chart do not go together: different units, or a pair chart of different years",
    InvalidDate = "invalid-date": "`published` in report.toml is not a date like 2021-10-31",
    InvalidField = "invalid-field": "a field where it is not allowed: a figure with both `image` and `chart`, `goal` outside an SDG chapter, blocks in the data appendix",
    InvalidId = "invalid-id": "an id, key, file or section name, or language code that is not well formed (lowercase letters, digits and `-` or `_`)",
    InvalidReference = "invalid-reference": "a data reference or chart asks an indicator for what it does not have: a year without a value, a series where single values are compared, or the reverse",
    InvalidText = "invalid-text": "a text in a language pack holds a control character",
    InvalidValue = "invalid-value": "a value of the wrong type or out of range, in a manifest, the theme, a pack, a value table or the environment",
    LowContrast = "low-contrast": "text whose colour against the area vlr painted under it (or the white page) is below WCAG AA: 4.5:1, or 3:1 for large text (18 pt, or 14 pt bold); in the theme, or found by preflight",
    LowResolution = "low-resolution": "a photo below the theme's `min_ppi` at its printed size",
    MissingField = "missing-field": "a required field is missing: a block's `type` or `id`, a chart's `data`, a panel's tiles or charts, a value table's header or a column of it",
    MissingFile = "missing-file": "a file or folder the project names or needs does not exist (or cannot be read)",
    MissingGlyphs = "missing-glyphs": "characters that no available font has: install a font that covers them and name it in the pack's `fonts`",
    MissingText = "missing-text": "a text the report needs is missing from a language pack: a title, a block's or chart's text, a figure's alt text, an interface word, a unit's plural form",
    MissingTranslation = "missing-translation": "a text is missing from a language pack and printed in the fallback language",
    NoLicense = "no-license": "the published open data has no licence in report.toml, so nobody knows whether they may reuse it",
    OrphanedText = "orphaned-text": "a translation holds a text that the source language does not have",
    Overflow = "overflow": "preflight: text whose ink runs out of the page, out of the area that clips it, or more than 1 pt out of a box vlr painted under it (a tile, a band, a table cell)",
    OverfullPanel = "overfull-panel": "a key-indicator panel is taller than a page (names the chapter and the panel)",
    OverfullText = "overfull-text": "a text is larger than the box the templates give it",
    Overlap = "overlap": "preflight: text printed on other text, two glyphs' ink boxes overlapping (lines of one label or tile too)",
    PathOutsideProject = "path-outside-project": "a path that leads outside the project folder (an absolute path, `..`, or a symbolic link): copy the file into the project",
    Pdf = "pdf": "a PDF could not be made from the laid-out pages",
    PdfxAnnotations = "pdfx-annotations": "a page of the print PDF has annotations (other than printer's marks) on its printed area",
    PdfxBleed = "pdfx-bleed": "a page of the print PDF has less than 3 mm of bleed beyond the trim",
    PdfxBoxes = "pdfx-boxes": "a page of the print PDF lacks its TrimBox, BleedBox or MediaBox, or they are not nested",
    PdfxDates = "pdfx-dates": "the print PDF's creation or modification date is missing, or not the report's, in its info or its XMP",
    PdfxDeviceRgb = "pdfx-device-rgb": "the print PDF paints in DeviceRGB, which PDF/X-4 does not allow",
    PdfxDocumentId = "pdfx-document-id": "the print PDF's trailer has no document ID",
    PdfxEncryption = "pdfx-encryption": "the print PDF is encrypted",
    PdfxFonts = "pdfx-fonts": "a font of the print PDF is not embedded",
    PdfxIdentification = "pdfx-identification": "the print PDF does not say it is PDF/X-4 (`GTS_PDFXVersion`, `Trapped`) in its info and XMP",
    PdfxImageResolution = "pdfx-image-resolution": "an image of the print PDF is below the theme's `min_ppi` at its printed size",
    PdfxMetadata = "pdfx-metadata": "the print PDF has no XMP metadata, or it lacks a property PDF/X-4 requires (title, document, version or rendition id)",
    PdfxOutputIntent = "pdfx-output-intent": "the print PDF's `GTS_PDFX` output intent or its printing condition is missing or wrong",
    PdfxProfile = "pdfx-profile": "the print PDF's output intent embeds no profile, or one that is not a CMYK output profile (class `prtr`)",
    PdfxSyntax = "pdfx-syntax": "the print PDF or a page's content cannot be read",
    PdfxVersion = "pdfx-version": "the print PDF's version is newer than PDF/X-4's 1.6",
    Po = "po": "a line of a PO file cannot be read",
    PoOrphan = "po-orphan": "a PO entry names a text the source language no longer has; it is ignored",
    PoUnmentioned = "po-unmentioned": "a text of the translation is not in the imported PO files; it is kept as it is",
    ReferenceMismatch = "reference-mismatch": "a translation lacks or adds a data reference (`{group.key}`, `{group.key@2020}`) of its source, so it does not print the same numbers",
    Release = "release": "`vlr release` refused to publish: a step of publishing failed, or the problems listed with it stand",
    ReleaseChanged = "release-changed": "an input file changed while the release was made",
    ReleaseMarked = "release-marked": "`vlr release --strict`: a value is derived or uncertain (the book marks it)",
    ReleasePending = "release-pending": "`vlr release`: a value is pending",
    ReleasePlaceholder = "release-placeholder": "`vlr release`: a figure is a placeholder",
    ReleaseUntranslated = "release-untranslated": "`vlr release`: a text is missing from a translation, or stale (its source changed since)",
    SdgGoal = "sdg-goal": "an indicator shown in a goal's chapter serves none of that goal's targets in its `sdg` codes",
    Serve = "serve": "`vlr serve` cannot listen on its port on 127.0.0.1 (another program uses it: choose another with `--port`)",
    SmallText = "small-text": "preflight: text below the theme's minimum size (`[type] minimum`, 8 pt)",
    Template = "template": "the templates reported a problem of a kind vlr does not know",
    Tofu = "tofu": "preflight: a glyph the font does not have (an empty box)",
    Toml = "toml": "a TOML file cannot be read, or its structure is not what vlr expects there",
    TypedNumber = "typed-number": "a number shown in a tile or chart is typed into the prose: cite it as `{group.key}` so the sentence follows the data",
    Typst = "typst": "Typst reports an error or a warning in the templates (with the chain of calls that led to it)",
    UnknownChapter = "unknown-chapter": "`--chapter` names a chapter that report.toml does not have",
    UnknownData = "unknown-data": "an indicator that no `data/<group>.toml` defines, named in a reference, a chart or a row of a value table",
    UnknownField = "unknown-field": "a value table has a column vlr does not know",
    UnknownFont = "unknown-font": "no font of the theme's family is available",
    UnknownLanguage = "unknown-language": "`--lang` names a language that is not in report.toml's `languages` (exit code 2)",
    UnusedText = "unused-text": "a pack entry that no block uses (a typo in an id, or a removed block)",
    Usage = "usage": "a bad request rather than a bad project: an option `vlr new` cannot use, a folder outside the project (exit code 2)",
    WarningsDenied = "warnings-denied": "`--deny-warnings` and the run has warnings: nothing was written",
    Watch = "watch": "`vlr watch` cannot watch the project's folders (they are missing, or inotify's limits are reached)",
    WebFont = "web-font": "the web edition does not copy a face whose licence does not let anyone redistribute it (the pages name it; readers without it see another face)",
    WebTemplate = "web-template": "a web template (`styles/web/*.html`) cannot be read or rendered: its syntax, a value it uses, or a word no language pack has",
    Write = "write": "an output file cannot be written or replaced (nothing was written or replaced)",
    Xlsx = "xlsx": "a workbook of values cannot be read (save it as .xlsx, or export its first sheet as CSV)",
}

impl Code {
    /// The code named `name`, if there is one.
    pub fn from_name(name: &str) -> Option<Code> {
        Code::ALL.iter().copied().find(|c| c.name() == name)
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl Serialize for Code {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

impl FromStr for Code {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Code::from_name(s).ok_or_else(|| format!("unknown diagnostic code `{s}`"))
    }
}

/// `d.code == "toml"`: tests and tools compare codes with their names.
impl PartialEq<str> for Code {
    fn eq(&self, other: &str) -> bool {
        self.name() == other
    }
}

impl PartialEq<&str> for Code {
    fn eq(&self, other: &&str) -> bool {
        self.name() == *other
    }
}

impl PartialEq<Code> for &str {
    fn eq(&self, other: &Code) -> bool {
        *self == other.name()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The rows of README.md's table of codes, between `<!-- codes -->` and `<!-- /codes -->`.
    fn readme_rows() -> Vec<(String, String)> {
        let readme = include_str!("../../README.md");
        let start = readme.find("<!-- codes -->").expect("README.md has a `<!-- codes -->` marker");
        let end = readme.find("<!-- /codes -->").expect("README.md has a `<!-- /codes -->` marker");
        readme[start..end]
            .lines()
            .filter_map(|line| {
                let cells = line.strip_prefix("| `")?.strip_suffix(" |")?;
                let (code, meaning) = cells.split_once("` | ")?;
                Some((code.to_string(), meaning.to_string()))
            })
            .collect()
    }

    fn row(code: Code) -> String {
        format!("| `{}` | {} |", code.name(), code.meaning())
    }

    #[test]
    fn the_readme_table_lists_every_code_and_only_codes() {
        let rows = readme_rows();
        let missing: Vec<String> = Code::ALL
            .iter()
            .filter(|c| !rows.iter().any(|(name, meaning)| name == c.name() && meaning == c.meaning()))
            .map(|c| row(*c))
            .collect();
        let extra: Vec<String> = rows
            .iter()
            .filter(|(name, meaning)| Code::from_name(name).is_none_or(|c| c.meaning() != meaning))
            .map(|(name, meaning)| format!("| `{name}` | {meaning} |"))
            .collect();
        assert!(
            missing.is_empty() && extra.is_empty(),
            "README.md's table of codes differs from diag::Code.\nRows to add (or correct):\n{}\nRows to remove:\n{}\n\
             The whole table:\n{}",
            missing.join("\n"),
            extra.join("\n"),
            Code::ALL.iter().map(|c| row(*c)).collect::<Vec<_>>().join("\n"),
        );
        let names: Vec<&str> = rows.iter().map(|(name, _)| name.as_str()).collect();
        let all: Vec<&str> = Code::ALL.iter().map(|c| c.name()).collect();
        assert_eq!(names, all, "README.md lists the codes in the order of Code::ALL");
    }

    #[test]
    fn names_are_unique_sorted_kebab_case_and_meanings_one_line() {
        let names: Vec<&str> = Code::ALL.iter().map(|c| c.name()).collect();
        assert!(names.is_sorted_by(|a, b| a < b), "Code::ALL is sorted by name, without repeats: {names:?}");
        for c in Code::ALL {
            let name = c.name();
            assert!(
                !name.starts_with('-')
                    && !name.ends_with('-')
                    && !name.contains("--")
                    && name.chars().all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '-'),
                "`{name}` is not kebab-case"
            );
            let meaning = c.meaning();
            assert!(!meaning.is_empty() && !meaning.contains(['\n', '|']), "`{name}`: {meaning:?}");
            assert_eq!(Code::from_name(name), Some(*c));
        }
    }

    #[test]
    fn a_code_prints_serializes_and_compares_as_its_name() {
        assert_eq!(Code::UnknownData.to_string(), "unknown-data");
        assert_eq!(serde_json::to_string(&Code::PdfxDeviceRgb).unwrap(), "\"pdfx-device-rgb\"");
        assert_eq!("low-contrast".parse::<Code>(), Ok(Code::LowContrast));
        assert!("low_contrast".parse::<Code>().is_err());
        assert_eq!(Code::Toml, "toml");
        assert_eq!("toml", Code::Toml);
        assert_ne!(Code::Toml, "typst");
    }
}
