//! Unit tests: hand-built IR, expected values measured with GCC 12 (`gcc`
//! and the Debian cross compilers `<triple>-gcc`) and Clang 14 (`clang
//! -target <triple>`) on all eight targets, unless a comment says otherwise.

use super::*;
use crate::ir::{
    BinaryOp, Enum, EnumConst, Field, FileId, FloatKind, IntKind, Loc, Record, RecordKind, Type,
    Typedef, UnaryOp,
};
use crate::target::TARGETS;

const X86_64: &str = "x86_64-linux-gnu";
const I386: &str = "i386-linux-gnu";
const AARCH64: &str = "aarch64-linux-gnu";
const ARMV7: &str = "armv7-linux-gnueabihf";

fn loc() -> Loc {
    Loc { file: FileId(0), offset: 0, line: 1, column: 1 }
}

fn target(name: &str) -> &'static Target {
    Target::by_name(name).expect("known target")
}

fn aapcs(t: &Target) -> bool {
    t.unnamed_bitfield_aligns_record
}

// Types.
fn int(k: IntKind) -> Type {
    Type::Int(k)
}
fn array(elem: Type, len: Option<Expr>) -> Type {
    Type::Array { elem: Box::new(elem), len: len.map(Box::new) }
}

// Expressions.
fn lit(v: u128) -> Expr {
    Expr::Int { value: v, unsigned: false, long: 0 }
}
fn ulit(v: u128, long: u8) -> Expr {
    Expr::Int { value: v, unsigned: true, long }
}
fn bin(op: BinaryOp, a: Expr, b: Expr) -> Expr {
    Expr::Binary(op, Box::new(a), Box::new(b))
}
fn neg(e: Expr) -> Expr {
    Expr::Unary(UnaryOp::Neg, Box::new(e))
}
fn cast(ty: Type, e: Expr) -> Expr {
    Expr::Cast(Box::new(ty), Box::new(e))
}
fn sizeof(ty: Type) -> Expr {
    Expr::SizeOf(Box::new(ty))
}

// Members.
fn field(name: &str, ty: Type) -> Field {
    Field {
        name: Some(name.into()),
        ty,
        bit_width: None,
        packed: false,
        aligned: vec![],
        loc: loc(),
    }
}
fn bits(name: Option<&str>, ty: Type, width: u128) -> Field {
    Field { bit_width: Some(lit(width)), name: name.map(Into::into), ..field("", ty) }
}
fn aligned(mut f: Field, n: u128) -> Field {
    f.aligned.push(lit(n));
    f
}
fn anon(ty: Type) -> Field {
    Field { name: None, ..field("", ty) }
}

fn record(name: &str, kind: RecordKind, fields: Vec<Field>) -> Record {
    Record {
        name: name.into(),
        tagged: true,
        kind,
        complete: true,
        fields,
        packed: false,
        aligned: vec![],
        max_field_align: None,
        begins_with_hdr: false,
        loc: loc(),
    }
}
fn strukt(name: &str, fields: Vec<Field>) -> Record {
    record(name, RecordKind::Struct, fields)
}
fn packed(mut r: Record) -> Record {
    r.packed = true;
    r
}
fn pack(mut r: Record, n: u32) -> Record {
    r.max_field_align = Some(n);
    r
}

/// Builds an [`Ir`] item by item.
#[derive(Default)]
struct Builder {
    ir: Ir,
}

impl Builder {
    fn add(&mut self, r: Record) -> Type {
        self.ir.records.push(r);
        Type::Record(RecordId(self.ir.records.len() as u32 - 1))
    }

    fn typedef(&mut self, name: &str, ty: Type, aligned: Option<u128>, packed: bool) -> Type {
        self.ir.typedefs.push(Typedef {
            name: name.into(),
            ty,
            aligned: aligned.map(lit),
            packed,
            loc: loc(),
        });
        Type::Typedef(crate::ir::TypedefId(self.ir.typedefs.len() as u32 - 1))
    }

    fn enumeration(
        &mut self,
        tag: &str,
        values: Vec<Option<Expr>>,
        packed: bool,
        aligned: Option<u128>,
    ) -> Type {
        let constants = values
            .into_iter()
            .enumerate()
            .map(|(i, value)| EnumConst { name: format!("{tag}_{i}"), value, loc: loc() })
            .collect();
        self.ir.enums.push(Enum {
            tag: Some(tag.into()),
            constants,
            complete: true,
            packed,
            aligned: aligned.map(lit),
            loc: loc(),
        });
        Type::Enum(EnumId(self.ir.enums.len() as u32 - 1))
    }
}

