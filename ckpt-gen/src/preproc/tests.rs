use super::*;
use crate::source::Sources;

/// Preprocesses `files` (name, text); the first is the root. Returns the
/// output spelled with single spaces, and the diagnostics' messages.
fn run(files: &[(&str, &str)]) -> (String, Vec<String>) {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        let p = dir.path().join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    let sources = Sources::new(vec![dir.path().to_path_buf()], 1 << 20);
    let config = Config {
        include_dirs: vec![dir.path().to_path_buf()],
        max_expansion_tokens: 100_000,
        max_include_depth: 50,
        ..Config::default()
    };
    let out = preprocess(&dir.path().join(files[0].0), &config, &sources);
    let text = spell(&out.tokens);
    (text, out.diagnostics.into_iter().map(|d| d.message).collect())
}

fn pp(src: &str) -> String {
    let (text, diags) = run(&[("a.h", src)]);
    assert!(diags.is_empty(), "{src:?}: {diags:?}");
    text
}

#[test]
fn expansion() {
    let cases: &[(&str, &str)] = &[
        ("#define N 4\nint a[N];", "int a[4];"),
        ("#define N (A+1)\n#define A 2\nint a[N];", "int a[(2+1)];"),
        ("#define F(x, y) x + y\nF(1, (2, 3))", "1 + (2, 3)"),
        ("#define F(x) #x\nF(a  \"b\\n\" c)", "\"a \\\"b\\\\n\\\" c\""),
        ("#define CAT(a, b) a ## b\nCAT(x, y) CAT(1, 2) CAT(, z)", "xy 12 z"),
        ("#define E(...) f(0, ## __VA_ARGS__)\nE() E(1, 2)", "f(0) f(0,1, 2)"),
        ("#define E(fmt, args...) g(fmt, ## args)\nE(a) E(a, b)", "g(a) g(a, b)"),
        ("#define V(...) __VA_OPT__(x) y\nV() V(1)", "y x y"),
        ("#define f(a) a*g\n#define g(a) f(a)\nf(2)(9)", "2*9*g"),
        ("#define x x\nx", "x"),
        ("#define F(x) x\nF", "F"),
        ("#define L __LINE__\n\nL", "3"),
        ("#define EMPTY\nint EMPTY x;", "int x;"),
        ("#define str(s) # s\n#define xstr(s) str(s)\n#define INCFILE(n) vers ## n\nxstr(INCFILE(2).h)", "\"vers2.h\""),
        ("#define hash_hash # ## #\n#define mkstr(a) # a\n#define in_between(a) mkstr(a)\n#define join(c, d) in_between(c hash_hash d)\njoin(x, y)", "\"x ## y\""),
    ];
    for (src, want) in cases {
        assert_eq!(pp(src), *want, "{src:?}");
    }
}

#[test]
fn conditionals() {
    let cases: &[(&str, &str)] = &[
        ("#if 0\na\n#elif 1\nb\n#else\nc\n#endif", "b"),
        ("#define X\n#ifdef X\na\n#endif\n#ifndef X\nb\n#endif", "a"),
        ("#if defined(X) || defined Y\na\n#else\nb\n#endif", "b"),
        ("#define V 3\n#if V * 2 == 6 && !defined(W)\nok\n#endif", "ok"),
        ("#if 0\n#if 1\na\n#else\nb\n#endif\n#else\nc\n#endif", "c"),
        ("#if 0\n#error not reached\n#bogus\n#endif\nx", "x"),
        ("#if __has_include(\"a.h\")\nyes\n#endif", "yes"),
        ("#if __has_include(<nope.h>)\nyes\n#else\nno\n#endif", "no"),
        ("#if defined __has_include\nyes\n#endif", "yes"),
        ("#define H(x) __has_attribute(x)\n#if H(__packed__)\np\n#endif", "p"),
        ("#if __has_builtin(__builtin_expect) && !__has_builtin(nope)\nb\n#endif", "b"),
        ("#if __INCLUDE_LEVEL__ == 0 && defined __DATE__\nok __TIME__\n#endif", "ok \"??:??:??\""),
        // Operands that are not evaluated may divide by zero.
        ("#if 0 && (1/0)\na\n#elif 1 || (2 % 0 + 5)\nb\n#endif", "b"),
        ("#if (1 ? 2 : 1/0) == 2 && (0 ? 1/0 : 3) == 3\nc\n#endif", "c"),
    ];
    for (src, want) in cases {
        assert_eq!(pp(src), *want, "{src:?}");
    }
}

