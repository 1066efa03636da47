//! Stage 2: resolve the book for one language, as plain data — every text looked
//! up along the fallback chain, every number formatted, every chart turned into points, the
//! appendix gathered — with no I/O. The result is what the templates receive ([`book`]) plus
//! the assets it names (charts to draw, photos to prepare) for stage 3.

pub mod book;
pub mod charts;
pub mod texts;

use std::path::PathBuf;

use book::*;
use charts::ChartData;
use texts::{Texts, Word, format_value};

use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::edition::Edition;
use crate::project::{
    Block, BlockKind, Chapter, ChapterKind, ChartKind, ChartSpec, Field, FigureSource, Indicator, Num, Project, Status,
    Tile, Value,
};

/// The book in one language as data, and the assets it asks for. Its editions differ only in
/// `meta.output` (see [`data_files`]).
pub struct Resolved {
    pub lang: String,
    pub book: Book,
    /// Per chapter, in book order: its virtual path (`chapters/<id>.json`) and its blocks.
    pub chapters: Vec<(String, ChapterOut)>,
    /// Charts to draw.
    pub charts: Vec<ChartRequest>,
    /// Photos to prepare for print.
    pub images: Vec<ImageRequest>,
    /// Figures printed as frames because the project has no image for them.
    pub placeholders: Vec<Placeholder>,
}

/// A chart to draw: where its picture and its words are served, and what it shows.
#[derive(Debug, Clone)]
pub struct ChartRequest {
    /// The picture (`charts/<chapter>-<chart>.svg`).
    pub svg: String,
    /// The words set over it (`charts/<chapter>-<chart>.json`, see [`crate::render::charts::Labels`]).
    pub labels: String,
    /// How a message names it: "chart `c1` of chapter `sdg13`".
    pub name: String,
    /// Where the chapter manifest asks for it.
    pub loc: crate::diag::Loc,
    pub data: ChartData,
}

/// A photo a figure shows, to be prepared for its printed width.
#[derive(Debug, Clone)]
pub struct ImageRequest {
    /// Where the prepared image is served (`images/<chapter>-<figure>`).
    pub vpath: String,
    pub path: PathBuf,
    /// Printed width in millimetres.
    pub width_mm: f64,
    pub loc: crate::diag::Loc,
}

#[derive(Debug, Clone)]
pub struct Placeholder {
    pub chapter: String,
    pub figure: String,
    pub caption: String,
}

/// Resolves the book in language `lang`. Texts missing from every pack fall back to their id
/// (the validation reported them); warnings (untranslated, unused, typed numbers) go to `diags`.
pub fn resolve(diags: &mut Diagnostics, project: &Project, lang: &str) -> Resolved {
    let texts = Texts::new(project, lang);
    let mut r = Resolver {
        diags,
        project,
        texts: &texts,
        charts: Vec::new(),
        images: Vec::new(),
        placeholders: Vec::new(),
        cited: Vec::new(),
    };
    let book = r.book(lang);
    let chapters = r.chapters();
    // Unused texts are only worth a warning once the errors are fixed: a rejected block
    // leaves its texts unused, and that is noise next to the error itself.
    if !r.diags.has_errors() {
        texts.report_unused(r.diags);
    }
    Resolved {
        lang: lang.to_string(),
        book,
        chapters,
        charts: r.charts,
        images: r.images,
        placeholders: r.placeholders,
    }
}

struct Resolver<'a, 't> {
    diags: &'a mut Diagnostics,
    project: &'a Project,
    texts: &'a Texts<'t>,
    charts: Vec<ChartRequest>,
    images: Vec<ImageRequest>,
    placeholders: Vec<Placeholder>,
    /// Per chapter so far: its title and the indicators it shows or cites, in order.
    cited: Vec<(Rich, Vec<String>)>,
}

/// What prints when a text is missing from every pack (an error was reported).
fn fallback(key: &str) -> Rich {
    vec![Run::Text { s: format!("[{key}]") }]
}

