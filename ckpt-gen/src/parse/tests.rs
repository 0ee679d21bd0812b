//! Table-driven tests of the parser: one C fragment and its expected IR,
//! rendered compactly, per line.

use super::*;
use crate::ir::{BinaryOp, Record, Type, UnaryOp};
use crate::lex::{lex, LineIndex, Sym};

fn tokens(src: &str) -> Vec<Token> {
    lex(FileId(0), src.as_bytes(), &LineIndex::new(src.as_bytes())).tokens
}

fn unit(src: &str) -> (Ir, Parsed) {
    let mut ir = Ir::default();
    let parsed = parse_unit(&tokens(src), &[], &mut ir);
    (ir, parsed)
}

/// A type, C-like and compact: `*int`, `[4]char`, `struct s`.
fn ty(ir: &Ir, t: &Type) -> String {
    match t {
        Type::Void => "void".into(),
        Type::Int(k) => k.c_name().into(),
        Type::Float(k) => k.c_name().into(),
        Type::Complex(k) => format!("_Complex {}", k.c_name()),
        Type::Pointer(p) => format!("*{}", ty(ir, p)),
        Type::Array { elem, len } => {
            let len = len.as_ref().map_or(String::new(), |l| expr(ir, l));
            format!("[{len}]{}", ty(ir, elem))
        }
        Type::Function => "fn".into(),
        Type::Record(id) => {
            let r = ir.record(*id);
            format!("{} {}", r.kind.keyword(), r.name)
        }
        Type::Enum(id) => {
            format!("enum {}", ir.enumeration(*id).tag.as_deref().unwrap_or("<anon>"))
        }
        Type::Typedef(id) => ir.typedef(*id).name.clone(),
        Type::Vector { elem, size } => format!("vec({})({})", expr(ir, size), ty(ir, elem)),
        Type::Unknown(name) => format!("?{name}"),
        Type::Atomic(inner) => format!("atomic({})", ty(ir, inner)),
        Type::VaList => "va_list".into(),
    }
}

fn unary(op: UnaryOp) -> &'static str {
    match op {
        UnaryOp::Neg => "-",
        UnaryOp::Plus => "+",
        UnaryOp::Not => "~",
        UnaryOp::LogicalNot => "!",
    }
}

fn binary(op: BinaryOp) -> &'static str {
    use BinaryOp::*;
    match op {
        Mul => "*",
        Div => "/",
        Rem => "%",
        Add => "+",
        Sub => "-",
        Shl => "<<",
        Shr => ">>",
        Lt => "<",
        Gt => ">",
        Le => "<=",
        Ge => ">=",
        Eq => "==",
        Ne => "!=",
        BitAnd => "&",
        BitXor => "^",
        BitOr => "|",
        LogicalAnd => "&&",
        LogicalOr => "||",
        Comma => ",",
    }
}

/// An expression, fully parenthesized.
fn expr(ir: &Ir, e: &Expr) -> String {
    match e {
        Expr::Int { value, unsigned, long } => {
            format!("{value}{}{}", if *unsigned { "u" } else { "" }, "l".repeat(*long as usize))
        }
        Expr::EnumConst(id, i) => ir.enumeration(*id).constants[*i as usize].name.clone(),
        Expr::SizeOf(t) => format!("sizeof({})", ty(ir, t)),
        Expr::SizeOfExpr(x) => format!("sizeof {}", expr(ir, x)),
        Expr::AlignOf(t) => format!("alignof({})", ty(ir, t)),
        Expr::PreferredAlignOf(t) => format!("__alignof__({})", ty(ir, t)),
        Expr::BiggestAlignment => "__BIGGEST_ALIGNMENT__".into(),
        Expr::OffsetOf(t, path) => format!("offsetof({}, {})", ty(ir, t), path.join(".")),
        Expr::Cast(t, x) => format!("({}){}", ty(ir, t), expr(ir, x)),
        Expr::NullPointer(t) => format!("null({})", ty(ir, t)),
        Expr::Member(x, m) => format!("{}.{m}", expr(ir, x)),
        Expr::Deref(x) => format!("*{}", expr(ir, x)),
        Expr::Unary(op, x) => format!("{}{}", unary(*op), expr(ir, x)),
        Expr::Binary(op, a, b) => format!("({} {} {})", expr(ir, a), binary(*op), expr(ir, b)),
        Expr::Cond(c, a, b) => format!("({} ? {} : {})", expr(ir, c), expr(ir, a), expr(ir, b)),
        Expr::Macro(name, x) => format!("{name}={}", expr(ir, x)),
    }
}

fn find<'a>(ir: &'a Ir, name: &str) -> &'a Record {
    ir.records.iter().find(|r| r.name == name).unwrap_or_else(|| panic!("no record {name}"))
}

/// The members of record `name`: `a: int; b: unsigned int :3 packed`.
fn members(ir: &Ir, name: &str) -> String {
    let fields = find(ir, name).fields.iter().map(|f| {
        let mut s = format!("{}: {}", f.name.as_deref().unwrap_or("_"), ty(ir, &f.ty));
        if let Some(w) = &f.bit_width {
            s += &format!(" :{}", expr(ir, w));
        }
        if f.packed {
            s += " packed";
        }
        for a in &f.aligned {
            s += &format!(" aligned({})", expr(ir, a));
        }
        s
    });
    fields.collect::<Vec<_>>().join("; ")
}

/// The record's own attributes: `packed aligned(8) aligned()`.
fn record_attrs(ir: &Ir, name: &str) -> String {
    let r = find(ir, name);
    let mut parts = Vec::new();
    if r.packed {
        parts.push("packed".to_string());
    }
    for a in &r.aligned {
        parts.push(format!("aligned({})", a.as_ref().map_or(String::new(), |e| expr(ir, e))));
    }
    parts.join(" ")
}

/// The typedef `name`: `int`, `int aligned(16)`, `int packed`.
fn typedef(ir: &Ir, name: &str) -> String {
    let td =
        ir.typedefs.iter().find(|t| t.name == name).unwrap_or_else(|| panic!("no typedef {name}"));
    let mut s = ty(ir, &td.ty);
    if let Some(a) = &td.aligned {
        s += &format!(" aligned({})", expr(ir, a));
    }
    if td.packed {
        s += " packed";
    }
    s
}

fn messages(parsed: &Parsed) -> Vec<String> {
    parsed.diagnostics.iter().map(|d| d.message.clone()).collect()
}

fn assert_clean(src: &str, parsed: &Parsed) {
    assert!(parsed.diagnostics.is_empty(), "{src:?}: {:?}", messages(parsed));
}

/// Parses `decls`, then `text` as a macro body.
fn constant(decls: &str, text: &str) -> Option<String> {
    let (ir, parsed) = unit(decls);
    assert_clean(decls, &parsed);
    parse_constant(&tokens(text), &ir, &parsed.scope).map(|e| expr(&ir, &e))
}

