//! The commands that look at several targets or at other tools: `check`,
//! `verify` and `generate --emit bindgen`. Flags in, library calls,
//! output and exit codes out.

use super::args::{Common, Targets};
use super::{finish, report_layout_errors, write_atomically, INPUT_ERROR, OK, PROBLEMS};
use anyhow::{bail, Context as _, Result};
use ckpt_gen::analyses::check::{self as portability, Input, Level};
use ckpt_gen::diag;
use ckpt_gen::ir::RecordId;
use ckpt_gen::layout::Layouts;
use ckpt_gen::pipeline::{self, Analysis, Options};
use ckpt_gen::target::Target;
use ckpt_gen::verify::{self, Compiler, Unavailable};
use std::collections::HashSet;
use std::io::Write as _;
use std::path::{Path, PathBuf};

/// The front end run for one target.
struct Run {
    options: Options,
    analysis: Analysis,
}

/// Runs the front end once per target, printing each diagnostic once.
/// Targets without system headers are an error when named, and skipped
/// with a warning when they come from the default list.
fn analyze_targets(common: &Common, targets: &[&'static Target], named: bool) -> Result<Vec<Run>> {
    let mut seen = HashSet::new();
    let mut runs = Vec::new();
    for &target in targets {
        if let Some(why) = pipeline::missing_system_headers(target) {
            if named {
                bail!("{why}");
            }
            eprintln!("ckpt-gen: warning: skipping {target}: {why}");
            continue;
        }
        let options = common.options(target);
        let analysis = pipeline::analyze(&options);
        let fresh: Vec<diag::Diagnostic> = analysis
            .diagnostics
            .iter()
            .filter(|d| seen.insert(diag::summary(d, &analysis.ir.files)))
            .cloned()
            .collect();
        eprint!("{}", diag::render(&fresh, &analysis.ir.files));
        runs.push(Run { options, analysis });
    }
    if runs.is_empty() {
        bail!("no target left to check");
    }
    Ok(runs)
}

fn pattern(common: &Common) -> Result<regex::Regex> {
    regex::Regex::new(&common.pattern)
        .with_context(|| format!("invalid --match pattern '{}'", common.pattern))
}

/// The files `check` writes and reads besides the headers.
pub struct Files<'a> {
    /// `-o`: the report.
    pub output: Option<&'a Path>,
    /// `--config`: the tree's configuration.
    pub config: Option<&'a Path>,
}

/// `check`: the portability report.
pub fn check(
    common: &Common,
    targets: &Targets,
    json: bool,
    deny: &str,
    Files { output, config }: Files,
) -> Result<i32> {
    let deny = Level::by_name(deny).context("--deny takes note, warning or error")?;
    let config = match ckpt_gen::config::for_paths(&common.paths, config) {
        Ok(config) => config,
        Err(e) => {
            eprint!("{}", diag::render(&[e.diagnostic], &e.files));
            return Ok(INPUT_ERROR);
        }
    };
    let list = targets.resolve(common, "all")?;
    let runs = analyze_targets(common, &list, targets.explicit(common))?;
    let pattern = pattern(common)?;
    let layouts: Vec<Layouts> =
        runs.iter().map(|r| Layouts::compute(&r.analysis.ir, r.options.target)).collect();
    let records: Vec<Vec<RecordId>> =
        runs.iter().map(|r| pipeline::matched_records(&r.analysis.ir, &pattern)).collect();
    let mut input_errors = runs.iter().any(|r| r.analysis.has_errors());
    for (l, ids) in layouts.iter().zip(&records) {
        input_errors |= report_layout_errors(l, ids);
    }
    let inputs: Vec<Input> =
        layouts.iter().zip(&records).map(|(layouts, records)| Input { layouts, records }).collect();
    let report = portability::check(&inputs, &config);
    let text = if json { portability::json(&report) } else { portability::text(&report) };
    write_out(&text, output)?;
    Ok(if input_errors {
        INPUT_ERROR
    } else if report.fails(deny) {
        PROBLEMS
    } else {
        OK
    })
}

