//! Selection rules and name collisions, on IR built by hand.

use super::*;
use crate::emit::testing::IrBuilder;
use crate::ir::{IntKind, RecordKind};

fn pattern() -> Regex {
    Regex::new(DEFAULT_PATTERN).unwrap()
}

fn names(ir: &Ir, ids: &[RecordId]) -> Vec<String> {
    ids.iter().map(|&id| ir.record(id).name.clone()).collect()
}

#[test]
fn upper_prefix_of_patterns() {
    for (pattern, prefix) in [
        ("^ckpt_", "CKPT_"),
        ("ckpt_hdr", "CKPT_HDR"),
        ("^ckpt_?x", "CKPT"),
        (".*", ""),
        ("^(ckpt|foo)_", ""),
    ] {
        assert_eq!(upper_prefix(pattern), prefix, "{pattern}");
    }
}

#[test]
fn dependencies_come_first_and_pointers_may_cycle() {
    let mut b = IrBuilder::new();
    let u32_ = b.typedef("__u32", Type::Int(IntKind::UInt), IrBuilder::SYSTEM);
    let node = b.forward("ckpt_node", RecordKind::Struct);
    let inner = b.record("inner", RecordKind::Struct, IrBuilder::SYSTEM, |r| {
        r.field("v", Type::Typedef(u32_));
    });
    b.define(node, IrBuilder::SCANNED, |r| {
        r.field("next", Type::Pointer(Box::new(Type::Record(node))));
        r.field("peer", Type::Pointer(Box::new(Type::Record(inner))));
    });
    let top = b.record("ckpt_top", RecordKind::Struct, IrBuilder::SCANNED, |r| {
        r.field("i", Type::Record(inner));
        r.field("n", Type::Pointer(Box::new(Type::Record(node))));
    });
    b.record("other", RecordKind::Struct, IrBuilder::SCANNED, |_| {});
    b.record("ckpt_sys", RecordKind::Struct, IrBuilder::SYSTEM, |_| {});
    let ir = b.finish();

    let s = select(&ir, &pattern());
    assert_eq!(names(&ir, &s.matched), ["ckpt_node", "ckpt_top"]);
    assert_eq!(names(&ir, &s.records), ["ckpt_node", "inner", "ckpt_top"]);
    assert_eq!(s.typedefs, [u32_]);
    let _ = top;
}

#[test]
fn nested_records_come_with_their_parent() {
    let mut b = IrBuilder::new();
    let parent = b.forward("ckpt_p", RecordKind::Struct);
    let anon = b.record("ckpt_p::anon1", RecordKind::Union, IrBuilder::SCANNED, |r| {
        r.field("a", Type::Int(IntKind::Int));
    });
    let ptr = b.record("ckpt_p::ptr", RecordKind::Struct, IrBuilder::SCANNED, |_| {});
    b.define(parent, IrBuilder::SCANNED, |r| {
        r.anonymous(Type::Record(anon));
        r.field("ptr", Type::Pointer(Box::new(Type::Record(ptr))));
    });
    let ir = b.finish();

    let s = select(&ir, &pattern());
    assert_eq!(names(&ir, &s.matched), ["ckpt_p"]);
    assert_eq!(names(&ir, &s.records), ["ckpt_p::anon1", "ckpt_p::ptr", "ckpt_p"]);
}

