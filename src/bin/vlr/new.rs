//! `vlr new` (a new city's report) and `vlr styles eject` (the built-in design, for a designer).

use std::path::PathBuf;
use std::process::ExitCode;

use vlr::Diagnostics;

use crate::args::{Format, NewCommand};
use crate::report;

pub fn new(command: &NewCommand) -> ExitCode {
    let r = vlr::starter::NewReport {
        title: command.title.clone(),
        city: command.city.clone(),
        year: command.year,
        goals: command.goals.clone(),
        languages: command.lang.clone(),
        page_size: command.page_size.clone(),
        styles: command.styles,
    };
    let dir = &command.dir;
    let written =
        vlr::starter::files(&r).map_err(|d| vec![d]).and_then(|files| vlr::starter::write(dir, files, command.force));
    match written {
        Ok(written) => {
            eprintln!(
                "started {} ({} files): build it with `vlr build --root {}`",
                dir.display(),
                written.len(),
                dir.display()
            );
            ExitCode::SUCCESS
        }
        Err(problems) => failed(problems),
    }
}

pub fn eject(root: Option<&PathBuf>, force: bool) -> ExitCode {
    let root = match report::project_root(root) {
        Ok(r) => r,
        Err(code) => return code,
    };
    let files: Vec<_> = vlr::starter::styles()
        .into_iter()
        .filter(|(rel, _)| force || !root.join(rel).exists())
        .map(|(rel, text)| vlr::Output { path: root.join(rel), bytes: text.into_bytes() })
        .collect();
    match vlr::write_all(&files) {
        Ok(written) => {
            for f in &written {
                eprintln!("wrote {}", f.display());
            }
            eprintln!("{} file(s) of the built-in design are now in {}/styles", written.len(), root.display());
            ExitCode::SUCCESS
        }
        Err(problems) => failed(problems),
    }
}

/// Prints why nothing was written; exit code 2 for a bad option, else 1.
fn failed(problems: Vec<vlr::Diagnostic>) -> ExitCode {
    let diags = Diagnostics::from_vec(problems);
    report::diagnostics(&diags, Format::Human);
    ExitCode::from(if diags.has_usage_errors() { 2 } else { 1 })
}