fn id(ty: &Type) -> RecordId {
    match ty {
        Type::Record(id) => *id,
        _ => panic!("not a record"),
    }
}

fn layout_of<'a>(layouts: &'a Layouts<'_>, ty: &Type) -> &'a RecordLayout {
    let rec = &layouts.ir().records[id(ty).0 as usize].name;
    layouts.record(id(ty)).unwrap_or_else(|e| panic!("{rec} on {}: {e}", layouts.target()))
}

/// Checks size, alignment and member bit offsets of one record.
fn check(layouts: &Layouts<'_>, ty: &Type, size: u64, align: u64, offsets_bits: &[u64]) {
    let l = layout_of(layouts, ty);
    let name = &layouts.ir().records[id(ty).0 as usize].name;
    let got: Vec<u64> = l.fields.iter().map(|f| f.offset_bits).collect();
    let t = layouts.target();
    assert_eq!(
        (l.size_bytes, l.align_bytes, &got[..]),
        (size, align, offsets_bits),
        "{name} on {t}"
    );
}

// ---------------------------------------------------------------- eval

fn eval_on(t: &str, e: &Expr) -> Result<i128, EvalError> {
    let ir = Ir::default();
    Layouts::compute(&ir, target(t)).eval(e)
}

#[test]
fn c_integer_arithmetic() {
    use BinaryOp::*;
    use IntKind::*;
    // Values as C gives them (checked with gcc -m64 / i686-linux-gnu-gcc).
    let cases: Vec<(&str, Expr, i128)> = vec![
        (X86_64, bin(Gt, neg(lit(1)), ulit(0, 0)), 1), // -1 > 0u
        (X86_64, cast(int(UChar), lit(300)), 44),      // (unsigned char)300
        (X86_64, cast(int(SChar), lit(200)), -56),     // (signed char)200
        (X86_64, bin(Shl, ulit(1, 2), lit(63)), 1 << 63), // 1ULL << 63
        (X86_64, bin(Shl, lit(1), lit(31)), -(1 << 31)), // GCC wraps signed <<
        (X86_64, bin(Shr, neg(lit(16)), lit(2)), -4),  // arithmetic >>
        (X86_64, bin(Div, neg(lit(7)), lit(2)), -3),   // truncation
        (X86_64, bin(Rem, neg(lit(7)), lit(3)), -1),
        (X86_64, Expr::Unary(UnaryOp::Not, Box::new(ulit(0, 0))), 0xffff_ffff), // ~0u
        (X86_64, cast(int(ULong), neg(lit(1))), u64::MAX as i128),              // (unsigned long)-1
        (I386, cast(int(ULong), neg(lit(1))), u32::MAX as i128),
        // -1L < 1u: long holds every unsigned int on LP64 only.
        (
            X86_64,
            bin(Lt, Expr::Int { value: 1, unsigned: false, long: 1 }.negated(), ulit(1, 0)),
            1,
        ),
        (I386, bin(Lt, Expr::Int { value: 1, unsigned: false, long: 1 }.negated(), ulit(1, 0)), 0),
        (X86_64, bin(Sub, ulit(0, 0), lit(1)), 0xffff_ffff), // 0u - 1
        (X86_64, bin(LogicalAnd, lit(0), bin(Div, lit(1), lit(0))), 0), // not evaluated
        (X86_64, bin(LogicalOr, lit(2), bin(Div, lit(1), lit(0))), 1),
        (
            X86_64,
            Expr::Cond(Box::new(lit(1)), Box::new(neg(lit(1))), Box::new(ulit(0, 0))),
            0xffff_ffff,
        ),
        (X86_64, lit(0x8000_0000), 0x8000_0000), // long on LP64
        (X86_64, sizeof(int(Long)), 8),
        (I386, sizeof(int(Long)), 4),
        (X86_64, sizeof(Type::Void), 1),                     // GNU C
        (X86_64, bin(Gt, neg(lit(1)), sizeof(int(Int))), 1), // size_t is unsigned
        (X86_64, cast(int(Bool), lit(256)), 1),
        (X86_64, Expr::AlignOf(Box::new(int(LongLong))), 8),
        (I386, Expr::AlignOf(Box::new(int(LongLong))), 4), // ABI alignment (see FIXME)
    ];
    for (t, e, want) in cases {
        assert_eq!(eval_on(t, &e), Ok(want), "{e:?} on {t}");
    }
}

impl Expr {
    fn negated(self) -> Expr {
        neg(self)
    }
}

