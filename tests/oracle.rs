//! The C compiler as the oracle: every record ckpt-gen lays out is compiled
//! into a probe with the host `cc`, and sizes, alignments and the offset of
//! every member must be equal.

use crate::support::{analyze, have_cc, host, rel, root};
use ckpt_gen::ir::{FileId, RecordId};
use ckpt_gen::layout::Layouts;
use ckpt_gen::pipeline::{matched_records, Analysis};
use ckpt_gen::verify;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// What one oracle run found.
#[derive(Default)]
struct Tally {
    headers: usize,
    rejected_by_cc: Vec<String>,
    records: usize,
    fields: usize,
    mismatches: Vec<String>,
    unhandled: Vec<String>,
    front_end_errors: Vec<String>,
}

/// Checks the records `analysis` matched, header by header: each probe
/// includes only the header that defines its records.
fn check(analysis: &Analysis, pattern: &str, cc_args: &[String]) -> Tally {
    let target = host();
    let layouts = Layouts::compute(&analysis.ir, target);
    let re = regex::Regex::new(pattern).unwrap();
    let mut by_file: BTreeMap<FileId, Vec<RecordId>> = BTreeMap::new();
    for id in matched_records(&analysis.ir, &re) {
        by_file.entry(analysis.ir.record(id).loc.file).or_default().push(id);
    }

    let jobs: Vec<(FileId, Vec<RecordId>)> = by_file.into_iter().collect();
    let results: Vec<(PathBuf, Result<verify::Report, String>, Vec<String>)> =
        parallel(&jobs, |(file, ids)| {
            let header = analysis.ir.file(*file).path.clone();
            let mut unhandled = Vec::new();
            for id in ids {
                if let Err(e) = layouts.record(*id) {
                    unhandled.push(format!(
                        "{}: {}: {e}",
                        rel(&header),
                        analysis.ir.record(*id).name
                    ));
                }
            }
            let work = tempfile::tempdir().unwrap();
            let result =
                verify::run_cc(&layouts, ids, std::slice::from_ref(&header), cc_args, work.path());
            (header, result, unhandled)
        });

    let mut tally =
        Tally { front_end_errors: front_end_errors(analysis, cc_args), ..Tally::default() };
    for (header, result, unhandled) in results {
        tally.headers += 1;
        let accepted = result.is_ok() || compiles_alone(&header, cc_args);
        if accepted {
            tally.unhandled.extend(unhandled);
        }
        match result {
            Ok(report) => {
                tally.records += report.records;
                tally.fields += report.fields;
                for m in report.mismatches {
                    tally.mismatches.push(format!(
                        "{}: {} {}: ckpt-gen {} cc {}",
                        rel(&header),
                        m.record,
                        m.what,
                        m.ours,
                        m.theirs
                    ));
                }
            }
            Err(e) => {
                if accepted {
                    tally.mismatches.push(format!("{}: probe failed to build:\n{e}", rel(&header)));
                } else {
                    tally.rejected_by_cc.push(rel(&header));
                }
            }
        }
    }
    tally
}

fn compiles_alone(header: &Path, cc_args: &[String]) -> bool {
    std::process::Command::new("cc")
        .args(cc_args)
        .args(["-fsyntax-only", "-w", "-x", "c"])
        .arg(header)
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Runs `f` over `items` on every core.
fn parallel<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    let chunk = items.len().div_ceil(threads).max(1);
    std::thread::scope(|s| {
        let handles: Vec<_> =
            items.chunks(chunk).map(|c| s.spawn(|| c.iter().map(&f).collect::<Vec<R>>())).collect();
        handles.into_iter().flat_map(|h| h.join().unwrap()).collect()
    })
}

fn report(name: &str, analysis: &Analysis, tally: &Tally) {
    println!(
        "{name}: {} headers probed, {} records and {} members compared with cc, {} mismatches, {} records ckpt-gen could not lay out, {} headers rejected by cc",
        tally.headers,
        tally.records,
        tally.fields,
        tally.mismatches.len(),
        tally.unhandled.len(),
        tally.rejected_by_cc.len()
    );
    println!(
        "{name}: {} front-end errors in headers cc accepts, {} in headers cc rejects too",
        tally.front_end_errors.len(),
        analysis.diagnostics.iter().filter(|d| d.is_error()).count() - tally.front_end_errors.len()
    );
}

