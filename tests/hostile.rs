//! Hostile input: trees nobody would write on purpose but a generator that
//! runs in every build will meet. Each test expects a diagnostic (never a
//! panic) and a bounded run, and checks that a good record next to the bad
//! input is still processed.

use crate::support::host;
use ckpt_gen::diag::{Diagnostic, Severity};
use ckpt_gen::layout::Layouts;
use ckpt_gen::pipeline::{self, Options};
use std::path::Path;
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// A good record that must survive every bad neighbour.
const GOOD: &str = "struct ckpt_good { unsigned int a; unsigned long long b; };\n";

/// Longest a single hostile run may take (debug build, shared machine).
const BOUND: Duration = Duration::from_secs(20);

/// What a run produced: diagnostics (front end plus layout errors of
/// matched records), whether `ckpt_good` was laid out, and the bindings.
struct Outcome {
    diags: Vec<Diagnostic>,
    good: bool,
    rust: String,
    elapsed: Duration,
}

impl Outcome {
    fn has(&self, severity: Severity, needle: &str) -> bool {
        self.diags.iter().any(|d| d.severity == severity && d.message.contains(needle))
    }

    #[track_caller]
    fn expect_error(&self, needle: &str) {
        assert!(
            self.has(Severity::Error, needle),
            "want an error containing {needle:?}, got {:#?}",
            self.diags
        );
    }

    #[track_caller]
    fn expect_good(&self) {
        assert!(self.good, "the good record was not processed: {:#?}", self.diags);
    }
}

/// Runs the whole pipeline on `dir` in another thread; fails the test when
/// it takes longer than [`BOUND`] or panics.
fn run_with(dir: &Path, tweak: impl FnOnce(&mut Options) + Send + 'static) -> Outcome {
    let mut options = Options::new(vec![dir.to_path_buf()], host());
    options.system_dirs = Some(Vec::new());
    tweak(&mut options);
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let start = Instant::now();
        let outcome = pipeline_outcome(&options, start);
        let _ = tx.send(outcome);
    });
    match rx.recv_timeout(BOUND) {
        Ok(outcome) => outcome,
        Err(mpsc::RecvTimeoutError::Timeout) => panic!("run took longer than {BOUND:?}"),
        Err(mpsc::RecvTimeoutError::Disconnected) => panic!("the pipeline panicked"),
    }
}

fn pipeline_outcome(options: &Options, start: Instant) -> Outcome {
    let analysis = pipeline::analyze(options);
    let layouts = Layouts::compute(&analysis.ir, options.target);
    let mut diags = analysis.diagnostics.clone();
    let re = regex::Regex::new(&options.pattern).unwrap();
    let mut good = false;
    for id in pipeline::matched_records(&analysis.ir, &re) {
        let r = analysis.ir.record(id);
        match layouts.record(id) {
            Ok(l) if r.name == "ckpt_good" => good = l.size_bytes == 16,
            Ok(_) => {}
            Err(e) => {
                diags.push(Diagnostic::error(r.loc, format!("cannot lay out '{}': {e}", r.name)))
            }
        }
    }
    let selection = ckpt_gen::select::select(&analysis.ir, &re);
    let rust = ckpt_gen::emit::rust::rust(&layouts, &selection);
    Outcome { diags, good, rust, elapsed: start.elapsed() }
}

/// A temporary tree with `good.h` and the given files.
fn tree(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("good.h"), GOOD).unwrap();
    for (name, text) in files {
        let p = dir.path().join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    dir
}

fn run(files: &[(&str, &[u8])]) -> Outcome {
    let dir = tree(files);
    run_with(dir.path(), |_| {})
}

#[test]
fn exponential_macro_expansion_hits_the_budget() {
    // F40(1) would be 2^40 tokens: each level uses its argument twice.
    let mut text = String::from("#define F0(x) x\n");
    for i in 1..=40 {
        text += &format!("#define F{i}(x) F{j}(x) F{j}(x)\n", j = i - 1);
    }
    text += "struct ckpt_x { int a[F40(1)]; };\n";
    let dir = tree(&[("bad.h", text.as_bytes())]);
    let out = run_with(dir.path(), |o| o.max_expansion_tokens = 100_000);
    out.expect_error("exceeds the limit of 100000 tokens");
    out.expect_good();
}