#[test]
fn c_integer_errors() {
    use BinaryOp::*;
    let int_max = lit(0x7fff_ffff);
    let cases: Vec<(Expr, &str)> = vec![
        (bin(Div, lit(1), lit(0)), "division by zero"),
        (bin(Rem, ulit(1, 0), ulit(0, 0)), "division by zero"),
        (bin(Add, int_max.clone(), lit(1)), "overflow"),
        (bin(Mul, int_max, lit(2)), "overflow"),
        (bin(Shl, lit(1), lit(32)), "shift count"),
        (bin(Shl, lit(1), neg(lit(1))), "shift count"),
        (sizeof(int(IntKind::Int128)), "not supported"),
        (
            Expr::Member(Box::new(Expr::NullPointer(Box::new(int(IntKind::Int)))), "x".into()),
            "constant",
        ),
    ];
    for (e, want) in cases {
        let got = eval_on(I386, &e).expect_err("must fail");
        assert!(got.message.contains(want), "{e:?}: {got}");
    }
}

#[test]
fn deep_nesting_errors_instead_of_overflowing_the_stack() {
    // 10,000 nested `-(-(...))`: an error, not a crash.
    let mut e = lit(1);
    for _ in 0..10_000 {
        e = neg(e);
    }
    let err = eval_on(X86_64, &e).expect_err("too deep");
    assert!(err.message.contains("nested"), "{err}");
    // Nesting within the limit evaluates.
    let mut ok = lit(1);
    for _ in 0..200 {
        ok = neg(ok);
    }
    assert_eq!(eval_on(X86_64, &ok), Ok(1));
    // A flat chain of 10,000 terms is folded with a loop.
    let mut chain = lit(0);
    for _ in 0..10_000 {
        chain = bin(BinaryOp::Add, chain, lit(1));
    }
    assert_eq!(eval_on(X86_64, &chain), Ok(10_000));

    // 10,000 nested typedefs and 10,000 nested arrays are walked with a loop.
    let mut b = Builder::default();
    let mut ty = int(IntKind::Int);
    for i in 0..10_000 {
        ty = b.typedef(&format!("t{i}"), ty, None, false);
    }
    for _ in 0..10_000 {
        ty = array(ty, Some(lit(1)));
    }
    let r = b.add(strukt("deep", vec![field("x", ty)]));
    let layouts = Layouts::compute(&b.ir, target(X86_64));
    check(&layouts, &r, 4, 4, &[0]);
    let deep = &b.ir.records[0].fields[0].ty;
    assert_eq!(layouts.type_layout(deep).map(|l| l.size_bytes), Ok(4));
    drop(layouts);

    // Unbox the deep values one level at a time: dropping (or cloning) them
    // whole would recurse 10,000 levels.
    let mut ty = std::mem::replace(&mut b.ir.records[0].fields[0].ty, Type::Void);
    while let Type::Array { elem, .. } = ty {
        ty = *elem;
    }
    unnest(e);
    unnest(chain);
}

fn unnest(mut e: Expr) {
    loop {
        e = match e {
            Expr::Unary(_, inner) => *inner,
            Expr::Binary(_, a, _) => *a,
            _ => return,
        };
    }
}

#[test]
fn long_record_chains() {
    // 10,000 records each containing the previous one: fine. 10,000 each
    // containing the next one (forward references): deep ones fail with an
    // error, none crashes.
    for forward in [false, true] {
        let mut b = Builder::default();
        let n = 10_000u32;
        for i in 0..n {
            let fields = match (forward, i) {
                (false, 0) | (true, 9_999) => vec![field("x", int(IntKind::Int))],
                (false, _) => vec![field("x", Type::Record(RecordId(i - 1)))],
                (true, _) => vec![field("x", Type::Record(RecordId(i + 1)))],
            };
            b.add(strukt(&format!("r{i}"), fields));
        }
        let layouts = Layouts::compute(&b.ir, target(X86_64));
        let last = if forward { 0 } else { n - 1 };
        let got = layouts.record(RecordId(last));
        if forward {
            assert!(got.is_err());
        } else {
            assert_eq!(got.map(|l| l.size_bytes), Ok(4));
        }
    }
}

#[test]
fn sizes_overflow_into_errors() {
    let mut b = Builder::default();
    // 2^62 elements of 8 bytes.
    let big = array(int(IntKind::ULongLong), Some(ulit(1 << 62, 2)));
    let r = b.add(strukt("huge", vec![field("a", big)]));
    // Two members of 2^62 bytes: each fits, the record does not.
    let half = array(int(IntKind::Char), Some(ulit(1 << 60, 2)));
    let r2 = b.add(strukt(
        "huge2",
        vec![field("a", half.clone()), field("b", half.clone()), field("c", half)],
    ));
    let layouts = Layouts::compute(&b.ir, target(X86_64));
    let err = layouts.record(id(&r)).expect_err("overflows").to_string();
    assert!(err.contains("size overflows"), "{err}");
    let err = layouts.record(id(&r2)).expect_err("overflows").to_string();
    assert!(err.contains("record size overflows"), "{err}");
}