#[test]
fn type_specifiers() {
    let cases = [
        ("unsigned long int", "unsigned long"),
        ("long unsigned", "unsigned long"),
        ("int long unsigned", "unsigned long"),
        ("short int", "short"),
        ("unsigned short", "unsigned short"),
        ("signed", "int"),
        ("unsigned", "unsigned int"),
        ("__signed__ char", "signed char"),
        ("char", "char"),
        ("unsigned char", "unsigned char"),
        ("_Bool", "_Bool"),
        ("long long", "long long"),
        ("long long unsigned int", "unsigned long long"),
        ("__int128", "__int128"),
        ("unsigned __int128", "unsigned __int128"),
        ("__int128_t", "__int128"),
        ("__uint128_t", "unsigned __int128"),
        ("float", "float"),
        ("double", "double"),
        ("long double", "long double"),
        ("_Float128", "_Float128"),
        ("__float128", "_Float128"),
        ("_Float64", "double"),
        ("_Float32", "float"),
        ("_Float64x", "long double"),
        ("_Float32x", "double"),
        ("__float80", "__float80"),
        ("_Float16", "_Float16"),
        ("_Complex double", "_Complex double"),
        ("double _Complex", "_Complex double"),
        ("__complex__ float", "_Complex float"),
        ("_Complex long double", "_Complex long double"),
        ("_Complex", "_Complex double"),
        ("const volatile int", "int"),
        ("int const", "int"),
        ("__extension__ long long", "long long"),
        ("register __restrict unsigned", "unsigned int"),
        ("_Atomic(int)", "atomic(int)"),
        ("_Atomic int", "atomic(int)"),
        ("const _Atomic long long", "atomic(long long)"),
        ("_Atomic _Atomic(int)", "atomic(int)"),
        ("__typeof__(int *)", "*int"),
        ("typeof(unsigned)", "unsigned int"),
        ("__typeof(const char)", "char"),
        ("__builtin_va_list", "va_list"),
        ("struct s", "struct s"),
        ("union u", "union u"),
        ("enum e", "enum e"),
        ("const", "int"),
    ];
    for (spec, want) in cases {
        let src = format!("typedef {spec} T;");
        let (ir, parsed) = unit(&src);
        assert_clean(&src, &parsed);
        assert_eq!(typedef(&ir, "T"), want, "{src}");
    }
}

#[test]
fn declarators() {
    let cases = [
        ("typedef int *T[3];", "[3]*int"),
        ("typedef int (*T)[3];", "*[3]int"),
        ("typedef void (*T)(int);", "*fn"),
        ("typedef int T[2][3];", "[2][3]int"),
        ("typedef char T[];", "[]char"),
        ("typedef int (*(*T)(void))[4];", "*fn"),
        ("typedef int ((T));", "int"),
        ("typedef int T(int, char *);", "fn"),
        ("typedef void (*T)(int (*)(void), ...);", "*fn"),
        ("typedef char *const *volatile T;", "**char"),
        ("typedef int * __attribute__((unused)) T;", "*int"),
        ("typedef void (*T[2])(int a, char b[static 4], int n, int c[n][*]);", "[2]*fn"),
        ("typedef void T(a, b);", "fn"),
        ("typedef int (*T)(struct q *, union r);", "*fn"),
        ("typedef int T, *PT;", "int"),
    ];
    for (src, want) in cases {
        let (ir, parsed) = unit(src);
        assert_clean(src, &parsed);
        assert_eq!(typedef(&ir, "T").split(" aligned").next(), Some(want), "{src}");
    }
    let (ir, _) = unit("typedef struct x X, *PX;");
    assert_eq!((typedef(&ir, "X"), typedef(&ir, "PX")), ("struct x".into(), "*struct x".into()));
    let (ir, _) = unit("typedef int T, *PT;");
    assert_eq!(typedef(&ir, "PT"), "*int");
}

#[test]
fn records() {
    let cases = [
        ("struct s { int a, *b; char c[4]; };", "s", "a: int; b: *int; c: [4]char"),
        (
            "struct s { unsigned a:3, :0, b:5; int :4; };",
            "s",
            "a: unsigned int :3; _: unsigned int :0; b: unsigned int :5; _: int :4",
        ),
        ("struct s { union { int a; float f; }; int b; };", "s", "_: union s::anon0; b: int"),
        ("struct s { union { int a; float f; }; int b; };", "s::anon0", "a: int; f: float"),
        (
            "struct s { struct { int x; } pos, *ptr; };",
            "s",
            "pos: struct s::pos; ptr: *struct s::pos",
        ),
        ("struct s { struct inner { int x; } i; }; struct inner j;", "inner", "x: int"),
        ("typedef struct { int a; } name_t;", "name_t", "a: int"),
        ("typedef struct { struct { int a; } in; } t_t;", "t_t::in", "a: int"),
        (
            "struct s { struct { int a; }; union { int b; }; struct { struct { int c; }; } d; };",
            "s",
            "_: struct s::anon0; _: union s::anon1; d: struct s::d",
        ),
        (
            "struct s { struct { int a; }; union { int b; }; struct { struct { int c; }; } d; };",
            "s::d::anon0",
            "c: int",
        ),
        ("struct s { int n; char d[]; char z[0]; };", "s", "n: int; d: []char; z: [0]char"),
        ("struct s { void (*cb)(int); int (*arr[2])(void); };", "s", "cb: *fn; arr: [2]*fn"),
        ("typedef int a; struct s { a a; a b; };", "s", "a: a; b: a"),
        ("struct s { struct s *next; };", "s", "next: *struct s"),
        ("struct s; struct s *p; struct s { int a; };", "s", "a: int"),
        ("union u { int a; char b[8]; };", "u", "a: int; b: [8]char"),
        ("struct s { enum { A, B } e; enum c { C } f; };", "s", "e: enum <anon>; f: enum c"),
        ("struct s { int a;; ; int b; };", "s", "a: int; b: int"),
        ("struct s { _Static_assert(1, \"x\"); int a; };", "s", "a: int"),
        ("struct s { __extension__ union { int a; }; };", "s", "_: union s::anon0"),
        (
            "struct s { unsigned char a : 4, b : 4; };",
            "s",
            "a: unsigned char :4; b: unsigned char :4",
        ),
        ("struct { int a; } var;", "var", "a: int"),
        ("struct { int a; };", "anon0", "a: int"),
        ("struct s { const struct { int a; } *const p; };", "s", "p: *struct s::p"),
    ];
    for (src, name, want) in cases {
        let (ir, parsed) = unit(src);
        assert_clean(src, &parsed);
        assert_eq!(members(&ir, name), want, "{src}");
    }
}

#[test]
fn record_identity() {
    let src = "struct s; struct s { struct { int x; } a; union { int y; }; }; struct t { int z; };";
    let (ir, parsed) = unit(src);
    assert_clean(src, &parsed);
    let names: Vec<_> =
        ir.records.iter().map(|r| (r.name.as_str(), r.tagged, r.complete)).collect();
    let want =
        [("s", true, true), ("s::a", false, true), ("s::anon0", false, true), ("t", true, true)];
    assert_eq!(names, want);
    assert_eq!(ir.records[0].loc.column, 18, "loc of the defining tag");
    assert_eq!(ir.records[1].loc.column, 22, "loc of the keyword of an untagged record");

    let (ir, _) = unit("typedef struct { int a; } T; struct u *p;");
    assert!(!ir.records[0].tagged);
    assert!(ir.records[1].tagged && !ir.records[1].complete);
}

