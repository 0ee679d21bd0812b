//! Every architecture: `check` on the bundled tree (snapshot), and
//! `verify` against real compilers for all eight targets, on `headers/`
//! and on the self-contained UAPI records of `/usr/include/linux`.
//!
//! Needs clang and, for the bundled tree on other targets, the Debian
//! `libc6-dev-<arch>-cross` headers (`.ci/run` installs both). Without
//! them the tests print `SKIPPED` and pass, except under CI (`CI` set),
//! where a missing tool fails.

use ckpt_gen::layout::Layouts;
use ckpt_gen::pipeline::{self, Options};
use ckpt_gen::target::{Target, TARGETS};
use ckpt_gen::verify::{self, Compiler};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn headers() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../headers").canonicalize().unwrap()
}

fn ckpt_gen(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ckpt-gen")).args(args).output().unwrap()
}

/// Whether a test can run; prints why not, and fails under CI.
fn available(test: &str, what: &str, ok: bool) -> bool {
    if !ok {
        assert!(std::env::var_os("CI").is_none(), "{test}: {what} is missing under CI");
        eprintln!("SKIPPED {test}: {what} is missing");
    }
    ok
}

fn have_clang() -> bool {
    Command::new("clang").arg("--version").output().is_ok_and(|o| o.status.success())
}

fn all_cross_headers() -> bool {
    TARGETS.iter().all(|t| pipeline::missing_system_headers(t).is_none())
}

#[test]
fn check_finds_the_planted_records_and_nothing_else() {
    if !available("check snapshot", "a target's system headers", all_cross_headers()) {
        return;
    }
    let tree = headers();
    let o = ckpt_gen(&["check", tree.to_str().unwrap(), "--targets", "all"]);
    let text = String::from_utf8(o.stdout).unwrap();
    assert_eq!(o.status.code(), Some(1), "{text}\n{}", String::from_utf8_lossy(&o.stderr));

    let o = ckpt_gen(&["check", tree.to_str().unwrap(), "--targets", "all", "--json"]);
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let mut flagged: Vec<(String, String, u64)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["field"].is_null())
        .map(|f| {
            let s = |k: &str| f[k].as_str().unwrap().to_string();
            (s("record"), s("file"), f["line"].as_u64().unwrap())
        })
        .collect();
    flagged.dedup();
    // The README's table: where each planted record is.
    assert_eq!(
        flagged,
        [
            ("ckpt_file_lock".into(), "include/linux/checkpoint/file.h".into(), 65),
            ("ckpt_ipc_sem_undo".into(), "include/linux/checkpoint/ipc.h".into(), 94),
        ]
    );
    let kinds = |record: &str| -> Vec<String> {
        let mut k: Vec<String> = report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["record"] == record)
            .map(|f| {
                format!("{}:{}", f["kind"].as_str().unwrap(), f["field"].as_str().unwrap_or(""))
            })
            .collect();
        k.dedup();
        k
    };
    assert!(kinds("ckpt_ipc_sem_undo").contains(&"moves-on-i386:undo_list".to_string()));
    assert!(kinds("ckpt_file_lock").contains(&"arch-type:start".to_string()));
    assert_eq!(kinds("ckpt_socket_queue"), ["hole:total_bytes"]);
    insta::assert_snapshot!("check_bundled_all_targets", text);

    // Only a hole on the host: a warning, below the default --deny.
    let o = ckpt_gen(&["check", tree.to_str().unwrap(), "--match", "^ckpt_socket_queue$"]);
    assert_eq!(o.status.code(), Some(0));
    let o = ckpt_gen(&[
        "check",
        tree.to_str().unwrap(),
        "--match",
        "^ckpt_socket_queue$",
        "--deny",
        "warning",
    ]);
    assert_eq!(o.status.code(), Some(1));
}