impl Resolver<'_, '_> {
    fn line(&mut self, file: &str, key: &str, field: Field) -> Rich {
        self.texts.line(self.diags, file, key, field).unwrap_or_else(|| fallback(key))
    }

    fn book(&mut self, lang: &str) -> Book {
        let (report, texts) = (&self.project.report, self.texts);
        let title = self.line("report", "report", Field::Title);
        let subtitle = texts.line(self.diags, "report", "report", Field::Subtitle);
        let short = texts
            .line(self.diags, "report", "report", Field::Short)
            .map_or_else(|| plain_text(&title), |s| plain_text(&s));
        // Looked up even when off, so a pack's label is checked (and not reported unused).
        let label = texts.line(self.diags, "report", "distribution-label", Field::Text);
        let distribution_label = label.filter(|_| report.distribution_label).map(|l| plain_text(&l));
        let pack = texts.chain().first().map(|p| &p.meta);
        let show_year = !plain_text(&title).contains(&report.year.to_string());
        let meta = Meta {
            id: report.id.clone(),
            lang: pack.map_or_else(|| lang.to_string(), |p| p.lang.clone()),
            region: pack.and_then(|p| p.region.clone()),
            title,
            subtitle,
            short,
            year: report.year,
            show_year,
            published: [report.published.0, report.published.1 as i32, report.published.2 as i32],
            page_size: report.page_size,
            distribution_label,
            authors: texts.names(self.diags, "report", "authors").unwrap_or_default(),
            fonts: pack.map(|p| p.fonts.clone()).unwrap_or_default(),
            hyphenate: pack.is_some_and(|p| p.hyphenate.unwrap_or_else(|| crate::script::can_hyphenate(&p.lang))),
            leading: pack
                .map_or(0.62, |p| p.leading.as_ref().map_or_else(|| crate::script::leading(&p.lang), |l| *l.get_ref())),
            rtl: pack.is_some_and(|p| crate::script::is_rtl(&p.lang)),
            output: Edition::Screen,
        };
        let ui = UiOut {
            words: texts.all_ui(self.diags, &self.project.template_words),
            file: texts.source_path("ui").display().to_string(),
        };
        let theme = &self.project.theme;
        let sdg_chapters: std::collections::BTreeMap<u8, &str> =
            report.chapters().filter_map(|c| Some((c.goal?, c.id.as_str()))).collect();
        let sdgs = (1..=17u8)
            .map(|n| {
                let t = texts.sdg(self.diags, n, sdg_chapters.get(&n).copied());
                SdgOut {
                    number: n,
                    colours: Colours::new(theme, Some(n)),
                    name: t.name,
                    label: t.label,
                    goal_label: t.goal_label,
                    statement: t.statement,
                }
            })
            .collect();
        let parts = report
            .parts
            .iter()
            .map(|part| PartOut {
                id: part.id.clone(),
                title: part.opener.then(|| self.line("report", &format!("part-{}", part.id), Field::Title)),
                matter: part.matter,
                opener: part.opener,
                chapters: part.chapters.iter().map(|c| format!("/chapters/{}.json", c.id)).collect(),
            })
            .collect();
        let theme = ThemeOut {
            font: theme.font.clone(),
            neutral: theme.neutral.hex(),
            neutral_ink: theme.neutral.ink(crate::project::theme::AA).hex(),
            on_neutral: theme.on_neutral.text.hex(),
            on_neutral_large: theme.on_neutral.large.hex(),
            margins: theme.margins,
            text_width: theme.text_width_mm(report.page_size),
            body: theme.body_pt,
            chart: theme.chart_pt,
            minimum: theme.min_pt,
            bleed: theme.bleed_mm,
            slug: theme.slug_mm,
        };
        Book { version: BOOK_VERSION, meta, theme, ui, sdgs, parts }
    }