#[test]
fn begins_with_hdr() {
    let src = "struct ckpt_hdr { int type; int len; }; typedef struct ckpt_hdr hdr_t;
        struct ckpt_hdr_x { struct ckpt_hdr h; int y; };
        struct ckpt_hdr_y { hdr_t h; };
        struct ckpt_p { struct ckpt_hdr *h; };
        struct ckpt_q { int a; struct ckpt_hdr h; };
        struct ckpt_e { };";
    let (ir, parsed) = unit(src);
    assert_clean(src, &parsed);
    let got: Vec<_> = ir.records.iter().map(|r| (r.name.as_str(), r.begins_with_hdr)).collect();
    let want = [
        ("ckpt_hdr", false),
        ("ckpt_hdr_x", true),
        ("ckpt_hdr_y", true),
        ("ckpt_p", false),
        ("ckpt_q", false),
        ("ckpt_e", false),
    ];
    assert_eq!(got, want);
}

#[test]
fn record_attributes() {
    let cases = [
        ("struct s { int a; } __attribute__((packed));", "packed"),
        ("struct __attribute__((packed)) s { int a; };", "packed"),
        ("struct __attribute__((__packed__)) s { int a; };", "packed"),
        ("struct s __attribute__((aligned(8))) { int a; };", "aligned(8)"),
        ("struct s { int a; } __attribute__((packed, aligned(8)));", "packed aligned(8)"),
        ("struct s { int a; } __attribute__((aligned));", "aligned()"),
        ("struct s { int a; } __attribute__((__aligned__(sizeof(long))));", "aligned(sizeof(long))"),
        ("struct s { int a; } __attribute__((__designated_init__, deprecated(\"no (really)\")));", ""),
        ("struct s { int a; } __attribute((packed)) __attribute__((aligned(4)));", "packed aligned(4)"),
        ("struct [[gnu::packed]] s { int a; };", "packed"),
        ("typedef struct { int a; } __attribute__((packed)) s;", "packed"),
        ("struct s { int a; } __attribute__((aligned(8))) var;", "aligned(8)"),
    ];
    for (src, want) in cases {
        let (ir, parsed) = unit(src);
        assert_clean(src, &parsed);
        assert_eq!(record_attrs(&ir, "s"), want, "{src}");
    }
}

#[test]
fn member_attributes() {
    let cases = [
        ("struct s { int a __attribute__((aligned(8))); };", "a: int aligned(8)"),
        ("struct s { __attribute__((aligned(8))) int a; };", "a: int aligned(8)"),
        ("struct s { int __attribute__((aligned(8))) a; };", "a: int aligned(8)"),
        ("struct s { unsigned a:3 __attribute__((packed)); };", "a: unsigned int :3 packed"),
        ("struct s { char c; int i __attribute__((__packed__)); };", "c: char; i: int packed"),
        ("struct s { int a __attribute__((aligned)); };", "a: int aligned(__BIGGEST_ALIGNMENT__)"),
        ("struct s { _Alignas(16) int a; _Alignas(long) char b; };", "a: int aligned(16); b: char aligned(alignof(long))"),
        ("struct s { int a __attribute__((deprecated(\"x\"), unused)), b; };", "a: int; b: int"),
        ("struct s { int a __attribute__((aligned(4))), b; };", "a: int aligned(4); b: int"),
        ("struct s { __attribute__((packed)) int a, b; };", "a: int packed; b: int packed"),
        ("struct s { int v __attribute__((vector_size(16))); };", "v: vec(16)(int)"),
        ("struct s { union { int a; } __attribute__((packed)); };", "_: union s::anon0"),
        ("typedef unsigned long long __u64; struct s { __u64 __attribute__((aligned(8))) start; };", "start: __u64 aligned(8)"),
    ];
    for (src, want) in cases {
        let (ir, parsed) = unit(src);
        assert_clean(src, &parsed);
        assert_eq!(members(&ir, "s"), want, "{src}");
    }
}

#[test]
fn typedef_attributes() {
    let cases = [
        ("typedef int T __attribute__((aligned(16)));", "int aligned(16)"),
        ("__attribute__((aligned(64))) typedef struct { char b[3]; } T;", "struct T aligned(64)"),
        ("typedef __attribute__((aligned(8))) int T;", "int aligned(8)"),
        ("typedef struct s { int a; } T __attribute__((packed));", "struct s packed"),
        ("typedef int T __attribute__((aligned(8), aligned(16)));", "int aligned(16)"),
        (
            "typedef int T __attribute__((aligned(16))) __attribute__((aligned(8)));",
            "int aligned(8)",
        ),
        (
            "typedef struct { int a; } T __attribute__ ((__aligned__));",
            "struct T aligned(__BIGGEST_ALIGNMENT__)",
        ),
        ("typedef int T __attribute__((vector_size(16)));", "vec(16)(int)"),
        (
            "typedef float T __attribute__ ((__vector_size__ (16), __may_alias__));",
            "vec(16)(float)",
        ),
        ("typedef int T __attribute__ ((mode (SI)));", "int"),
        ("typedef int T __attribute__ ((mode (QI)));", "signed char"),
        ("typedef unsigned int T __attribute__ ((mode (DI)));", "unsigned long long"),
        ("typedef int T __attribute__ ((mode (TI)));", "__int128"),
        ("typedef int T __attribute__((__mode__(__word__)));", "long"),
        ("typedef unsigned T __attribute__((__mode__(__pointer__)));", "unsigned long"),
        ("typedef unsigned int T __attribute__ ((__mode__ (__HI__)));", "unsigned short"),
        ("typedef float T __attribute__ ((__mode__ (__HF__)));", "_Float16"),
        ("typedef float T __attribute__ ((__mode__ (__V4SF__)));", "vec(16)(float)"),
        ("typedef _Complex float T __attribute__ ((__mode__ (__TC__)));", "_Complex _Float128"),
        ("typedef unsigned char u8; typedef u8 T __attribute__((mode(HI)));", "unsigned short"),
        ("typedef int T[2] __attribute__((mode(DI)));", "[2]long long"),
    ];
    for (src, want) in cases {
        let (ir, parsed) = unit(src);
        assert_clean(src, &parsed);
        assert_eq!(typedef(&ir, "T"), want, "{src}");
    }
    let src = "__attribute__((aligned(64))) typedef struct { char b[3]; } T;";
    let (ir, _) = unit(src);
    assert_eq!(record_attrs(&ir, "T"), "", "aligned before typedef is the typedef's");
}

#[test]
fn soft_builtin_names_can_be_typedefs() {
    let src =
        "typedef __float128 _Float128; typedef float _Float16 __attribute__((__mode__(__HF__)));
        struct s { _Float128 a; _Float16 b; };";
    let (ir, parsed) = unit(src);
    assert_clean(src, &parsed);
    assert_eq!(members(&ir, "s"), "a: _Float128; b: _Float16");
    assert_eq!(typedef(&ir, "_Float128"), "_Float128");
}