/// `verify --with clang` for every target on the bundled tree.
#[test]
fn bundled_headers_verify_with_clang_on_every_target() {
    if !available("verify bundled", "clang", have_clang())
        || !available("verify bundled", "a target's system headers", all_cross_headers())
    {
        return;
    }
    let o =
        ckpt_gen(&["verify", headers().to_str().unwrap(), "--targets", "all", "--with", "clang"]);
    let text = String::from_utf8(o.stdout).unwrap();
    print!("{text}");
    assert_eq!(o.status.code(), Some(0), "{text}\n{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(text.lines().filter(|l| l.ends_with(" 0 disagreements")).count(), 8, "{text}");
}

/// A record outside `arch/` that switches on the architecture is compared
/// across every target, unless the tree's `ckpt-gen.toml` calls it
/// architecture-specific; then only targets of one architecture are
/// compared (x86_64 with i386 still). A bad configuration is an input
/// error at its line and column.
#[test]
fn config_marks_records_as_arch_specific() {
    if !available("check config", "a target's system headers", all_cross_headers()) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let tree = dir.path();
    std::fs::create_dir_all(tree.join("include/linux")).unwrap();
    let header = "typedef unsigned int __u32;\n\
                  struct ckpt_hdr_cpu {\n\
                  #if defined(__x86_64__) || defined(__i386__)\n\
                  \t__u32 regs[4];\n\
                  #else\n\
                  \t__u32 regs[8];\n\
                  #endif\n\
                  };\n\
                  struct ckpt_hdr_fpu {\n\
                  #ifdef __x86_64__\n\
                  \t__u32 st[2];\n\
                  #else\n\
                  \t__u32 st[3];\n\
                  #endif\n\
                  };\n";
    std::fs::write(tree.join("include/linux/cpu.h"), header).unwrap();
    let run = || {
        let targets = "x86_64-linux-gnu,i386-linux-gnu,s390x-linux-gnu";
        let o = ckpt_gen(&["check", tree.to_str().unwrap(), "--targets", targets, "--json"]);
        let report: serde_json::Value = serde_json::from_slice(&o.stdout)
            .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&o.stderr)));
        let mut differs: Vec<(String, Vec<String>)> = report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["kind"] == "layout-differs" && f["field"].is_null())
            .map(|f| {
                let targets = f["targets"].as_array().unwrap();
                let targets = targets.iter().map(|t| t.as_str().unwrap().to_string()).collect();
                (f["record"].as_str().unwrap().to_string(), targets)
            })
            .collect();
        differs.sort();
        differs.dedup();
        (o.status.code(), differs)
    };
    let all =
        || vec!["x86_64-linux-gnu".to_string(), "i386-linux-gnu".into(), "s390x-linux-gnu".into()];

    let (code, differs) = run();
    assert_eq!(code, Some(1));
    assert_eq!(differs, [("ckpt_hdr_cpu".to_string(), all()), ("ckpt_hdr_fpu".to_string(), all())]);

    let config = "[check]\narch-specific = [\"^ckpt_hdr_(cpu|fpu)$\"]\n";
    std::fs::write(tree.join("ckpt-gen.toml"), config).unwrap();
    let (code, differs) = run();
    assert_eq!(code, Some(1));
    let x86 = vec!["x86_64-linux-gnu".to_string(), "i386-linux-gnu".into()];
    assert_eq!(differs, [("ckpt_hdr_fpu".to_string(), x86)]);

    std::fs::write(tree.join("ckpt-gen.toml"), "[check]\narch-specific = \"x\"\n").unwrap();
    let o = ckpt_gen(&["check", tree.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("ckpt-gen.toml:2:17: error: "), "{stderr}");
}

/// Types whose layout is the target's own choice beyond the data model:
/// `__builtin_va_list` (a pointer, or a record of 12 to 32 bytes),
/// `_Atomic` (aligned to its size, even where the plain type is not) and
/// GCC's `__alignof__` (8 for `long long` on i386, where `_Alignof` is 4).
#[test]
fn builtin_types_verify_with_clang_on_every_target() {
    if !available("verify builtins", "clang", have_clang()) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let text = "struct ckpt_va { char c; __builtin_va_list ap; int tail; };\n\
                struct ckpt_va2 { __builtin_va_list ap[2]; short s; };\n\
                typedef _Atomic long long ckpt_atomic_ll;\n\
                struct ckpt_at { char c; ckpt_atomic_ll v; _Atomic(double) d; _Atomic short s; };\n\
                struct ckpt_al { char c[__alignof__(long long)]; char d[_Alignof(long long)]; \
                double e __attribute__((aligned(__alignof__(double)))); };\n";
    std::fs::write(dir.path().join("builtins.h"), text).unwrap();
    let path = dir.path().to_str().unwrap();
    let o = ckpt_gen(&["verify", path, "--targets", "all", "--with", "clang"]);
    let out = String::from_utf8(o.stdout).unwrap();
    print!("{out}");
    assert_eq!(o.status.code(), Some(0), "{out}\n{}", String::from_utf8_lossy(&o.stderr));
    let clean =
        out.lines().filter(|l| l.ends_with("4 records, 12 fields compared, 0 disagreements"));
    assert_eq!(clean.count(), 8, "{out}");
}

