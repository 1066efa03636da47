//! How the command line shows what happened: diagnostics (human on stderr, or one JSON array on
//! stdout), a usage error, the project root it works on.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use vlr::Diagnostics;

use crate::args::Format;

/// Colours only on a terminal, and never when NO_COLOR is set (no-color.org).
fn color() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// Prints diagnostics: human on stderr, or one JSON array on stdout.
pub fn diagnostics(diags: &Diagnostics, format: Format) {
    match format {
        Format::Json => println!("{}", vlr::render_json(diags)),
        Format::Human => eprint!("{}", vlr::render_human(diags, color())),
    }
}

/// A mistake on the command line itself, before any project is read: exit code 2.
pub fn usage_error(message: &str, hint: &str) -> ExitCode {
    eprintln!("error: {message}");
    eprintln!("  = hint: {hint}");
    ExitCode::from(2)
}

/// The project folder: the one given, or the nearest one above the current folder.
pub fn project_root(given: Option<&PathBuf>) -> Result<PathBuf, ExitCode> {
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let root = match given {
        Some(r) => r.clone(),
        None => vlr::find_root(&cwd).ok_or_else(|| {
            usage_error(
                &format!("no report.toml in {} or any folder above it", cwd.display()),
                "run vlr inside a report project, or pass --root DIR",
            )
        })?,
    };
    if !root.join("report.toml").is_file() {
        return Err(usage_error(
            &format!("{} has no report.toml", root.display()),
            "pass the folder that holds report.toml to --root",
        ));
    }
    Ok(root)
}