fn enum_constants(ir: &Ir, tag: Option<&str>) -> String {
    let e = ir.enums.iter().find(|e| e.tag.as_deref() == tag).expect("enum");
    let consts = e.constants.iter().map(|c| match &c.value {
        Some(v) => format!("{}={}", c.name, expr(ir, v)),
        None => c.name.clone(),
    });
    consts.collect::<Vec<_>>().join(" ")
}

#[test]
fn enums() {
    let cases = [
        ("enum e { A, B = 5, C, D = B + 1, };", Some("e"), "A B=5 C D=(B + 1)"),
        (
            "enum { X = sizeof(int), Y = (unsigned char)300, Z = 'a' };",
            None,
            "X=sizeof(int) Y=(unsigned char)300 Z=97",
        ),
        ("enum e; enum e { A };", Some("e"), "A"),
        ("enum __attribute__((packed)) e { A, B, };", Some("e"), "A B"),
        (
            "enum e { A __attribute__((deprecated)) = 1, B __attribute__((unused)) };",
            Some("e"),
            "A=1 B",
        ),
        (
            "enum e { A = -1, B = ~0u, C = 1 << 31, D = 0x100000000ULL };",
            Some("e"),
            "A=-1 B=~0u C=(1 << 31) D=4294967296ull",
        ),
        (
            "enum { N = 64 / (8 * sizeof(long)) ? 64 / (8 * sizeof(long)) : 1 };",
            None,
            "N=((64 / (8 * sizeof(long))) ? (64 / (8 * sizeof(long))) : 1)",
        ),
        ("enum e { A = 1 } ; enum f { B = A + 1 };", Some("f"), "B=(A + 1)"),
        ("typedef enum { R, S } T;", None, "R S"),
    ];
    for (src, tag, want) in cases {
        let (ir, parsed) = unit(src);
        assert_clean(src, &parsed);
        assert_eq!(enum_constants(&ir, tag), want, "{src}");
    }

    let (ir, _) = unit(
        "enum __attribute__((packed)) p { A }; enum q { B } __attribute__((packed, aligned(4)));",
    );
    assert!(ir.enums[0].packed && ir.enums[1].packed && ir.enums[0].complete);
    assert_eq!(ir.enums[1].aligned.as_ref().map(|e| expr(&ir, e)).as_deref(), Some("4"));
    let (ir, _) = unit("enum e { N = 4 }; struct s { int a[N]; int b : N; };");
    assert_eq!(members(&ir, "s"), "a: [N]int; b: int :N");
}

#[test]
fn literals() {
    let cases = [
        ("0", Some("0")),
        ("00", Some("0")),
        ("0u", Some("0u")),
        ("42", Some("42")),
        ("0x1fULL", Some("31ull")),
        ("0X1F", Some("31")),
        ("017", Some("15")),
        ("0b101", Some("5")),
        ("10u", Some("10u")),
        ("10l", Some("10l")),
        ("10lu", Some("10ul")),
        ("10Ul", Some("10ul")),
        ("10LLU", Some("10ull")),
        ("10ll", Some("10ll")),
        ("2147483647", Some("2147483647")),
        ("2147483648", Some("2147483648ll")),
        ("0x7fffffff", Some("2147483647")),
        ("0x80000000", Some("2147483648u")),
        ("0xffffffffu", Some("4294967295u")),
        ("0x100000000u", Some("4294967296ull")),
        ("4294967296", Some("4294967296ll")),
        ("0xFFFFFFFFFFFFFFFF", Some("18446744073709551615ull")),
        ("18446744073709551615", Some("18446744073709551615ull")),
        ("1'000", Some("1000")),
        ("'a'", Some("97")),
        ("'\\n'", Some("10")),
        ("'\\x7f'", Some("127")),
        ("'\\0'", Some("0")),
        ("'\\''", Some("39")),
        ("'\\\\'", Some("92")),
        ("'\\e'", Some("27")),
        ("'\\377'", Some("(int)(char)255")),
        ("'\\xff'", Some("(int)(char)255")),
        ("'ab'", Some("24930")),
        ("L'a'", Some("97")),
        ("U'a'", Some("97u")),
        ("u'\\u00e9'", Some("(unsigned short)233")),
        ("L'\\xffffffff'", Some("(int)4294967295u")),
        ("1.5", None),
        ("1e3", None),
        ("0x1p3", None),
        (".5", None),
        ("0x", None),
        ("08", None),
        ("1lul", None),
        ("1lL", None),
        ("99999999999999999999", None),
        ("'\\x'", None),
        ("\"str\"", None),
    ];
    for (text, want) in cases {
        assert_eq!(constant("", text).as_deref(), want, "{text}");
    }
}

#[test]
fn expressions() {
    let decls = "typedef unsigned long size_t; typedef unsigned int __u32; enum e { A = 3 };
        struct s { int a[4]; struct { int c[3]; int d; } b[2]; }; int object;";
    let cases = [
        ("1 + 2 * 3", Some("(1 + (2 * 3))")),
        ("(1 + 2) * 3", Some("((1 + 2) * 3)")),
        ("1 - 2 - 3", Some("((1 - 2) - 3)")),
        ("1 << 2 | 3 & 4 ^ 5", Some("((1 << 2) | ((3 & 4) ^ 5))")),
        ("1 < 2 == 3 > 4 && 5 || 6", Some("((((1 < 2) == (3 > 4)) && 5) || 6)")),
        ("1 ? 2 : 3 ? 4 : 5", Some("(1 ? 2 : (3 ? 4 : 5))")),
        ("1 ?: 2", Some("(1 ? 1 : 2)")),
        ("-1", Some("-1")),
        ("~0u", Some("~0u")),
        ("!0", Some("!0")),
        ("- -1", Some("--1")),
        ("8 % 3 / 2 >> 1 <= 4 != 1", Some("(((((8 % 3) / 2) >> 1) <= 4) != 1)")),
        ("(1, 2)", Some("(1 , 2)")),
        ("A + 1", Some("(A + 1)")),
        ("__extension__ 1ULL", Some("1ull")),
        ("sizeof(int)", Some("sizeof(int)")),
        ("sizeof(struct s)", Some("sizeof(struct s)")),
        ("sizeof(unsigned long) * 8", Some("(sizeof(unsigned long) * 8)")),
        ("sizeof 1", Some("sizeof(int)")),
        ("sizeof 1UL", Some("sizeof(unsigned long)")),
        ("sizeof(A)", Some("sizeof(int)")),
        ("sizeof(int[4])", Some("sizeof([4]int)")),
        ("sizeof(char *)", Some("sizeof(*char)")),
        ("sizeof(void (*)(int))", Some("sizeof(*fn)")),
        ("sizeof sizeof(int)", Some("sizeof(unsigned long)")),
        ("sizeof((__u32)1)", Some("sizeof(__u32)")),
        ("sizeof(((struct s *)0)->a)", Some("sizeof null(struct s).a")),
        (
            "sizeof(((struct s *)0)->a) / sizeof(((struct s *)0)->a[0])",
            Some("(sizeof null(struct s).a / sizeof *null(struct s).a)"),
        ),
        ("sizeof(((struct s *)0)->b[1].c[2])", Some("sizeof **null(struct s).b.c")),
        ("sizeof(*(struct s *)0)", Some("sizeof *null(struct s)")),
        ("_Alignof(long long)", Some("alignof(long long)")),
        ("__alignof__(struct s)", Some("__alignof__(struct s)")),
        ("_Alignof(struct s)", Some("alignof(struct s)")),
        ("__alignof(size_t)", Some("__alignof__(size_t)")),
        ("__builtin_offsetof(struct s, a)", Some("offsetof(struct s, a)")),
        ("__builtin_offsetof(struct s, b[1].c[2])", Some("offsetof(struct s, b.[1].c.[2])")),
        ("offsetof(struct s, b[0 + 1].d)", Some("offsetof(struct s, b.[1].d)")),
        ("((size_t)&((struct s *)0)->a)", Some("(size_t)offsetof(struct s, a)")),
        (
            "(unsigned long)(&((struct s*)0)->b[1].d)",
            Some("(unsigned long)offsetof(struct s, b.[1].d)"),
        ),
        ("(size_t)&(*(struct s *)0).a", Some("(size_t)offsetof(struct s, a)")),
        ("(unsigned char)-1", Some("(unsigned char)-1")),
        ("(__u32)1 << 31", Some("((__u32)1 << 31)")),
        ("(enum e)1", Some("(enum e)1")),
        ("(const unsigned)1", Some("(unsigned int)1")),
        ("((void *)0)", None),
        ("(void *)-1", None),
        ("(struct s)1", None),
        ("", None),
        ("int", None),
        ("size_t", None),
        ("x", None),
        ("object", None),
        ("f(1)", None),
        ("1 2", None),
        ("1, 2", None),
        ("a = 1", None),
        ("(1", None),
        ("1 +", None),
        ("&object", None),
        ("i++", None),
        ("sizeof(struct { int a; })", None),
        ("(int){1}", None),
        ("__alignof__(1)", None),
        ("offsetof(struct s, b[A])", None),
        ("((struct s *)0)->a", None),
        ("1.0 + 1", None),
    ];
    for (text, want) in cases {
        assert_eq!(constant(decls, text).as_deref(), want, "{text}");
    }
}