#[test]
fn exponential_macro_expansion_default_budget_is_bounded() {
    // Three arguments a level: 3^20 tokens without the default budget.
    let mut text = String::from("#define G0(x) x\n");
    for i in 1..=20 {
        text += &format!("#define G{i}(x) G{j}(x) G{j}(x) G{j}(x)\n", j = i - 1);
    }
    text += "struct ckpt_x { int a[G20(1)]; };\n";
    let out = run(&[("bad.h", text.as_bytes())]);
    out.expect_error("exceeds the limit of");
    out.expect_good();
}

#[test]
fn deeply_nested_parentheses_and_braces() {
    let n = 30_000;
    let (open, close) = ("(".repeat(n), ")".repeat(n));
    let text = format!(
        "struct ckpt_p {{ int a[{open}1{close}]; }};\n\
         struct ckpt_b {{ {} }};\n\
         #define ID(x) x\n\
         enum {{ E = ID({open}2{close}) }};\n\
         #if {open}1{close}\n\
         #endif\n\
         int f{open}void{close};\n\
         enum {{ T = {ternary}1, U = {casts}1 }};\n\
         #if {ternary}1\n\
         #endif\n\
         enum {{ V = {calls}1{calls_close} }};\n",
        "{".repeat(n) + &"}".repeat(n),
        ternary = "1?1:".repeat(n),
        casts = "(int)".repeat(n),
        calls = "ID(".repeat(3_000),
        calls_close = ")".repeat(3_000),
    );
    let out = run(&[("bad.h", text.as_bytes())]);
    out.expect_error("nesting deeper than");
    out.expect_good();
}

#[test]
fn deeply_nested_conditional_directives() {
    let n = 20_000;
    let text = "#if 1\n".repeat(n) + "struct ckpt_c { int a; };\n" + &"#endif\n".repeat(n);
    let out = run(&[("bad.h", text.as_bytes())]);
    assert!(!out.diags.iter().any(Diagnostic::is_error), "{:#?}", out.diags);
    out.expect_good();
}

/// `top.h` includes `inc/c0.h`, which includes `c1.h`, ... `c<n>.h`, which
/// defines the type the record uses.
fn include_chain(n: usize) -> tempfile::TempDir {
    let dir = tree(&[]);
    std::fs::create_dir(dir.path().join("inc")).unwrap();
    for i in 0..n {
        let text = format!("#include \"c{}.h\"\n", i + 1);
        std::fs::write(dir.path().join(format!("inc/c{i}.h")), text).unwrap();
    }
    std::fs::write(dir.path().join(format!("inc/c{n}.h")), "typedef int deep_t;\n").unwrap();
    let top = "#include \"inc/c0.h\"\nstruct ckpt_deep { deep_t a; };\n";
    std::fs::write(dir.path().join("top.h"), top).unwrap();
    dir
}

#[test]
fn include_chain_hundreds_deep() {
    let dir = include_chain(300);
    let out = run_with(dir.path(), |_| {});
    out.expect_error("#include nested more than 200 levels deep");
    out.expect_good();

    // The limit is a flag: raised, the same tree is fine.
    let out = run_with(dir.path(), |o| o.max_include_depth = 400);
    assert!(!out.diags.iter().any(Diagnostic::is_error), "{:#?}", out.diags);
    assert!(out.rust.contains("pub struct ckpt_deep"), "{}", out.rust);
}

#[test]
fn include_cycle_without_guard() {
    let out = run(&[("a.h", b"#include \"a.h\"\nstruct ckpt_a { int x; };\n")]);
    out.expect_error("include cycle");
    out.expect_good();
}

#[test]
fn header_of_100_mb_is_refused_by_size_without_reading_it() {
    let dir = tree(&[]);
    let path = dir.path().join("huge.h");
    let file = std::fs::File::create(&path).unwrap();
    // Sparse: costs no disk, reads as zero bytes if anything did read it.
    file.set_len(100 << 20).unwrap();
    let out = run_with(dir.path(), |_| {});
    out.expect_error("more than the limit of 67108864 bytes");
    out.expect_good();
    assert!(out.elapsed < Duration::from_secs(5), "took {:?}", out.elapsed);

    // Also when included rather than scanned.
    let inc = "#include \"huge.h\"\nstruct ckpt_i { int a; };\n";
    std::fs::write(dir.path().join("inc.h"), inc).unwrap();
    let out = run_with(dir.path(), |o| o.max_file_bytes = 1 << 20);
    out.expect_error("more than the limit of 1048576 bytes");
    out.expect_good();
}