    fn chapters(&mut self) -> Vec<(String, ChapterOut)> {
        let project = self.project;
        project.report.chapters().map(|c| (format!("chapters/{}.json", c.id), self.chapter(c))).collect()
    }

    fn chapter(&mut self, ch: &Chapter) -> ChapterOut {
        let title = self.line(&ch.id, "chapter", Field::Title);
        let statement = ch.goal.map(|g| self.texts.sdg(self.diags, g, Some(&ch.id)).statement);
        let theme = &self.project.theme;
        let color = ch.goal.map_or(theme.neutral, |g| theme.goal(g));
        let mut measure = 0;
        let blocks: Vec<BlockOut> = if ch.kind == ChapterKind::Appendix {
            vec![self.appendix()]
        } else {
            ch.blocks.iter().map(|b| self.block(ch, b, &mut measure, color)).collect()
        };
        self.warn_typed_numbers(ch, &blocks);
        self.cited.push((title.clone(), cited_ids(ch, &blocks)));
        ChapterOut {
            id: ch.id.clone(),
            kind: ch.kind,
            goal: ch.goal,
            colours: Colours::new(theme, ch.goal),
            title,
            statement,
            blocks,
        }
    }

    fn block(&mut self, ch: &Chapter, b: &Block, measure: &mut u32, color: crate::project::Rgb) -> BlockOut {
        let file = ch.id.as_str();
        let texts = self.texts;
        match &b.kind {
            BlockKind::Text { id } => BlockOut::Text {
                paras: texts.rich(self.diags, file, id, Field::Text).unwrap_or_else(|| vec![fallback(id)]),
            },
            BlockKind::Heading { id } => BlockOut::Heading { text: self.line(file, id, Field::Text) },
            BlockKind::Section { name, .. } => BlockOut::Section {
                name: name.clone(),
                text: texts.ui(self.diags, name),
                new_page: self.project.theme.new_page_sections.contains(name),
            },
            BlockKind::Measure { id, number } => {
                *measure += 1;
                BlockOut::Measure { number: number.unwrap_or(*measure), text: self.line(file, id, Field::Text) }
            }
            BlockKind::Subheading { id } => BlockOut::Subheading { text: self.line(file, id, Field::Text) },
            BlockKind::Case { id } => BlockOut::Case {
                title: self.line(file, id, Field::Title),
                paras: texts.rich(self.diags, file, id, Field::Text).unwrap_or_else(|| vec![fallback(id)]),
            },
            BlockKind::Table { id, columns } => {
                let caption = self.line(file, id, Field::Caption);
                let (header, rows) = texts.table(self.diags, file, id);
                let note = texts.line(self.diags, file, id, Field::Note);
                BlockOut::Table { caption, columns: columns.clone(), header, rows, note }
            }
            BlockKind::Figure(f) => {
                let caption = self.line(file, &f.id, Field::Caption);
                let credit = texts.line(self.diags, file, &f.id, Field::Credit);
                let alt_text = texts.line(self.diags, file, &f.id, Field::Alt).map(|r| plain_text(&r));
                let theme = &self.project.theme;
                let width = match &f.source {
                    FigureSource::Chart(c) if c.kind != ChartKind::SdgGrid => f.width.unwrap_or(theme.chart_width),
                    _ => f.width.unwrap_or(theme.figure_width),
                };
                let mut chart_labels = None;
                let (kind, path, alt) = match &f.source {
                    FigureSource::Image { path, loc } if self.project.images.contains_key(path) => {
                        let vpath = format!("images/{}-{}", ch.id, f.id);
                        let width_mm = width * theme.text_width_mm(self.project.report.page_size);
                        let (path, loc) = (path.clone(), loc.clone());
                        self.images.push(ImageRequest { vpath: vpath.clone(), path, width_mm, loc });
                        (FigureKind::Image, Some(format!("/{vpath}")), alt_text)
                    }
                    // An image that could not be read (reported) prints as a frame.
                    FigureSource::Image { .. } => (FigureKind::Placeholder, None, alt_text),
                    FigureSource::Chart(spec) if spec.kind == ChartKind::SdgGrid => {
                        (FigureKind::SdgGrid, None, alt_text)
                    }
                    FigureSource::Chart(spec) => {
                        let (path, labels, described) = self.chart(ch, spec, color, width, &plain_text(&caption));
                        chart_labels = Some(labels);
                        (FigureKind::Chart, Some(path), alt_text.or(Some(described)))
                    }
                    FigureSource::Placeholder => {
                        self.placeholders.push(Placeholder {
                            chapter: ch.id.clone(),
                            figure: f.id.clone(),
                            caption: plain_text(&caption),
                        });
                        (FigureKind::Placeholder, None, alt_text)
                    }
                };
                BlockOut::Figure(FigureOut {
                    id: f.id.clone(),
                    kind,
                    path,
                    labels: chart_labels,
                    aspect: f.aspect,
                    width,
                    caption,
                    credit,
                    alt: alt.unwrap_or_default(),
                    reconstructed: f.caption_reconstructed,
                })
            }
            BlockKind::Indicators { id, tiles, charts } => {
                let title = self.line(file, id, Field::Title);
                let tiles = tiles.iter().map(|t| self.tile(file, t)).collect();
                let width = self.project.theme.chart_width;
                let charts = charts
                    .iter()
                    .map(|spec| {
                        let title = texts
                            .line(self.diags, file, &spec.id, Field::Title)
                            .unwrap_or_else(|| self.default_chart_title(spec));
                        let (path, labels, alt) = self.chart(ch, spec, color, width, &plain_text(&title));
                        ChartOut { title, path, labels, alt, width: self.chart_width_pt(width) }
                    })
                    .collect();
                BlockOut::Indicators { id: id.clone(), chapter: ch.id.clone(), title, tiles, charts }
            }
            BlockKind::Pagebreak => BlockOut::Pagebreak,
        }
    }

