//! `vlr build`, `vlr check` and `vlr preflight`: one run of the pipeline each, as far as the
//! command goes; a progress bar on a terminal; the diagnostics and a summary.

use std::io::IsTerminal;
use std::path::Path;
use std::process::ExitCode;

use vlr::{Diagnostics, Languages, Options, Outcome, Until};

use crate::args::{BuildCommand, CheckCommand, Common, Format, OutputArgs, PreflightCommand};
use crate::report;

pub fn build(command: &BuildCommand) -> ExitCode {
    let mut opts = match options(&command.common) {
        Ok(o) => o,
        Err(code) => return code,
    };
    command.output.apply(&mut opts);
    opts.emit_typst = command.emit_typst.clone();
    opts.data = command.data;
    opts.timings = command.timings.clone();
    finish(run_with_progress(&mut opts, &command.common, Until::Write), &command.common, command.timings.as_deref())
}

pub fn check(command: &CheckCommand) -> ExitCode {
    match options(&command.common) {
        Ok(mut opts) => {
            // The web edition's templates are the project's too: a designer's error in one is
            // found here, not by the next build.
            opts.editions.push(vlr::Edition::Web);
            finish(run_with_progress(&mut opts, &command.common, Until::Check), &command.common, None)
        }
        Err(code) => code,
    }
}

pub fn preflight(command: &PreflightCommand) -> ExitCode {
    match options(&command.common) {
        Ok(mut opts) => {
            opts.editions = command.edition.editions();
            finish(run_with_progress(&mut opts, &command.common, Until::Preflight), &command.common, None)
        }
        Err(code) => code,
    }
}

/// The run's options from the options every project command takes.
pub fn options(common: &Common) -> Result<Options, ExitCode> {
    let mut opts = Options::new(report::project_root(common.root.as_ref())?);
    opts.languages = if common.lang.iter().any(|l| l == "all") {
        Languages::All
    } else if common.lang.is_empty() {
        Languages::Default
    } else {
        Languages::Some(common.lang.clone())
    };
    opts.font_paths = common.font_path.clone();
    opts.deny_warnings = common.deny_warnings;
    opts.source_date_epoch = common.source_date_epoch.clone();
    Ok(opts)
}

impl OutputArgs {
    pub fn apply(&self, opts: &mut Options) {
        opts.out_dir = self.out.clone();
        opts.editions = self.edition.editions();
        opts.chapter = self.chapter.clone();
    }
}

/// Prints the outcome and its summary; the exit code.
fn finish(mut outcome: Outcome, common: &Common, timings: Option<&Path>) -> ExitCode {
    if common.quiet {
        outcome.diags.retain_errors();
    }
    report::diagnostics(&outcome.diags, common.format);
    if common.format == Format::Human && !common.quiet && !outcome.diags.has_usage_errors() {
        summary(&outcome, common);
    }
    if let (Some(file), true) = (timings, outcome.ok()) {
        let t = &outcome.timings;
        eprintln!(
            "timings: load {:.0} ms, resolve {:.0} ms, charts {:.0} ms, images {:.0} ms, typeset {:.0} ms, export {:.0} ms, web {:.0} ms, write {:.0} ms; total {:.0} ms",
            t.load, t.resolve, t.charts, t.images, t.typeset, t.export, t.web, t.write, t.total
        );
        let json = serde_json::to_string_pretty(t).expect("timings serialize") + "\n";
        // Its path was checked before the PDFs were written.
        if let Err(e) = vlr::write_atomic(file, json.as_bytes()) {
            report::diagnostics(&Diagnostics::from_vec(e), common.format);
            return ExitCode::from(1);
        }
    }
    ExitCode::from(outcome.exit_code())
}