#[test]
fn enums_and_macros() {
    let mut b = IrBuilder::new();
    let used = b.enumeration(Some("sys_kind"), &["SYS_A"], IrBuilder::SYSTEM, 5);
    let scanned = b.enumeration(None, &["CKPT_HDR_A", "CKPT_HDR_B"], IrBuilder::SCANNED, 9);
    b.enumeration(Some("sys_other"), &["SYS_B"], IrBuilder::SYSTEM, 1);
    let len = b.macro_def("NAME_LEN", 16, IrBuilder::SYSTEM, 3);
    b.macro_def("CKPT_MAGIC", 7, IrBuilder::SCANNED, 2);
    b.macro_def("CKPT_SYS", 1, IrBuilder::SYSTEM, 1);
    b.macro_def("OTHER", 1, IrBuilder::SCANNED, 1);
    let len_expr = Expr::Macro("NAME_LEN".into(), Box::new(b.int(16)));
    b.record("ckpt_r", RecordKind::Struct, IrBuilder::SCANNED, |r| {
        r.field("k", Type::Enum(used));
        let elem = Box::new(Type::Int(IntKind::Char));
        r.field("name", Type::Array { elem, len: Some(Box::new(len_expr)) });
    });
    let ir = b.finish();

    let s = select(&ir, &pattern());
    assert_eq!(s.enums, [used, scanned]);
    let macro_names: Vec<&str> = s.macros.iter().map(|&i| ir.macros[i].name.as_str()).collect();
    assert_eq!(macro_names, ["NAME_LEN", "CKPT_MAGIC"]);
    assert_eq!(s.macros[0], len);
}

#[test]
fn incomplete_and_system_records_are_not_matched() {
    let mut b = IrBuilder::new();
    b.forward("ckpt_fwd", RecordKind::Struct);
    b.record("ckpt_sys", RecordKind::Struct, IrBuilder::SYSTEM, |_| {});
    let ir = b.finish();
    assert_eq!(select(&ir, &pattern()).records, []);
}

// Name collisions across translation units.

fn u32_() -> Type {
    Type::Int(IntKind::UInt)
}

fn long() -> Type {
    Type::Int(IntKind::Long)
}

/// `struct ckpt_<user> { struct <tag> v; }` in `file`.
fn user(b: &mut IrBuilder, name: &str, used: RecordId, file: u32) -> RecordId {
    b.record(name, RecordKind::Struct, file, |r| r.field("v", Type::Record(used)))
}

fn rust_names(ir: &Ir, s: &Selection) -> Vec<String> {
    s.records.iter().map(|&id| s.rust_name(ir, Item::Record(id))).collect()
}

/// The Rust name of the type of a record's first member.
fn member_type(ir: &Ir, s: &Selection, record: RecordId) -> String {
    match &ir.record(record).fields[0].ty {
        Type::Record(id) => s.rust_name(ir, Item::Record(*id)),
        Type::Typedef(id) => s.rust_name(ir, Item::Typedef(*id)),
        Type::Enum(id) => s.rust_name(ir, Item::Enum(*id)),
        other => panic!("{other:?}"),
    }
}

#[test]
fn identical_definitions_are_one_item() {
    let mut b = IrBuilder::new();
    let other = b.file("include/linux/other.h", true);
    let ts = |r: &mut crate::emit::testing::RecordBuilder| {
        r.field("tv_sec", long());
        r.field("tv_nsec", long());
    };
    let first = b.record("timespec", RecordKind::Struct, IrBuilder::SCANNED, ts);
    let second = b.record("timespec", RecordKind::Struct, other, ts);
    let declared = b.forward("timespec", RecordKind::Struct);
    let a = user(&mut b, "ckpt_a", first, IrBuilder::SCANNED);
    let c = user(&mut b, "ckpt_c", second, other);
    b.record("ckpt_p", RecordKind::Struct, other, |r| {
        r.field("p", Type::Pointer(Box::new(Type::Record(declared))));
    });
    let ir = b.finish();

    let s = select(&ir, &pattern());
    // `include/linux/ckpt.h` sorts before `include/linux/other.h`.
    assert_eq!(names(&ir, &s.records), ["timespec", "ckpt_a", "ckpt_c", "ckpt_p"]);
    assert_eq!(s.records[0], first);
    assert_eq!(s.record(second), first);
    assert_eq!(s.record(declared), first);
    assert_eq!(s.renamed, HashMap::new());
    assert_eq!(member_type(&ir, &s, a), member_type(&ir, &s, c));
}

