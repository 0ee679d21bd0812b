//! The predefined macros of every target against the GCC cross compiler
//! for it (`<triple>-gcc -dM -E`), where installed; skipped loudly when not.
//! Every macro we predefine GCC predefines, with the same replacement; and
//! GCC's macros that headers test or use in declarations (architecture
//! switches, integer types, limits and widths) are all ours.

use super::{Target, TARGETS};
use std::collections::HashMap;
use std::process::Command;

/// Macros whose value we leave different from GCC's: the exact GCC
/// version.
const UNCHECKED_VALUES: &[&str] = &["__GNUC_MINOR__", "__GNUC_PATCHLEVEL__"];

fn gcc_macros(target: &Target) -> Option<HashMap<String, String>> {
    let gcc =
        if target.is_host() { "gcc".to_string() } else { format!("{}-gcc", target.cross_triple()) };
    macros(Command::new(gcc))
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
        let ours: HashMap<String, String> = target.predefined_macros().into_iter().collect();
        for (name, value) in &ours {
            match gcc.get(name) {
                None => problems.push(format!("{target}: {name} is not predefined by gcc")),
                Some(_) if UNCHECKED_VALUES.contains(&name.as_str()) => {}
                Some(theirs) if theirs != value => {
                    problems.push(format!("{target}: {name} is {value:?}, gcc has {theirs:?}"))
                }
                Some(_) => {}
            }
        }
        for name in gcc.keys().filter(|k| is_arch_switch(k) || is_integer_macro(k)) {
            if !ours.contains_key(name) {
                problems.push(format!("{target}: gcc predefines {name}, we do not"));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// GCC's integer type, limit, width and constant macros (`__INT_FAST16_TYPE__`,
/// `__SIZE_MAX__`, `__LONG_WIDTH__`, `__INT64_C(c)`), not the floating
/// ones (nor armv7's fixed-point `_Fract` and `_Accum`).
fn is_integer_macro(name: &str) -> bool {
    let float = ["__FLT", "__DBL", "__LDBL", "__DEC", "__BFLT", "__FP_", "__GCC_"];
    !float.iter().any(|f| name.starts_with(f))
        && !name.contains("FRACT")
        && !name.contains("ACCUM")
        && (name.ends_with("_TYPE__")
            || name.ends_with("_MAX__")
            || name.ends_with("_MIN__")
            || name.ends_with("_WIDTH__")
            || name.ends_with("_C(c)"))
}

/// Macros that name the architecture, its variant, data model or byte
/// order.
fn is_arch_switch(name: &str) -> bool {
    let families = ["__ARM_ARCH", "__ARM_SIZEOF", "__ARM_NEON", "__riscv", "_CALL_"];
    if families.iter().any(|f| name.starts_with(f)) && !name.starts_with("__riscv_v") {
        return true;
    }
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
        "__ARCH__",
        "__LONGDOUBLE128",
        "__SIZEOF_IBM128__",
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