/// `verify`: every record against real compilers.
pub fn verify(common: &Common, targets: &Targets, with: &[String]) -> Result<i32> {
    let list = targets.resolve(common, "host")?;
    let runs = analyze_targets(common, &list, true)?;
    let pattern = pattern(common)?;
    let work = tempfile::tempdir().context("creating a temporary folder")?;
    let (mut problems, mut unavailable) = (false, false);
    let mut out = String::new();
    for run in &runs {
        let target = run.options.target;
        let layouts = Layouts::compute(&run.analysis.ir, target);
        let records = pipeline::matched_records(&run.analysis.ir, &pattern);
        problems |= report_layout_errors(&layouts, &records);
        let mut compared = false;
        for compiler in compilers(with, target) {
            let args = verify::compiler_args(compiler, &run.options);
            let name = compiler.name();
            match verify::verify(compiler, &layouts, &records, &args, work.path()) {
                Ok(report) => {
                    compared = true;
                    problems |= !report.mismatches.is_empty() || !report.rejected.is_empty();
                    out.push_str(&verify_text(&report, target, name));
                }
                Err(Unavailable::NotApplicable(why)) => {
                    out.push_str(&format!("{target} {name}: not applicable: {why}\n"));
                }
                Err(Unavailable::Missing(why)) => {
                    unavailable = true;
                    out.push_str(&format!("{target} {name}: MISSING: {why}\n"));
                }
            }
        }
        if !compared {
            unavailable = true;
            out.push_str(&format!("{target}: nothing compared\n"));
        }
    }
    write_out(&out, None)?;
    Ok(if problems || runs.iter().any(|r| r.analysis.has_errors()) {
        PROBLEMS
    } else if unavailable {
        INPUT_ERROR
    } else {
        OK
    })
}

/// `--with` as given, or `cc` for the host and `clang` for other targets.
fn compilers(with: &[String], target: &Target) -> Vec<Compiler> {
    if with.is_empty() {
        return vec![if target.is_host() { Compiler::Cc } else { Compiler::Clang }];
    }
    let mut out: Vec<Compiler> = Vec::new();
    for c in with.iter().filter_map(|w| Compiler::by_name(w)) {
        if !out.contains(&c) {
            out.push(c);
        }
    }
    out
}

fn verify_text(report: &verify::Report, target: &Target, compiler: &str) -> String {
    let mut out = format!(
        "{target} {compiler}: {} records, {} fields compared, {} disagreements\n",
        report.records,
        report.fields,
        report.mismatches.len()
    );
    for m in &report.mismatches {
        let theirs =
            if m.theirs == u64::MAX { "missing".to_string() } else { m.theirs.to_string() };
        out.push_str(&format!(
            "  {} {}: ckpt-gen {}, {compiler} {theirs}\n",
            m.record, m.what, m.ours
        ));
    }
    for (header, message) in &report.rejected {
        let first = message.lines().find(|l| l.contains("error")).unwrap_or(message.trim());
        out.push_str(&format!("  {compiler} rejects {}: {first}\n", header.display()));
    }
    out
}

/// `generate --emit bindgen`: bindgen's output for the same records.
pub fn bindgen(common: &Common, output: Option<&Path>) -> Result<i32> {
    let target = common.target()?;
    let runs = analyze_targets(common, &[target], true)?;
    let run = &runs[0];
    let ir = &run.analysis.ir;
    let records = pipeline::matched_records(ir, &pattern(common)?);
    let names: Vec<String> = records
        .iter()
        .map(|&id| ir.record(id).name.clone())
        .filter(|n| !n.contains("::"))
        .collect();
    let mut headers: Vec<PathBuf> =
        records.iter().map(|&id| ir.file(ir.record(id).loc.file).path.clone()).collect();
    headers.sort();
    headers.dedup();
    let args = verify::compiler_args(Compiler::Libclang, &run.options);
    let work = tempfile::tempdir().context("creating a temporary folder")?;
    let text = run_bindgen(&names, &headers, &args, target, work.path())?;
    finish(run.analysis.has_errors(), &text, output)
}

#[cfg(feature = "libclang")]
fn run_bindgen(
    names: &[String],
    headers: &[PathBuf],
    args: &[String],
    target: &Target,
    work: &Path,
) -> Result<String> {
    ckpt_gen::emit::bindgen::bindgen(names, headers, args, target, work).map_err(anyhow::Error::msg)
}

#[cfg(not(feature = "libclang"))]
fn run_bindgen(_: &[String], _: &[PathBuf], _: &[String], _: &Target, _: &Path) -> Result<String> {
    bail!("--emit bindgen needs ckpt-gen built with the `libclang` feature")
}

/// Writes a report to `output` (atomically) or stdout.
fn write_out(text: &str, output: Option<&Path>) -> Result<()> {
    match output {
        Some(path) => write_atomically(path, text),
        None => {
            let mut out = std::io::stdout().lock();
            match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
                Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
                    Err(e).context("writing to stdout")
                }
                _ => Ok(()),
            }
        }
    }
}