/// Replaces the identifier `name` in the tokens of `src` by the tokens of
/// `body`, marked as its expansion (as the preprocessor does).
fn expand(tokens: Vec<Token>, name: &str, body: &str) -> Vec<Token> {
    let mut out = Vec::new();
    for t in tokens {
        if t.text() != name {
            out.push(t);
            continue;
        }
        let origin = Some(Sym::new(name));
        out.extend(self::tokens(body).into_iter().map(|b| Token { loc: t.loc, origin, ..b }));
    }
    out
}

#[test]
fn macro_spelled_lengths() {
    let cases = [
        ("struct s { char name[LEN]; };", "LEN", "(16 + 1)", "name: [LEN=(16 + 1)]char"),
        ("struct s { unsigned bits : LEN; };", "LEN", "3", "bits: unsigned int :LEN=3"),
        ("struct s { char a[LEN + 1]; };", "LEN", "16", "a: [(16 + 1)]char"),
        ("struct s { char a[LEN * LEN]; };", "LEN", "4", "a: [(4 * 4)]char"),
        ("struct s { FIELD; };", "FIELD", "char x[4]", "x: [4]char"),
        ("struct s { char a[LEN]; };", "LEN", "4", "a: [LEN=4]char"),
    ];
    for (src, name, body, want) in cases {
        let toks = expand(tokens(src), name, body);
        let mut ir = Ir::default();
        let parsed = parse_unit(&toks, &[], &mut ir);
        assert_clean(src, &parsed);
        assert_eq!(members(&ir, "s"), want, "{src} with {name} = {body}");
    }
}

#[test]
fn pragma_pack() {
    let src =
        "struct a { int x; }; struct b { char c; struct { int y; } n; }; struct c { int z; };";
    let toks = tokens(src);
    let at = |nth: usize| {
        toks.iter().enumerate().filter(|(_, t)| t.is("struct")).nth(nth).map(|(i, _)| i)
    };
    let pack = [
        PackChange { at: at(1).unwrap_or(0), max_align: Some(2) },
        PackChange { at: at(3).unwrap_or(0), max_align: None },
    ];
    let mut ir = Ir::default();
    let parsed = parse_unit(&toks, &pack, &mut ir);
    assert_clean(src, &parsed);
    let got: Vec<_> = ir.records.iter().map(|r| (r.name.as_str(), r.max_field_align)).collect();
    assert_eq!(got, [("a", None), ("b", Some(2)), ("b::n", Some(2)), ("c", None)]);
}

#[test]
fn redeclarations() {
    let cases: [(&str, &[&str]); 8] = [
        ("typedef int T; typedef int T;", &[]),
        ("typedef struct s S; typedef struct s S;", &[]),
        ("typedef int T; typedef long T;", &["typedef 'T' redefined with a different type"]),
        ("struct s { int a; }; struct s { int a; };", &[]),
        (
            "struct s { int a; }; struct s { long a; };",
            &["redefinition of 'struct s' with a different body"],
        ),
        ("enum e { A }; enum e { A };", &[]),
        ("enum e { A }; enum e { B };", &["redefinition of 'enum e' with a different body"]),
        (
            "struct s { int a; }; union s { int b; };",
            &["'s' used as 'union' tag, but declared earlier as another kind of tag"],
        ),
    ];
    for (src, want) in cases {
        let (ir, parsed) = unit(src);
        assert_eq!(messages(&parsed), want, "{src}");
        assert!(ir.records.len() <= 1 && ir.enums.len() <= 1 && ir.typedefs.len() <= 1, "{src}");
    }
    let (ir, _) = unit("struct s { int a; }; struct s { long a; };");
    assert_eq!(members(&ir, "s"), "a: int", "the first definition is kept");
}

#[test]
fn skipped_declarations() {
    let cases = [
        "extern int printf (const char *__restrict __format, ...);",
        "extern void *memcpy (void *__restrict __dest, const void *__restrict __src, unsigned long __n) __attribute__ ((__nothrow__ , __leaf__)) __attribute__ ((__nonnull__ (1, 2)));",
        "extern int foo (int) __asm__ (\"\" \"foo64\") __attribute__ ((__warn_unused_result__));",
        "extern __inline __attribute__ ((__gnu_inline__)) unsigned __bswap_32 (unsigned __bsx) { return __builtin_bswap32 (__bsx); }",
        "__extension__ static __inline int f(int x) { struct { int a; } s = { 1 }; if (x) { return s.a; } return '}'; }",
        "static inline void g(void) { asm volatile (\"\" ::: \"memory\"); }",
        "int f(void) { return 0; } int g(void);",
        "extern char *optarg; extern int optind, opterr;",
        "extern int (*table[4])(int);",
        "static const int primes[] = { 2, 3, 5, (7) }, count = 4;",
        "_Static_assert(sizeof(int) == 4, \"int\");",
        "static_assert(1, \"x\");",
        ";;",
        "__asm__(\".symver memcpy, memcpy@GLIBC_2.2.5\");",
        "_Noreturn void exit(int);",
        "extern __thread int errno_value;",
        "void f(int n, int a[n][n], int b[static 10], int c[const 5], int d[*]);",
        "int (*signal(int sig, void (*func)(int)))(int);",
        "void f(struct undeclared *p);",
        "extern int x __attribute__((visibility(\"hidden\"))) = 3;",
        "typedef int T; void f(T); void g(T t, int (*h)(T));",
    ];
    for src in cases {
        let (_, parsed) = unit(src);
        assert_clean(src, &parsed);
    }
}

