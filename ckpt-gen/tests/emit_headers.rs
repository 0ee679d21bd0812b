//! End to end: preprocess, parse, lay out, select and emit Rust, then
//! compile the output with rustc (which proves every layout assertion
//! holds). On the bundled header tree for x86_64, with a snapshot of the
//! text; on the layout cases (`$CKPT_LAYOUT_CASES` or
//! `/work/shared/cases/layout`, skipped loudly when absent) for every
//! target, compiled for x86_64 (the only Rust target installed here).

use ckpt_gen::emit::rust::{rust_with, RustOptions};
use ckpt_gen::ir::{Ir, Macro};
use ckpt_gen::layout::{Layouts, Target};
use ckpt_gen::parse::{parse_constant, parse_unit};
use ckpt_gen::preproc::{preprocess, Config};
use ckpt_gen::select::{select, DEFAULT_PATTERN};
use ckpt_gen::source::Sources;
use ckpt_gen::target::TARGETS;
use std::path::{Path, PathBuf};
use std::process::Command;

fn headers() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../headers").canonicalize().expect("headers/")
}

/// Every header of the tree's `include/` plus the x86 arch header, as one
/// translation unit.
fn root_header(dir: &Path, headers: &Path) -> PathBuf {
    let mut includes: Vec<String> = walk(&headers.join("include"))
        .into_iter()
        .map(|p| p.strip_prefix(headers.join("include")).unwrap().display().to_string())
        .collect();
    includes.sort();
    includes.push("asm/checkpoint_hdr.h".into());
    let text: String = includes.iter().map(|h| format!("#include <{h}>\n")).collect();
    let path = dir.join("all.h");
    std::fs::write(&path, text).unwrap();
    path
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else if path.extension().is_some_and(|e| e == "h") {
            out.push(path);
        }
    }
    out
}

/// The host's system include folders, as `cpp -v` would list them.
fn system_dirs(target: &Target) -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir("/usr/lib/gcc/x86_64-linux-gnu")
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path().join("include"))
        .collect();
    dirs.sort();
    dirs.truncate(1);
    dirs.push(format!("/usr/include/{}", target.multiarch()).into());
    dirs.push("/usr/include".into());
    dirs
}

/// Preprocesses and parses the bundled tree for `target`.
fn bundled_ir(target: &'static Target) -> Ir {
    let headers = headers();
    let tmp = tempfile::tempdir().unwrap();
    let root = root_header(tmp.path(), &headers);
    let config = Config {
        include_dirs: vec![headers.join("include"), headers.join("arch/x86/include")],
        system_dirs: system_dirs(target),
        defines: target.predefined_macros(),
        ..Config::default()
    };
    let sources = Sources::new(vec![headers.clone()], 64 << 20);
    let out = preprocess(&root, &config, &sources);
    assert!(out.diagnostics.is_empty(), "preprocessor: {:?}", out.diagnostics.first());

    let mut ir = Ir::default();
    let parsed = parse_unit(&out.tokens, &out.pack, &mut ir);
    assert!(parsed.diagnostics.is_empty(), "parser: {:?}", parsed.diagnostics.first());
    for m in &out.macros {
        if let Some(value) = parse_constant(&m.expansion, &ir, &parsed.scope) {
            ir.macros.push(Macro { name: m.name.as_str().to_string(), value, loc: m.loc });
        }
    }
    ir.files = sources.infos();
    ir
}

fn rustc_compiles(code: &str) -> Result<(), String> {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("bindings.rs"), code).unwrap();
    let lib = "//! Test crate.\n#![deny(warnings, missing_docs)]\n\
               /// Generated.\npub mod bindings {\n    include!(\"bindings.rs\");\n}\n";
    std::fs::write(dir.path().join("lib.rs"), lib).unwrap();
    let output = Command::new(std::env::var("RUSTC").unwrap_or("rustc".into()))
        .args(["--edition", "2021", "--crate-type", "lib", "--out-dir"])
        .arg(dir.path())
        .arg(dir.path().join("lib.rs"))
        .output()
        .map_err(|e| format!("cannot run rustc: {e}"))?;
    if output.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&output.stderr).into_owned())
    }
}

