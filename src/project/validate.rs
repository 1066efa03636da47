//! Every reference from one project file to another, checked once: tiles and charts to data,
//! figures to image files, blocks to the texts of the source-language pack, pack texts to data
//! (inline `{group.key}`), and what PDF/A and PDF/UA would refuse at export (empty texts,
//! control characters), each reported where it is written.

use std::path::Path;

use sha2::{Digest, Sha256};

use super::Project;
use super::blocks::{Block, BlockKind, ChartKind, ChartSpec, FigureSource};
use super::data::Data;
use super::packs::{Field, FieldValue, Pack, Word, string_offset};
use super::report::ChapterKind;
use crate::ctx::Ctx;
use crate::diag::{Code, Diagnostic, Loc};
use crate::inline::{self, Piece};

pub(super) fn validate(ctx: &mut Ctx, project: &mut Project) {
    for ch in project.report.chapters() {
        for b in &ch.blocks {
            if let BlockKind::Indicators { tiles, .. } = &b.kind {
                for t in tiles {
                    lookup(ctx, &project.data, &t.data, t.year, &t.loc);
                }
            }
            for chart in b.charts() {
                chart_data(ctx, &project.data, chart);
            }
            if let BlockKind::Figure(f) = &b.kind
                && let FigureSource::Image { path, loc } = &f.source
                && let Some(size) = image(ctx, path, loc)
            {
                project.images.insert(path.clone(), size);
            }
        }
    }
    goals(ctx, project);
    required_texts(ctx, project);
    words(ctx, project);
    let codes: Vec<String> = project.packs.keys().cloned().collect();
    packs(ctx, project, &codes);
    source_units(ctx, project);
}

/// The checks of each pack in `codes`: those loaded with the project, and those loaded later
/// for the open data (`Project::load_every_pack`) alike.
pub(super) fn packs(ctx: &mut Ctx, project: &mut Project, codes: &[String]) {
    for code in codes {
        builtin_words(ctx, project, code);
        let Some(pack) = project.packs.get(code) else { continue };
        numbers(ctx, pack);
        pack_texts(ctx, &project.data, pack);
        translated_references(ctx, project, pack);
    }
}

/// An SDG chapter's tiles and charts show indicators of its goal: one whose codes name other
/// goals only is probably in the wrong chapter, or coded wrongly.
fn goals(ctx: &mut Ctx, project: &Project) {
    let mut warned = std::collections::BTreeSet::new();
    for ch in project.report.chapters() {
        let Some(goal) = ch.goal else { continue };
        let shown = ch.blocks.iter().flat_map(|b| {
            let tiles = match &b.kind {
                BlockKind::Indicators { tiles, .. } => tiles.iter().map(|t| t.data.as_str()).collect(),
                _ => Vec::new(),
            };
            tiles.into_iter().chain(b.charts().into_iter().flat_map(|c| c.data.iter().map(|(id, _)| id.as_str())))
        });
        for id in shown {
            let Some(ind) = project.data.get(id) else { continue };
            if ind.sdg.is_empty() || ind.sdg.iter().any(|c| c.goal == goal) || !warned.insert((ch.id.clone(), id)) {
                continue;
            }
            let codes: Vec<&str> = ind.sdg.iter().map(|c| c.code.as_str()).collect();
            ctx.diags.push(
                ind.sdg_loc
                    .warning(
                        Code::SdgGoal,
                        format!("`{id}` serves {} but chapter `{}` is about goal {goal}", codes.join(", "), ch.id),
                    )
                    .hint(format!("add the goal {goal} target it serves to `sdg`, or show it in another chapter")),
            );
        }
    }
}

/// A reference to one value: the indicator exists and has the year asked for.
fn lookup(ctx: &mut Ctx, data: &Data, id: &str, year: Option<i32>, loc: &Loc) {
    match data.lookup(id, loc) {
        Ok(ind) => {
            if let Err(msg) = ind.at(year) {
                ctx.diags.push(loc.error(Code::InvalidReference, msg));
            }
        }
        Err(Some(d)) => ctx.diags.push(d),
        Err(None) => {}
    }
}