/// Untagged records named only through a typedef of a pointer to them, or
/// of an array of them, are probed through `__typeof__`, not as the typedef
/// (X11's `typedef struct { ... } *_XPrivDisplay;`); a macro named like a
/// member (glibc's `#define si_pid _sifields._kill.si_pid`) does not reach
/// the probe.
#[test]
fn verify_reaches_records_behind_pointer_typedefs_and_member_macros() {
    let dir = tempfile::tempdir().unwrap();
    let text = "typedef struct { char c; long l; } *ckpt_ptr_t;\n\
                typedef struct { short s; char t[3]; } ckpt_arr_t[4];\n\
                typedef struct { int i; } ckpt_plain_t;\n\
                struct ckpt_m { int a; union { struct { int pid; } kill; } fields; int defined; };\n\
                #define pid fields.kill.pid\n";
    std::fs::write(dir.path().join("typedefs.h"), text).unwrap();
    let o = ckpt_gen(&["verify", dir.path().to_str().unwrap(), "--with", "cc"]);
    let out = String::from_utf8(o.stdout).unwrap();
    assert_eq!(o.status.code(), Some(0), "{out}\n{}", String::from_utf8_lossy(&o.stderr));
    assert!(out.ends_with("6 records, 10 fields compared, 0 disagreements\n"), "{out}");
}

/// On the host, `cc`, `clang` and `libclang` see the same records and
/// agree with ckpt-gen, so with each other.
#[test]
fn cc_libclang_and_clang_agree_on_the_host() {
    if !available("verify host", "clang", have_clang()) {
        return;
    }
    let o = ckpt_gen(&[
        "verify",
        headers().to_str().unwrap(),
        "--with",
        "cc",
        "--with",
        "clang",
        "--with",
        "libclang",
    ]);
    let text = String::from_utf8(o.stdout).unwrap();
    print!("{text}");
    assert_eq!(o.status.code(), Some(0), "{text}\n{}", String::from_utf8_lossy(&o.stderr));
    let counts: Vec<&str> =
        text.lines().map(|l| l.split_once(": ").map_or(l, |(_, rest)| rest)).collect();
    assert_eq!(counts.len(), 3, "{text}");
    assert!(counts.iter().all(|c| *c == counts[0] && c.ends_with(" 0 disagreements")), "{text}");
}

/// A stand-in for the target's `asm/` headers: each `asm/X.h` includes
/// `asm-generic/X.h` from the host's `/usr/include` (which is what most
/// architectures' own `asm/` headers do), `__u64` is `unsigned long long`
/// everywhere, and the byte order comes from the target's macros. Both
/// ckpt-gen and clang see the same prelude, so the records compared are
/// the same C text on every target.
fn uapi_prelude(dir: &Path) -> PathBuf {
    let asm = dir.join("asm");
    std::fs::create_dir_all(&asm).unwrap();
    for entry in std::fs::read_dir("/usr/include/asm-generic").unwrap().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let text = format!("#include <asm-generic/{name}>\n");
        std::fs::write(asm.join(&name), text).unwrap();
    }
    std::fs::write(asm.join("types.h"), "#include <asm-generic/int-ll64.h>\n").unwrap();
    std::fs::write(
        asm.join("byteorder.h"),
        "#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__\n#include <linux/byteorder/big_endian.h>\n#else\n#include <linux/byteorder/little_endian.h>\n#endif\n",
    )
    .unwrap();
    dir.to_path_buf()
}