#[test]
fn diagnostics() {
    let cases: [(&str, &[&str]); 25] = [
        ("struct r { undefined_t x; int y; };", &["unknown type name 'undefined_t'"]),
        ("struct r { undefined_t *x; };", &["unknown type name 'undefined_t'"]),
        ("struct a { int x };", &["expected ';' after member declaration, found '}'"]),
        (
            "struct a { int x; } 5",
            &["expected ';' or a declarator after declaration specifiers, found '5'"],
        ),
        ("struct a { int x; ", &["expected '}' to end 'struct a', found end of input"]),
        ("struct { int x; ", &["expected '}' to end 'struct <anonymous>', found end of input"]),
        ("struct a { int x[; }; struct b { int y; };", &["expected expression, found ';'"]),
        ("}", &["expected a declaration, found '}'"]),
        (
            "struct a { int f(void); };",
            &["member 'f' declared as a function: expected a pointer to it"],
        ),
        ("typedef int T __attribute__((mode(XX)));", &["unknown machine mode 'XX'"]),
        (
            "typedef __typeof__(1 + 2) T;",
            &["'typeof' of an expression is not supported: expected a type name"],
        ),
        ("enum e { A B };", &["expected ',' or '}' after enumerator 'A', found 'B'"]),
        ("long long long x;", &["invalid combination of type specifiers"]),
        ("int char x;", &["invalid combination of type specifiers"]),
        ("char double x;", &["cannot combine 'double' with the previous type specifier"]),
        ("unsigned double x;", &["invalid combination of type specifiers"]),
        ("int x int y;", &["expected ';' after declaration of 'x', found 'int'"]),
        ("struct a { int x : 1.5; };", &["floating constant '1.5' in integer constant expression"]),
        ("struct a { char c[n]; };", &["use of undeclared identifier 'n' in constant expression"]),
        ("struct a { int; };", &["member declaration does not declare anything"]),
        (
            "struct { int a; } __attribute__((aligned(8)) x;",
            &["expected ')' to end '__attribute__', found 'x'"],
        ),
        (
            "enum e : unsigned char { A };",
            &["enum with a fixed underlying type (C23) is not supported"],
        ),
        (
            "struct a { typedef int T; int b; };",
            &["'typedef' in a member declaration: expected a member"],
        ),
        (
            "_Pragma(\"pack(1)\") struct a { _Pragma(\"x\") int b; };",
            &["'_Pragma' was not handled by the preprocessor: ignored"; 2],
        ),
        (
            "typedef int T __attribute__((mode(V4294967295SI)));",
            &["machine mode attribute does not fit the declared type"],
        ),
    ];
    for (src, want) in cases {
        let (_, parsed) = unit(src);
        assert_eq!(messages(&parsed), want, "{src}");
    }
}

#[test]
fn diagnostic_locations() {
    let src = "struct a {\n  int x;\n";
    let (_, parsed) = unit(src);
    let loc = parsed.diagnostics[0].loc.map(|l| (l.line, l.column));
    assert_eq!(loc, Some((1, 10)), "an unclosed body is reported at its '{{'");

    let src = "struct r {\n\tundefined_t x;\n};";
    let (ir, parsed) = unit(src);
    let loc = parsed.diagnostics[0].loc.map(|l| (l.line, l.column));
    assert_eq!(loc, Some((2, 2)));
    assert_eq!(members(&ir, "r"), "x: ?undefined_t", "the record is kept, the member marked");
    assert!(find(&ir, "r").complete);
}

#[test]
fn recovery_continues() {
    let cases = [
        "struct a { int x[; }; struct b { int y; };",
        "int x int y; struct b { int y; };",
        "struct a { int x } struct b { int y; };",
        "@ # $; struct b { int y; };",
        "} } struct b { int y; };",
        "int f( { } struct b { int y; };",
        "struct a { int x; int; char c[1+]; long z; }; struct b { int y; };",
        "enum e { A = , B = 2 }; struct b { int y; };",
        "typedef int T __attribute__((aligned(; struct b { int y; };",
        "void f(void) { { } struct b { int y; };",
    ];
    for src in cases {
        let (ir, parsed) = unit(src);
        assert!(!parsed.diagnostics.is_empty(), "{src}");
        let b = ir.records.iter().find(|r| r.name == "b");
        let fields = b.map(|_| members(&ir, "b"));
        if src.starts_with("void f(void) { {") {
            // The unclosed function body swallows the rest, as in GCC.
            assert_eq!(parsed.diagnostics.len(), 1, "{src}");
            continue;
        }
        assert_eq!(fields.as_deref(), Some("y: int"), "{src}: {:?}", messages(&parsed));
    }
    let (ir, _) = unit("struct a { int x; int; char c[1+]; long z; };");
    assert_eq!(members(&ir, "a"), "x: int; z: long");
}

#[test]
fn nesting_limits() {
    let deep_expr = format!("{}1{}", "(".repeat(5000), ")".repeat(5000));
    assert_eq!(constant("", &deep_expr), None);
    let deep_unary = format!("{}1", "-".repeat(5000));
    assert_eq!(constant("", &deep_unary), None);
    let long_chain = vec!["1"; 5000].join(" + ");
    assert_eq!(constant("", &long_chain), None);
    let nested_records = format!("{}{}", "struct a { ".repeat(3000), "} x; ".repeat(3000));
    let (_, parsed) = unit(&nested_records);
    assert!(!parsed.diagnostics.is_empty());
    let longs = format!("{}x;", "long ".repeat(300));
    let (_, parsed) = unit(&longs);
    assert_eq!(messages(&parsed), ["invalid combination of type specifiers"]);
    let pointers = format!("typedef int {}T;", "*".repeat(5000));
    let (_, parsed) = unit(&pointers);
    assert!(!parsed.diagnostics.is_empty());
    let arrays = format!("typedef int T{};", "[1]".repeat(5000));
    let (_, parsed) = unit(&arrays);
    assert!(!parsed.diagnostics.is_empty());
    let decls = format!("typedef int T{};", "(".repeat(5000));
    let (_, parsed) = unit(&decls);
    assert!(!parsed.diagnostics.is_empty());
    let ok = format!("enum {{ X = {}1{} }};", "(".repeat(40), ")".repeat(40));
    let (_, parsed) = unit(&ok);
    assert_clean(&ok, &parsed);
}

