//! C types to Rust types for one target, with the size and alignment the
//! Rust type has there.
//!
//! The Rust size and alignment are what the record planner compares with
//! C's offsets to decide where padding goes; they are those of the Rust
//! primitive (equal to C's for the target's scalars), of the emitted record
//! (equal to C's by construction, and asserted), or of the opaque wrapper.
//! A typedef alias has the layout of what it names: Rust aliases carry no
//! `aligned` attribute, so C's extra alignment shows up as padding instead.

use super::names::ident;
use super::Emitter;
use crate::ir::{EnumId, Expr, FloatKind, IntKind, RecordId, Type, TypedefId};
use crate::layout::TypeLayout;
use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote, ToTokens};

/// A Rust type standing for a C type.
#[derive(Clone, Debug)]
pub(super) struct RustType {
    /// The type as written.
    pub tokens: TokenStream,
    /// An expression of that type whose bytes are all zero.
    pub zero: TokenStream,
    /// `size_of` in bytes.
    pub size: u64,
    /// `align_of` in bytes.
    pub align: u64,
    /// Whether the type is or contains a `repr(align)` type, which a
    /// `repr(packed)` type cannot hold (E0588).
    pub has_align_repr: bool,
    /// Whether the type implements `Default` with all-zero bytes (Rust has
    /// no `Default` for raw pointers and arrays of more than 32 elements).
    pub has_default: bool,
}

/// Why a type has no Rust equivalent, in words.
pub(super) type TypeError = String;