#[test]
fn large_header_under_the_limit_is_read_fast() {
    // 2 MB of records: read, lexed, parsed and laid out in seconds (the
    // emitter is left out: its output for 50,000 records is 35 MB).
    let text: String = (0..50_000).map(|i| format!("struct ckpt_r{i} {{ int a; }};\n")).collect();
    let dir = tree(&[("big.h", text.as_bytes())]);
    let options = Options::new(vec![dir.path().to_path_buf()], host());
    let start = Instant::now();
    let analysis = pipeline::analyze(&options);
    let layouts = Layouts::compute(&analysis.ir, host());
    let re = regex::Regex::new("^ckpt_").unwrap();
    let laid_out = pipeline::matched_records(&analysis.ir, &re)
        .into_iter()
        .filter(|id| layouts.record(*id).is_ok())
        .count();
    assert_eq!(laid_out, 50_001, "{:#?}", analysis.diagnostics);
    assert!(start.elapsed() < BOUND, "took {:?}", start.elapsed());
}

/// xorshift64*: a fixed, dependency-free stream of pseudo-random numbers.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| self.next() as u8).collect()
    }
}

#[test]
fn header_of_random_bytes() {
    let mut rng = Rng(0x5eed);
    let noise = rng.bytes(1 << 20);
    let mut record = b"struct ckpt_r {\n".to_vec();
    record.extend(rng.bytes(64 << 10));
    let out = run(&[("noise.h", &noise), ("record.h", &record)]);
    assert!(out.diags.iter().any(Diagnostic::is_error), "random bytes gave no error");
    out.expect_good();
}

#[test]
fn very_long_lines_and_identifiers() {
    let name = "x".repeat(1 << 20);
    let text = format!(
        "struct ckpt_{name} {{ int {name}; }};\n#define {name} 1\nstruct ckpt_l {{ int a; }};{}\n",
        " ".repeat(4 << 20)
    );
    let out = run(&[("long.h", text.as_bytes())]);
    out.expect_good();
    assert!(out.rust.contains("pub struct ckpt_l"));
}

#[test]
fn array_size_overflowing_64_bits() {
    let text = b"struct ckpt_a { char a[0x1ffffffffffffffff]; };\n\
                 struct ckpt_b { char a[18446744073709551615ULL][2]; };\n\
                 struct ckpt_c { long a[0x7fffffffffffffff]; };\n";
    let out = run(&[("bad.h", text)]);
    out.expect_error("too large for any integer type");
    out.expect_error("array size overflows");
    for name in ["ckpt_b", "ckpt_c"] {
        out.expect_error(&format!("cannot lay out '{name}'"));
    }
    out.expect_good();
}

#[test]
fn record_size_overflowing() {
    let members: String = (0..3).map(|i| format!("char a{i}[0x0fffffffffffffff]; ")).collect();
    let text = format!(
        "struct ckpt_huge {{ {members}}};\n\
         struct ckpt_huge2 {{ struct {{ char a[0x1fffffffffffffff]; }} x[5]; }};\n"
    );
    let out = run(&[("bad.h", text.as_bytes())]);
    out.expect_error("record size overflows");
    out.expect_error("cannot lay out 'ckpt_huge2'");
    out.expect_good();
}

#[test]
fn duplicate_definitions_with_different_bodies() {
    // In one unit: a C error.
    let out = run(&[("one.h", b"struct ckpt_d { int a; };\nstruct ckpt_d { long a; };\n")]);
    out.expect_error("redefinition of 'struct ckpt_d'");
    out.expect_good();

    // In two headers: each compiles alone, but the bindings can only hold one.
    let out = run(&[
        ("a.h", b"struct ckpt_d { int a; };\n"),
        ("b.h", b"struct ckpt_d { long a; int b; };\n"),
        ("c.h", b"struct ckpt_d { int a; };\n"),
    ]);
    let different = "'struct ckpt_d' is defined again with a different body";
    assert!(out.has(Severity::Warning, different), "{:#?}", out.diags);
    assert!(out.has(Severity::Warning, "defined again with the same body"), "{:#?}", out.diags);
    assert_eq!(out.rust.matches("pub struct ckpt_d ").count(), 1, "{}", out.rust);
    out.expect_good();
}