fn summary(outcome: &Outcome, common: &Common) {
    let diags = &outcome.diags;
    for e in &outcome.pdfs {
        if !e.placeholders.is_empty() {
            eprintln!(
                "note: {} figure(s) in the {} edition are placeholder frames (no image file):",
                e.placeholders.len(),
                e.target.lang
            );
            for p in &e.placeholders {
                eprintln!("  {}/{}: {}", p.chapter, p.figure, p.caption);
            }
        }
        match (&e.path, e.range) {
            (Some(path), Some((first, last))) => eprintln!(
                "wrote {} (pages {first}–{last} of {}, {} KiB, untagged preview)",
                path.display(),
                e.pages,
                e.bytes.div_ceil(1024)
            ),
            (Some(path), None) => {
                eprintln!("wrote {} ({} pages, {} KiB)", path.display(), e.pages, e.bytes.div_ceil(1024))
            }
            (None, _) if e.bytes == 0 => {
                eprintln!("checked the {} edition ({})", e.target.lang, e.target.edition.name())
            }
            (None, _) => {}
        }
    }
    match outcome.site.as_ref().filter(|_| outcome.ok()) {
        Some(site @ vlr::Site { dir: Some(dir), .. }) => eprintln!(
            "wrote {} ({} pages, {} files, {} KiB)",
            dir.display(),
            site.pages,
            site.files,
            site.bytes.div_ceil(1024)
        ),
        Some(site) => eprintln!("checked the web edition ({} pages)", site.pages),
        None => {}
    }
    let (errors, warnings) = (diags.error_count(), diags.warning_count());
    let secs = outcome.timings.total / 1000.0;
    if errors > 0 {
        eprintln!("failed with {errors} error(s) and {warnings} warning(s); no file was written or replaced");
    } else if !outcome.denied {
        // Pages written: a chapter preview holds only its chapter's.
        let pages: usize = outcome.pdfs.iter().map(|e| e.range.map_or(e.pages, |(first, last)| last + 1 - first)).sum();
        let pdfs = outcome.pdfs.iter().filter(|e| e.path.is_some()).count();
        let site_written = outcome.site.as_ref().filter(|s| s.dir.is_some());
        if let (0, Some(site)) = (pdfs, site_written) {
            eprintln!("done in {secs:.2}s: the web edition, {} pages ({warnings} warning(s))", site.pages);
        } else if pdfs == 0 {
            let checked = outcome.pdfs.len() + usize::from(outcome.site.is_some());
            eprintln!("done in {secs:.2}s: {checked} edition(s) checked ({warnings} warning(s))");
        } else {
            eprintln!("done in {secs:.2}s: {pdfs} PDF(s), {pages} pages ({warnings} warning(s))");
        }
    }
    if common.verbose {
        let t = &outcome.timings;
        eprintln!(
            "stages: load {:.0} ms, resolve {:.0} ms, charts {:.0} ms, images {:.0} ms, typeset {:.0} ms, export {:.0} ms, web {:.0} ms, write {:.0} ms",
            t.load, t.resolve, t.charts, t.images, t.typeset, t.export, t.web, t.write
        );
    }
}

/// Runs the pipeline with a progress bar on a terminal when it makes several PDFs (each
/// edition counts twice: typeset, written). Elsewhere the run stays quiet until its summary.
fn run_with_progress(opts: &mut Options, common: &Common, until: Until) -> Outcome {
    let run = |opts: &Options| vlr::run(&mut opts.session(), opts, until).0;
    if until != Until::Write || common.quiet || !std::io::stderr().is_terminal() {
        return run(opts);
    }
    let (tx, rx) = std::sync::mpsc::channel();
    opts.progress = Some(tx);
    // Hidden until the run knows it makes several PDFs.
    let bar = indicatif::ProgressBar::hidden();
    bar.set_style(
        indicatif::ProgressStyle::with_template("{bar:30} {pos}/{len} {msg}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    let outcome = std::thread::scope(|s| {
        let opts = &*opts;
        let worker = s.spawn(move || run(opts));
        loop {
            match rx.recv_timeout(std::time::Duration::from_millis(50)) {
                Ok(vlr::Progress::Start { steps }) if steps > 2 => {
                    bar.set_length(steps as u64);
                    bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
                }
                Ok(vlr::Progress::Start { .. }) => {}
                Ok(vlr::Progress::Step(msg)) => {
                    bar.inc(1);
                    bar.set_message(msg);
                }
                Err(std::sync::mpsc::RecvTimeoutError::Timeout) if !worker.is_finished() => {}
                Err(_) => break,
            }
        }
        worker.join().expect("the build thread panicked")
    });
    bar.finish_and_clear();
    outcome
}