/// A chart's indicators exist and can be drawn together: one series alone, or several single
/// values (bar, line), or several series over the same years (pair); in one unit.
fn chart_data(ctx: &mut Ctx, data: &Data, chart: &ChartSpec) {
    let compare_values = chart.kind != ChartKind::Pair && chart.data.len() > 1;
    let mut first: Option<(&str, &str, Vec<i32>)> = None;
    for (id, loc) in &chart.data {
        let ind = match data.lookup(id, loc) {
            Ok(ind) => ind,
            Err(d) => {
                ctx.diags.extend(d);
                continue;
            }
        };
        if chart.kind == ChartKind::SdgGrid {
            continue;
        }
        if !compare_values && ind.series.is_empty() {
            ctx.diags.push(loc.error(Code::InvalidReference, format!("`{id}` has no series to chart")).hint(
                "give it `series = { 2019 = ..., 2020 = ... }`, or compare several single values in one bar chart",
            ));
            continue;
        }
        if compare_values && !ind.series.is_empty() {
            ctx.diags.push(
                loc.error(Code::InvalidReference, format!("`{id}` is a series; this chart compares single values"))
                    .hint("chart a series on its own, or use kind = \"pair\" to compare series"),
            );
            continue;
        }
        // A pair chart sets the first and the last year of each series side by side.
        let years: Vec<i32> = match chart.kind {
            ChartKind::Pair => {
                ind.series.keys().next().into_iter().chain(ind.series.keys().next_back()).copied().collect()
            }
            _ => Vec::new(),
        };
        match &first {
            None => first = Some((id, &ind.unit, years)),
            Some((first_id, unit, _)) if *unit != ind.unit => ctx.diags.push(
                loc.error(
                    Code::InvalidChart,
                    format!(
                        "`{id}` is in {} but `{first_id}` is in {unit}: one chart shows one unit",
                        show_unit(&ind.unit)
                    ),
                )
                .hint("chart indicators of the same unit together, or give each its own chart"),
            ),
            Some((first_id, _, first_years)) if *first_years != years => ctx.diags.push(
                loc.error(
                    Code::InvalidChart,
                    format!(
                        "`{id}` compares {} but `{first_id}` compares {}: a pair chart compares the same years",
                        show_years(&years),
                        show_years(first_years)
                    ),
                )
                .hint("give the series the same first and last year, or give each its own chart"),
            ),
            Some(_) => {}
        }
    }
}

fn show_unit(unit: &str) -> String {
    if unit.is_empty() { "no unit".into() } else { format!("`{unit}`") }
}

fn show_years(years: &[i32]) -> String {
    years.iter().map(i32::to_string).collect::<Vec<_>>().join(" and ")
}

/// An image a figure names: inside the project, and it decodes completely. Returns its pixel
/// size. A decode is remembered by content hash, so an unchanged photo is decoded once.
fn image(ctx: &mut Ctx, path: &Path, loc: &Loc) -> Option<(u32, u32)> {
    let shown = path.display();
    if !ctx.files.exists(path) {
        ctx.diags.push(loc.error(Code::MissingFile, format!("image `{shown}` does not exist")).hint(
            "add the file, fix the path (relative to the project root), or remove `image` to print a placeholder frame",
        ));
        return None;
    }
    let bytes = match ctx.files.read_bytes(path) {
        Ok(b) => b,
        Err(crate::files::ReadError::Outside) => {
            ctx.diags.push(
                loc.error(Code::PathOutsideProject, format!("image `{shown}` leads outside the project folder"))
                    .hint("copy the image into figures/ instead of linking to it"),
            );
            return None;
        }
        Err(e) => {
            let mut d = e.diagnostic(path);
            d.file = Some(loc.file.clone());
            d.span = Some(loc.span.clone());
            ctx.diags.push(d);
            return None;
        }
    };
    if path.extension().is_some_and(|e| e.eq_ignore_ascii_case("svg")) {
        return Some((0, 0)); // vector graphics: Typst reads them
    }
    let hash: [u8; 32] = Sha256::digest(&bytes).into();
    let checked = ctx.files.cache.images.entry(hash).or_insert_with(|| decode(&bytes)).clone();
    match checked {
        Ok(size) => Some(size),
        Err(why) => {
            ctx.diags.push(
                loc.error(Code::BadImage, format!("image `{shown}` cannot be read: {why}"))
                    .hint("use a PNG, JPEG, WebP, TIFF or SVG file; if it opens elsewhere, export it again"),
            );
            None
        }
    }
}