#[test]
fn arrays_of_elements_that_cannot_all_be_aligned_are_errors() {
    // GCC: "alignment of array elements is greater than element size".
    let mut b = Builder::default();
    let achar16 = b.typedef("achar16", int(IntKind::Char), Some(16), false);
    let r = b.add(strukt("a", vec![field("x", array(achar16.clone(), Some(lit(1))))]));
    let flexible =
        b.add(strukt("f", vec![field("n", int(IntKind::Int)), field("x", array(achar16, None))]));
    let layouts = Layouts::compute(&b.ir, target(X86_64));
    for r in [&r, &flexible] {
        let err = layouts.record(id(r)).expect_err("rejected").to_string();
        assert!(
            err.contains("alignment of array elements (16) is greater than their size (1)"),
            "{err}"
        );
    }
}

// ---------------------------------------------------------------- scalars

#[test]
fn long_double_and_extended_types() {
    use FloatKind::*;
    // (target, long double, _Complex double, _Float128, __int128, __float80)
    type Sz = (u64, u64);
    type Row = (&'static str, Sz, Sz, Option<Sz>, Option<Sz>, Option<Sz>);
    let table: &[Row] = &[
        (X86_64, (16, 16), (16, 8), Some((16, 16)), Some((16, 16)), Some((16, 16))),
        (I386, (12, 4), (16, 4), Some((16, 16)), None, Some((12, 4))),
        (AARCH64, (16, 16), (16, 8), Some((16, 16)), Some((16, 16)), None),
        (ARMV7, (8, 8), (16, 8), None, None, None),
        // s390x: GCC gives __int128 alignment 8 (psABI); Clang 14 says 16.
        ("s390x-linux-gnu", (16, 8), (16, 8), Some((16, 8)), Some((16, 8)), None),
        ("powerpc64-linux-gnu", (16, 16), (16, 8), None, Some((16, 16)), None),
        ("powerpc-linux-gnu", (16, 16), (16, 8), None, None, None),
        ("riscv64-linux-gnu", (16, 16), (16, 8), Some((16, 16)), Some((16, 16)), None),
    ];
    let ir = Ir::default();
    for &(t, ld, cd, f128, i128_, f80) in table {
        let layouts = Layouts::compute(&ir, target(t));
        let get = |ty: Type| layouts.type_layout(&ty).ok().map(|l| (l.size_bytes, l.align_bytes));
        assert_eq!(get(Type::Float(LongDouble)), Some(ld), "long double on {t}");
        assert_eq!(get(Type::Complex(Double)), Some(cd), "_Complex double on {t}");
        assert_eq!(get(Type::Float(Float128)), f128, "_Float128 on {t}");
        assert_eq!(get(int(IntKind::Int128)), i128_, "__int128 on {t}");
        assert_eq!(get(Type::Float(Float80)), f80, "__float80 on {t}");
    }
}

// ---------------------------------------------------------------- records

#[test]
fn pragma_pack_packed_and_aligned_members() {
    use IntKind::*;
    let mut b = Builder::default();
    // #pragma pack(2) struct { char a:7; int b:30; }: no padding under pack.
    let p1 = b.add(pack(
        strukt("p1", vec![bits(Some("a"), int(Char), 7), bits(Some("b"), int(Int), 30)]),
        2,
    ));
    // #pragma pack(2) struct { char a; int :0; char b; }: ':0' ignores pack.
    let zw = || vec![field("a", int(Char)), bits(None, int(Int), 0), field("b", int(Char))];
    let p2 = b.add(pack(strukt("p2", zw()), 2));
    let p4 = b.add(pack(strukt("p4", zw()), 1));
    let p5 = b.add(packed(strukt("p5", zw())));
    // #pragma pack(2) struct { char a; int b __attribute__((aligned(8))); }
    let p3 =
        b.add(pack(strukt("p3", vec![field("a", int(Char)), aligned(field("b", int(Int)), 8)]), 2));
    // packed struct { char c; int x __attribute__((aligned(8))); }
    let s7 =
        b.add(packed(strukt("s7", vec![field("c", int(Char)), aligned(field("x", int(Int)), 8)])));
    // typedef int A8 aligned(8); packed struct { char c; A8 x; }
    let a8 = b.typedef("A8", int(Int), Some(8), false);
    let s8 = b.add(packed(strukt("s8", vec![field("c", int(Char)), field("x", a8)])));
    // typedef int T2 aligned(2): a typedef may lower alignment.
    let t2 = b.typedef("T2", int(Int), Some(2), false);
    let s6 = b.add(strukt("s6", vec![field("c", int(Char)), field("x", t2.clone())]));
    // typedef int TP __attribute__((packed)): ignored by GCC and Clang.
    let tp = b.typedef("TP", int(Int), None, true);

    for t in &TARGETS {
        let layouts = Layouts::compute(&b.ir, t);
        let zw_size = if aapcs(t) { 8 } else { 5 };
        let zw_align = if aapcs(t) { 4 } else { 1 };
        check(&layouts, &p1, 6, 2, &[0, 7]);
        check(&layouts, &p2, zw_size, zw_align, &[0, 32, 32]);
        check(&layouts, &p4, zw_size, zw_align, &[0, 32, 32]);
        check(&layouts, &p5, zw_size, zw_align, &[0, 32, 32]);
        check(&layouts, &p3, 6, 2, &[0, 16]);
        check(&layouts, &s7, 16, 8, &[0, 64]);
        check(&layouts, &s8, 5, 1, &[0, 8]);
        check(&layouts, &s6, 6, 2, &[0, 16]);
        assert_eq!(layouts.type_layout(&t2).unwrap(), TypeLayout { size_bytes: 4, align_bytes: 2 });
        assert_eq!(layouts.type_layout(&tp).unwrap().align_bytes, 4, "{t}");
    }
}

#[test]
fn bitfield_placement() {
    use IntKind::*;
    let mut b = Builder::default();
    // struct { int a:30; long long b:40; }: b would span 3 units -> moves.
    let s9 = b
        .add(strukt("s9", vec![bits(Some("a"), int(Int), 30), bits(Some("b"), int(LongLong), 40)]));
    // struct { int a:3; char :0; char b; }
    let s10 = b.add(strukt(
        "s10",
        vec![bits(Some("a"), int(Int), 3), bits(None, int(Char), 0), field("b", int(Char))],
    ));
    // struct { char a; long long :0; char b; }
    let s11 = b.add(strukt(
        "s11",
        vec![field("a", int(Char)), bits(None, int(LongLong), 0), field("b", int(Char))],
    ));
    // struct { unsigned :1; char x; } and the union (case 07)
    let a1_fields = || vec![bits(None, int(UInt), 1), field("x", int(Char))];
    let a1 = b.add(strukt("a1", a1_fields()));
    let u1 = b.add(record("u1", RecordKind::Union, a1_fields()));
    // struct { char c; int :3; char d; }
    let a2 = b.add(strukt(
        "a2",
        vec![field("c", int(Char)), bits(None, int(Int), 3), field("d", int(Char))],
    ));
    // packed struct { char c; int b:31; }: straddles
    let a4 =
        b.add(packed(strukt("a4", vec![field("c", int(Char)), bits(Some("b"), int(Int), 31)])));
    // struct { unsigned char a:4; unsigned short b:10; }
    let a5 =
        b.add(strukt("a5", vec![bits(Some("a"), int(UChar), 4), bits(Some("b"), int(UShort), 10)]));
    // struct { char c; _Bool b:1; long long x:60; }
    let a6 = b.add(strukt(
        "a6",
        vec![
            field("c", int(Char)),
            bits(Some("b"), int(Bool), 1),
            bits(Some("x"), int(LongLong), 60),
        ],
    ));

    for t in &TARGETS {
        let layouts = Layouts::compute(&b.ir, t);
        let i386 = t.name == I386;
        let arm = aapcs(t);
        check(
            &layouts,
            &s9,
            if i386 { 12 } else { 16 },
            if i386 { 4 } else { 8 },
            &[0, if i386 { 32 } else { 64 }],
        );
        check(&layouts, &s10, 4, 4, &[0, 8, 8]);
        let s11_b = if i386 { 32 } else { 64 };
        match (arm, i386) {
            (true, _) => check(&layouts, &s11, 16, 8, &[0, 64, 64]),
            (false, true) => check(&layouts, &s11, 5, 1, &[0, s11_b, s11_b]),
            (false, false) => check(&layouts, &s11, 9, 1, &[0, s11_b, s11_b]),
        }
        check(&layouts, &a1, if arm { 4 } else { 2 }, if arm { 4 } else { 1 }, &[0, 8]);
        check(&layouts, &u1, if arm { 4 } else { 1 }, if arm { 4 } else { 1 }, &[0, 0]);
        check(&layouts, &a2, if arm { 4 } else { 3 }, if arm { 4 } else { 1 }, &[0, 8, 16]);
        check(&layouts, &a4, 5, 1, &[0, 8]);
        check(&layouts, &a5, 2, 2, &[0, 4]);
        let (size, align, x) = if i386 { (12, 4, 32) } else { (16, 8, 64) };
        check(&layouts, &a6, size, align, &[0, 8, x]);
    }
}

#[test]
fn bitfield_errors() {
    use IntKind::*;
    let mut b = Builder::default();
    let wide = b.add(strukt("wide", vec![bits(Some("x"), int(Int), 33)]));
    let boolean = b.add(strukt("boolean", vec![bits(Some("x"), int(Bool), 2)]));
    let named_zero = b.add(strukt("named_zero", vec![bits(Some("x"), int(Int), 0)]));
    let float = b.add(strukt("float", vec![bits(Some("x"), Type::Float(FloatKind::Float), 1)]));
    let layouts = Layouts::compute(&b.ir, target(X86_64));
    for r in [wide, boolean, named_zero, float] {
        let err = layouts.record(id(&r)).expect_err("invalid bit-field");
        assert!(matches!(err, LayoutError::Member { field, .. } if field == "x"), "{err}");
    }
}

#[test]
fn enum_storage() {
    let mut b = Builder::default();
    let v = |n: i128| Some(if n < 0 { neg(lit(n.unsigned_abs())) } else { lit(n as u128) });
    // packed { -1, 200 } -> 2; { -1, 0x80000000 } -> 8; packed { 0x10000 } -> 4
    let en1 = b.enumeration("en1", vec![v(-1), v(200)], true, None);
    let en2 = b.enumeration("en2", vec![v(-1), v(0x8000_0000)], false, None);
    let en3 = b.enumeration("en3", vec![v(0x10000)], true, None);
    let small = b.enumeration("small", vec![None, None, None], true, None);
    let big = b.enumeration("big", vec![v(1), Some(ulit(0x1_0000_0000, 2))], false, None);
    let uns = b.enumeration("uns", vec![Some(ulit(0xffff_ffff, 0))], false, None);
    // aligned(2) on an enum: GCC keeps 4 (Clang 14 lowers to 2).
    let al2 = b.enumeration("al2", vec![None], false, Some(2));
    let al8 = b.enumeration("al8", vec![None], false, Some(8));
    let Type::Enum(big_id) = big else { unreachable!() };

    for t in &TARGETS {
        let layouts = Layouts::compute(&b.ir, t);
        let get = |ty: &Type| {
            let l = layouts.type_layout(ty).unwrap();
            (l.size_bytes, l.align_bytes)
        };
        let ll = t.long_long.align;
        assert_eq!(get(&en1), (2, 2), "{t}");
        assert_eq!(get(&en2), (8, ll), "{t}");
        assert_eq!(get(&en3), (4, 4), "{t}");
        assert_eq!(get(&small), (1, 1), "{t}");
        assert_eq!(get(&big), (8, ll), "{t}");
        assert_eq!(get(&uns), (4, 4), "{t}");
        assert_eq!(get(&al2), (4, 4), "{t}");
        assert_eq!(get(&al8), (4, 8), "{t}");
        assert_eq!(layouts.enum_values(big_id).unwrap(), &[1, 0x1_0000_0000]);
        assert!(!layouts.enum_repr(big_id).unwrap().1);
    }
}

#[test]
fn enumerators_follow_and_use_each_other() {
    let mut b = Builder::default();
    // enum e { A = 5, B, C = B * 2, D = sizeof(long) };
    let b_ref = Expr::EnumConst(EnumId(0), 1);
    let values = vec![
        Some(lit(5)),
        None,
        Some(bin(BinaryOp::Mul, b_ref, lit(2))),
        Some(sizeof(int(IntKind::Long))),
    ];
    b.enumeration("e", values, false, None);
    // enum f { X = Y }: refers to a later enumerator, an error.
    b.enumeration("f", vec![Some(Expr::EnumConst(EnumId(1), 1)), None], false, None);
    let layouts = Layouts::compute(&b.ir, target(I386));
    assert_eq!(layouts.enum_values(EnumId(0)).unwrap(), &[5, 6, 12, 4]);
    assert!(layouts.enum_values(EnumId(1)).is_err());
}

#[test]
fn implicit_enumerators_overflow_the_type_of_the_previous_one() {
    // GCC: "overflow in enumeration values" after 0x7fffffff (int) and
    // 0xffffffff (unsigned int); not after 4294967295 (long) or -1.
    let mut b = Builder::default();
    b.enumeration("a", vec![Some(lit(0x7fff_ffff)), None], false, None);
    b.enumeration("b", vec![Some(ulit(0xffff_ffff, 0)), None], false, None);
    let decimal = Expr::Int { value: 0xffff_ffff, unsigned: false, long: 2 };
    b.enumeration("c", vec![Some(decimal), None], false, None);
    b.enumeration("d", vec![Some(neg(lit(1))), None, None], false, None);
    let layouts = Layouts::compute(&b.ir, target(X86_64));
    for e in [0, 1] {
        let err = layouts.enum_values(EnumId(e)).unwrap_err().to_string();
        assert!(err.contains("overflow in enumeration values"), "{err}");
    }
    assert_eq!(layouts.enum_values(EnumId(2)).unwrap(), &[0xffff_ffff, 0x1_0000_0000]);
    assert_eq!(layouts.enum_values(EnumId(3)).unwrap(), &[-1, 0, 1]);
}

#[test]
fn typedef_alignment_and_packed_aligned_records() {
    use IntKind::*;
    let mut b = Builder::default();
    // Case 01: struct { int id; long cookie; } __attribute__((packed, aligned(8)))
    let mut pa = packed(strukt("pa", vec![field("id", int(Int)), field("cookie", int(Long))]));
    pa.aligned.push(Some(lit(8)));
    let pa = b.add(pa);
    // Case 10: __attribute__((aligned(64))) typedef struct { char b[3]; } blob_t;
    let blob = b.add(strukt("blob", vec![field("b", array(int(Char), Some(lit(3))))]));
    let blob_t = b.typedef("blob_t", blob, Some(64), false);
    let two = b.add(strukt(
        "two",
        vec![field("y1", blob_t.clone()), field("y2", blob_t.clone()), field("end", int(Char))],
    ));
    // `aligned` without an argument: the biggest alignment.
    let mut big = strukt("big", vec![field("c", int(Char))]);
    big.aligned.push(None);
    let big = b.add(big);

    for t in &TARGETS {
        let layouts = Layouts::compute(&b.ir, t);
        let long = t.long.size;
        check(&layouts, &pa, if long == 8 { 16 } else { 8 }, 8, &[0, 32]);
        assert_eq!(
            layouts.type_layout(&blob_t).unwrap(),
            TypeLayout { size_bytes: 3, align_bytes: 64 }
        );
        check(&layouts, &two, 128, 64, &[0, 512, 536]);
        let big_layout = layout_of(&layouts, &big);
        assert_eq!(
            (big_layout.size_bytes, big_layout.align_bytes),
            (t.biggest_alignment, t.biggest_alignment)
        );
        assert_eq!(layout_of(&layouts, &pa).natural_align_bytes, t.long.align);
    }
}

#[test]
fn records_in_any_order_and_cycles() {
    use IntKind::*;
    let mut b = Builder::default();
    // `outer` is listed before `inner` but contains it by value and sizes an
    // array by `sizeof(struct inner)`.
    let inner_ty = Type::Record(RecordId(1));
    let outer = b.add(strukt(
        "outer",
        vec![field("i", inner_ty.clone()), field("pad", array(int(Char), Some(sizeof(inner_ty))))],
    ));
    let inner = b.add(strukt("inner", vec![field("x", int(LongLong))]));
    // struct self { struct self s; }  and a pair that contains each other.
    let selfish = b.add(strukt("self", vec![field("s", Type::Record(RecordId(2)))]));
    let a = b.add(strukt("a", vec![field("b", Type::Record(RecordId(4)))]));
    let bb = b.add(strukt("b", vec![field("a", Type::Record(RecordId(3)))]));
    // A record that merely contains a recursive one is not itself recursive.
    let user = b.add(strukt("user", vec![field("a", a.clone())]));
    // Pointers to itself are fine; an incomplete record has no layout.
    let list = b.add(strukt(
        "list",
        vec![field("next", Type::Pointer(Box::new(Type::Record(RecordId(6)))))],
    ));
    let mut fwd = strukt("fwd", vec![]);
    fwd.complete = false;
    let fwd = b.add(fwd);

    let layouts = Layouts::compute(&b.ir, target(X86_64));
    check(&layouts, &outer, 16, 8, &[0, 64]);
    check(&layouts, &inner, 8, 8, &[0]);
    for r in [&selfish, &a, &bb] {
        assert_eq!(layouts.record(id(r)), Err(&LayoutError::Recursive));
    }
    assert!(matches!(layouts.record(id(&user)), Err(LayoutError::Member { .. })));
    check(&layouts, &list, 8, 8, &[0]);
    assert_eq!(layouts.record(id(&fwd)), Err(&LayoutError::Incomplete));
}

#[test]
fn offsetof_and_sizeof_member_paths() {
    use IntKind::*;
    let mut b = Builder::default();
    // struct a3 { char c; struct { int q; char r[3]; } s;
    //             union { short u; long long v; }; int arr[4]; };
    let s = b.add(strukt(
        "a3::s",
        vec![field("q", int(Int)), field("r", array(int(Char), Some(lit(3))))],
    ));
    let u = b.add(record(
        "a3::anon0",
        RecordKind::Union,
        vec![field("u", int(Short)), field("v", int(LongLong))],
    ));
    let a3 = b.add(strukt(
        "a3",
        vec![
            field("c", int(Char)),
            field("s", s),
            anon(u),
            field("arr", array(int(Int), Some(lit(4)))),
        ],
    ));
    let off = |path: &[&str]| {
        Expr::OffsetOf(Box::new(a3.clone()), path.iter().map(|p| p.to_string()).collect())
    };
    let member = |base: Expr, name: &str| Expr::Member(Box::new(base), name.into());
    let null = Expr::NullPointer(Box::new(a3.clone()));

    let cases: Vec<(Expr, i128, i128)> = vec![
        // (expression, x86_64, i386)
        (off(&["s", "r", "[2]"]), 10, 10),
        (off(&["s.r[2]"]), 10, 10),
        (off(&["v"]), 16, 12),
        (off(&["arr", "[3]"]), 36, 32),
        (Expr::SizeOfExpr(Box::new(member(member(null.clone(), "s"), "r"))), 3, 3),
        (Expr::SizeOfExpr(Box::new(member(Expr::Deref(Box::new(null.clone())), "v"))), 8, 8),
        (Expr::SizeOfExpr(Box::new(Expr::Deref(Box::new(member(null.clone(), "arr"))))), 4, 4),
        (Expr::SizeOfExpr(Box::new(null)), 8, 4),
        (sizeof(a3.clone()), 40, 36),
    ];
    for (t, pick) in [(X86_64, 0), (I386, 1)] {
        let layouts = Layouts::compute(&b.ir, target(t));
        for (e, x86_64, i386) in &cases {
            let want = if pick == 0 { *x86_64 } else { *i386 };
            assert_eq!(layouts.eval(e), Ok(want), "{e:?} on {t}");
        }
        assert!(layouts.eval(&off(&["nope"])).is_err());
    }
}

/// Case 12: zero-length markers and bit-fields after them (expected values
/// from `cases/layout/12-zero-length-markers/expected.json`).
#[test]
fn zero_length_markers() {
    use IntKind::*;
    let mut b = Builder::default();
    let u8_ = b.typedef("__u8", int(UChar), None, false);
    let u16_ = b.typedef("__u16", int(UShort), None, false);
    let u64_ = b.typedef("__u64", int(ULongLong), None, false);
    let mark =
        b.typedef("mark", array(Type::Pointer(Box::new(Type::Void)), Some(lit(0))), None, false);
    let mark64 = b.typedef("mark64", array(u64_.clone(), Some(lit(0))), None, false);
    let marked = b.add(strukt(
        "marked",
        vec![
            field("line0", mark),
            field("buf", Type::Pointer(Box::new(Type::Void))),
            field("refcnt", u16_.clone()),
            field("small", array(u8_.clone(), Some(lit(1)))),
            field("mid", array(int(Char), Some(lit(0)))),
            field("line1", mark64),
            field("ol_flags", u64_),
        ],
    ));
    let marked_bits = b.add(strukt(
        "marked_bits",
        vec![
            field("queue", u16_),
            field("__clone_mark", array(u8_.clone(), Some(lit(0)))),
            bits(Some("cloned"), u8_.clone(), 1),
            bits(Some("nohdr"), u8_.clone(), 1),
            bits(Some("fclone"), u8_.clone(), 2),
            field("active", u8_),
        ],
    ));
    for t in &TARGETS {
        let layouts = Layouts::compute(&b.ir, t);
        if t.is_lp64() {
            check(&layouts, &marked, 24, 8, &[0, 0, 64, 80, 88, 128, 128]);
        } else {
            check(&layouts, &marked, 16, t.long_long.align, &[0, 0, 32, 48, 56, 64, 64]);
        }
        check(&layouts, &marked_bits, 4, 2, &[0, 16, 16, 17, 18, 24]);
    }
}