    fn appendix(&mut self) -> BlockOut {
        let cited = std::mem::take(&mut self.cited);
        let mut groups = Vec::new();
        let mut statuses = std::collections::BTreeSet::new();
        // Each indicator once, under the first chapter that shows or cites it.
        let mut listed = std::collections::BTreeSet::new();
        for (title, ids) in cited {
            let project = self.project;
            let indicators: Vec<&Indicator> =
                ids.iter().filter(|id| listed.insert(id.to_string())).filter_map(|id| project.data.get(id)).collect();
            statuses.extend(indicators.iter().flat_map(|i| i.statuses()));
            let rows: Vec<AppendixRow> = indicators.into_iter().map(|ind| self.appendix_row(ind)).collect();
            if !rows.is_empty() {
                groups.push(AppendixGroup { title, rows });
            }
        }
        let legend = statuses
            .into_iter()
            .filter_map(|s| Some((s.mark()?, self.texts.word(self.diags, Word::Status(s)))))
            .collect();
        BlockOut::Appendix { groups, legend }
    }

    /// The SDG codes an indicator serves, labelled as the language labels a goal: "SDG 11.6,
    /// 11.6.2", "ЦУР 11.6, 11.6.2" (empty without codes).
    fn codes(&mut self, ind: &Indicator) -> String {
        let Some(first) = ind.sdg.first() else { return String::new() };
        let codes: Vec<&str> = ind.sdg.iter().map(|c| c.code.as_str()).collect();
        let label = self.texts.sdg(self.diags, first.goal, None).label;
        label.replacen(&first.goal.to_string(), &codes.join(", "), 1)
    }