/// A fixed-seed xorshift over C tokens: the parser must terminate without
/// panicking, whatever it is fed.
#[test]
fn random_token_soup() {
    const VOCAB: &[&str] = &[
        "struct",
        "union",
        "enum",
        "typedef",
        "int",
        "char",
        "unsigned",
        "long",
        "short",
        "void",
        "{",
        "}",
        "(",
        ")",
        "[",
        "]",
        ";",
        ",",
        "*",
        "=",
        "x",
        "y",
        "T",
        "1",
        "0x10",
        "'a'",
        "__attribute__",
        "packed",
        "aligned",
        "mode",
        "vector_size",
        ":",
        "sizeof",
        "+",
        "-",
        "?",
        "&",
        "->",
        ".",
        "_Alignas",
        "__extension__",
        "static",
        "extern",
        "\"s\"",
        "...",
        "offsetof",
        "__builtin_offsetof",
        "_Static_assert",
        "__asm__",
        "typeof",
        "_Atomic",
        "@",
        "0",
        "1.5",
        "[[",
        "]]",
        "::",
        "const",
        "__int128",
        "_Complex",
        "double",
        "!",
        "~",
        "<<",
        "||",
        "ckpt_hdr",
        "__builtin_va_list",
        "_Float128",
        "signed",
        "__alignof__",
    ];
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for _ in 0..400 {
        let len = (next() % 300) as usize;
        let words: Vec<&str> =
            (0..len).map(|_| VOCAB[(next() % VOCAB.len() as u64) as usize]).collect();
        let src = words.join(" ");
        let (ir, parsed) = unit(&src);
        let _ = parse_constant(&tokens(&src), &ir, &parsed.scope);
        let half = &words[..len / 2].join(" ");
        let _ = parse_constant(&tokens(half), &ir, &parsed.scope);
    }
}

/// Fragments in the style of glibc's installed headers, after
/// preprocessing.
#[test]
fn glibc_fragments() {
    let src = r#"
typedef unsigned char __u_char; typedef unsigned int __uint32_t; typedef long int __off_t;
typedef unsigned long int size_t;
__extension__ typedef long long int __quad_t;
__extension__ typedef struct { long long int __max_align_ll __attribute__((__aligned__(__alignof__(long long))));
  long double __max_align_ld __attribute__((__aligned__(__alignof__(long double)))); } max_align_t;
typedef struct { int __val[2]; } __fsid_t;
typedef struct { unsigned long int __val[(1024 / (8 * sizeof (unsigned long int)))]; } __sigset_t;
typedef union { char __size[56]; long int __align; } pthread_attr_t;
typedef __builtin_va_list __gnuc_va_list;
struct timespec { long tv_sec; long tv_nsec; };
extern int nanosleep (const struct timespec *__requested_time, struct timespec *__remaining);
typedef void (*__sighandler_t) (int);
extern __sighandler_t signal (int __sig, __sighandler_t __handler) __attribute__ ((__nothrow__ , __leaf__));
enum { _ISupper = ((0) < 8 ? ((1 << (0)) << 8) : ((1 << (0)) >> 8)), _ISlower = ((1) < 8 ? ((1 << (1)) << 8) : ((1 << (1)) >> 8)) };
typedef unsigned short int sa_family_t;
struct sockaddr { sa_family_t sa_family; char sa_data[14]; };
struct in_addr { __uint32_t s_addr; };
struct sockaddr_in { sa_family_t sin_family; unsigned short sin_port; struct in_addr sin_addr;
  unsigned char sin_zero[sizeof (struct sockaddr) - (sizeof (unsigned short int)) - sizeof (unsigned short) - sizeof (struct in_addr)]; };
struct __pthread_cleanup_frame { void (*__cancel_routine) (void *); void *__cancel_arg; int __do_it; int __cancel_type; };
typedef struct { struct { long __cancel_jmp_buf[8]; int __mask_was_saved; } __cancel_jmp_buf[1]; void *__pad[4]; } __pthread_unwind_buf_t __attribute__ ((__aligned__));
extern __inline __attribute__ ((__gnu_inline__)) __uint32_t __bswap_32 (__uint32_t __bsx) { return __builtin_bswap32 (__bsx); }
typedef struct { __extension__ unsigned long long int __wseq; unsigned int __g1_orig_size; } __pthread_cond_s_like;
struct stat { __off_t st_size; struct timespec st_atim; long int __glibc_reserved[3]; };
extern int stat (const char *__restrict __file, struct stat *__restrict __buf) __attribute__ ((__nothrow__ , __leaf__)) __attribute__ ((__nonnull__ (1, 2)));
typedef float _Float32; typedef double _Float64;
extern double strtod (const char *__restrict __nptr, char **__restrict __endptr) __attribute__ ((__nothrow__ , __leaf__));
struct __locale_struct { struct __locale_data *__locales[13]; const unsigned short int *__ctype_b; const char *__names[13]; };
typedef struct __locale_struct *__locale_t;
"#;
    let (ir, parsed) = unit(src);
    assert_clean(src, &parsed);
    assert_eq!(
        members(&ir, "__sigset_t"),
        "__val: [(1024 / (8 * sizeof(unsigned long)))]unsigned long"
    );
    let sin_zero = members(&ir, "sockaddr_in");
    assert!(sin_zero.ends_with("sin_zero: [(((sizeof(struct sockaddr) - sizeof(unsigned short)) - sizeof(unsigned short)) - sizeof(struct in_addr))]unsigned char"), "{sin_zero}");
    assert_eq!(
        members(&ir, "__pthread_unwind_buf_t::__cancel_jmp_buf"),
        "__cancel_jmp_buf: [8]long; __mask_was_saved: int"
    );
    assert_eq!(
        typedef(&ir, "__pthread_unwind_buf_t"),
        "struct __pthread_unwind_buf_t aligned(__BIGGEST_ALIGNMENT__)"
    );
    assert_eq!(members(&ir, "max_align_t"), "__max_align_ll: long long aligned(__alignof__(long long)); __max_align_ld: long double aligned(__alignof__(long double))");
    assert_eq!(
        members(&ir, "stat"),
        "st_size: __off_t; st_atim: struct timespec; __glibc_reserved: [3]long"
    );
    assert!(!find(&ir, "__locale_data").complete);
}