/// Decodes a raster image completely (a header alone says nothing about a truncated file).
fn decode(bytes: &[u8]) -> Result<(u32, u32), String> {
    let reader =
        image::ImageReader::new(std::io::Cursor::new(bytes)).with_guessed_format().map_err(|e| e.to_string())?;
    let format = reader.format().ok_or("not a PNG, JPEG, WebP or TIFF image")?;
    // JPEG decoders fill a cut-off file with grey rather than fail: require the end marker.
    if format == image::ImageFormat::Jpeg && !bytes.ends_with(&[0xFF, 0xD9]) {
        return Err("the JPEG file is cut off (it has no end marker)".into());
    }
    let img = reader.decode().map_err(|e| e.to_string())?;
    Ok((img.width(), img.height()))
}

/// The texts of a block that the source language must have; other languages fall back.
pub fn required(kind: &BlockKind) -> Vec<Field> {
    match kind {
        BlockKind::Text { .. }
        | BlockKind::Heading { .. }
        | BlockKind::Measure { .. }
        | BlockKind::Subheading { .. } => {
            vec![Field::Text]
        }
        BlockKind::Case { .. } => vec![Field::Title, Field::Text],
        BlockKind::Table { .. } => vec![Field::Caption, Field::Header, Field::Rows],
        BlockKind::Figure(f) => match &f.source {
            // A data chart describes itself when it has no alt text.
            FigureSource::Chart(c) if c.kind != ChartKind::SdgGrid => vec![Field::Caption],
            _ => vec![Field::Caption, Field::Alt],
        },
        BlockKind::Indicators { .. } => vec![Field::Title],
        BlockKind::Section { .. } | BlockKind::Pagebreak => Vec::new(),
    }
}