    fn appendix_row(&mut self, ind: &Indicator) -> AppendixRow {
        let texts = self.texts;
        let numbers = texts.numbers();
        let pending = texts.word(self.diags, Word::Pending);
        // A value with its hedge and its status's mark: "about 30†".
        let mut fmt = |year: Option<i32>, v: &Value| match v {
            Value::Known(n) => texts.hedged(self.diags, ind, year, texts.isolated(format_value(ind, *n, numbers))),
            Value::Pending => pending.clone(),
        };
        let value = match (&ind.value, ind.status) {
            (_, Status::Pending) => pending.clone(),
            (Some(v), _) => fmt(None, v),
            (None, _) => {
                ind.series.iter().map(|(y, v)| format!("{y}: {}", fmt(Some(*y), v))).collect::<Vec<_>>().join("; ")
            }
        };
        // One status word, or the status of each year when they differ.
        let statuses = ind.statuses();
        let (status, status_text) = match statuses.iter().collect::<Vec<_>>().as_slice() {
            [one] => (**one, texts.word(self.diags, Word::Status(**one))),
            _ => {
                // Runs of years with the same status: "2015, 2016: reported; 2017–2019: uncertain".
                let mut runs: Vec<(Status, Vec<i32>)> = Vec::new();
                for y in ind.series.keys() {
                    let s = ind.status_at(Some(*y));
                    match runs.last_mut() {
                        Some((last, years)) if *last == s => years.push(*y),
                        _ => runs.push((s, vec![*y])),
                    }
                }
                let text = runs.into_iter().map(|(s, years)| {
                    let shown = match years.as_slice() {
                        [a, .., b] if years.len() > 2 => format!("{a}–{b}"),
                        _ => years.iter().map(|y| y.to_string()).collect::<Vec<_>>().join(", "),
                    };
                    format!("{shown}: {}", texts.word(self.diags, Word::Status(s)))
                });
                (Status::Reported, text.collect::<Vec<_>>().join("; "))
            }
        };
        // A single value's unit takes that value's form ("1 kilometre", "1,5 kilomètre").
        let single = match (&ind.value, ind.status) {
            (Some(Value::Known(n)), s) if s != Status::Pending => Some(*n),
            _ => None,
        };
        AppendixRow {
            id: ind.id.clone(),
            title: indicator_title(self.diags, texts, ind),
            codes: self.codes(ind),
            value,
            unit: indicator_unit(self.diags, texts, ind, single),
            date: indicator_date(self.diags, texts, ind).unwrap_or_default(),
            status,
            status_text,
            source: texts.indicator_text(self.diags, ind, Field::Source).unwrap_or_else(|| ind.source.clone()),
        }
    }

    /// A number shown in a tile or chart but typed into the prose would not follow a change of
    /// the data: warn, pointing at the typed number in the pack file.
    fn warn_typed_numbers(&mut self, ch: &Chapter, blocks: &[BlockOut]) {
        let data = &self.project.data;
        let numbers = self.texts.numbers();
        let mut shown: Vec<(String, &str)> = Vec::new();
        for b in &ch.blocks {
            let BlockKind::Indicators { tiles, charts, .. } = &b.kind else { continue };
            let ids = tiles
                .iter()
                .map(|t| t.data.as_str())
                .chain(charts.iter().flat_map(|c| c.data.iter().map(|(id, _)| id.as_str())));
            for ind in ids.filter_map(|id| data.get(id)) {
                for v in ind.value.iter().chain(ind.series.values()) {
                    if let Value::Known(n) = v {
                        let s = format_value(ind, *n, numbers);
                        // Short numbers ("80") match too much ordinary text to be worth a warning.
                        if s.chars().filter(char::is_ascii_digit).count() >= 3 {
                            shown.push((s, &ind.id));
                        }
                    }
                }
            }
        }
        if shown.is_empty() {
            return;
        }
        let pack = crate::project::Pack::path(self.texts.code(), &ch.id);
        // Most prose has no three-digit number at all; skip it before searching for each.
        let prose =
            blocks.iter().flat_map(prose_runs).filter(|t| t.bytes().filter(u8::is_ascii_digit).nth(2).is_some());
        for text in prose {
            for (number, id) in &shown {
                if find_number(text, number).is_some() {
                    let span = self
                        .diags
                        .sources
                        .get(&pack)
                        .and_then(|src| find_number(src, number))
                        .map(|i| i..i + number.len());
                    self.diags.push(
                        Diagnostic::warning(
                            Code::TypedNumber,
                            format!("{number} is typed as text but is also shown from `{id}`"),
                        )
                        .at(&pack, span)
                        .hint(format!("write {{{id}}} so the sentence follows the data")),
                    );
                }
            }
        }
    }

