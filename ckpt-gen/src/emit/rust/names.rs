//! Rust spellings of C names, and C spellings of declarations for docs.
//!
//! C names are kept: keywords become raw identifiers (`r#type`), the few
//! names that cannot be raw (`self`, `Self`, `super`, `crate`, `_`) get a
//! trailing underscore, and the `::` of nested record names becomes `_`.

use crate::ir::{Expr, Ir, Type};
use proc_macro2::{Ident, Span};

/// Rust keywords, strict and reserved, of every edition.
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "do", "dyn",
    "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let",
    "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref", "return",
    "static", "struct", "trait", "true", "try", "type", "typeof", "unsafe", "unsized", "use",
    "virtual", "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers.
pub(super) const NOT_RAW: &[&str] = &["self", "Self", "super", "crate", "_"];

/// Primitive type names a C typedef may shadow.
pub(super) const PRIMITIVES: &[&str] = &[
    "u8", "u16", "u32", "u64", "u128", "usize", "i8", "i16", "i32", "i64", "i128", "isize", "f32",
    "f64", "bool", "char", "str",
];

/// The Rust identifier for a C name: see the module documentation.
pub(super) fn ident(name: &str) -> Ident {
    let name = name.replace("::", "_");
    if NOT_RAW.contains(&name.as_str()) {
        Ident::new(&format!("{name}_"), Span::call_site())
    } else if KEYWORDS.contains(&name.as_str()) {
        Ident::new_raw(&name, Span::call_site())
    } else {
        Ident::new(&name, Span::call_site())
    }
}

/// The C spelling of a declaration of `name` with type `ty`, as the doc
/// comments quote it (`__u32 seq`, `char comm[16]`, `void *buf`).
pub(super) fn c_declaration(
    ir: &Ir,
    ty: &Type,
    name: &str,
    len: &dyn Fn(&Expr) -> String,
) -> String {
    match ty {
        Type::Array { elem, len: l } => {
            let l = l.as_deref().map(len).unwrap_or_default();
            c_declaration(ir, elem, &format!("{name}[{l}]"), len)
        }
        Type::Pointer(pointee) if matches!(**pointee, Type::Array { .. } | Type::Function) => {
            c_declaration(ir, pointee, &format!("(*{name})"), len)
        }
        Type::Pointer(pointee) => c_declaration(ir, pointee, &format!("*{name}"), len),
        Type::Function => format!("void {name}()"),
        _ => format!("{} {name}", c_type_name(ir, ty)).trim_end().to_string(),
    }
}

/// The C spelling of a type without declarator.
fn c_type_name(ir: &Ir, ty: &Type) -> String {
    match ty {
        Type::Void => "void".into(),
        Type::Int(kind) => kind.c_name().into(),
        Type::Float(kind) => kind.c_name().into(),
        Type::Complex(kind) => format!("_Complex {}", kind.c_name()),
        Type::Record(id) => {
            let record = ir.record(*id);
            format!("{} {}", record.kind.keyword(), record.name)
        }
        Type::Enum(id) => {
            format!("enum {}", ir.enumeration(*id).tag.as_deref().unwrap_or("<anonymous>"))
        }
        Type::Typedef(id) => ir.typedef(*id).name.clone(),
        Type::Unknown(spelling) => spelling.clone(),
        Type::Vector { elem, .. } => {
            format!("{} __attribute__((vector_size))", c_type_name(ir, elem))
        }
        Type::Atomic(inner) => format!("_Atomic({})", c_type_name(ir, inner)),
        Type::VaList => "__builtin_va_list".into(),
        Type::Pointer(_) | Type::Array { .. } | Type::Function => {
            c_declaration(ir, ty, "", &|_| String::new())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::IntKind;

    #[test]
    fn identifiers() {
        for (c, rust) in [
            ("seq", "seq"),
            ("type", "r#type"),
            ("gen", "r#gen"),
            ("self", "self_"),
            ("Self", "Self_"),
            ("crate", "crate_"),
            ("_", "__"),
            ("ckpt_p::anon1", "ckpt_p_anon1"),
            ("union", "union"),
        ] {
            assert_eq!(ident(c).to_string(), rust, "{c}");
        }
    }

    #[test]
    fn declarations() {
        let ir = Ir::default();
        let int = || Box::new(Type::Int(IntKind::Int));
        let n = |v| Some(Box::new(Expr::Int { value: v, unsigned: false, long: 0 }));
        let len = |e: &Expr| match e {
            Expr::Int { value, .. } => value.to_string(),
            _ => "?".into(),
        };
        let arr2 =
            Type::Array { elem: Box::new(Type::Array { elem: int(), len: n(3) }), len: n(2) };
        for (ty, c) in [
            (Type::Int(IntKind::UInt), "unsigned int x"),
            (Type::Pointer(Box::new(Type::Void)), "void *x"),
            (arr2.clone(), "int x[2][3]"),
            (Type::Pointer(Box::new(arr2)), "int (*x)[2][3]"),
            (Type::Pointer(Box::new(Type::Function)), "void (*x)()"),
            (Type::Array { elem: int(), len: None }, "int x[]"),
        ] {
            assert_eq!(c_declaration(&ir, &ty, "x", &len), c);
        }
    }
}
