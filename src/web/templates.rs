//! The web edition's templates: `styles/web/*.html` (Jinja syntax, rendered by minijinja) and
//! `styles/web/site.css`, built into vlr; a file of the same name in the project's
//! `styles/web/` replaces the built-in one.
//!
//! Every value is escaped as HTML when it is printed (the templates' names end in `.html`), so
//! a writer's `< & # $ * _ @ \` print as they are and can never become markup. Only what vlr
//! itself made (a chart's SVG) is marked safe.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use minijinja::{AutoEscape, Environment, Error, ErrorKind, UndefinedBehavior, Value};

use crate::ctx::Ctx;
use crate::diag::{Code, Diagnostic, Loc};

/// The templates of one build, ready to render.
pub struct Env {
    pub jinja: Environment<'static>,
    /// `site.css`: the design's style sheet, copied to `assets/site.css`.
    pub css: String,
    /// Each template by name (`chapter.html`): where it comes from and its text.
    sources: BTreeMap<String, (PathBuf, String)>,
}

/// The templates: the built-in ones, each replaced by the project's file of the same name.
/// `None` when one cannot be read or parsed (reported at its line).
pub fn environment(ctx: &mut Ctx) -> Option<Env> {
    let dir = Path::new(super::TEMPLATES);
    let mut sources: BTreeMap<String, (PathBuf, String)> = BTreeMap::new();
    for (path, text) in crate::builtin::STYLES.iter().filter(|(p, _)| Path::new(p).parent() == Some(dir)) {
        let name = path.rsplit('/').next().unwrap_or(path).to_string();
        sources.insert(name, (PathBuf::from(path), text.to_string()));
    }
    let before = ctx.diags.error_count();
    if ctx.files.is_dir(dir) {
        for path in ctx.files.list(dir, &["html", "css"]).unwrap_or_default() {
            let Some(name) = path.file_name().map(|n| n.to_string_lossy().into_owned()) else { continue };
            if let Some(text) = ctx.files.read_text(&mut ctx.diags, &path) {
                sources.insert(name, (path, text));
            }
        }
    }
    let css = sources.get("site.css").map(|(_, t)| t.clone()).unwrap_or_default();
    let mut env = Env { jinja: Environment::new(), css, sources };
    // A misspelt name is an error where it is printed or looped over, not an empty string;
    // `{% if x.maybe %}` still tests a field that may be missing.
    env.jinja.set_undefined_behavior(UndefinedBehavior::SemiStrict);
    env.jinja.add_function("word", word);
    // Escaped as HTML needs it (`& < > " '`), so the pages read as they were written: a
    // link is `../downloads/x.pdf`, not `..&#x2f;downloads&#x2f;x.pdf`.
    env.jinja.set_formatter(|out, state, value| match value.as_str() {
        Some(s) if !value.is_safe() && *state.auto_escape() == AutoEscape::Html => {
            out.write_str(&super::svg::escape(s)).map_err(Error::from)
        }
        _ => minijinja::escape_formatter(out, state, value),
    });
    let mut errors = Vec::new();
    for (name, (_, text)) in env.sources.iter().filter(|(n, _)| n.ends_with(".html")) {
        if let Err(e) = env.jinja.add_template_owned(name.clone(), text.clone()) {
            errors.push((e, name.clone()));
        }
    }
    for (e, name) in errors {
        ctx.diags.push(env.diagnostic(&e, &name));
    }
    (ctx.diags.error_count() == before).then_some(env)
}

/// `word(ui, "key")`: an interface word of the page's language pack (`book.ui`). vlr checks
/// before building that the source pack has every word the templates ask for this way.
fn word(ui: Value, key: &str) -> Result<Value, Error> {
    let words = ui.get_attr("words")?;
    let w = words.get_item(&Value::from(key))?;
    if w.is_undefined() || w.is_none() {
        let file = ui.get_attr("file").ok().map(|f| f.to_string()).unwrap_or_else(|| "ui.toml".into());
        return Err(Error::new(
            ErrorKind::InvalidOperation,
            format!("the language pack has no word `{key}`: add [{key}] text = \"...\" to {file}"),
        ));
    }
    Ok(w)
}

impl Env {
    /// A template's error at its place: the template's file and the line (and span) minijinja
    /// names; `page` is the page being made.
    pub fn diagnostic(&self, e: &Error, page: &str) -> Diagnostic {
        // The innermost error says what went wrong; the outer ones where it was called from.
        let mut detail = e.detail().map(str::to_string).unwrap_or_else(|| e.kind().to_string());
        let mut source: Option<&(dyn std::error::Error + 'static)> = std::error::Error::source(e);
        while let Some(s) = source {
            if let Some(inner) = s.downcast_ref::<Error>() {
                detail =
                    format!("{detail}: {}", inner.detail().map(str::to_string).unwrap_or_else(|| inner.to_string()));
            }
            source = s.source();
        }
        let message = format!("the web page {page} cannot be made: {detail}");
        let hint = "fix the template (Jinja syntax, https://docs.rs/minijinja); `vlr styles eject` copies the built-in ones to compare";
        let Some((path, text)) = e.name().and_then(|n| self.sources.get(n)) else {
            return Diagnostic::error(Code::WebTemplate, message).hint(hint);
        };
        let span = e.range().or_else(|| {
            let line = e.line()?;
            let start: usize = text.split_inclusive('\n').take(line.saturating_sub(1)).map(str::len).sum();
            let len = text[start..].find('\n').unwrap_or(text.len() - start);
            Some(start..start + len)
        });
        match span {
            Some(span) => Loc::new(path, span).error(Code::WebTemplate, message).hint(hint),
            None => Diagnostic::error(Code::WebTemplate, message).in_file(path).hint(hint),
        }
    }

    /// Renders template `name` with `context`.
    pub fn render(&self, name: &str, context: Value) -> Result<String, Error> {
        self.jinja.get_template(name)?.render(context)
    }
}