/// Fragments in the style of the kernel UAPI checkpoint headers.
#[test]
fn kernel_fragments() {
    let src = r#"
typedef unsigned char __u8; typedef unsigned short __u16; typedef unsigned int __u32;
typedef signed int __s32; __extension__ typedef unsigned long long __u64;
struct ckpt_hdr { __u32 type; __u32 len; } __attribute__((aligned(8)));
enum { CKPT_HDR_HEADER = 1, CKPT_HDR_CAPABILITIES = 101, CKPT_HDR_CRED, CKPT_HDR_MAX };
struct ckpt_capabilities { __u64 cap_i; __u64 cap_p; __u64 cap_e; __u64 cap_bset; __u32 securebits; __u32 padding; } __attribute__((aligned(8)));
struct ckpt_hdr_cred { struct ckpt_hdr h; __u32 uid, suid, euid, fsuid; __u32 gid, sgid, egid, fsgid;
  __s32 user_ref; __s32 groups_ref; struct ckpt_capabilities cap_s; } __attribute__((aligned(8)));
struct ckpt_iphdr { __u8 ihl:4, version:4; __u8 tos; __u16 tot_len; };
struct ckpt_hdr_file { struct ckpt_hdr h; union { struct { __u32 a; } s; __u64 u; }; char comm[16]; __u8 data[]; };
enum { CKPT_IOC_RESTART = (((1U) << (((0+8)+8)+14)) | ((('C')) << (0+8)) | (((1)) << 0) | ((((sizeof(struct ckpt_hdr)))) << ((0+8)+8))) };
struct ckpt_sigaction { union { void (*_sa_handler)(int); void (*_sa_sigaction)(int, struct siginfo *, void *); } _u; __u64 sa_flags; };
struct ckpt_termios { __u32 c_iflag; unsigned char c_line; unsigned char c_cc[19]; };
struct ckpt_hdr_tail { struct ckpt_hdr h; __u64 __attribute__((aligned(8))) magic; } __attribute__((packed));
"#;
    let (ir, parsed) = unit(src);
    assert_clean(src, &parsed);
    let hdrs: Vec<_> =
        ir.records.iter().filter(|r| r.begins_with_hdr).map(|r| r.name.as_str()).collect();
    assert_eq!(hdrs, ["ckpt_hdr_cred", "ckpt_hdr_file", "ckpt_hdr_tail"]);
    assert_eq!(
        members(&ir, "ckpt_hdr_file"),
        "h: struct ckpt_hdr; _: union ckpt_hdr_file::anon0; comm: [16]char; data: []__u8"
    );
    assert_eq!(members(&ir, "ckpt_hdr_file::anon0::s"), "a: __u32");
    assert_eq!(members(&ir, "ckpt_sigaction::_u"), "_sa_handler: *fn; _sa_sigaction: *fn");
    assert_eq!(
        members(&ir, "ckpt_iphdr"),
        "ihl: __u8 :4; version: __u8 :4; tos: __u8; tot_len: __u16"
    );
    assert_eq!(record_attrs(&ir, "ckpt_hdr_tail"), "packed");
    assert_eq!(enum_constants(&ir, None).split(' ').count(), 4);
    let names: Vec<_> = ir.records.iter().map(|r| r.name.as_str()).collect();
    let want = [
        "ckpt_hdr",
        "ckpt_capabilities",
        "ckpt_hdr_cred",
        "ckpt_iphdr",
        "ckpt_hdr_file",
        "ckpt_hdr_file::anon0",
        "ckpt_hdr_file::anon0::s",
        "ckpt_sigaction",
        "ckpt_sigaction::_u",
        "siginfo",
        "ckpt_termios",
        "ckpt_hdr_tail",
    ];
    assert_eq!(names, want);
}

#[test]
fn constants_see_the_unit_scope() {
    let decls = "typedef unsigned int __u32; enum { CKPT_A = 7 }; struct ckpt_hdr { __u32 type; __u32 len; };";
    let cases = [
        ("CKPT_A", Some("CKPT_A")),
        (
            "(CKPT_A + 1) * sizeof(struct ckpt_hdr)",
            Some("((CKPT_A + 1) * sizeof(struct ckpt_hdr))"),
        ),
        ("sizeof(__u32) * 8", Some("(sizeof(__u32) * 8)")),
        ("sizeof(struct unknown_tag)", None),
        ("__u32", None),
    ];
    for (text, want) in cases {
        assert_eq!(constant(decls, text).as_deref(), want, "{text}");
    }
    let (ir, parsed) = unit(decls);
    let before = (ir.records.len(), ir.enums.len(), ir.typedefs.len());
    let _ =
        parse_constant(&tokens("sizeof(struct { int a; }) + sizeof(enum z)"), &ir, &parsed.scope);
    assert_eq!(before, (ir.records.len(), ir.enums.len(), ir.typedefs.len()));
    // A scope of another IR must not make it panic.
    let _ = parse_constant(&tokens("sizeof(__u32) + CKPT_A"), &Ir::default(), &parsed.scope);
}

/// Real headers, preprocessed by the host's gcc (the project's own
/// preprocessor is a separate stage): every declaration must parse.
#[test]
fn host_system_headers_parse_cleanly() {
    const HEADERS: &[&str] = &[
        "stdio.h",
        "stdlib.h",
        "signal.h",
        "sys/socket.h",
        "netinet/in.h",
        "pthread.h",
        "sys/stat.h",
        "termios.h",
        "ucontext.h",
        "linux/capability.h",
        "linux/netlink.h",
        "linux/perf_event.h",
        "linux/bpf.h",
        "linux/io_uring.h",
    ];
    for header in HEADERS {
        let input = format!("#include <{header}>\n");
        let Some(src) = gcc_preprocess(&input) else {
            eprintln!("SKIPPED host_system_headers_parse_cleanly: `gcc -E` failed on <{header}>");
            continue;
        };
        // `gcc -E` keeps `#pragma` lines, which our preprocessor consumes.
        let src: String =
            src.lines().filter(|l| !l.starts_with('#')).map(|l| format!("{l}\n")).collect();
        let (ir, parsed) = unit(&src);
        let first = parsed.diagnostics.first().map(|d| (d.loc.map(|l| l.line), d.message.clone()));
        assert_eq!(first, None, "<{header}>");
        assert!(!ir.typedefs.is_empty(), "<{header}>");
    }
}

fn gcc_preprocess(input: &str) -> Option<String> {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let mut child = Command::new("gcc")
        .args(["-E", "-P", "-x", "c", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    child.stdin.take()?.write_all(input.as_bytes()).ok()?;
    let out = child.wait_with_output().ok()?;
    out.status.success().then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

#[test]
fn enum_bitfields_are_not_enum_bases() {
    let src = "enum e { A, B }; struct s { char c; enum e :3; enum e x : 2; int y; };";
    let (ir, parsed) = unit(src);
    assert_clean(src, &parsed);
    assert_eq!(find(&ir, "s").fields.len(), 4, "{src}");
}

#[test]
fn constant_expressions_gcc_accepts() {
    let src = "struct s { char a[(int)3.9]; char b[sizeof \"a\\n\\x41\" \"bc\"]; char c[sizeof(L\"ab\")]; };\n\
               struct t { char d[(_Bool)0.5]; char e[(int)(2.5)]; char f[sizeof \"\\u00e9\"]; char g[sizeof u\"\\U0001F600\"]; };\n\
               typedef __typeof__(sizeof(int)) sz_t; typedef __typeof__(1UL) ul_t;";
    let (ir, parsed) = unit(src);
    assert_clean(src, &parsed);
    assert_eq!(
        members(&ir, "s"),
        "a: [(int)3]char; b: [sizeof([6]char)]char; c: [sizeof([3]unsigned int)]char"
    );
    assert_eq!(
        members(&ir, "t"),
        "d: [(_Bool)1]char; e: [(int)2]char; f: [sizeof([3]char)]char; g: [sizeof([3]unsigned short)]char"
    );
    assert_eq!(typedef(&ir, "sz_t"), "unsigned long");
    assert_eq!(typedef(&ir, "ul_t"), "unsigned long");
}