#[test]
fn different_definitions_are_renamed_by_header() {
    let mut b = IrBuilder::new();
    let glibc = b.file("/usr/include/x86_64-linux-gnu/bits/types/struct_timespec.h", false);
    let kernel = b.record("timespec", RecordKind::Struct, IrBuilder::SCANNED, |r| {
        r.field("tv_sec", long());
        r.field("tv_nsec", long());
    });
    let time_t = b.typedef("__time_t", long(), glibc);
    let libc = b.record("timespec", RecordKind::Struct, glibc, |r| {
        r.field("tv_sec", Type::Typedef(time_t));
        r.field("tv_nsec", long());
    });
    let a = user(&mut b, "ckpt_a", libc, IrBuilder::SCANNED);
    let k = user(&mut b, "ckpt_k", kernel, IrBuilder::SCANNED);
    let ir = b.finish();

    let s = select(&ir, &pattern());
    // The scanned definition keeps the C name.
    assert_eq!(member_type(&ir, &s, k), "timespec");
    assert_eq!(member_type(&ir, &s, a), "timespec__struct_timespec");
    assert_eq!(s.records.len(), 4);
}

#[test]
fn a_member_type_that_differs_makes_the_record_differ() {
    // Two `struct itimerspec` spelled alike, over different timespecs.
    let mut b = IrBuilder::new();
    let other = b.file("include/linux/other.h", true);
    let ts1 = b.record("timespec", RecordKind::Struct, IrBuilder::SCANNED, |r| {
        r.field("tv_sec", long());
    });
    let ts2 = b.record("timespec", RecordKind::Struct, other, |r| {
        r.field("tv_sec", u32_());
    });
    let it1 = user(&mut b, "itimerspec", ts1, IrBuilder::SCANNED);
    let it2 = user(&mut b, "itimerspec", ts2, other);
    let a = user(&mut b, "ckpt_a", it1, IrBuilder::SCANNED);
    let c = user(&mut b, "ckpt_c", it2, other);
    let ir = b.finish();

    let s = select(&ir, &pattern());
    assert_eq!(member_type(&ir, &s, a), "itimerspec");
    assert_eq!(member_type(&ir, &s, c), "itimerspec__other");
    assert_eq!(member_type(&ir, &s, it2), "timespec__other");
    assert_eq!(s.records.len(), 6);
}

#[test]
fn renames_that_are_taken_get_the_line() {
    let mut b = IrBuilder::new();
    let one = b.file("a/x.h", true);
    let two = b.file("b/x.h", true);
    let three = b.file("c/x.h", true);
    let (mut users, mut lines) = (Vec::new(), Vec::new());
    for (file, ty) in [(one, long()), (two, u32_()), (three, Type::Int(IntKind::Short))] {
        let x = b.record("x", RecordKind::Struct, file, |r| r.field("v", ty));
        users.push(user(&mut b, &format!("ckpt_{}", users.len()), x, file));
        lines.push(b.finish_ref().record(x).loc.line);
    }
    // A C name that looks like a rename keeps its name.
    let taken = b.record("x__x", RecordKind::Struct, three, |r| r.field("w", long()));
    let last = user(&mut b, "ckpt_last", taken, three);
    let ir = b.finish();

    let s = select(&ir, &pattern());
    let got: Vec<String> = users.iter().map(|&u| member_type(&ir, &s, u)).collect();
    assert_eq!(got, ["x".to_string(), format!("x__x_{}", lines[1]), format!("x__x_{}", lines[2])]);
    assert_eq!(member_type(&ir, &s, last), "x__x");
}

#[test]
fn struct_and_enum_with_one_tag() {
    let mut b = IrBuilder::new();
    let e = b.enumeration(Some("mode"), &["MODE_A"], IrBuilder::SCANNED, 50);
    let m = b.record("mode", RecordKind::Struct, IrBuilder::SCANNED, |r| r.field("v", long()));
    let a = b.record("ckpt_a", RecordKind::Struct, IrBuilder::SCANNED, |r| {
        r.field("e", Type::Enum(e));
    });
    let c = user(&mut b, "ckpt_c", m, IrBuilder::SCANNED);
    let ir = b.finish();

    let s = select(&ir, &pattern());
    // The struct is at line 11, the enum at line 50.
    assert_eq!(member_type(&ir, &s, c), "mode");
    assert_eq!(member_type(&ir, &s, a), "mode__enum");
}

