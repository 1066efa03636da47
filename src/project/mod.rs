//! Stage 1: load the project — `report.toml` and `chapters/` ([`report`], [`blocks`]), `data/`
//! ([`data`]), `styles/theme.toml` ([`theme`]) and the language packs in `lang/` ([`packs`]) —
//! then check every reference from one file to another once ([`validate`]).
//!
//! Later stages trust what this stage accepted: they look things up, they do not check again.

pub mod blocks;
pub mod data;
pub mod date;
pub mod icc;
pub mod packs;
pub mod report;
pub mod tables;
pub mod theme;
pub mod translation;
pub mod validate;
pub mod value;

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::ctx::Ctx;
use crate::diag::{Code, Diagnostic};

pub use blocks::{Block, BlockKind, ChartKind, ChartSpec, FigureSource, Tile};
pub use data::{Data, Indicator, Num, Qualifier, Status, Value};
pub use packs::{Entry, Field, FieldValue, Pack};
pub use report::{Chapter, ChapterKind, Matter, PageSize, Report};
pub use theme::{Rgb, Theme};

/// Everything a build reads, checked.
pub struct Project {
    pub report: Report,
    pub data: Data,
    pub theme: Theme,
    /// The requested languages' packs and those they fall back to, by code.
    pub packs: BTreeMap<String, Pack>,
    /// The languages to make, in the report's order.
    pub languages: Vec<String>,
    /// The pixel size of every image a figure names (read when it was checked).
    pub images: BTreeMap<PathBuf, (u32, u32)>,
    /// The interface words the templates print (`word(ui, "key")`), found when checked.
    pub template_words: std::collections::BTreeSet<String>,
    /// Whether the web edition is made: its templates' words are needed too.
    pub web: bool,
}

/// The folder of the web edition's templates (`*.html`, `site.css`), in a project and built in.
pub const WEB_TEMPLATES: &str = "styles/web";

/// Which languages a run makes.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Languages {
    /// The report's default language.
    #[default]
    Default,
    /// Every language the report lists.
    All,
    /// These, each a language of the report.
    Some(Vec<String>),
}

impl Project {
    /// Loads the packs of the report's languages not built this time, for outputs that speak
    /// every language (the open data's titles), and checks them as every other pack is checked:
    /// their problems are reported with the run's.
    pub fn load_every_pack(&mut self, ctx: &mut Ctx) {
        let missing: Vec<String> =
            self.report.languages.iter().filter(|l| !self.packs.contains_key(*l)).cloned().collect();
        if missing.is_empty() {
            return;
        }
        let before: Vec<String> = self.packs.keys().cloned().collect();
        packs::load_into(ctx, &self.report, &self.data, &missing, &mut self.packs);
        let added: Vec<String> = self.packs.keys().filter(|c| !before.contains(c)).cloned().collect();
        validate::packs(ctx, self, &added);
    }
}

/// Loads and checks the project. `None` when it cannot be read far enough to go on, or when
/// `languages` names one the report does not have (its problems are in `ctx.diags`).
pub fn load(ctx: &mut Ctx, languages: &Languages) -> Option<Project> {
    load_for(ctx, languages, false)
}

/// [`load`], for a build that also makes the web edition (`web`): the words its templates
/// print (`styles/web/*.html`) are checked like those of the PDF's.
pub fn load_for(ctx: &mut Ctx, languages: &Languages, web: bool) -> Option<Project> {
    let report = report::load(ctx);
    let data = data::load(ctx);
    let theme = theme::load(ctx);
    let report = report?;
    let languages = match languages {
        Languages::Default => vec![report.default_language.clone()],
        Languages::All => report.languages.clone(),
        Languages::Some(codes) => {
            if let Some(bad) = codes.iter().find(|c| !report.languages.contains(c)) {
                // A request the report cannot serve: a usage error (exit code 2).
                ctx.diags.push(
                    Diagnostic::error(
                        Code::UnknownLanguage,
                        format!(
                            "`{bad}` is not a language of this report; --lang takes one of: {}, or all",
                            report.languages.join(", ")
                        ),
                    )
                    .hint("see report.toml's `languages`"),
                );
                return None;
            }
            codes.clone()
        }
    };
    let packs = packs::load(ctx, &report, &data, &languages);
    let theme = theme?;
    let mut project = Project {
        report,
        data,
        theme,
        packs,
        languages,
        images: BTreeMap::new(),
        template_words: Default::default(),
        web,
    };
    validate::validate(ctx, &mut project);
    Some(project)
}