    fn tile(&mut self, file: &str, t: &Tile) -> TileOut {
        let texts = self.texts;
        let value = texts.value_run(&t.data, t.year);
        let ind = self.project.data.get(&t.data);
        let label = texts.line(self.diags, file, &t.id, Field::Text).unwrap_or_else(|| {
            vec![Run::Text { s: ind.map(|i| indicator_title(self.diags, texts, i)).unwrap_or_default() }]
        });
        TileOut {
            value,
            // A percentage prints its sign with the number, in the language's pattern.
            unit: ind
                .filter(|i| !crate::numbers::is_percent(&i.unit))
                .map(|i| {
                    let n = match i.at(t.year) {
                        Ok(Value::Known(n)) => Some(n),
                        _ => None,
                    };
                    indicator_unit(self.diags, texts, i, n)
                })
                .unwrap_or_default(),
            qualifier: ind.and_then(|i| i.qualifier_at(t.year)).map(|q| texts.word(self.diags, Word::Qualifier(q))),
            status: ind
                .map(|i| i.status_at(t.year))
                .filter(|s| s.mark().is_some())
                .map(|s| texts.word(self.diags, Word::Status(s))),
            label,
            date: ind.and_then(|i| indicator_date(self.diags, texts, i)).or(t.year.map(|y| y.to_string())),
        }
    }

    fn default_chart_title(&mut self, spec: &ChartSpec) -> Rich {
        let data = &self.project.data;
        let s = spec
            .data
            .first()
            .and_then(|(id, _)| data.get(id))
            .map(|i| indicator_title(self.diags, self.texts, i))
            .unwrap_or_default();
        vec![Run::Text { s }]
    }

    /// A chart's printed width in points, from its width as a fraction of the text width.
    fn chart_width_pt(&self, fraction: f64) -> f64 {
        fraction * self.project.theme.text_width_mm(self.project.report.page_size) * 72.0 / 25.4
    }

    /// Asks for one chart, `width` of the text width; returns the virtual paths of its picture
    /// and its words, and a description of its data.
    fn chart(
        &mut self,
        ch: &Chapter,
        spec: &ChartSpec,
        color: crate::project::Rgb,
        width: f64,
        title: &str,
    ) -> (String, String, String) {
        let stem = format!("charts/{}-{}", ch.id, spec.id);
        let data = &self.project.data;
        let indicators: Vec<&Indicator> = spec.data.iter().filter_map(|(id, _)| data.get(id)).collect();
        let theme = &self.project.theme;
        let size = charts::Size {
            width: self.chart_width_pt(width),
            height: self.chart_width_pt(width) * theme.chart_aspect,
            label: theme.chart_pt,
        };
        let chart = charts::chart(self.diags, self.texts, spec.kind, &indicators, color, &theme.font, size);
        let alt = chart.describe(title);
        let (svg, labels) = (format!("{stem}.svg"), format!("{stem}.json"));
        let paths = (format!("/{svg}"), format!("/{labels}"));
        let name = format!("chart `{}` of chapter `{}`", spec.id, ch.id);
        self.charts.push(ChartRequest { svg, labels, name, loc: spec.loc.clone(), data: chart });
        (paths.0, paths.1, alt)
    }
}

pub(crate) fn indicator_title(diags: &mut Diagnostics, texts: &Texts, i: &Indicator) -> String {
    texts.indicator_text(diags, i, Field::Title).unwrap_or_else(|| i.title.clone())
}