/// Every text a block, chapter or part prints is in the source language's pack.
fn required_texts(ctx: &mut Ctx, project: &Project) {
    let report = &project.report;
    let Some(source) = project.packs.get(&report.default_language) else { return };
    let has = |stem: &str, key: &str, field: Field| {
        source.files.get(stem).and_then(|f| f.entries.get(key)).is_some_and(|e| e.get_ref().get(field).is_some())
    };
    // A pack file that could not be read was reported already: its texts are not missing.
    let unreadable = |stem: &str| source.broken.iter().any(|b| b == stem);
    let src = |stem: &str| Pack::path(&source.code, stem);
    let report_loc = Loc::new(src("report"), 0..0);
    if !unreadable("report") {
        if !has("report", "report", Field::Title) {
            ctx.diags.push(
                report_loc
                    .error(Code::MissingText, "the report has no title")
                    .hint(format!("add [report] title = \"...\" to {}", src("report").display())),
            );
        }
        if report.distribution_label && !has("report", "distribution-label", Field::Text) {
            ctx.diags.push(
                Loc::new(super::report::REPORT_FILE, 0..0)
                    .error(Code::MissingText, "distribution_label = true but the pack has no label text")
                    .hint("add [distribution-label] text = \"...\" to the pack's report.toml"),
            );
        }
        for part in report.parts.iter().filter(|p| p.opener) {
            let key = format!("part-{}", part.id);
            if !has("report", &key, Field::Title) {
                ctx.diags.push(
                    Diagnostic::error(Code::MissingText, format!("part `{}` has a title page but no title", part.id))
                        .in_file(src("report"))
                        .hint(format!("add [{key}] title = \"...\"")),
                );
            }
        }
    }
    for ch in report.chapters() {
        if unreadable(&ch.id) {
            continue;
        }
        let chapter_loc = Loc::new(&ch.file, 0..0);
        let mut fields = vec![Field::Title];
        // A goal's statement comes from the UN's texts when the pack does not give its own.
        if ch.kind == ChapterKind::Sdg && crate::builtin::reference(&source.meta.lang).is_none() {
            fields.push(Field::Goal);
        }
        for field in fields {
            if !has(&ch.id, "chapter", field) {
                ctx.diags.push(missing(&chapter_loc, &src(&ch.id), "chapter", field));
            }
        }
        for b in &ch.blocks {
            let Some(key) = b.text_id() else { continue };
            if let BlockKind::Table { columns, .. } = &b.kind
                && let Some(FieldValue::List(header)) = source
                    .files
                    .get(&ch.id)
                    .and_then(|f| f.entries.get(key))
                    .and_then(|e| e.get_ref().get(Field::Header))
                && !columns.is_empty()
                && columns.len() != header.len()
            {
                ctx.diags.push(
                    b.loc
                        .error(
                            Code::InvalidValue,
                            format!(
                                "table `{key}` has {} column widths but {} header cells",
                                columns.len(),
                                header.len()
                            ),
                        )
                        .hint("give one width per column"),
                );
            }
            for field in required(&b.kind) {
                if field == Field::Header || field == Field::Rows {
                    if field == Field::Header && !(has(&ch.id, key, Field::Header) && has(&ch.id, key, Field::Rows)) {
                        ctx.diags.push(
                            b.loc
                                .error(
                                    Code::MissingText,
                                    format!("no header and rows for table `{key}` in {}", src(&ch.id).display()),
                                )
                                .hint("add header = [...] and rows = [[...], ...]"),
                        );
                    }
                } else if !has(&ch.id, key, field) {
                    ctx.diags.push(missing_block_text(b, key, &src(&ch.id), field));
                }
            }
        }
    }
}

