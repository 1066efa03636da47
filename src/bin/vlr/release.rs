//! `vlr release`: every language and edition, gated, into one folder with its checksums.

use std::process::ExitCode;

use crate::args::ReleaseCommand;
use crate::build::options;
use crate::report;

pub fn release(command: &ReleaseCommand) -> ExitCode {
    let common = &command.common;
    let mut allow = command.allow.clone();
    if !command.strict {
        allow.extend(vlr::Allow::MARKED);
    }
    let opts = match options(common) {
        Ok(o) => o,
        Err(code) => return code,
    };
    let out = command.out.clone().unwrap_or_else(|| opts.root.join("build/release"));
    let started = std::time::Instant::now();
    let mut outcome = vlr::release(&opts, &out, &allow);
    if outcome.diags.has_errors() {
        report::diagnostics(&outcome.diags, common.format);
        eprintln!("release refused: {} problem(s) listed above; nothing was published", outcome.diags.error_count());
        return ExitCode::from(outcome.exit_code());
    }
    if common.quiet {
        outcome.diags.retain_errors();
    }
    report::diagnostics(&outcome.diags, common.format);
    for f in &outcome.written {
        eprintln!("wrote {}", f.display());
    }
    eprintln!("released {} file(s) in {:.2}s", outcome.written.len(), started.elapsed().as_secs_f64());
    ExitCode::from(outcome.exit_code())
}