/// The indicator's date (or year) in this language.
pub(crate) fn indicator_date(diags: &mut Diagnostics, texts: &Texts, i: &Indicator) -> Option<String> {
    match &i.date {
        Some(d) => Some(texts.indicator_text(diags, i, Field::Date).unwrap_or_else(|| d.clone())),
        None => i.year.map(|y| y.to_string()),
    }
}

/// The indicator's unit in this language; with a value, in the form that value takes.
fn indicator_unit(diags: &mut Diagnostics, texts: &Texts, i: &Indicator, value: Option<Num>) -> String {
    texts.unit(diags, i, value)
}

/// Indicators a chapter shows (tiles, charts) or cites (references), first use first.
fn cited_ids(ch: &Chapter, blocks: &[BlockOut]) -> Vec<String> {
    let mut ids: Vec<String> = Vec::new();
    let mut add = |id: &str| {
        if !ids.iter().any(|i| i == id) {
            ids.push(id.to_string());
        }
    };
    for (b, out) in ch.blocks.iter().zip(blocks) {
        if let BlockKind::Indicators { tiles, .. } = &b.kind {
            tiles.iter().for_each(|t| add(&t.data));
        }
        b.charts().into_iter().flat_map(|c| &c.data).for_each(|(id, _)| add(id));
        for run in out.runs() {
            if let Run::Value { id, .. } | Run::Pending { id, .. } = run {
                add(id);
            }
        }
    }
    ids
}

/// The plain-text runs of body prose (not tiles, captions or tables).
fn prose_runs(b: &BlockOut) -> Vec<&str> {
    let runs: Vec<&Run> = match b {
        BlockOut::Text { paras } | BlockOut::Case { paras, .. } => paras.iter().flatten().collect(),
        _ => Vec::new(),
    };
    runs.into_iter().filter_map(|r| if let Run::Text { s } = r { Some(s.as_str()) } else { None }).collect()
}

/// Where `number` occurs in `text` as a whole number (not inside a longer one).
fn find_number(text: &str, number: &str) -> Option<usize> {
    let digit_after = |i: usize| text[i..].starts_with(|c: char| c.is_ascii_digit());
    text.match_indices(number).map(|(i, _)| i).find(|&i| {
        let end = i + number.len();
        let before = text[..i].chars().next_back();
        let extends_before = before.is_some_and(|c| c.is_ascii_digit() || c == ',' || c == '.');
        // A trailing full stop or comma ends the sentence; followed by a digit it extends the number.
        let extends_after = match text[end..].chars().next() {
            Some(c) if c.is_ascii_digit() => true,
            Some(',' | '.') => digit_after(end + 1),
            _ => false,
        };
        !extends_before && !extends_after
    })
}

/// The in-memory files the templates read for one edition: `book.json` and one JSON file per
/// chapter.
pub fn data_files(r: &mut Resolved, edition: Edition) -> Vec<(String, Vec<u8>)> {
    r.book.meta.output = edition;
    // Goal fields print in the UN's process colours; the screen edition's data has none.
    let print = edition == Edition::Print;
    r.book.sdgs.iter_mut().for_each(|s| s.colours.for_edition(print));
    r.chapters.iter_mut().for_each(|(_, ch)| ch.colours.for_edition(print));
    let mut files = vec![("book.json".to_string(), serde_json::to_vec(&r.book).expect("book serializes"))];
    files.extend(
        r.chapters.iter().map(|(path, ch)| (path.clone(), serde_json::to_vec(ch).expect("chapter serializes"))),
    );
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_numbers_are_found_as_whole_numbers() {
        assert!(find_number("about 424,000 NEVs.", "424,000").is_some());
        assert!(find_number("rose to 424,000.", "424,000").is_some());
        assert!(find_number("about 1,424,000 NEVs", "424,000").is_none());
        assert!(find_number("about 424,0001", "424,000").is_none());
        assert!(find_number("571.456", "571.45").is_none());
        assert!(find_number("(571.45)", "571.45").is_some());
    }
}