/// Every interface word the book prints is in the source language's ui.toml: the words the
/// templates ask for (`word(ui, "key")`), the heading of each section, and the words vlr
/// prints itself (pending, statuses, qualifiers, goal labels).
fn words(ctx: &mut Ctx, project: &mut Project) {
    let mut templates = templates_in(ctx, "styles", "typ");
    if project.web {
        templates.extend(templates_in(ctx, super::WEB_TEMPLATES, "html"));
    }
    let mut asked: Vec<(String, Loc)> = Vec::new();
    for (path, text) in &templates {
        let mut from = 0;
        while let Some(i) = text[from..].find("word(ui, \"") {
            let start = from + i + "word(ui, \"".len();
            let Some(len) = text[start..].find('"') else { break };
            asked.push((text[start..start + len].to_string(), Loc::new(path, start..start + len)));
            from = start + len;
        }
    }
    project.template_words = asked.iter().map(|(k, _)| k.clone()).collect();
    let Some(source) = project.packs.get(&project.report.default_language) else { return };
    let ui = Pack::path(&source.code, "ui");
    if source.broken.iter().any(|b| b == "ui") {
        return;
    }
    let has = |key: &str| source.files.get("ui").is_some_and(|f| f.entries.contains_key(key));
    let hint = |key: &str| format!("add [{key}] text = \"...\" to {}", ui.display());
    // A word vlr prints that the project lacks (the templates gained it after the project was
    // made) is taken from vlr's own words in the source language, when vlr has them.
    let builtin = crate::builtin::words(&source.meta.lang, source.meta.region.as_deref());
    let mut taken = std::collections::BTreeMap::new();
    let mut take = |key: &str| match builtin.and_then(|b| b.words.get(key)) {
        Some(word) => {
            taken.insert(key.to_string(), word.clone());
            true
        }
        None => false,
    };
    // The templates' words, reported where they are asked for.
    for (key, loc) in &asked {
        if !has(key) && !take(key) {
            ctx.diags.push(
                loc.error(
                    Code::MissingText,
                    format!("the templates print the word `{key}`, which {} does not have", ui.display()),
                )
                .hint(hint(key)),
            );
        }
    }
    for ch in project.report.chapters() {
        for b in &ch.blocks {
            if let BlockKind::Section { name, loc } = &b.kind
                && !has(name)
            {
                ctx.diags.push(
                    loc.error(Code::MissingText, format!("section `{name}` has no heading in {}", ui.display()))
                        .hint(hint(name)),
                );
            }
        }
    }
    let data = &project.data;
    let mut needed: Vec<&str> = Vec::new();
    if data.indicators.values().any(|i| {
        i.status == crate::project::Status::Pending
            || i.value == Some(crate::project::Value::Pending)
            || i.series.values().any(|v| *v == crate::project::Value::Pending)
    }) {
        needed.push("pending");
    }
    // Every status a value has: tiles print the word of a derived or uncertain one, the
    // appendix prints them all.
    let statuses: std::collections::BTreeSet<_> = data.indicators.values().flat_map(|i| i.statuses()).collect();
    let appendix = project.report.chapters().any(|c| c.kind == ChapterKind::Appendix);
    let printed = statuses.into_iter().filter(|s| appendix || s.mark().is_some());
    needed.extend(printed.map(|s| Word::Status(s).key()));
    if project.report.chapters().any(|c| c.kind == ChapterKind::Sdg) {
        needed.push(Word::GoalLabel.key());
        if crate::builtin::reference(&source.meta.lang).is_none() {
            needed.push(Word::SdgLabel.key());
        }
    }
    let qualifiers: std::collections::BTreeSet<&str> =
        data.indicators.values().flat_map(|i| i.qualifiers()).map(|q| Word::Qualifier(q).key()).collect();
    needed.extend(qualifiers);
    for key in needed {
        if !has(key) && !take(key) {
            ctx.diags.push(
                Diagnostic::error(
                    Code::MissingText,
                    format!("the interface word `{key}` is missing from {}", ui.display()),
                )
                .in_file(&ui)
                .hint(hint(key)),
            );
        }
    }
    let code = source.code.clone();
    if let Some(source) = project.packs.get_mut(&code) {
        source.builtin_words = taken;
    }
}

/// The words the source language takes from vlr's built-in words (see [`words`]) are taken in
/// each pack's own language too, where vlr has them and the pack does not give its own; a
/// pack in a language vlr has no words for falls back to the source's, like any word it does
/// not translate. Each pack that takes words says so in one note.
///
/// A note, not a warning: a project that built yesterday must build after an upgrade, with
/// `--deny-warnings` too; the book prints a proper word of its language, and the note and
/// `vlr i18n status` say which words to review.
fn builtin_words(ctx: &mut Ctx, project: &mut Project, code: &str) {
    let source = &project.report.default_language;
    let wanted: Vec<String> = match project.packs.get(source) {
        Some(s) if s.code != code => s.builtin_words.keys().cloned().collect(),
        _ => Vec::new(),
    };
    let Some(pack) = project.packs.get_mut(code) else { return };
    let builtin = crate::builtin::words(&pack.meta.lang, pack.meta.region.as_deref());
    for key in wanted {
        let own = pack.files.get("ui").is_some_and(|f| f.entries.contains_key(&key));
        if let (false, Some(word)) = (own, builtin.and_then(|b| b.words.get(&key))) {
            pack.builtin_words.insert(key, word.clone());
        }
    }
    let (Some(builtin), false) = (builtin, pack.builtin_words.is_empty()) else { return };
    let ui = Pack::path(code, "ui");
    let keys: Vec<String> = pack.builtin_words.keys().map(|k| format!("`{k}`")).collect();
    ctx.diags.push(
        Diagnostic::notice(
            Code::BuiltinWord,
            format!(
                "{} does not have the interface word(s) {} that this version of vlr prints: vlr's own {} words are used",
                ui.display(),
                keys.join(", "),
                builtin.name
            ),
        )
        .in_file(&ui)
        .hint(format!("to choose your own words, add them to {} (vlr i18n status lists them)", ui.display())),
    );
}

