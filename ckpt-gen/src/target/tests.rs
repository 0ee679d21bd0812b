//! The predefined macros of every target against the GCC cross compiler
//! for it (`<triple>-gcc -dM -E`), where installed; skipped loudly when not.
//! Ours are GCC's, plus a few that only Clang predefines
//! (`__LITTLE_ENDIAN__`, `_ILP32` on arm and powerpc, `__ppc__`), which
//! `clang -target` must then predefine with the same value.

use super::{Target, TARGETS};
use std::collections::HashMap;
use std::process::Command;

/// Macros whose value we deliberately leave different from GCC's: the
/// language version (`-std=gnu17` is GCC 12's default too, but its
/// `__STDC_VERSION__` is the same; kept for clarity), the exact GCC
/// version, and `wchar_t`, which no checkpoint record uses.
const UNCHECKED_VALUES: &[&str] =
    &["__GNUC_MINOR__", "__GNUC_PATCHLEVEL__", "__WCHAR_TYPE__", "__WCHAR_MAX__", "__WINT_TYPE__"];

fn gcc_macros(target: &Target) -> Option<HashMap<String, String>> {
    let gcc =
        if target.is_host() { "gcc".to_string() } else { format!("{}-gcc", target.cross_triple()) };
    macros(Command::new(gcc))
}

fn clang_macros(target: &Target) -> Option<HashMap<String, String>> {
    let mut clang = Command::new("clang");
    clang.args(["-target", target.clang_triple()]);
    macros(clang)
}

fn macros(mut compiler: Command) -> Option<HashMap<String, String>> {
    let out = compiler.args(["-dM", "-E", "-x", "c", "/dev/null"]).output().ok()?;
    if !out.status.success() {
        return None;
    }
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let defs = text
        .lines()
        .filter_map(|l| l.strip_prefix("#define "))
        .map(|l| match l.split_once(' ') {
            Some((k, v)) => (k.to_string(), v.trim().to_string()),
            None => (l.to_string(), String::new()),
        })
        .collect();
    Some(defs)
}

#[test]
fn predefined_macros_match_gcc() {
    let mut problems = Vec::new();
    for target in &TARGETS {
        let Some(gcc) = gcc_macros(target) else {
            eprintln!("SKIPPED predefined macros of {target}: no {}-gcc", target.cross_triple());
            continue;
        };
        let clang = clang_macros(target);
        if clang.is_none() {
            eprintln!("SKIPPED Clang-only predefined macros of {target}: no clang");
        }
        for (name, value) in target.predefined_macros() {
            match gcc.get(&name).or_else(|| clang.as_ref()?.get(&name)) {
                None if clang.is_none() => {}
                None => problems
                    .push(format!("{target}: {name} is predefined by neither gcc nor clang")),
                Some(_) if UNCHECKED_VALUES.contains(&name.as_str()) => {}
                Some(theirs) if *theirs != value => {
                    problems.push(format!("{target}: {name} is {value:?}, gcc has {theirs:?}"))
                }
                Some(_) => {}
            }
        }
        // The switches headers test to pick an architecture's branch.
        let ours: HashMap<String, String> = target.predefined_macros().into_iter().collect();
        for name in gcc.keys().filter(|k| is_arch_switch(k)) {
            if !ours.contains_key(name) {
                problems.push(format!("{target}: gcc predefines {name}, we do not"));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Macros that name the architecture, data model or byte order.
fn is_arch_switch(name: &str) -> bool {
    const SWITCHES: &[&str] = &[
        "__x86_64__",
        "__i386__",
        "__aarch64__",
        "__arm__",
        "__ARM_EABI__",
        "__s390__",
        "__s390x__",
        "__powerpc__",
        "__powerpc64__",
        "__PPC64__",
        "__riscv",
        "__riscv_xlen",
        "__LP64__",
        "_LP64",
        "_ILP32",
        "__ILP32__",
        "__BIG_ENDIAN__",
        "__LITTLE_ENDIAN__",
        "__BYTE_ORDER__",
        "__CHAR_UNSIGNED__",
        "__SIZEOF_LONG__",
        "__SIZEOF_POINTER__",
        "__SIZEOF_LONG_DOUBLE__",
        "__SIZEOF_INT128__",
        "_CALL_ELF",
        "__LONG_DOUBLE_128__",
        "__ARMEL__",
        "__AARCH64EL__",
        "__zarch__",
        "_BIG_ENDIAN",
    ];
    SWITCHES.contains(&name)
}

#[test]
fn target_lists() {
    assert_eq!(Target::parse_list("all").unwrap().len(), 8);
    let two = Target::parse_list("i386,x86_64-linux-gnu,i686-linux-gnu").unwrap();
    assert_eq!(
        two.iter().map(|t| t.name).collect::<Vec<_>>(),
        ["i386-linux-gnu", "x86_64-linux-gnu"]
    );
    assert!(Target::parse_list("vax").unwrap_err().contains("unknown target 'vax'"));
}
