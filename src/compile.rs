//! Stage 6b: compile with Typst, turning its diagnostics into ours.

use typst::WorldExt;
use typst::diag::{Severity as TSeverity, SourceDiagnostic};
use typst::World;
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
        Ok(doc) => Some(doc),
        Err(errors) => {
            for e in errors.iter() {
                let d = convert(ctx, world, e);
                ctx.push(d);
            }
            None
        }
    }
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