/// The templates a build uses, with extension `ext` in folder `dir` (the PDF's `styles/*.typ`,
/// the website's `styles/web/*.html`): the project's, and the built-in ones it does not
/// override.
fn templates_in(ctx: &mut Ctx, dir: &str, ext: &str) -> Vec<(std::path::PathBuf, String)> {
    let folder = Path::new(dir);
    let mut out: Vec<(std::path::PathBuf, String)> = Vec::new();
    if ctx.files.is_dir(folder) {
        for path in ctx.files.list(folder, &[ext]).unwrap_or_default() {
            if let Some(text) = ctx.files.read_text(&mut ctx.diags, &path) {
                out.push((path, text));
            }
        }
    }
    let builtin = crate::builtin::STYLES
        .iter()
        .filter(|(p, _)| Path::new(p).parent() == Some(folder) && Path::new(p).extension().is_some_and(|e| e == ext));
    for (path, text) in builtin {
        if !out.iter().any(|(p, _)| p == Path::new(path)) {
            out.push((path.into(), text.to_string()));
        }
    }
    out
}

fn missing(loc: &Loc, src: &Path, key: &str, field: Field) -> Diagnostic {
    let name = field.name();
    loc.error(Code::MissingText, format!("no {name} for `{key}` in {}", src.display()))
        .hint(format!("add [{key}] {name} = \"...\" to {}", src.display()))
}

fn missing_block_text(b: &Block, key: &str, src: &Path, field: Field) -> Diagnostic {
    if field == Field::Alt {
        return b
            .loc
            .error(Code::MissingText, format!("figure `{key}` has no alt text"))
            .hint(format!("add alt = \"...\" to [{key}] in {}: it is read to blind readers", src.display()));
    }
    missing(&b.loc, src, key, field)
}

/// Every string of a pack: no control characters, not empty, and (in chapter and report
/// files, where inline syntax applies) well-formed `{…}` forms whose data references exist.
fn pack_texts(ctx: &mut Ctx, data: &Data, pack: &Pack) {
    for (stem, file) in &pack.files {
        let rich = super::translation::rich(stem);
        for (key, entry) in &file.entries {
            for (span, problem) in &entry.get_ref().problems {
                ctx.diags.push(
                    Loc::new(&file.path, span.clone())
                        .error(Code::InvalidField, format!("{problem} (in `[{key}]`)"))
                        .hint("check the spelling and the shape of the field"),
                );
            }
            if let (Some(FieldValue::List(header)), Some(FieldValue::Rows(rows))) =
                (entry.get_ref().get(Field::Header), entry.get_ref().get(Field::Rows))
            {
                for row in rows.iter().filter(|r| r.len() != header.len()) {
                    ctx.diags.push(
                        Diagnostic::error(
                            Code::InvalidValue,
                            format!("table `{key}` has a row of {} cells but {} columns", row.len(), header.len()),
                        )
                        .at(&file.path, row.first().map(|c| c.span()).or(Some(entry.span())))
                        .hint("give every row one cell per header column"),
                    );
                }
            }
            for (field, value) in &entry.get_ref().fields {
                for s in value.strings() {
                    let text = s.get_ref();
                    let loc = Loc::new(&file.path, s.span());
                    if let Some((i, c)) = text.char_indices().find(|(_, c)| is_forbidden_control(*c)) {
                        let source = ctx.diags.sources.get(&file.path);
                        let at = string_offset(source, s.span(), text, i..i + c.len_utf8());
                        ctx.diags.push(
                            Loc::new(&file.path, at)
                                .error(
                                    Code::InvalidText,
                                    format!(
                                        "`{key}` ({}) holds the control character U+{:04X}",
                                        field.name(),
                                        c as u32
                                    ),
                                )
                                .hint("delete it: control characters print as nothing and PDF/A refuses them"),
                        );
                    }
                    let may_be_empty = matches!(value, FieldValue::Rows(_)) || *field == Field::Header;
                    if text.trim().is_empty() && !may_be_empty {
                        ctx.diags.push(
                            loc.error(Code::EmptyText, format!("`{key}` ({}) is empty", field.name()))
                                .hint("write the text, or delete the field to use the fallback language's"),
                        );
                    }
                    if rich && *field != Field::Names {
                        inline_refs(ctx, data, &file.path, s);
                    }
                }
            }
        }
    }
}