/// Front-end errors located in headers that the compiler accepts on their
/// own: each is a fault of ckpt-gen, since cc proves the input is fine.
fn front_end_errors(analysis: &Analysis, cc_args: &[String]) -> Vec<String> {
    let mut accepted: BTreeMap<FileId, bool> = BTreeMap::new();
    let mut out = Vec::new();
    for d in analysis.diagnostics.iter().filter(|d| d.is_error()) {
        let Some(loc) = d.loc else { continue };
        let file = analysis.ir.file(loc.file);
        let ok = *accepted.entry(loc.file).or_insert_with(|| compiles_alone(&file.path, cc_args));
        if ok {
            out.push(ckpt_gen::diag::summary(d, &analysis.ir.files));
        }
    }
    out
}

#[test]
fn bundled_headers_match_cc() {
    if !have_cc() {
        panic!("no C compiler: the oracle test cannot run (install gcc)");
    }
    let headers = root().join("headers");
    let analysis = analyze(std::slice::from_ref(&headers), "^ckpt_", host());
    let errors: Vec<String> = analysis
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| ckpt_gen::diag::summary(d, &analysis.ir.files))
        .collect();
    assert!(errors.is_empty(), "front-end errors on the bundled tree:\n{}", errors.join("\n"));

    let arch =
        format!("-I{}", headers.join(format!("arch/{}/include", host().kernel_arch())).display());
    let args = vec![format!("-I{}", headers.join("include").display()), arch];
    let tally = check(&analysis, "^ckpt_", &args);
    report("bundled headers", &analysis, &tally);
    assert!(tally.records >= 30, "only {} records compared", tally.records);
    assert!(tally.rejected_by_cc.is_empty(), "cc rejects: {:?}", tally.rejected_by_cc);
    assert!(tally.unhandled.is_empty(), "not laid out:\n{}", tally.unhandled.join("\n"));
    assert!(tally.mismatches.is_empty(), "mismatches:\n{}", tally.mismatches.join("\n"));
}

/// The host's own headers, as the issue lists them: every struct and union
/// of `linux/`, `sys/`, `netinet/` and `asm-generic/` that cc accepts.
#[test]
fn host_headers_match_cc() {
    if !have_cc() {
        panic!("no C compiler: the oracle test cannot run (install gcc)");
    }
    let multiarch = host().multiarch();
    let dirs = [
        "/usr/include/linux".to_string(),
        "/usr/include/sys".to_string(),
        format!("/usr/include/{multiarch}/sys"),
        "/usr/include/netinet".to_string(),
        "/usr/include/asm-generic".to_string(),
    ];
    let mut files = Vec::new();
    for dir in dirs.iter().map(Path::new).filter(|d| d.is_dir()) {
        let mut hs: Vec<PathBuf> = std::fs::read_dir(dir)
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "h") && p.is_file())
            .collect();
        hs.sort();
        files.extend(hs);
    }
    if files.is_empty() {
        println!("host headers: SKIPPED, no /usr/include/linux on this machine");
        return;
    }
    let analysis = analyze(&files, ".", host());
    let tally = check(&analysis, ".", &[]);
    report("host headers", &analysis, &tally);
    assert!(tally.records > 1000, "only {} records compared", tally.records);
    assert!(
        tally.unhandled.is_empty(),
        "{} records not laid out:\n{}",
        tally.unhandled.len(),
        tally.unhandled.join("\n")
    );
    assert!(
        tally.front_end_errors.is_empty(),
        "front-end errors in headers cc accepts:\n{}",
        tally.front_end_errors.join("\n")
    );
    assert!(
        tally.mismatches.is_empty(),
        "{} mismatches:\n{}",
        tally.mismatches.len(),
        tally.mismatches.join("\n")
    );
}