impl Emitter<'_> {
    /// The Rust type for a C type used by value.
    pub(super) fn rust_type(&self, ty: &Type) -> Result<RustType, TypeError> {
        match ty {
            Type::Int(kind) => self.int_type(*kind),
            Type::Float(FloatKind::Float) => {
                Ok(self.float_type(quote!(f32), 4, self.target.float.align))
            }
            Type::Float(FloatKind::Double) => {
                Ok(self.float_type(quote!(f64), 8, self.target.double.align))
            }
            Type::Float(_)
            | Type::Complex(_)
            | Type::Vector { .. }
            | Type::Atomic(_)
            | Type::VaList => self.opaque_of(ty),
            Type::Pointer(pointee) => Ok(self.pointer_type(pointee)),
            Type::Array { elem, len } => self.array_type(elem, len.as_deref()),
            Type::Record(id) => self.record_type(self.selection.record(*id)),
            Type::Enum(id) => self.enum_type(self.selection.enumeration(*id)),
            Type::Typedef(id) => self.typedef_type(self.selection.typedef(*id)),
            Type::Void => Err("`void` has no values".into()),
            Type::Unknown(spelling) => Err(format!("unknown type `{spelling}`")),
            Type::Function => Err("a function type is not an object type".into()),
        }
    }

    /// A primitive Rust type name, spelled in full if a C name shadows it.
    pub(super) fn primitive(&self, name: &str) -> TokenStream {
        let name = format_ident!("{name}");
        if self.full_paths {
            quote!(::core::primitive::#name)
        } else {
            quote!(#name)
        }
    }

    /// The Rust integer with this size and signedness.
    pub(super) fn int_of_size(&self, size: u64, signed: bool) -> Result<RustType, TypeError> {
        let align = match size {
            1 | 2 | 4 => size,
            8 => self.target.long_long.align,
            _ => return Err(format!("no {size}-byte Rust integer")),
        };
        let name = format!("{}{}", if signed { "i" } else { "u" }, size * 8);
        let tokens = self.primitive(&name);
        Ok(RustType {
            tokens,
            zero: quote!(0),
            size,
            align,
            has_align_repr: false,
            has_default: true,
        })
    }

    fn int_type(&self, kind: IntKind) -> Result<RustType, TypeError> {
        if matches!(kind, IntKind::Int128 | IntKind::UInt128) {
            return self.opaque_of(&Type::Int(kind));
        }
        let signed = !kind.is_unsigned(self.target.char_unsigned);
        self.int_of_size(int_size(self.target, kind), signed)
    }

    fn float_type(&self, name: TokenStream, size: u64, align: u64) -> RustType {
        let tokens = if self.full_paths { quote!(::core::primitive::#name) } else { name };
        RustType {
            tokens,
            zero: quote!(0.0),
            size,
            align,
            has_align_repr: false,
            has_default: true,
        }
    }

    /// `__ckpt_opaque_<size>_<align>`, with the size and alignment the layout
    /// stage gives the C type.
    fn opaque_of(&self, ty: &Type) -> Result<RustType, TypeError> {
        let TypeLayout { size_bytes: size, align_bytes: align } =
            self.src.type_layout(ty).map_err(|e| e.message)?;
        self.opaques.borrow_mut().insert((size, align));
        let name = opaque_name(size, align);
        let len = Literal::u64_unsuffixed(size);
        let zero = quote!(#name([0; #len]));
        Ok(RustType {
            tokens: quote!(#name),
            zero,
            size,
            align,
            has_align_repr: align > 1,
            has_default: self.options.impl_default,
        })
    }

    /// `*mut T`, or `Option<unsafe extern "C" fn()>` for function pointers.
    pub(super) fn pointer_type(&self, pointee: &Type) -> RustType {
        let p = self.target.pointer;
        let (tokens, zero, has_default) = match self.ir.resolve_typedefs(pointee) {
            Type::Function => {
                (quote!(::core::option::Option<unsafe extern "C" fn()>), quote!(None), true)
            }
            _ => {
                let pointee = self.pointee_type(pointee);
                (quote!(*mut #pointee), quote!(::core::ptr::null_mut()), false)
            }
        };
        RustType { tokens, zero, size: p.size, align: p.align, has_align_repr: false, has_default }
    }

    /// What a data pointer points to: `c_void` when the pointee has no Rust
    /// type.
    fn pointee_type(&self, pointee: &Type) -> TokenStream {
        let c_void = quote!(::core::ffi::c_void);
        match pointee {
            Type::Void => c_void,
            Type::Record(id) => {
                let id = self.selection.record(*id);
                // Behind a pointer only the name is needed; the plan may be
                // in progress when the record points to itself.
                let named = match self.ir.record(id).complete {
                    true => self.record_emitted(id),
                    false => self.selected_records.contains(&id),
                };
                match named {
                    true => self.record_ident(id).into_token_stream(),
                    false => c_void,
                }
            }
            Type::Typedef(id) => {
                let id = self.selection.typedef(*id);
                match self.typedef_emitted(id) {
                    true => self.typedef_ident(id).into_token_stream(),
                    false => self.pointee_type(&self.ir.typedef(id).ty),
                }
            }
            _ => self.rust_type(pointee).map_or(c_void, |t| t.tokens),
        }
    }

    fn array_type(&self, elem: &Type, len: Option<&Expr>) -> Result<RustType, TypeError> {
        let elem = self.rust_type(elem)?;
        let count = match len {
            Some(len) => self.src.eval(len).map_err(|e| e.message)?,
            None => 0,
        };
        let count = u64::try_from(count).map_err(|_| format!("negative array length {count}"))?;

        let len_tokens = self.array_len_tokens(len, count);
        let (ty, zero) = (&elem.tokens, &elem.zero);
        // `[f(); 0]` never calls `f` (clippy: zero_repeat_side_effects).
        let zero = match count {
            0 => quote!([]),
            _ => quote!([#zero; #len_tokens]),
        };
        Ok(RustType {
            tokens: quote!([#ty; #len_tokens]),
            zero,
            size: elem.size * count,
            align: elem.align,
            has_align_repr: elem.has_align_repr,
            // `[T; 0]` is `Default` for every `T`.
            has_default: count == 0 || (elem.has_default && count <= 32),
        })
    }

    /// `NAME as usize` when the length is spelled by an emitted macro of
    /// the same value, else the number.
    fn array_len_tokens(&self, len: Option<&Expr>, count: u64) -> TokenStream {
        if let Some(Expr::Macro(name, _)) = len {
            if self.const_values.borrow().get(name) == Some(&i128::from(count)) {
                let (name, usize) = (ident(name), self.primitive("usize"));
                return quote!(#name as #usize);
            }
        }
        let count = Literal::u64_unsuffixed(count);
        quote!(#count)
    }

    fn record_type(&self, id: RecordId) -> Result<RustType, TypeError> {
        let record = self.ir.record(id);
        if !record.complete {
            return Err(format!("`{} {}` is incomplete", record.kind.keyword(), record.name));
        }
        let plan = self.plan(id).map_err(|e| format!("`{}` has no Rust type: {e}", record.name))?;
        let name = self.record_ident(id);
        Ok(RustType {
            tokens: quote!(#name),
            // The member's or element's type is known where this is used.
            zero: quote!(::core::default::Default::default()),
            size: plan.size,
            align: plan.align,
            has_align_repr: plan.has_align_repr(),
            has_default: self.options.impl_default,
        })
    }

    fn enum_type(&self, id: EnumId) -> Result<RustType, TypeError> {
        let (layout, signed) = self.src.enum_repr(id).map_err(|e| e.message)?;
        let mut int = self.int_of_size(layout.size_bytes, signed)?;
        if self.enum_aliases.contains(&id) {
            int.tokens = self.enum_ident(id).into_token_stream();
        }
        Ok(int)
    }

    fn typedef_type(&self, id: TypedefId) -> Result<RustType, TypeError> {
        let mut ty = self.rust_type(&self.ir.typedef(id).ty)?;
        if self.typedef_emitted(id) {
            ty.tokens = self.typedef_ident(id).into_token_stream();
        }
        Ok(ty)
    }

    /// Whether a typedef is written as `pub type`: selected, an object type
    /// with a Rust equivalent, and not `typedef struct x x;`.
    pub(super) fn typedef_emitted(&self, id: TypedefId) -> bool {
        if let Some(&ok) = self.typedef_ok.borrow().get(&id) {
            return ok;
        }
        // Provisional answer while the check below runs: a typedef reached
        // again through its own type is only ever behind a pointer.
        self.typedef_ok.borrow_mut().insert(id, self.typedef_alias_candidate(id));
        let ok =
            self.typedef_alias_candidate(id) && self.rust_type(&self.ir.typedef(id).ty).is_ok();
        self.typedef_ok.borrow_mut().insert(id, ok);
        ok
    }

    /// Whether a typedef could be an alias, before checking its type.
    fn typedef_alias_candidate(&self, id: TypedefId) -> bool {
        let td = self.ir.typedef(id);
        let same_name = match &td.ty {
            Type::Record(r) => self.ir.record(self.selection.record(*r)).name == td.name,
            Type::Enum(e) => self.ir.enumeration(*e).tag.as_deref() == Some(&td.name),
            _ => false,
        };
        self.selection.typedefs.contains(&id)
            && !same_name
            && !matches!(self.ir.resolve_typedefs(&td.ty), Type::Function | Type::Void)
    }

    /// Whether a complete record gets a Rust type (planning it if needed).
    fn record_emitted(&self, id: RecordId) -> bool {
        if !self.selected_records.contains(&id) {
            return false;
        }
        if let Some(super::PlanState::InProgress) = self.plans.borrow().get(&id) {
            return true;
        }
        self.plan(id).is_ok()
    }
}

/// The name of the opaque storage type of this size and alignment.
pub(super) fn opaque_name(size: u64, align: u64) -> proc_macro2::Ident {
    format_ident!("__ckpt_opaque_{size}_{align}")
}

/// `sizeof` of an integer type on a target.
pub(super) fn int_size(target: &crate::layout::Target, kind: IntKind) -> u64 {
    match kind {
        IntKind::Bool | IntKind::Char | IntKind::SChar | IntKind::UChar => 1,
        IntKind::Short | IntKind::UShort => target.short.size,
        IntKind::Int | IntKind::UInt => target.int.size,
        IntKind::Long | IntKind::ULong => target.long.size,
        IntKind::LongLong | IntKind::ULongLong => target.long_long.size,
        IntKind::Int128 | IntKind::UInt128 => 16,
    }
}