#[test]
fn typedef_named_like_an_unrelated_tag() {
    let mut b = IrBuilder::new();
    let foo = b.record("foo", RecordKind::Struct, IrBuilder::SCANNED, |r| r.field("v", long()));
    let foo_s = b.record("foo_s", RecordKind::Struct, IrBuilder::SCANNED, |r| {
        r.field("w", u32_());
    });
    let td = b.typedef("foo", Type::Record(foo_s), IrBuilder::SCANNED);
    // `typedef struct bar bar;` names its own tag: no collision.
    let bar = b.record("bar", RecordKind::Struct, IrBuilder::SCANNED, |r| r.field("v", long()));
    let bar_td = b.typedef("bar", Type::Record(bar), IrBuilder::SCANNED);
    let a = b.record("ckpt_a", RecordKind::Struct, IrBuilder::SCANNED, |r| {
        r.field("t", Type::Typedef(td));
        r.field("s", Type::Record(foo));
        r.field("b", Type::Typedef(bar_td));
    });
    let ir = b.finish();

    let s = select(&ir, &pattern());
    assert_eq!(member_type(&ir, &s, a), "foo__typedef");
    assert_eq!(s.rust_name(&ir, Item::Record(foo)), "foo");
    assert_eq!(s.rust_name(&ir, Item::Typedef(bar_td)), "bar");
    assert_eq!(s.renamed.len(), 1, "{:?}", s.renamed);
}

#[test]
fn nested_record_next_to_a_real_one_of_its_spelling() {
    let mut b = IrBuilder::new();
    let parent = b.forward("ckpt_p", RecordKind::Struct);
    let nested = b.record("ckpt_p::x", RecordKind::Struct, IrBuilder::SCANNED, |r| {
        r.field("a", long());
    });
    b.define(parent, IrBuilder::SCANNED, |r| r.field("x", Type::Record(nested)));
    let real = b.record("ckpt_p_x", RecordKind::Struct, IrBuilder::SCANNED, |r| {
        r.field("b", u32_());
    });
    let ir = b.finish();

    let s = select(&ir, &pattern());
    assert_eq!(s.rust_name(&ir, Item::Record(real)), "ckpt_p_x");
    assert_eq!(s.rust_name(&ir, Item::Record(nested)), "ckpt_p_x__ckpt");
    assert_eq!(rust_names(&ir, &s), ["ckpt_p_x__ckpt", "ckpt_p", "ckpt_p_x"]);
}

#[test]
fn nested_records_follow_a_renamed_parent() {
    let mut b = IrBuilder::new();
    let other = b.file("include/linux/other.h", true);
    let mut parents = Vec::new();
    for (file, ty) in [(IrBuilder::SCANNED, long()), (other, u32_())] {
        let parent = b.forward("ckpt_p", RecordKind::Struct);
        let nested = b.record("ckpt_p::x", RecordKind::Struct, file, |r| r.field("a", ty));
        b.define(parent, file, |r| r.field("x", Type::Record(nested)));
        parents.push((parent, nested));
    }
    let ir = b.finish();

    let s = select(&ir, &pattern());
    let name = |id| s.rust_name(&ir, Item::Record(id));
    assert_eq!([name(parents[0].0), name(parents[0].1)], ["ckpt_p", "ckpt_p_x"]);
    assert_eq!([name(parents[1].0), name(parents[1].1)], ["ckpt_p__other", "ckpt_p__other_x"]);
}

#[test]
fn flat_names() {
    for (c, rust) in [("a::b", "a_b"), ("self", "self_"), ("type", "type"), ("x", "x")] {
        assert_eq!(flat_name(c), rust);
    }
}
