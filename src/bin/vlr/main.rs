//! The `vlr` command line: a thin layer over the library (see `lib.rs` for the pipeline). Each
//! command has its module; this file only dispatches.
//!
//! Exit codes: 0 success, 1 content errors (nothing written or replaced), 2 usage errors.

mod args;
mod build;
mod i18n;
mod new;
mod release;
mod report;
mod serve;
mod watch;

use std::process::ExitCode;

use clap::Parser;

use args::{Cli, Command, StylesCommand};

fn main() -> ExitCode {
    match &Cli::parse().command {
        Command::Build(command) => build::build(command),
        Command::Check(command) => build::check(command),
        Command::Preflight(command) => build::preflight(command),
        Command::Watch(command) => watch::watch(command),
        Command::Serve(command) => serve::serve(command),
        Command::Release(command) => release::release(command),
        Command::I18n { command } => i18n::i18n(command),
        Command::New(command) => new::new(command),
        Command::Styles { command: StylesCommand::Eject { root, force } } => new::eject(root.as_ref(), *force),
    }
}