#[test]
fn error_directive_in_active_branch_only() {
    let text = b"#if 1\n#error stop here\n#endif\n#if 0\n#error not me\n#endif\n\
                 #ifdef __KERNEL__\n#error kernel only\n#endif\nstruct ckpt_e { int a; };\n";
    let out = run(&[("err.h", text)]);
    out.expect_error("#error stop here");
    assert!(!out.has(Severity::Error, "not me"), "{:#?}", out.diags);
    assert!(!out.has(Severity::Error, "kernel only"), "{:#?}", out.diags);
    out.expect_good();
}

#[test]
fn unreadable_file_and_dangling_symlink_are_reported() {
    use std::os::unix::fs::PermissionsExt as _;
    let dir = tree(&[("secret.h", b"struct ckpt_secret { int a; };\n")]);
    let secret = dir.path().join("secret.h");
    std::fs::set_permissions(&secret, std::fs::Permissions::from_mode(0o000)).unwrap();
    std::os::unix::fs::symlink(dir.path().join("nowhere.h"), dir.path().join("dangling.h"))
        .unwrap();
    std::fs::create_dir(dir.path().join("dir.h")).unwrap();
    let inc = b"#include \"dir.h\"\nstruct ckpt_inc { int a; };\n";
    std::fs::write(dir.path().join("inc.h"), inc).unwrap();
    let root_reads_anything = std::fs::read(&secret).is_ok();

    let out = run_with(dir.path(), |_| {});
    assert!(out.has(Severity::Warning, "dangling symbolic link"), "{:#?}", out.diags);
    out.expect_error("'dir.h' file not found");
    if root_reads_anything {
        eprintln!("note: running as root, which reads a mode-000 file: unreadable case not run");
    } else {
        out.expect_error("secret.h: cannot read");
    }
    out.expect_good();
}

#[test]
fn fifo_named_like_a_header_does_not_block() {
    let dir = tree(&[]);
    let fifo = dir.path().join("pipe.h");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    if !made.is_ok_and(|s| s.success()) {
        eprintln!("note: mkfifo unavailable: FIFO case not run");
        return;
    }
    let inc = b"#include \"pipe.h\"\nstruct ckpt_p { int a; };\n";
    std::fs::write(dir.path().join("inc.h"), inc).unwrap();
    let out = run_with(dir.path(), |_| {});
    out.expect_good();
}

/// Text built from C's vocabulary at random: far more likely than random
/// bytes to reach the parser's and the layout engine's corners.
fn token_soup(rng: &mut Rng, tokens: usize) -> String {
    const WORDS: &[&str] = &[
        "struct",
        "union",
        "enum",
        "typedef",
        "int",
        "char",
        "long",
        "unsigned",
        "short",
        "__u32",
        "__u64",
        "ckpt_a",
        "ckpt_b",
        "x",
        "y",
        "N",
        "F",
        "{",
        "}",
        "(",
        ")",
        "[",
        "]",
        ";",
        ",",
        ":",
        "*",
        "=",
        "+",
        "-",
        "<<",
        "?",
        "sizeof",
        "_Alignof",
        "__attribute__",
        "((packed))",
        "((aligned(8)))",
        "aligned",
        "0",
        "1",
        "8",
        "0xffffffffffffffff",
        "-1",
        "#",
        "##",
        "\n#define N ",
        "\n#define F(a) a a ",
        "\n#if ",
        "\n#ifdef N\n",
        "\n#else\n",
        "\n#endif\n",
        "\n#include \"soup1.h\"\n",
        "\n#pragma pack(1)\n",
        "\n#pragma pack()\n",
        "\n#undef N\n",
        "\"s\"",
        "'c'",
        "/*",
        "*/",
        "//",
        "\\\n",
        "...",
        "__VA_ARGS__",
        "\n",
        "type",
        "match",
        "self",
        "Self",
        "crate",
    ];
    let mut s = String::new();
    for _ in 0..tokens {
        s.push_str(WORDS[rng.below(WORDS.len())]);
        s.push(' ');
    }
    s
}

#[test]
fn random_token_soup_through_the_whole_pipeline() {
    // Fixed seeds, so a failure reproduces; CI runs the same cases each time.
    let start = Instant::now();
    for seed in 1..=40u64 {
        let mut rng = Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15));
        let a = token_soup(&mut rng, 400);
        let b = token_soup(&mut rng, 200);
        let dir = tree(&[("soup0.h", a.as_bytes()), ("soup1.h", b.as_bytes())]);
        if std::env::var_os("HOSTILE_KEEP").is_some() {
            eprintln!("seed {seed}: {}", dir.keep().display());
            continue;
        }
        let out = run_with(dir.path(), |o| {
            o.max_expansion_tokens = 100_000;
            o.max_include_depth = 20;
        });
        out.expect_good();
        assert!(out.elapsed < Duration::from_secs(5), "seed {seed} took {:?}", out.elapsed);
    }
    assert!(start.elapsed() < Duration::from_secs(60), "took {:?}", start.elapsed());
}

