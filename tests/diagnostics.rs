//! Bad input: each gets a diagnostic with a location and no panic, and the
//! rest of the tree is still processed.

use crate::support::host;
use ckpt_gen::diag::Diagnostic;
use ckpt_gen::layout::Layouts;
use ckpt_gen::pipeline::{self, Options};
use std::path::Path;

/// A good record that must survive every bad neighbour.
const GOOD: &str = "struct ckpt_good { unsigned int a; unsigned long long b; };\n";

/// Runs the pipeline on a tree holding `good.h` and the given files; returns
/// the diagnostics (front end, plus layout errors of matched records).
fn run(files: &[(&str, &[u8])]) -> Vec<Diagnostic> {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("good.h"), GOOD).unwrap();
    for (name, text) in files {
        let p = dir.path().join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    run_in(dir.path())
}

fn run_in(dir: &Path) -> Vec<Diagnostic> {
    let mut options = Options::new(vec![dir.to_path_buf()], host());
    options.system_dirs = Some(Vec::new());
    options.max_include_depth = 40;
    options.max_expansion_tokens = 200_000;
    let analysis = pipeline::analyze(&options);
    let layouts = Layouts::compute(&analysis.ir, host());
    let mut diags = analysis.diagnostics.clone();
    let re = regex::Regex::new("^ckpt_").unwrap();
    let matched = pipeline::matched_records(&analysis.ir, &re);
    let mut good = false;
    for id in matched {
        let r = analysis.ir.record(id);
        match layouts.record(id) {
            Ok(l) if r.name == "ckpt_good" => good = l.size_bytes == 16,
            Ok(_) => {}
            Err(e) => {
                diags.push(Diagnostic::error(r.loc, format!("cannot lay out '{}': {e}", r.name)))
            }
        }
    }
    assert!(good, "the good record was not processed next to the bad input: {diags:?}");
    diags
}

fn expect(files: &[(&str, &[u8])], want: &str) {
    let diags = run(files);
    let hit = diags.iter().find(|d| d.message.contains(want));
    let Some(d) = hit else { panic!("want a diagnostic containing {want:?}, got {diags:#?}") };
    if let Some(loc) = d.loc {
        assert!(loc.line >= 1 && loc.column >= 1, "{d:?}");
    }
}

#[test]
fn unterminated_comment() {
    expect(&[("bad.h", b"struct ckpt_x { int a; };\n/* never closed\n")], "unterminated comment");
}

#[test]
fn unbalanced_brace() {
    let diags = run(&[("bad.h", b"struct ckpt_x {\n  int a;\n")]);
    assert!(diags.iter().any(|d| d.is_error() && d.loc.is_some_and(|l| l.line == 1)), "{diags:#?}");
}

#[test]
fn missing_include() {
    expect(
        &[("bad.h", b"#include \"nowhere.h\"\nstruct ckpt_x { int a; };\n")],
        "'nowhere.h' file not found",
    );
}

#[test]
fn include_cycle() {
    expect(
        &[
            ("a.h", b"#include \"b.h\"\nstruct ckpt_a { int x; };\n"),
            ("b.h", b"#include \"a.h\"\n"),
        ],
        "include cycle",
    );
}

#[test]
fn self_referential_macro() {
    // `N` expands to itself once (C17 6.10.3.4) and is then an unknown name.
    let diags = run(&[("bad.h", b"#define N N\nstruct ckpt_x { char a[N]; };\n")]);
    assert!(diags.iter().any(|d| d.is_error() && d.message.contains('N')), "{diags:#?}");
}

#[test]
fn unknown_field_type() {
    expect(&[("bad.h", b"struct ckpt_x { undefined_t a; };\n")], "undefined_t");
}

#[test]
fn negative_array_size() {
    let diags = run(&[("bad.h", b"struct ckpt_x { char a[-1]; };\n")]);
    assert!(diags.iter().any(|d| d.is_error() && d.message.contains("ckpt_x")), "{diags:#?}");
}

#[test]
fn non_utf8_comment_is_read() {
    let diags = run(&[("bad.h", b"/* caf\xe9 \xff */\nstruct ckpt_latin1 { int a; };\n")]);
    assert!(!diags.iter().any(Diagnostic::is_error), "{diags:#?}");
}

#[test]
fn empty_file() {
    let diags = run(&[("empty.h", b"")]);
    assert!(!diags.iter().any(Diagnostic::is_error), "{diags:#?}");
}

#[test]
fn directory_symlink_loop() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("good.h"), GOOD).unwrap();
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    std::os::unix::fs::symlink(dir.path(), dir.path().join("sub/loop")).unwrap();
    let diags = run_in(dir.path());
    assert!(diags.iter().any(|d| d.message.contains("symbolic link loop")), "{diags:#?}");
}
