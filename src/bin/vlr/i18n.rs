//! `vlr i18n status|export|import`: the translators' tools ([`vlr::translate`]).

use std::process::ExitCode;

use vlr::i18n::{Action, render_status};

use crate::args::{Format, I18nCommand};
use crate::report;

pub fn i18n(command: &I18nCommand) -> ExitCode {
    let (root, lang, action) = match command {
        I18nCommand::Status { root, lang, strict } => (root, lang.clone(), Action::Status { strict: *strict }),
        I18nCommand::Export { root, lang, out } => (root, Some(lang.clone()), Action::Export { out: out.clone() }),
        I18nCommand::Import { root, lang, from, prune } => {
            (root, Some(lang.clone()), Action::Import { from: from.clone(), prune: *prune })
        }
    };
    let root = match report::project_root(root.as_ref()) {
        Ok(r) => r,
        Err(code) => return code,
    };
    let done = vlr::i18n::run(&root, lang.as_deref(), &action);
    for (code, files) in &done.status {
        print!("{}", render_status(code, files));
    }
    report::diagnostics(&done.diags, Format::Human);
    for line in &done.done {
        eprintln!("{line}");
    }
    ExitCode::from(done.exit_code())
}