/// Compiles `code` as a library with warnings denied; the error text when
/// it does not compile.
fn compile_rust(code: &str) -> Result<(), String> {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("gen.rs"), code).unwrap();
    let lib = dir.path().join("lib.rs");
    std::fs::write(&lib, "#![deny(warnings)]\ninclude!(\"gen.rs\");\n").unwrap();
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let out = std::process::Command::new(rustc)
        .args(["--edition", "2021", "--crate-type", "lib", "--emit", "metadata", "-o"])
        .arg(dir.path().join("libgen.rmeta"))
        .arg(&lib)
        .output()
        .expect("rustc runs");
    match out.status.success() {
        true => Ok(()),
        false => Err(String::from_utf8_lossy(&out.stderr).into_owned()),
    }
}

/// A header full of what Rust cannot take as is: keywords and reserved
/// words as tag, typedef, member and enumerator names, typedefs shadowing
/// primitives, members named like the emitter's own padding and bit-field
/// storage, comments holding `*/`, doc markup and non-ASCII.
const RUST_HOSTILE: &str = r#"/* Comments with */ /* doc markup: ``` fenced ``` [link](x) <b>html</b>
 * #[attr] //! inner /// outer and non-ASCII: café, ünïcödé, 日本語, ✓ */
// A line comment with */ and /** outer */ and ``` and \ at the end \
   continued
typedef unsigned int type;
typedef int u32;
typedef long Self;
typedef char str;
struct usize { int a; };    /* shadows what the bit-field helpers use */
struct u64 { int b; };
struct match { int self; int Self; int crate; int super; int type; int _; };
struct ckpt_kw {
	type type;            /* a member named like its type */
	int match;            /* ``` not rust ``` */
	int self, crate;
	int async, await, dyn, try, gen, yield, abstract, become, box, macro, r;
	int fn : 3;
	unsigned int in : 5, loop : 2;
	int __pad0;           /* the emitter's padding names */
	int _bitfield_1;      /* and bit-field storage names */
	char __pad1;
	long long after;
	struct match m;
	u32 prim;
	Self big;
	str s[4];
	struct usize us;
	struct u64 u;
	struct { int where; } impl_;
	union { int ref; char mut; };
};
enum ckpt_enum { type_ = 1, CKPT_MATCH = 2, Self_ = 3 };
#define CKPT_SELF 3
struct ckpt_packed { char c; int body; } __attribute__((packed, aligned(8)));
struct ckpt_Self { int a; };
struct ckpt_self { int b; };
"#;

#[test]
fn generated_rust_is_safe_against_what_headers_contain() {
    let out = run(&[("kw.h", RUST_HOSTILE.as_bytes())]);
    assert!(!out.diags.iter().any(Diagnostic::is_error), "{:#?}", out.diags);
    for item in ["pub struct ckpt_kw", "pub struct r#match", "r#type", "self_"] {
        assert!(out.rust.contains(item), "no {item} in:\n{}", out.rust);
    }
    if let Err(e) = compile_rust(&out.rust) {
        panic!("generated Rust does not compile:\n{e}\n{}", out.rust);
    }
}

/// Names that only collide after renaming: a member `self` (Rust `self_`)
/// next to a C member `self_`, the nested record `ckpt_n::inner` (Rust
/// `ckpt_n_inner`) next to a C `struct ckpt_n_inner`, and bit-fields whose
/// accessors meet (`set_foo()` of `foo` and the getter of `set_foo`; the
/// getters of bit-fields `self` and `self_`).
#[test]
fn generated_rust_survives_names_colliding_after_renaming() {
    let text = "struct ckpt_c { int self; int self_; };\n\
                struct ckpt_n { struct { int loop; } inner; };\n\
                struct ckpt_n_inner { int y; };\n\
                struct ckpt_b { unsigned foo:3, set_foo:2, set_foo_:1, self:1, self_:1; };\n";
    let out = run(&[("collide.h", text.as_bytes())]);
    if let Err(e) = compile_rust(&out.rust) {
        panic!("generated Rust does not compile:\n{e}\n{}", out.rust);
    }
}
