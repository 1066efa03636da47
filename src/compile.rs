//! Stage 6b: compile with Typst, turning its diagnostics into ours.

use typst::World;
use typst::WorldExt;
use typst::diag::{Severity as TSeverity, SourceDiagnostic};
use typst::ecow::EcoString;
use typst::foundations::{Label, Selector, Value};
use typst::introspection::{Introspector, MetadataElem};
use typst::utils::PicoStr;
use typst_layout::PagedDocument;

use crate::ctx::Ctx;
use crate::diag::Diagnostic;
use crate::world::VlrWorld;

pub fn compile(ctx: &mut Ctx, world: &VlrWorld) -> Option<PagedDocument> {
    let warned = typst::compile::<PagedDocument>(world);
    for w in &warned.warnings {
        let d = convert(ctx, world, w);
        ctx.push(d);
    }
    match warned.output {
        Ok(doc) => {
            for d in template_reports(&doc) {
                ctx.push(d);
            }
            Some(doc)
        }
        Err(errors) => {
            for e in errors.iter() {
                let d = convert(ctx, world, e);
                ctx.push(d);
            }
            None
        }
    }
}

/// Problems only layout can see (an overfull key-indicator panel), which the templates report
/// as `metadata((code: .., message: .., chapter: ..)) <vlr-diagnostic>`.
fn template_reports(doc: &PagedDocument) -> Vec<Diagnostic> {
    let Some(label) = Label::new(PicoStr::intern("vlr-diagnostic")) else { return Vec::new() };
    let mut out = Vec::new();
    for content in doc.introspector().query(&Selector::Label(label)) {
        let Some(meta) = content.to_packed::<MetadataElem>() else { continue };
        let Value::Dict(dict) = &meta.value else { continue };
        let field = |k: &str| dict.get(k).ok().and_then(|v| v.clone().cast::<EcoString>().ok()).map(|s| s.to_string());
        let code = match field("code").as_deref() {
            Some("overfull-panel") => "overfull-panel",
            _ => "template",
        };
        let mut d =
            Diagnostic::warning(code, field("message").unwrap_or_else(|| "the template reported a problem".into()));
        if let Some(ch) = field("chapter") {
            d = d.in_file(format!("chapters/{ch}.toml"));
        }
        if code == "overfull-panel" {
            d = d.hint("split the panel into two, or use fewer tiles or charts: a panel must fit on one page");
        }
        out.push(d);
    }
    out
}

fn convert(ctx: &mut Ctx, world: &VlrWorld, d: &SourceDiagnostic) -> Diagnostic {
    let mut out = match d.severity {
        TSeverity::Error => Diagnostic::error("typst", d.message.to_string()),
        TSeverity::Warning => Diagnostic::warning("typst", d.message.to_string()),
    };
    if let Some(id) = d.span.id() {
        let path = world.display_path(id);
        if let Ok(source) = world.source(id) {
            ctx.sources.insert(&path, source.text().to_string());
        }
        out = out.at(path, world.range(d.span));
    }
    let hints: Vec<String> = d.hints.iter().map(|h| h.v.to_string()).collect();
    if !hints.is_empty() {
        out = out.hint(hints.join("; "));
    }
    out
}