/// `verify --with clang` for every target on every record of the
/// `/usr/include/linux/*.h` headers that need nothing but the prelude and
/// the kernel's own headers.
#[test]
fn uapi_headers_verify_with_clang_on_every_target() {
    let linux = Path::new("/usr/include/linux");
    if !available("verify uapi", "clang", have_clang())
        || !available("verify uapi", "/usr/include/linux", linux.is_dir())
    {
        return;
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(linux)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "h"))
        .collect();
    files.sort();
    let tmp = tempfile::tempdir().unwrap();
    let prelude = uapi_prelude(tmp.path());
    let work = tempfile::tempdir().unwrap();

    let everything = regex::Regex::new(".").unwrap();
    let mut problems = Vec::new();
    for target in &TARGETS {
        let mut options = Options::new(files.clone(), target);
        options.pattern = ".".into();
        options.system_dirs = Some(vec![prelude.clone(), "/usr/include".into()]);
        let analysis = pipeline::analyze(&options);
        let layouts = Layouts::compute(&analysis.ir, target);
        // Self-contained: the unit had no error, and every record of the
        // header has a layout (a member of an incomplete type from a libc
        // header, say, means the header needs more than the prelude).
        let ir = &analysis.ir;
        let all = pipeline::matched_records(ir, &everything);
        let incomplete: std::collections::HashSet<_> = all
            .iter()
            .filter(|&&id| layouts.record(id).is_err())
            .map(|&id| ir.record(id).loc.file)
            .collect();
        let records: Vec<_> = all
            .into_iter()
            .filter(|&id| !incomplete.contains(&ir.record(id).loc.file))
            .filter(|&id| !analysis.failed_units.contains(&ir.file(ir.record(id).loc.file).path))
            .collect();
        let args = verify::compiler_args(Compiler::Clang, &options);
        let report =
            verify::verify(Compiler::Clang, &layouts, &records, &args, work.path()).unwrap();
        println!(
            "{target}: {} self-contained headers, {} records and {} fields compared with clang, {} disagreements, {} headers clang rejects",
            records.iter().map(|&id| ir.record(id).loc.file).collect::<std::collections::HashSet<_>>().len(),
            report.records,
            report.fields,
            report.mismatches.len(),
            report.rejected.len()
        );
        assert!(report.records > 300, "{target}: only {} records compared", report.records);
        for m in &report.mismatches {
            problems.push(format!(
                "{target}: {} {}: ckpt-gen {} clang {}",
                m.record, m.what, m.ours, m.theirs
            ));
        }
        // FIXME: ckpt-gen merges the units' IR, so `struct timespec` from
        // <linux/time.h> completes errqueue.h's `struct timespec ts[3]`,
        // which clang, compiling errqueue.h alone, rejects as incomplete.
        // Closing it needs a per-unit "incomplete element type" diagnostic
        // in the parser. The header is left out, not counted as a pass.
        let known = |h: &Path| h.ends_with("linux/errqueue.h");
        for (header, message) in report.rejected.iter().filter(|(h, _)| !known(h)) {
            let first = message.lines().find(|l| l.contains("error")).unwrap_or("");
            problems.push(format!(
                "{target}: clang rejects {} which ckpt-gen accepts: {first}",
                header.display()
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn missing_tools_are_not_success() {
    // cc cannot check another target: reported, and nothing compared.
    let other = TARGETS.iter().find(|t| !t.is_host()).unwrap();
    let o =
        ckpt_gen(&["verify", headers().to_str().unwrap(), "--target", other.name, "--with", "cc"]);
    let text = String::from_utf8_lossy(&o.stdout);
    if pipeline::missing_system_headers(other).is_some() {
        assert_eq!(o.status.code(), Some(2));
        return;
    }
    assert!(text.contains("not applicable"), "{text}");
    assert_eq!(o.status.code(), Some(2), "{text}");

    // A clang that does not exist.
    let o = Command::new(env!("CARGO_BIN_EXE_ckpt-gen"))
        .args(["verify", headers().to_str().unwrap(), "--with", "clang"])
        .env("CKPT_CLANG", "/nonexistent/clang")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(text.contains("MISSING: cannot run /nonexistent/clang"), "{text}");
    assert_eq!(o.status.code(), Some(2), "{text}");
}

#[test]
fn unknown_targets_are_usage_errors() {
    let o = ckpt_gen(&["check", headers().to_str().unwrap(), "--targets", "x86_64,vax"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("unknown target 'vax'"));
    let _ = Target::host();
}

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rules_that_bite.h")
}

/// The ABI rules that differ between targets, one line per rule: target,
/// record, size, alignment, then member offsets in bits (allocation
/// order). Values measured with gcc 12 and clang 14; the test below also
/// re-checks them with clang on all eight targets.
#[test]
fn rules_that_bite() {
    #[rustfmt::skip]
    let table: &[(&str, &str, u64, u64, &[u64])] = &[
        // i386 aligns __u64 to 4 inside records; x86_64 to 8.
        ("x86_64-linux-gnu", "ckpt_i386_u64", 16, 8, &[0, 64]),
        ("i386-linux-gnu", "ckpt_i386_u64", 12, 4, &[0, 32]),
        // Arm EABI: long long is 8-aligned (unlike i386).
        ("armv7-linux-gnueabihf", "ckpt_eabi", 16, 8, &[0, 64]),
        ("i386-linux-gnu", "ckpt_eabi", 12, 4, &[0, 32]),
        // Big-endian: same allocation order, other bits (clang checks below).
        ("powerpc-linux-gnu", "ckpt_bits", 4, 4, &[0, 3, 10]),
        ("s390x-linux-gnu", "ckpt_bits", 4, 4, &[0, 3, 10]),
        // packed and aligned(8) on one record.
        ("i386-linux-gnu", "ckpt_packed_aligned", 8, 8, &[0, 8]),
        // A zero-width bit-field starts a new unit; AAPCS also aligns the record.
        ("x86_64-linux-gnu", "ckpt_zero_width", 5, 1, &[0, 32, 32]),
        ("armv7-linux-gnueabihf", "ckpt_zero_width", 8, 4, &[0, 32, 32]),
        ("aarch64-linux-gnu", "ckpt_zero_width", 8, 4, &[0, 32, 32]),
        // #pragma pack(push, 2).
        ("x86_64-linux-gnu", "ckpt_pack2", 14, 2, &[0, 16, 48]),
    ];
    let path = fixture();
    for (target, record, size, align, offsets) in table {
        let o = ckpt_gen(&["layout", "--json", "--target", target, path.to_str().unwrap()]);
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        let r = v["records"].as_array().unwrap().iter().find(|r| r["name"] == *record).unwrap();
        let got: Vec<u64> = r["fields"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["offset_bits"].as_u64().unwrap())
            .collect();
        assert_eq!(
            (r["size"].as_u64().unwrap(), r["align"].as_u64().unwrap(), got.as_slice()),
            (*size, *align, *offsets),
            "{record} on {target}"
        );
    }
    if !available("rules that bite", "clang", have_clang()) {
        return;
    }
    let o = ckpt_gen(&["verify", path.to_str().unwrap(), "--targets", "all", "--with", "clang"]);
    let text = String::from_utf8(o.stdout).unwrap();
    assert_eq!(o.status.code(), Some(0), "{text}");
    assert_eq!(text.matches("6 records, 14 fields compared, 0 disagreements").count(), 8, "{text}");
}

/// The probes are not vacuous: a compiler told to use other rules (i386's
/// through `-m32`, little-endian bit-fields through `-mlittle-endian`)
/// disagrees, record by record.
#[test]
fn verify_reports_disagreements() {
    if !available("verify disagreements", "clang", have_clang()) {
        return;
    }
    let work = tempfile::tempdir().unwrap();
    let cases = [
        ("x86_64-linux-gnu", "-m32", "ckpt_i386_u64\tb"),
        ("powerpc-linux-gnu", "-mlittle-endian", "ckpt_bits\tb"),
    ];
    let everything = regex::Regex::new(".").unwrap();
    for (target, flag, expected) in cases {
        let target = Target::by_name(target).unwrap();
        let mut options = Options::new(vec![fixture()], target);
        options.system_dirs = Some(Vec::new());
        let analysis = pipeline::analyze(&options);
        let layouts = Layouts::compute(&analysis.ir, target);
        let records = pipeline::matched_records(&analysis.ir, &everything);
        let mut args = verify::compiler_args(Compiler::Clang, &options);
        args.push(flag.into());
        let report =
            verify::verify(Compiler::Clang, &layouts, &records, &args, work.path()).unwrap();
        let found: Vec<String> =
            report.mismatches.iter().map(|m| format!("{}\t{}", m.record, m.what)).collect();
        assert!(found.iter().any(|f| f == expected), "{target} {flag}: {found:?}");
    }
}
