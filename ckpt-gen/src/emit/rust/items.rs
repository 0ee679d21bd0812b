//! The items around records: integer macros and enumerators as `pub
//! const`, enums and typedefs as `pub type`, and the opaque storage types.
//!
//! A macro constant has the Rust integer of the C type of its expression
//! (C17 6.4.4.1 for literals, 6.3.1.8 for the usual arithmetic
//! conversions); an enumerator has the type of its enum's storage. A name
//! defined twice (glibc's `#define IPPROTO_IP IPPROTO_IP` next to the
//! enumerator) is emitted once, the macro first.

use super::names::{c_declaration, ident};
use super::types::opaque_name;
use super::{unparse, Emitter};
use crate::ir::{BinaryOp, EnumId, Expr, IntKind, Type, TypedefId, UnaryOp};
use proc_macro2::{Literal, TokenStream};
use quote::{quote, ToTokens};

/// The C type of an integer expression: size in bytes and signedness.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct IntType {
    size: u64,
    signed: bool,
}

impl Emitter<'_> {
    /// `pub const NAME: T = value;` for the selected macros.
    pub(super) fn macro_items(&self) -> String {
        let mut out = String::new();
        for &index in &self.selection.macros {
            let m = &self.ir.macros[index];
            let value = match self.src.eval(&m.value) {
                Ok(value) => value,
                Err(e) => {
                    self.skip(format!("#define {}", m.name), e.message);
                    continue;
                }
            };
            let ty = self.expr_type(&m.value);
            let Some(rust) = self.fitting_int(ty, value) else { continue };
            let doc = self.doc(&format!("#define {}", m.name), m.loc, "");
            out.push_str(&unparse(self.constant(&m.name, value, &rust, doc)));
        }
        out
    }

    /// `pub type tag = <int>;` and a constant per enumerator.
    pub(super) fn enum_items(&self) -> String {
        let mut out = String::new();
        for &id in &self.selection.enums {
            out.push_str(&unparse(self.enum_item(id)));
        }
        out
    }

    fn enum_item(&self, id: EnumId) -> TokenStream {
        let e = self.ir.enumeration(id);
        let what = format!("enum {}", e.tag.as_deref().unwrap_or("<anonymous>"));
        let (ty, values) = match (self.enum_type_for_items(id), self.src.enum_values(id)) {
            (Ok(ty), Ok(values)) => (ty, values),
            (Err(reason), _) => return self.skipped_item(what, reason),
            (_, Err(e)) => return self.skipped_item(what, e.message.clone()),
        };

        let mut out = TokenStream::new();
        if self.enum_aliases.contains(&id) {
            let doc = self.doc(&what, e.loc, "");
            let (name, int) = (self.enum_ident(id), &ty.1);
            out.extend(quote! {
                #doc
                #[allow(non_camel_case_types)]
                pub type #name = #int;
            });
        }
        for (constant, &value) in e.constants.iter().zip(values) {
            let doc = self.doc(&constant.name, constant.loc, &format!(", in `{what}`"));
            // The alias is the storage integer; spelling it where the line
            // would pass 100 columns keeps prettyplease's line what rustfmt
            // writes (rustfmt breaks after the `:`, prettyplease does not).
            let line = format!("pub const {}: {} = {value};", constant.name, ty.0);
            let ty = if line.len() > 100 { &ty.1 } else { &ty.0 };
            out.extend(self.constant(&constant.name, value, ty, doc));
        }
        out
    }

    /// The type enumerators are written with (the alias, if any) and the
    /// storage integer.
    fn enum_type_for_items(&self, id: EnumId) -> Result<(TokenStream, TokenStream), String> {
        let (layout, signed) = self.src.enum_repr(id).map_err(|e| e.message)?;
        let int = self.int_of_size(layout.size_bytes, signed)?.tokens;
        let alias = match self.enum_aliases.contains(&id) {
            true => self.enum_ident(id).into_token_stream(),
            false => int.clone(),
        };
        Ok((alias, int))
    }

    fn skipped_item(&self, what: String, reason: String) -> TokenStream {
        self.skip(what, reason);
        TokenStream::new()
    }

    /// `pub const NAME: T = value;` unless the name is taken.
    fn constant(&self, name: &str, value: i128, ty: &TokenStream, doc: TokenStream) -> TokenStream {
        if let Some(&earlier) = self.const_values.borrow().get(name) {
            if earlier != value {
                let reason = format!("defined again with value {value}, {earlier} kept");
                self.skip(name.to_string(), reason);
            }
            return TokenStream::new();
        }
        self.const_values.borrow_mut().insert(name.to_string(), value);
        let (name, value) = (ident(name), int_literal(value));
        quote! {
            #doc
            #[allow(non_upper_case_globals)]
            pub const #name: #ty = #value;
        }
    }

    /// The Rust integer for a C type, widened if the value does not fit.
    fn fitting_int(&self, ty: IntType, value: i128) -> Option<TokenStream> {
        let fits = |size: u64, signed: bool| {
            let bits = size * 8;
            if signed {
                value >= -(1i128 << (bits - 1)) && value < (1i128 << (bits - 1))
            } else {
                value >= 0 && value < (1i128 << bits)
            }
        };
        let candidates = [(ty.size, ty.signed), (8, ty.signed), (8, false), (8, true)];
        let (size, signed) = candidates.into_iter().find(|&(s, g)| s <= 8 && fits(s, g))?;
        self.int_of_size(size, signed).ok().map(|t| t.tokens)
    }

    /// The C type of an integer constant expression.
    fn expr_type(&self, expr: &Expr) -> IntType {
        let int = IntType { size: self.target.int.size, signed: true };
        let size_t = IntType { size: self.target.pointer.size, signed: false };
        match expr {
            Expr::Int { value, unsigned, long } => self.literal_type(*value, *unsigned, *long),
            Expr::SizeOf(_)
            | Expr::SizeOfExpr(_)
            | Expr::AlignOf(_)
            | Expr::PreferredAlignOf(_)
            | Expr::BiggestAlignment
            | Expr::OffsetOf(..) => size_t,
            Expr::Cast(ty, _) => self.cast_type(ty).unwrap_or(int),
            Expr::Macro(_, inner) => self.expr_type(inner),
            Expr::Unary(UnaryOp::LogicalNot, _) => int,
            Expr::Unary(_, e) => promote(self.expr_type(e), int),
            Expr::Binary(op, a, b) => self.binary_type(*op, a, b, int),
            Expr::Cond(_, a, b) => {
                usual(promote(self.expr_type(a), int), promote(self.expr_type(b), int))
            }
            Expr::EnumConst(..) | Expr::NullPointer(_) | Expr::Member(..) | Expr::Deref(_) => int,
        }
    }

    fn binary_type(&self, op: BinaryOp, a: &Expr, b: &Expr, int: IntType) -> IntType {
        use BinaryOp::*;
        match op {
            Lt | Gt | Le | Ge | Eq | Ne | LogicalAnd | LogicalOr => int,
            Shl | Shr => promote(self.expr_type(a), int),
            Comma => self.expr_type(b),
            Mul | Div | Rem | Add | Sub | BitAnd | BitXor | BitOr => {
                usual(promote(self.expr_type(a), int), promote(self.expr_type(b), int))
            }
        }
    }

    /// C17 6.4.4.1p5: the first of int, long, long long (or their unsigned
    /// forms, for `u` suffixes and hex/octal literals that need them) that
    /// holds the value, starting from the rank the suffix gives.
    fn literal_type(&self, value: u128, unsigned: bool, long: u8) -> IntType {
        let t = self.target;
        let sizes = [t.int.size, t.long.size, t.long_long.size];
        for &size in &sizes[usize::from(long.min(2))..] {
            let bits = size * 8;
            if !unsigned && value < (1u128 << (bits - 1)) {
                return IntType { size, signed: true };
            }
            if unsigned && value < (1u128 << bits) {
                return IntType { size, signed: false };
            }
        }
        IntType { size: t.long_long.size, signed: false }
    }

    fn cast_type(&self, ty: &Type) -> Option<IntType> {
        match self.ir.resolve_typedefs(ty) {
            Type::Int(kind) if !matches!(kind, IntKind::Int128 | IntKind::UInt128) => {
                Some(IntType {
                    size: super::types::int_size(self.target, *kind),
                    signed: !kind.is_unsigned(self.target.char_unsigned),
                })
            }
            Type::Pointer(_) => Some(IntType { size: self.target.pointer.size, signed: false }),
            _ => None,
        }
    }

    /// `pub type name = T;` for the selected typedefs.
    pub(super) fn typedef_items(&self) -> String {
        let mut out = String::new();
        for &id in &self.selection.typedefs {
            out.push_str(&unparse(self.typedef_item(id)));
        }
        out
    }

    fn typedef_item(&self, id: TypedefId) -> TokenStream {
        let td = self.ir.typedef(id);
        if !self.typedef_emitted(id) {
            // Function types and `typedef struct x x;` are expected; report
            // only types with no Rust equivalent.
            if let Err(reason) = self.rust_type(&td.ty) {
                if !matches!(self.ir.resolve_typedefs(&td.ty), Type::Function | Type::Void) {
                    self.skip(format!("typedef {}", td.name), reason);
                }
            }
            return TokenStream::new();
        }
        let Ok(ty) = self.rust_type(&td.ty) else { return TokenStream::new() };

        let decl = c_declaration(self.ir, &td.ty, &td.name, &|e| self.length_text(e));
        let note = match td.aligned.as_ref().map(|a| self.src.eval(a)) {
            Some(Ok(n)) => format!(": C aligns it to {n}, the alias cannot (records pad for it)"),
            _ => String::new(),
        };
        let doc = self.doc(&format!("typedef {decl}"), td.loc, &note);
        let (name, ty) = (self.typedef_ident(id), ty.tokens);
        quote! {
            #doc
            #[allow(non_camel_case_types)]
            pub type #name = #ty;
        }
    }

    /// The opaque storage types used.
    pub(super) fn opaque_items(&self) -> TokenStream {
        let mut out = TokenStream::new();
        for &(size_bytes, align) in self.opaques.borrow().iter() {
            let name = opaque_name(size_bytes, align);
            let doc = format!(
                " Opaque C storage: {size_bytes} bytes aligned to {align}, for a C type with no Rust \
                 equivalent on every target (`long double`, `__int128`, `_Float128`, vectors)."
            );
            let size = Literal::u64_unsuffixed(size_bytes);
            let align = Literal::u64_unsuffixed(align);
            let (derives, default) = self.opaque_default(&name, size_bytes);
            let u8 = self.primitive("u8");
            out.extend(quote! {
                #[doc = #doc]
                #[repr(C, align(#align))]
                #derives
                #[allow(non_camel_case_types)]
                pub struct #name(pub [#u8; #size]);
                #default
            });
        }
        out
    }

    /// The derives of an opaque type and its `Default` impl, if not
    /// derived (arrays of more than 32 bytes have no `Default`).
    fn opaque_default(&self, name: &proc_macro2::Ident, size: u64) -> (TokenStream, TokenStream) {
        if !self.options.impl_default {
            return (quote!(#[derive(Clone, Copy)]), TokenStream::new());
        }
        if size <= 32 {
            return (quote!(#[derive(Clone, Copy, Default)]), TokenStream::new());
        }
        let size = Literal::u64_unsuffixed(size);
        let default = quote! {
            impl ::core::default::Default for #name {
                fn default() -> Self {
                    Self([0; #size])
                }
            }
        };
        (quote!(#[derive(Clone, Copy)]), default)
    }
}

/// Integer promotion (C17 6.3.1.1p2).
fn promote(ty: IntType, int: IntType) -> IntType {
    if ty.size < int.size {
        int
    } else {
        ty
    }
}

/// The usual arithmetic conversions on promoted operands (C17 6.3.1.8).
fn usual(a: IntType, b: IntType) -> IntType {
    if a.signed == b.signed {
        return if a.size >= b.size { a } else { b };
    }
    let (signed, unsigned) = if a.signed { (a, b) } else { (b, a) };
    if signed.size > unsigned.size {
        signed
    } else {
        IntType { size: signed.size.max(unsigned.size), signed: false }
    }
}

/// An unsuffixed literal, negative values with a leading `-`.
fn int_literal(value: i128) -> TokenStream {
    let magnitude = Literal::u128_unsuffixed(value.unsigned_abs());
    if value < 0 {
        quote!(-#magnitude)
    } else {
        quote!(#magnitude)
    }
}