#[test]
#[cfg(all(target_arch = "x86_64", target_os = "linux"))]
fn bundled_headers_emit_compiling_rust_for_x86_64() {
    let target = Target::by_name("x86_64-linux-gnu").unwrap();
    let ir = bundled_ir(target);
    let layouts = Layouts::compute(&ir, target);
    let selection = select(&ir, &regex::Regex::new(DEFAULT_PATTERN).unwrap());
    let out = rust_with(&layouts, &selection, &RustOptions::default());

    assert_eq!(out.skipped, [], "items left out");
    assert_eq!(selection.matched.len(), 60, "records matched on x86_64 (headers/README.md)");
    if let Err(stderr) = rustc_compiles(&out.code) {
        panic!("generated bindings do not compile:\n{stderr}");
    }
    insta::assert_snapshot!("bundled_x86_64", out.code);
}

#[test]
#[cfg(target_os = "linux")]
fn bundled_headers_emit_for_i386_without_gaps() {
    // Not compiled: no i686 Rust standard library here. The x86_64 test
    // covers the emitter; this one covers i386's layouts (4-aligned u64).
    let target = Target::by_name("i386-linux-gnu").unwrap();
    // glibc's headers for i386 (`libc6-dev-i386-cross` or multilib).
    if !Path::new("/usr/include/i386-linux-gnu").is_dir() {
        eprintln!("SKIPPED bundled_headers_emit_for_i386_without_gaps: no i386 system headers");
        return;
    }
    let ir = bundled_ir(target);
    let layouts = Layouts::compute(&ir, target);
    let selection = select(&ir, &regex::Regex::new(DEFAULT_PATTERN).unwrap());
    let out = rust_with(&layouts, &selection, &RustOptions::default());
    assert_eq!(out.skipped, [], "items left out");
    assert_eq!(selection.matched.len(), 61, "records matched on i386 (headers/README.md)");
    assert!(out.code.contains("pub struct ckpt_x86_fsave {"));
}

fn cases_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("CKPT_LAYOUT_CASES")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/work/shared/cases/layout"));
    dir.is_dir().then_some(dir)
}

/// Preprocesses and parses one self-contained header.
fn case_ir(header: &Path, target: &'static Target) -> Ir {
    let dir = header.parent().unwrap().to_path_buf();
    let config = Config { defines: target.predefined_macros(), ..Config::default() };
    let sources = Sources::new(vec![dir], 1 << 20);
    let out = preprocess(header, &config, &sources);
    assert!(out.diagnostics.is_empty(), "{}: {:?}", header.display(), out.diagnostics.first());
    let mut ir = Ir::default();
    let parsed = parse_unit(&out.tokens, &out.pack, &mut ir);
    assert!(parsed.diagnostics.is_empty(), "{}: {:?}", header.display(), parsed.diagnostics);
    for m in &out.macros {
        if let Some(value) = parse_constant(&m.expansion, &ir, &parsed.scope) {
            ir.macros.push(Macro { name: m.name.as_str().to_string(), value, loc: m.loc });
        }
    }
    ir.files = sources.infos();
    ir
}

#[test]
fn layout_cases_emit_for_every_target() {
    let Some(dir) = cases_dir() else {
        eprintln!("SKIPPED layout_cases_emit_for_every_target: no cases directory");
        return;
    };
    let mut cases: Vec<PathBuf> =
        std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    cases.sort();
    let pattern = regex::Regex::new(DEFAULT_PATTERN).unwrap();

    let mut host_code = String::new();
    for case in &cases {
        let name = case.file_name().unwrap().to_string_lossy().replace('-', "_");
        for target in &TARGETS {
            let ir = case_ir(&case.join("input.h"), target);
            let layouts = Layouts::compute(&ir, target);
            let out = rust_with(&layouts, &select(&ir, &pattern), &RustOptions::default());
            assert_eq!(out.skipped, [], "{name} on {target}");
            if target.name == "x86_64-linux-gnu" {
                host_code
                    .push_str(&format!("/// Case.\npub mod case_{name} {{\n{}\n}}\n", out.code));
            }
        }
    }
    if let Some(path) = std::env::var_os("CKPT_EMIT_DUMP") {
        std::fs::write(path, &host_code).unwrap();
    }
    if cfg!(all(target_arch = "x86_64", target_os = "linux")) {
        if let Err(stderr) = rustc_compiles(&host_code) {
            panic!("generated bindings do not compile:\n{stderr}");
        }
    }
}