/// A translation prints the numbers its source prints: the same data references, in any
/// order (see [`inline::reference_diff`]). Checked for translations made from the current
/// source; a stale one is reported as stale by `vlr i18n status` and the release.
fn translated_references(ctx: &mut Ctx, project: &Project, pack: &Pack) {
    if pack.code == project.report.default_language {
        return;
    }
    let Some(t) = super::translation::Translation::new(project, &pack.code) else { return };
    for m in super::translation::mismatches(&t) {
        ctx.diags.push(m.diagnostic());
    }
}

/// Units with plural forms in data/ (the source language's words) give every form the source
/// language has.
fn source_units(ctx: &mut Ctx, project: &Project) {
    let Some(source) = project.packs.get(&project.report.default_language) else { return };
    let meta = &source.meta;
    let Ok(categories) = crate::numbers::plural_categories(&meta.lang, meta.region.as_deref()) else { return };
    let needed: Vec<&str> = categories.into_iter().map(crate::numbers::category_name).collect();
    for ind in project.data.indicators.values().filter(|i| !i.unit_forms.is_empty()) {
        let missing: Vec<&str> = needed.iter().copied().filter(|c| !ind.unit_forms.contains_key(*c)).collect();
        if !missing.is_empty() {
            ctx.diags.push(
                ind.loc
                    .error(
                        Code::MissingText,
                        format!("the unit of `{}` has no form for {}", ind.id, missing.join(", ")),
                    )
                    .hint(format!("{} takes the plural forms {}", meta.name, needed.join(", "))),
            );
        }
    }
}

/// A pack's number rules: a language CLDR knows, overrides that print numbers right, a form of
/// every scale word for every plural category of the language, and labels that take a number
/// (`goal-label`) with their `{n}`.
fn numbers(ctx: &mut Ctx, pack: &Pack) {
    let file = Pack::path(&pack.code, "pack");
    let meta = &pack.meta;
    let problems = meta.numbers.check(&meta.lang, meta.region.as_deref(), &file);
    let overrides_ok = problems.is_empty();
    ctx.diags.extend(problems);
    numbered_words(ctx, pack);
    let rules = match crate::numbers::Format::new(&meta.lang, meta.region.as_deref(), &meta.numbers) {
        // Overrides that were reported may stop the rules; the plural forms are still checked.
        Err(_) if !overrides_ok => crate::numbers::plural_categories(&meta.lang, meta.region.as_deref()),
        rules => rules.map(|f| f.categories()),
    };
    let categories = match rules {
        Ok(c) => c,
        Err(why) => {
            ctx.diags.push(
                Diagnostic::error(Code::InvalidValue, format!("no number rules for this language: {why}"))
                    .in_file(&file)
                    .hint("set `lang` to an ISO 639 code (and `region` to a country code), as Typst takes them"),
            );
            return;
        }
    };
    let needed: Vec<&str> = categories.iter().copied().map(crate::numbers::category_name).collect();
    // Words with plural forms (units) give every form the language has.
    for (stem, pf) in pack.files.iter().filter(|(s, _)| s.starts_with("data/")) {
        for (key, e) in &pf.entries {
            if let Some(FieldValue::Forms(forms)) = e.get_ref().get(Field::Unit) {
                let missing: Vec<&str> = needed.iter().copied().filter(|c| !forms.contains_key(*c)).collect();
                if !missing.is_empty() {
                    let span = forms.values().next().map_or(e.span(), |v| v.span());
                    ctx.diags.push(
                        Loc::new(&pf.path, span)
                            .error(
                                Code::MissingText,
                                format!("the unit of `{key}` ({stem}) has no form for {}", missing.join(", ")),
                            )
                            .hint(format!("{} takes the plural forms {}", meta.name, needed.join(", "))),
                    );
                }
            }
        }
    }
    for scale in &meta.numbers.scales {
        let missing: Vec<&str> = categories
            .iter()
            .copied()
            .filter(|c| scale.get_ref().form(*c).is_none())
            .map(crate::numbers::category_name)
            .collect();
        if !missing.is_empty() {
            ctx.diags.push(
                Loc::new(&file, scale.span())
                    .error(
                        Code::MissingText,
                        format!(
                            "the scale word for 10^{} has no form for {}",
                            scale.get_ref().power,
                            missing.join(", ")
                        ),
                    )
                    .hint(format!(
                        "{} numbers take these plural forms: add {} (or `suffix` for all)",
                        meta.name,
                        missing.iter().map(|m| format!("{m} = \"...\"")).collect::<Vec<_>>().join(", ")
                    )),
            );
        }
    }
}