#[test]
fn includes_and_guards() {
    let (text, diags) = run(&[
        (
            "main.h",
            "#include \"g.h\"\n#include <g.h>\n#include \"sub/o.h\"\n#include \"sub/o.h\"\nend",
        ),
        ("g.h", "#ifndef G\n#define G\nguarded\n#endif\n"),
        ("sub/o.h", "#pragma once\nonce\n"),
    ]);
    assert_eq!(text, "guarded once end");
    assert!(diags.is_empty(), "{diags:?}");
}

#[test]
fn pragma_pack() {
    let dir = tempfile::tempdir().unwrap();
    let src = "a\n#pragma pack(push, 2)\nb\n#pragma pack(1)\nc\n#pragma pack(pop)\nd\n_Pragma(\"pack(4)\") e";
    std::fs::write(dir.path().join("a.h"), src).unwrap();
    let sources = Sources::new(vec![], 1 << 20);
    let out = preprocess(&dir.path().join("a.h"), &Config::default(), &sources);
    let changes: Vec<(usize, Option<u32>)> = out.pack.iter().map(|p| (p.at, p.max_align)).collect();
    assert_eq!(changes, [(1, Some(2)), (2, Some(1)), (3, None), (4, Some(4))]);
    assert_eq!(spell(&out.tokens), "a b c d e");

    // Popping a label pops what was pushed after it too; an unknown label
    // pops one entry.
    let src = "#pragma pack(push, r1, 2)\n#pragma pack(push, 1)\n#pragma pack(pop, r1)\na\n\
               #pragma pack(push, 4)\n#pragma pack(push, r2, 2)\n#pragma pack(pop, nope)\nb\n";
    std::fs::write(dir.path().join("b.h"), src).unwrap();
    let out = preprocess(&dir.path().join("b.h"), &Config::default(), &sources);
    let changes: Vec<Option<u32>> = out.pack.iter().map(|p| p.max_align).collect();
    assert_eq!(changes, [Some(2), Some(1), None, Some(4), Some(2), Some(4)]);
    assert!(out
        .diagnostics
        .iter()
        .any(|d| d.message.contains("pack(pop, nope) without a matching")));
}

#[test]
fn diagnostics() {
    let cases: &[(&[(&str, &str)], &str)] = &[
        (&[("a.h", "#include \"missing.h\"\nx")], "'missing.h' file not found"),
        (&[("a.h", "#include \"b.h\"\n"), ("b.h", "#include \"a.h\"\n")], "include cycle"),
        (&[("a.h", "#if 1\nx\n")], "unterminated conditional directive"),
        (&[("a.h", "#if 1 && (1/0)\n#endif\n")], "division by zero in #if expression"),
        (&[("a.h", "#error stop here\n")], "#error stop here"),
        (&[("a.h", "#define F(x) x\nF(1")], "unterminated argument list invoking macro 'F'"),
        (&[("a.h", "#define F(x, y) x\nF(1)")], "macro 'F' takes 2 argument(s), 1 given"),
        (&[("a.h", "#foo\n")], "invalid preprocessing directive #foo"),
        (&[("a.h", "#if 1 +\n#endif\n")], "expected an operand at the end of the #if expression"),
        (&[("a.h", "#define D(x) x x\n#define C(x) D(D(D(D(x))))\n#define B(x) C(C(C(C(x))))\nB(B(B(1)))")], "exceeds the limit"),
        (&[("a.h", "/* open")], "unterminated comment"),
    ];
    for (files, want) in cases {
        let (_, diags) = run(files);
        assert!(diags.iter().any(|d| d.contains(want)), "{files:?}: want {want:?}, got {diags:?}");
    }
}
