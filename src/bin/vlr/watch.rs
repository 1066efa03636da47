//! `vlr watch`: build, then rebuild on every change; each outcome printed as it comes.

use std::process::ExitCode;

use crate::args::WatchCommand;
use crate::build::options;
use crate::report;

pub fn watch(command: &WatchCommand) -> ExitCode {
    let mut opts = match options(&command.common) {
        Ok(o) => o,
        Err(code) => return code,
    };
    command.output.apply(&mut opts);
    let format = command.common.format;
    // It returns only when it cannot go on (an unknown language, files it cannot watch).
    let stopped = vlr::watch(opts, |outcome, line| {
        report::diagnostics(&outcome.diags, format);
        eprintln!("{line}");
    });
    report::diagnostics(&stopped.diags, format);
    ExitCode::from(stopped.exit_code())
}
