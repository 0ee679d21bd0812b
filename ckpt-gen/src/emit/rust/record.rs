//! Records: the Rust type of each planned record, its `Default`, and the
//! `const` assertions on its size, alignment and member offsets.
//!
//! `Default` gives all-zero bytes, what a fresh record holds: derived when
//! every member's type has such a `Default` (clippy's `derivable_impls`
//! asks for that), else written member by member (zeros, null pointers,
//! `None`, the largest member of a union), without `unsafe`.

use super::names::c_declaration;
use super::plan::{field_name, Member, Plan, Repr};
use super::{unparse, Emitter};
use crate::ir::{Expr, Record, RecordId, Type};
use crate::layout::RecordLayout;
use proc_macro2::{Ident, Literal, TokenStream};
use quote::{format_ident, quote};

impl Emitter<'_> {
    /// Every selected record, in selection order.
    pub(super) fn record_items(&self) -> String {
        let mut out = String::new();
        for &id in &self.selection.records {
            out.push_str(&unparse(self.record_item(id)));
        }
        out
    }

    fn record_item(&self, id: RecordId) -> TokenStream {
        let record = self.ir.record(id);
        if !record.complete {
            return self.incomplete_record(id, record);
        }
        let plan = match self.plan(id) {
            Ok(plan) => plan,
            Err(reason) => {
                self.skip(format!("{} {}", record.kind.keyword(), record.name), reason);
                return TokenStream::new();
            }
        };
        // A plan exists only for records with a layout.
        let Ok(layout) = self.src.record(id) else { return TokenStream::new() };

        let name = self.record_ident(id);
        match plan.repr {
            Repr::PackedAligned(align) => self.wrapped_record(record, layout, &plan, &name, align),
            _ => self.plain_record(record, layout, &plan, &name),
        }
    }

    /// `struct x;` never defined: a type to point to.
    fn incomplete_record(&self, id: RecordId, record: &Record) -> TokenStream {
        let what = format!("{} {}", record.kind.keyword(), record.name);
        let doc = self.doc(&what, record.loc, ": incomplete in C, only usable behind pointers");
        let name = self.record_ident(id);
        quote! {
            #doc
            #[repr(C)]
            #[allow(non_camel_case_types)]
            pub struct #name {
                _opaque: [u8; 0],
            }
        }
    }

    /// A record that is one Rust type.
    fn plain_record(
        &self,
        record: &Record,
        layout: &RecordLayout,
        plan: &Plan,
        name: &Ident,
    ) -> TokenStream {
        let what = format!("{} {}", record.kind.keyword(), record.name);
        let note = match plan.c_align != plan.align {
            true => format!(
                ": C aligns it to {} but its size is {}, so here it is aligned to {} and \
                 records embedding it pad for the rest",
                plan.c_align, plan.size, plan.align
            ),
            false => String::new(),
        };
        let doc = self.doc(&what, record.loc, &note);
        let repr = repr_attr(plan.repr);
        let body = self.body(record, layout, plan, name, doc, repr);
        let asserts = self.assertions(record, layout, plan, name, &TokenStream::new());
        quote! { #body #asserts }
    }

    /// `packed` and `aligned(N)`: an aligned wrapper around a packed body.
    fn wrapped_record(
        &self,
        record: &Record,
        layout: &RecordLayout,
        plan: &Plan,
        name: &Ident,
        align: u64,
    ) -> TokenStream {
        let what = format!("{} {}", record.kind.keyword(), record.name);
        let extra = format!(": packed and aligned({align}), the members are in `body`");
        let doc = self.doc(&what, record.loc, &extra);
        let inner = format_ident!("{name}__packed");
        let inner_doc = self.doc(&what, record.loc, ": the packed members");
        let align = Literal::u64_unsuffixed(align);
        let derives = match self.options.impl_default {
            true => quote!(#[derive(Clone, Copy, Default)]),
            false => quote!(#[derive(Clone, Copy)]),
        };

        let body = self.body(record, layout, plan, &inner, inner_doc, quote!(#[repr(C, packed)]));
        let asserts = self.assertions(record, layout, plan, name, &quote!(body.));
        quote! {
            #doc
            #[repr(C, align(#align))]
            #derives
            #[allow(non_camel_case_types)]
            pub struct #name {
                #[doc = " The members, packed."]
                pub body: #inner,
            }
            #body
            #asserts
        }
    }

    /// The type holding the members, its accessors and its `Default`.
    fn body(
        &self,
        record: &Record,
        layout: &RecordLayout,
        plan: &Plan,
        name: &Ident,
        doc: TokenStream,
        repr: TokenStream,
    ) -> TokenStream {
        let keyword = match plan.kind {
            crate::ir::RecordKind::Struct => quote!(struct),
            crate::ir::RecordKind::Union => quote!(union),
        };
        let fields: Vec<TokenStream> =
            plan.members.iter().map(|m| self.member(record, m)).collect();
        let accessors = self.accessors(record, layout, plan, name);
        let (derives, default) = match self.options.impl_default && derives_default(plan) {
            true => (quote!(#[derive(Clone, Copy, Default)]), TokenStream::new()),
            false => {
                (quote!(#[derive(Clone, Copy)]), self.default_impl(name, &default_fields(plan)))
            }
        };
        quote! {
            #doc
            #repr
            #derives
            #[allow(non_camel_case_types, non_snake_case)]
            pub #keyword #name {
                #(#fields,)*
            }
            #accessors
            #default
        }
    }

    /// One Rust member with its doc.
    fn member(&self, record: &Record, member: &Member) -> TokenStream {
        let u8 = self.primitive("u8");
        match member {
            Member::Field { ident, index, ty } => {
                let doc = self.field_doc(record, *index, "");
                // C's `x[4][2][2][6][6][3]` is as simple as it gets.
                let allow = match nesting(&ty.tokens) >= 5 {
                    true => quote!(#[allow(clippy::type_complexity)]),
                    false => TokenStream::new(),
                };
                let ty = &ty.tokens;
                quote! { #doc #allow pub #ident: #ty }
            }
            Member::Bytes { ident, index, len } => {
                let doc = self.field_doc(record, *index, ", as bytes: its type is over-aligned");
                let len = Literal::u64_unsuffixed(*len);
                quote! { #doc pub #ident: [#u8; #len] }
            }
            Member::Pad { ident, len } => {
                let len = Literal::u64_unsuffixed(*len);
                quote! {
                    #[doc = " Padding: bytes no C member occupies."]
                    pub #ident: [#u8; #len]
                }
            }
            Member::Bits(run) => {
                let names: Vec<String> =
                    run.fields.iter().map(|&i| field_name(self.ir, record, i)).collect();
                let text = format!(
                    " Storage of the bit-fields `{}`: use their accessors.",
                    names.join("`, `")
                );
                let (ident, len) = (&run.ident, Literal::u64_unsuffixed(run.len));
                quote! { #[doc = #text] pub #ident: [#u8; #len] }
            }
        }
    }

    /// `` `__u32 seq` from file:line``.
    pub(super) fn field_doc(&self, record: &Record, index: usize, extra: &str) -> TokenStream {
        let field = &record.fields[index];
        let name = field.name.as_deref().unwrap_or("");
        let decl = c_declaration(self.ir, &field.ty, name, &|e| self.length_text(e));
        let flexible = match &field.ty {
            Type::Array { len: None, .. } => ", flexible array: the elements follow the record",
            Type::Array { len: Some(len), .. } if self.src.eval(len) == Ok(0) => {
                ", zero-length array: a position marker or trailing elements"
            }
            _ => "",
        };
        self.doc(&decl, field.loc, &format!("{flexible}{extra}"))
    }

    /// An array length as the docs show it: the macro name or the value.
    pub(super) fn length_text(&self, len: &Expr) -> String {
        match len {
            Expr::Macro(name, _) => name.clone(),
            _ => self.src.eval(len).map_or_else(|_| "?".into(), |v| v.to_string()),
        }
    }

    /// `impl Default` with the given field initialisers.
    fn default_impl(&self, name: &Ident, fields: &TokenStream) -> TokenStream {
        if !self.options.impl_default {
            return TokenStream::new();
        }
        quote! {
            impl ::core::default::Default for #name {
                fn default() -> Self {
                    Self { #fields }
                }
            }
        }
    }

    /// `size_of`, `align_of` and `offset_of!` assertions; `path` prefixes
    /// member names (`body.` in a wrapper).
    fn assertions(
        &self,
        record: &Record,
        layout: &RecordLayout,
        plan: &Plan,
        name: &Ident,
        path: &TokenStream,
    ) -> TokenStream {
        let target = self.target.name;
        let what = format!("{} {}", record.kind.keyword(), record.name);
        let size_msg = format!("size of {what} must be {} on {target}", plan.size);
        let align_msg = format!("alignment of {what} must be {} on {target}", plan.align);
        let (size, align) =
            (Literal::u64_unsuffixed(plan.size), Literal::u64_unsuffixed(plan.align));
        let offsets = plan.members.iter().filter_map(|m| {
            let (ident, offset) = member_offset(layout, m)?;
            let msg = format!("offset of {}::{ident} must be {offset} on {target}", record.name);
            let offset = Literal::u64_unsuffixed(offset);
            Some(quote! {
                const _: () = assert!(::core::mem::offset_of!(#name, #path #ident) == #offset, #msg);
            })
        });
        let size_check = layout_check(name, quote!(size_of), size, &size_msg);
        let align_check = layout_check(name, quote!(align_of), align, &align_msg);
        quote! {
            #size_check
            #align_check
            #(#offsets)*
        }
    }
}

/// `const _: () = ...;` failing the build with `msg` unless
/// `::core::mem::<query>::<name>()` is `value`. Written so that
/// prettyplease's output is rustfmt's: the turbofish stays outside
/// `assert!` (prettyplease prints macro arguments token by token, as
/// `size_of::< T > ()`), and the form depends on the message's length,
/// since the two tools break calls differently (prettyplease past 89
/// columns, rustfmt past 100 or when the arguments are wider than 60): an
/// `if` with a one-line `panic!` when that line fits in 89 columns, else
/// `assert!` with its arguments on lines of their own.
fn layout_check(name: &Ident, query: TokenStream, value: Literal, msg: &str) -> TokenStream {
    if "    panic!(\"\")".len() + msg.len() <= 89 {
        return quote! {
            const _: () = if ::core::mem::#query::<#name>() != #value {
                panic!(#msg)
            };
        };
    }
    quote! {
        const _: () = {
            let value = ::core::mem::#query::<#name>();
            assert!(value == #value, #msg);
        };
    }
}

/// How deeply brackets nest in a type (`[[u8; 3]; 6]` is 2).
fn nesting(tokens: &TokenStream) -> usize {
    tokens
        .clone()
        .into_iter()
        .map(|t| match t {
            proc_macro2::TokenTree::Group(g) => 1 + nesting(&g.stream()),
            _ => 0,
        })
        .max()
        .unwrap_or(0)
}

/// The attribute for a one-type representation.
fn repr_attr(repr: Repr) -> TokenStream {
    match repr {
        Repr::C => quote!(#[repr(C)]),
        Repr::Align(n) => {
            let n = Literal::u64_unsuffixed(n);
            quote!(#[repr(C, align(#n))])
        }
        Repr::PackedTo(n) => {
            let n = Literal::u64_unsuffixed(n);
            quote!(#[repr(C, packed(#n))])
        }
        Repr::Packed | Repr::PackedAligned(_) => quote!(#[repr(C, packed)]),
    }
}

/// Where a member starts, in bytes, for the assertions (padding excluded).
fn member_offset<'m>(layout: &RecordLayout, member: &'m Member) -> Option<(&'m Ident, u64)> {
    match member {
        Member::Field { ident, index, .. } | Member::Bytes { ident, index, .. } => {
            Some((ident, layout.fields[*index].offset_bits / 8))
        }
        Member::Bits(run) => Some((&run.ident, run.start_byte)),
        Member::Pad { .. } => None,
    }
}

/// Whether `#[derive(Default)]` gives the all-zero value: a struct whose
/// members all implement `Default` (Rust has none for unions, raw pointers
/// and arrays of more than 32 elements).
fn derives_default(plan: &Plan) -> bool {
    let member = |m: &Member| match m {
        Member::Field { ty, .. } => ty.has_default,
        Member::Bytes { len, .. } | Member::Pad { len, .. } => *len <= 32,
        Member::Bits(run) => run.len <= 32,
    };
    plan.kind == crate::ir::RecordKind::Struct && plan.members.iter().all(member)
}

/// Zero initialisers: every member of a struct, the largest of a union.
fn default_fields(plan: &Plan) -> TokenStream {
    let zero = |m: &Member| -> (Ident, TokenStream, u64) {
        match m {
            Member::Field { ident, ty, .. } => (ident.clone(), ty.zero.clone(), ty.size),
            Member::Bytes { ident, len, .. } | Member::Pad { ident, len } => {
                let n = Literal::u64_unsuffixed(*len);
                (ident.clone(), quote!([0; #n]), *len)
            }
            Member::Bits(run) => {
                let len = Literal::u64_unsuffixed(run.len);
                (run.ident.clone(), quote!([0; #len]), run.len)
            }
        }
    };
    let mut inits: Vec<(Ident, TokenStream, u64)> = plan.members.iter().map(zero).collect();
    if plan.kind == crate::ir::RecordKind::Union {
        // The first of the largest members: every byte of the union is zero.
        let largest = inits.iter().map(|i| i.2).max().unwrap_or(0);
        inits.retain(|i| i.2 == largest);
        inits.truncate(1);
    }
    let inits = inits.iter().map(|(ident, zero, _)| quote!(#ident: #zero));
    quote!(#(#inits,)*)
}