/// The interface words vlr fills with a number (`goal-label`) hold `{n}` where it goes.
fn numbered_words(ctx: &mut Ctx, pack: &Pack) {
    let Some(ui) = pack.files.get("ui") else { return };
    for word in Word::NUMBERED {
        let key = word.key();
        let Some(value) = ui.entries.get(key).and_then(|e| e.get_ref().get(Field::Text)) else { continue };
        let strings = value.strings();
        let text: String = strings.iter().map(|s| s.get_ref().as_str()).collect();
        if text.contains(crate::numbers::N) || text.trim().is_empty() {
            continue; // an empty text is reported as such
        }
        let Some(first) = strings.first() else { continue };
        ctx.diags.push(
            Loc::new(&ui.path, first.span())
                .error(Code::InvalidValue, format!("`{key}` = \"{text}\" has no `{{n}}` for the goal's number"))
                .hint(format!("write `{{n}}` where the number goes: text = \"{text} {{n}}\"")),
        );
    }
}

/// Control characters other than tab and line feed (which TOML strings may hold).
fn is_forbidden_control(c: char) -> bool {
    c.is_control() && c != '\n' && c != '\t'
}

/// The inline forms of one string: syntax, and that each data reference resolves.
fn inline_refs(ctx: &mut Ctx, data: &Data, path: &Path, s: &toml::Spanned<String>) {
    let text = s.get_ref();
    if !text.contains('{') {
        return;
    }
    let source = ctx.diags.sources.get(path).map(str::to_string);
    let at = |range: std::ops::Range<usize>| string_offset(source.as_deref(), s.span(), text, range);
    match inline::parse(text) {
        Ok(pieces) => {
            for p in pieces {
                if let Piece::Ref { id, year, at: range } = p {
                    let loc = Loc::new(path, at(range.clone()));
                    lookup(ctx, data, &id, year, &loc);
                    // A percentage prints its own sign, in the language's pattern.
                    if let Some(ind) = data.get(&id)
                        && crate::numbers::is_percent(&ind.unit)
                        && text[range.end..].starts_with(['%', '‰', '٪'])
                    {
                        ctx.diags.push(
                            loc.warning(
                                Code::DoubledUnit,
                                format!("`{{{id}}}` prints its own `{}`; this one is typed twice", ind.unit),
                            )
                            .hint("delete the sign after the reference"),
                        );
                    }
                }
            }
        }
        Err(errors) => {
            for e in errors {
                ctx.diags.push(Loc::new(path, at(e.at)).error(Code::InlineSyntax, e.message).hint(e.hint));
            }
        }
    }
}
