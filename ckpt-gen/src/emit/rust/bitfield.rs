//! Bit-field accessors.
//!
//! Each run of bit-fields is stored as `_bitfield_<N>: [u8; K]` (see
//! [`super::plan`]); each named bit-field gets `name()` and `set_name(v)`,
//! which call the helpers of `bitfield_runtime.rs` with the field's bit
//! offset inside the storage, its width and the target's byte order. The
//! same helpers are compiled into this crate's tests, which check them
//! against the allocation order GCC uses (LSB first on little-endian
//! targets, MSB first on big-endian ones). Signed bit-fields sign-extend;
//! unnamed ones get no accessor.

use super::names::ident;
use super::plan::{self, Member, Plan};
use super::Emitter;
use crate::ir::{Record, Type};
use crate::layout::RecordLayout;
use proc_macro2::{Ident, Literal, TokenStream};
use quote::{format_ident, quote};
use std::collections::{HashMap, HashSet};

/// The helper functions, as source.
const RUNTIME: &str = include_str!("bitfield_runtime.rs");

impl Emitter<'_> {
    /// The helper functions, if any accessor uses them.
    pub(super) fn bitfield_helpers(&self) -> TokenStream {
        if !self.uses_bitfields.get() {
            return TokenStream::new();
        }
        // In a module of their own, the helpers' `u8`, `u64`, `usize` are
        // the primitives even when a C type of that name is emitted beside
        // them (`struct u8`).
        match syn::parse_file(RUNTIME) {
            Ok(file) => quote! {
                #[doc(hidden)]
                mod __ckpt_bitfield {
                    #file
                }
                #[allow(unused_imports)]
                use __ckpt_bitfield::*;
            },
            Err(e) => panic!("bitfield_runtime.rs does not parse: {e}"),
        }
    }

    /// `impl T { accessors }` for the bit-fields of a record, or nothing.
    pub(super) fn accessors(
        &self,
        record: &Record,
        layout: &RecordLayout,
        plan: &Plan,
        name: &Ident,
    ) -> TokenStream {
        let bits = || {
            plan.members.iter().filter_map(|m| match m {
                Member::Bits(run) => Some(run),
                _ => None,
            })
        };
        let names =
            accessor_names(self.ir, record, bits().flat_map(|run| run.fields.iter().copied()));
        let mut methods = Vec::new();
        for run in bits() {
            for &index in &run.fields {
                let Some(names) = names.get(&index) else { continue };
                let bit = layout.fields[index].offset_bits - run.start_byte * 8;
                let width = layout.fields[index].size_bits;
                let union = plan.kind == crate::ir::RecordKind::Union;
                let at = (bit, width);
                methods.extend(self.accessor(record, index, &run.ident, names, at, union));
            }
        }
        if methods.is_empty() {
            return TokenStream::new();
        }
        self.uses_bitfields.set(true);
        // Accessors are named after C members, which may trip lints that
        // assume Rust naming conventions (`len` without `is_empty`,
        // `into_x(&self)`, `from_x(&self)`).
        quote! {
            #[allow(
                non_snake_case,
                clippy::len_without_is_empty,
                clippy::wrong_self_convention,
                clippy::should_implement_trait
            )]
            impl #name {
                #(#methods)*
            }
        }
    }

    /// Getter and setter of one bit-field, if it is named and integer. In
    /// a union they are `unsafe fn`: reading the storage field of a union
    /// is sound only if its bytes were initialized.
    fn accessor(
        &self,
        record: &Record,
        index: usize,
        storage: &Ident,
        (getter, setter): &(Ident, Ident),
        (bit, width): (u64, u64),
        union: bool,
    ) -> Option<TokenStream> {
        let field = &record.fields[index];
        let name = field.name.as_deref()?;
        let Some((ty, signed, size)) = self.bitfield_type(&field.ty) else {
            let what = format!("{}::{name}", record.name);
            self.skip(what, "bit-field of a non-integer type: no accessor".into());
            return None;
        };

        let doc = self.field_doc(record, index, "");
        let set_doc = format!(" Sets the bit-field `{name}` to the low {width} bits of `value`.");
        let (bit, width) = (Literal::u64_unsuffixed(bit), Literal::u64_unsuffixed(width));
        let big_endian = self.target.big_endian;
        // The helpers take and give 64-bit values: no cast to or from those
        // (clippy: unnecessary_cast).
        let u64 = self.primitive("u64");
        let get = match signed {
            true => quote!(__ckpt_bitfield_get_signed),
            false => quote!(__ckpt_bitfield_get),
        };
        let mut read = quote!(#get(&self.#storage, #bit, #width, #big_endian));
        let mut value = quote!(value);
        if size != 8 {
            read = quote!(#read as #ty);
        }
        if size != 8 || signed {
            value = quote!(#value as #u64);
        }
        let mut write =
            quote!(__ckpt_bitfield_set(&mut self.#storage, #bit, #width, #big_endian, #value));

        let mut unsafety = TokenStream::new();
        let mut safety = TokenStream::new();
        if union {
            unsafety = quote!(unsafe);
            safety = union_safety();
            read = quote!(unsafe { #read });
            write = quote!(unsafe { #write });
        }
        Some(quote! {
            #doc
            #safety
            #[inline]
            pub #unsafety fn #getter(&self) -> #ty {
                #read
            }
            #[doc = #set_doc]
            #safety
            #[inline]
            pub #unsafety fn #setter(&mut self, value: #ty) {
                #write
            }
        })
    }

    /// The accessor type of a bit-field, and whether it is signed.
    fn bitfield_type(&self, ty: &Type) -> Option<(TokenStream, bool, u64)> {
        let signed = match self.ir.resolve_typedefs(ty) {
            Type::Int(kind) => !kind.is_unsigned(self.target.char_unsigned),
            Type::Enum(id) => self.src.enum_repr(*id).ok()?.1,
            _ => return None,
        };
        let rust = self.rust_type(ty).ok()?;
        (rust.size <= 8 && !rust.has_align_repr).then_some((rust.tokens, signed, rust.size))
    }
}

/// The `# Safety` section of union accessors, and the lint they allow:
/// the argument for the `unsafe` block is the caller's contract, which
/// generated code cannot write as a `// SAFETY:` comment (prettyplease
/// drops comments).
/// Getter and setter names of the named bit-fields among `fields`, by
/// field index, none shared: a getter is the member's Rust name (as the
/// plan spells members, so `self` beside `self_` is `self__`), a setter
/// `set_` and that name, with `_` appended while another accessor of the
/// record has it (bit-fields `foo` and `set_foo` give `foo()`,
/// `set_foo_()`, `set_foo()` and `set_set_foo()`).
fn accessor_names(
    ir: &crate::ir::Ir,
    record: &Record,
    fields: impl Iterator<Item = usize>,
) -> HashMap<usize, (Ident, Ident)> {
    let named: Vec<(usize, String)> = fields
        .filter(|&i| record.fields[i].name.is_some())
        .map(|i| (i, plan::field_name(ir, record, i)))
        .collect();
    let mut taken: HashSet<String> = named.iter().map(|(_, n)| n.clone()).collect();
    let mut out = HashMap::new();
    for (index, getter) in named {
        let mut setter = format!("set_{getter}");
        while taken.contains(&setter) {
            setter.push('_');
        }
        taken.insert(setter.clone());
        out.insert(index, (ident(&getter), format_ident!("{}", setter)));
    }
    out
}

fn union_safety() -> TokenStream {
    quote! {
        #[doc = ""]
        #[doc = " # Safety"]
        #[doc = ""]
        #[doc = " The bytes of the bit-field storage must be initialized: true for a value"]
        #[doc = " made by `Default` or read from bytes, not for one built from a smaller member."]
        #[allow(clippy::undocumented_unsafe_blocks)]
    }
}

#[cfg(test)]
mod tests {
    include!("bitfield_runtime.rs");

    /// The bytes of a 32-bit storage unit holding `valid:1, kind:7,
    /// count:24` as GCC packs it: from the LSB on little-endian targets,
    /// from the MSB on big-endian ones.
    fn flags32(valid: u32, kind: u32, count: u32, big_endian: bool) -> [u8; 4] {
        if big_endian {
            (valid << 31 | kind << 24 | count).to_be_bytes()
        } else {
            (valid | kind << 1 | count << 8).to_le_bytes()
        }
    }

    #[test]
    fn reads_what_gcc_writes() {
        for big_endian in [false, true] {
            let bytes = flags32(1, 0x55, 0xabcdef, big_endian);
            assert_eq!(__ckpt_bitfield_get(&bytes, 0, 1, big_endian), 1);
            assert_eq!(__ckpt_bitfield_get(&bytes, 1, 7, big_endian), 0x55);
            assert_eq!(__ckpt_bitfield_get(&bytes, 8, 24, big_endian), 0xabcdef);
        }
    }

    #[test]
    fn writes_what_gcc_writes() {
        for big_endian in [false, true] {
            let mut bytes = [0u8; 4];
            __ckpt_bitfield_set(&mut bytes, 8, 24, big_endian, 0xabcdef);
            __ckpt_bitfield_set(&mut bytes, 1, 7, big_endian, 0x55);
            __ckpt_bitfield_set(&mut bytes, 0, 1, big_endian, 1);
            assert_eq!(bytes, flags32(1, 0x55, 0xabcdef, big_endian), "big endian: {big_endian}");
        }
    }

    #[test]
    fn nibbles_follow_byte_order() {
        // `__u8 ihl:4, version:4` with ihl = 5, version = 4: 0x45 on x86
        // (ihl in the low nibble), 0x54 on s390x (ihl in the high nibble).
        for (big_endian, byte) in [(false, 0x45u8), (true, 0x54)] {
            let mut bytes = [0u8; 1];
            __ckpt_bitfield_set(&mut bytes, 0, 4, big_endian, 5);
            __ckpt_bitfield_set(&mut bytes, 4, 4, big_endian, 4);
            assert_eq!(bytes, [byte]);
            assert_eq!(__ckpt_bitfield_get(&bytes, 0, 4, big_endian), 5);
        }
    }

    #[test]
    fn round_trips_across_bytes_and_keeps_neighbours() {
        for big_endian in [false, true] {
            for (offset, width) in [(0, 1), (3, 11), (11, 12), (23, 23), (5, 64), (0, 45)] {
                let mut bytes = [0xa5u8; 10];
                let before = bytes;
                let original = __ckpt_bitfield_get(&bytes, offset, width, big_endian);
                let value = 0x1234_5678_9abc_def1u64 & (u64::MAX >> (64 - width));
                __ckpt_bitfield_set(&mut bytes, offset, width, big_endian, value);
                assert_eq!(__ckpt_bitfield_get(&bytes, offset, width, big_endian), value);
                __ckpt_bitfield_set(&mut bytes, offset, width, big_endian, original);
                assert_eq!(bytes, before, "neighbours of {offset}+{width}");
            }
        }
    }

    #[test]
    fn signed_fields_sign_extend() {
        for big_endian in [false, true] {
            let mut bytes = [0u8; 2];
            __ckpt_bitfield_set(&mut bytes, 3, 5, big_endian, -3i64 as u64);
            assert_eq!(__ckpt_bitfield_get_signed(&bytes, 3, 5, big_endian), -3);
            __ckpt_bitfield_set(&mut bytes, 3, 5, big_endian, 15);
            assert_eq!(__ckpt_bitfield_get_signed(&bytes, 3, 5, big_endian), 15);
        }
    }
}
