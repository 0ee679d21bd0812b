//! Argument parsing and output. Everything the commands compute comes from
//! the `ckpt_gen` library; this module only wires flags to it, renders
//! diagnostics and writes files.

mod args;
mod check;
mod logger;

use anyhow::{Context as _, Result};
use args::{Cli, Command, Common};
use ckpt_gen::diag;
use ckpt_gen::layout::Layouts;
use ckpt_gen::pipeline::{self, Analysis};
use ckpt_gen::target::Target;
use clap::Parser as _;
use std::ffi::OsString;
use std::io::Write as _;
use std::path::Path;

/// Exit code: success.
const OK: i32 = 0;
/// Exit code: the check or verification found problems.
const PROBLEMS: i32 = 1;
/// Exit code: usage or input error.
const INPUT_ERROR: i32 = 2;

/// Runs the program with `argv`; returns the exit code.
pub fn run(argv: Vec<OsString>) -> i32 {
    let cli = match Cli::try_parse_from(args::with_default_command(argv)) {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { INPUT_ERROR } else { OK };
        }
    };
    logger::init(cli.verbose, cli.quiet);
    match dispatch(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            INPUT_ERROR
        }
    }
}

fn dispatch(cli: Cli) -> Result<i32> {
    match cli.command {
        Command::Generate { common, output, emit } if emit == "bindgen" => {
            check::bindgen(&common, output.as_deref())
        }
        Command::Generate { common, output, .. } => generate(&common, output.as_deref()),
        Command::Layout { common, json, output } => layout(&common, json, output.as_deref()),
        Command::Check { common, targets, json, deny, output, config } => {
            let files = check::Files { output: output.as_deref(), config: config.as_deref() };
            check::check(&common, &targets, json, &deny, files)
        }
        Command::Verify { common, targets, with } => check::verify(&common, &targets, &with),
    }
}

/// Runs the front end and prints its diagnostics.
fn analyze(common: &Common) -> Result<(Analysis, &'static Target, regex::Regex)> {
    let target = common.target()?;
    let pattern = regex::Regex::new(&common.pattern)
        .with_context(|| format!("invalid --match pattern '{}'", common.pattern))?;
    let options = common.options(target);
    let analysis = pipeline::analyze(&options);
    eprint!("{}", diag::render(&analysis.diagnostics, &analysis.ir.files));
    log::info!(
        "{} headers scanned, {} processed, {} files read",
        analysis.headers_seen,
        analysis.units,
        analysis.files_read.len()
    );
    Ok((analysis, target, pattern))
}

fn generate(common: &Common, output: Option<&Path>) -> Result<i32> {
    let (analysis, target, pattern) = analyze(common)?;
    let layouts = Layouts::compute(&analysis.ir, target);
    let selection = ckpt_gen::select::select(&analysis.ir, &pattern);
    report_unmatched(&analysis, selection.records.len(), &common.pattern);
    let failed = report_layout_errors(&layouts, &selection.records);
    let text = ckpt_gen::emit::rust::rust(&layouts, &selection);
    finish(analysis.has_errors() || failed, &text, output)
}

fn layout(common: &Common, json: bool, output: Option<&Path>) -> Result<i32> {
    let (analysis, target, pattern) = analyze(common)?;
    let layouts = Layouts::compute(&analysis.ir, target);
    let records = pipeline::matched_records(&analysis.ir, &pattern);
    report_unmatched(&analysis, records.len(), &common.pattern);
    let failed = report_layout_errors(&layouts, &records);
    let text = if json {
        ckpt_gen::emit::json::json(&layouts, &records)
    } else {
        ckpt_gen::emit::json::table(&layouts, &records)
    };
    finish(analysis.has_errors() || failed, &text, output)
}

fn report_unmatched(analysis: &Analysis, matched: usize, pattern: &str) {
    if matched == 0 {
        eprintln!(
            "ckpt-gen: no record matches '{pattern}' in {} header(s) scanned ({} candidate(s) processed)",
            analysis.headers_seen, analysis.units
        );
    }
}

/// Prints why selected records have no layout; true if any.
fn report_layout_errors(layouts: &Layouts, records: &[ckpt_gen::ir::RecordId]) -> bool {
    let ir = layouts.ir();
    let mut diags = Vec::new();
    for &id in records {
        let r = ir.record(id);
        // A record only declared is emitted as an opaque type, for pointers.
        if !r.complete {
            continue;
        }
        if let Err(e) = layouts.record(id) {
            let msg = format!("cannot lay out '{}' for {}: {e}", r.name, layouts.target());
            diags.push(diag::Diagnostic::error(r.loc, msg));
        }
    }
    eprint!("{}", diag::render(&diags, &ir.files));
    !diags.is_empty()
}

/// Writes the output (atomically for a file) and picks the exit code. With
/// errors, a file is left as it was; stdout still gets what was produced.
fn finish(had_errors: bool, text: &str, output: Option<&Path>) -> Result<i32> {
    match output {
        Some(_) if had_errors => {
            eprintln!("ckpt-gen: errors found; output file not written");
        }
        Some(path) => write_atomically(path, text)?,
        None => {
            let mut out = std::io::stdout().lock();
            if let Err(e) = out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
                if e.kind() != std::io::ErrorKind::BrokenPipe {
                    return Err(e).context("writing to stdout");
                }
            }
        }
    }
    Ok(if had_errors { INPUT_ERROR } else { OK })
}

/// Writes `text` to a temporary file beside `path`, then renames it over
/// `path`: readers see the old file or the new one, never half of one.
fn write_atomically(path: &Path, text: &str) -> Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let mut tmp = tempfile::NamedTempFile::new_in(dir)
        .with_context(|| format!("creating a temporary file in {}", dir.display()))?;
    tmp.write_all(text.as_bytes()).with_context(|| format!("writing {}", path.display()))?;
    tmp.persist(path).with_context(|| format!("replacing {}", path.display()))?;
    Ok(())
}
