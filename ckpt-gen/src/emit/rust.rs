//! The Rust emitter: `#[repr(C)]` types for the selected records of one
//! target, with compile-time layout assertions.
//!
//! Takes: a [`LayoutSource`] for one target and a [`Selection`]. Returns:
//! formatted Rust source ([`RustOutput::code`]) plus the items it could not
//! express ([`RustOutput::skipped`], also logged as warnings).
//!
//! The output is meant to be `include!`d by a build script, so it has no
//! inner attributes: every item carries its own `#[allow(...)]` for the C
//! names it keeps. What it contains, in order:
//!
//! 1. bit-field helper functions, when a record has bit-fields;
//! 2. opaque storage types `__ckpt_opaque_<size>_<align>` for C types Rust
//!    has no equivalent of on every target (`long double`, `__int128`,
//!    `_Float128`, vectors, `_Complex`);
//! 3. integer macros as `pub const`, enums as `pub type tag = <int>;` plus a
//!    `pub const` per enumerator, typedefs as `pub type`;
//! 4. each record: the type, its bit-field accessors, `Default` (all
//!    zero), and `const` assertions on size, alignment and every member
//!    offset.
//!
//! Names come from the [`Selection`]: C names with `::` as `_`, except
//! where it renamed an item whose Rust name would clash (see
//! [`crate::select`]); every type id is read through the selection, so a
//! use of a duplicate definition names the item emitted for it.
//!
//! Assertions: the design asks for `const _: () = assert!(...)`. Offsets
//! are written that way (`assert!(::core::mem::offset_of!(T, f) == N,
//! "...")`). Size and alignment need a turbofish, which prettyplease
//! prints inside macro arguments as `size_of::< T > ()`, not what rustfmt
//! writes (the output must be rustfmt-clean). So they are `const _: () =
//! if ::core::mem::size_of::<T>() != N { panic!("...") };` when the
//! `panic!` line fits in prettyplease's 89 columns, else `const _: () = {
//! let value = ::core::mem::size_of::<T>(); assert!(value == N, "..."); };`,
//! whose long arguments both tools put on lines of their own. All forms
//! fail the build the same way, with the message as the const-evaluation
//! error.
//!
//! Type mapping: C integers become the Rust integer of the same size and
//! signedness for the target (plain `char` follows the target; `_Bool`
//! becomes `u8`, so that any byte read from an image is a valid value);
//! `float`/`double` become `f32`/`f64`; data pointers `*mut T` (`*mut
//! c_void` for `void *` and for records without a Rust type), function
//! pointers `Option<unsafe extern "C" fn()>`; enums their storage integer;
//! arrays `[T; N]` with `N` evaluated for the target, or `[T; NAME as usize]`
//! when the length is a macro; flexible and zero-length arrays `[T; 0]`
//! (the data lives in a trailing buffer after the record).
//!
//! Representation: chosen from the layout stage's offsets, never from C
//! rules. A record is first expressed as `repr(C)` with an explicit padding
//! field `__pad<N>` for every hole C leaves (so no byte is uninitialized,
//! and holes Rust would not leave, from member `aligned(N)`, are kept);
//! `repr(C, align(N))` when C's alignment is larger. When no such
//! layout reaches every offset (GCC `packed`, `#pragma pack`), the record is
//! `repr(C, packed(N))` with N its C alignment if that reaches them, else
//! `repr(C, packed)`; when it must also be over-aligned (`packed, aligned(N)`), Rust
//! forbids both on one type (E0587), so an outer `repr(C, align(N))` struct
//! holds the packed body in its field `body`. Inside a packed body, a member
//! whose Rust type carries `repr(align)` (which Rust also forbids, E0588)
//! is stored as bytes. Each run of bit-fields is one `_bitfield_<N>: [u8;
//! K]` field covering exactly the bytes the run occupies, with accessors.

mod bitfield;
mod items;
mod names;
mod plan;
mod record;
mod types;

#[cfg(test)]
mod tests;

use super::LayoutSource;
use crate::ir::{EnumId, Ir, RecordId, TypedefId};
use crate::layout::{Layouts, Target};
use crate::select::{Item, Selection};
use plan::Plan;
use proc_macro2::TokenStream;
use quote::quote;
use std::cell::{Cell, RefCell};
use std::collections::{BTreeSet, HashMap, HashSet};
use std::rc::Rc;

/// Options of the Rust emitter.
#[derive(Clone, Debug)]
pub struct RustOptions {
    /// Emit `impl Default` (all members zero) for every record. On by
    /// default.
    pub impl_default: bool,
}

impl Default for RustOptions {
    fn default() -> Self {
        RustOptions { impl_default: true }
    }
}

/// An item the emitter left out, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Skipped {
    /// The C item, as C spells it (`struct ckpt_x`, `ckpt_x::member`).
    pub item: String,
    /// Why it has no Rust equivalent.
    pub reason: String,
}

/// What [`rust_with`] produces.
#[derive(Clone, Debug)]
pub struct RustOutput {
    /// The formatted source.
    pub code: String,
    /// Items left out or degraded, in output order.
    pub skipped: Vec<Skipped>,
}

/// Rust bindings for `selection` on the target of `layouts`, with default
/// options. Items that cannot be expressed are left out and logged; use
/// [`rust_with`] to get them as data.
pub fn rust(layouts: &Layouts, selection: &Selection) -> String {
    rust_with(layouts, selection, &RustOptions::default()).code
}

/// Rust bindings for `selection`, reading layouts from any
/// [`LayoutSource`].
pub fn rust_with(
    src: &dyn LayoutSource,
    selection: &Selection,
    options: &RustOptions,
) -> RustOutput {
    let emitter = Emitter::new(src, selection, options);

    let consts = emitter.macro_items();
    let enums = emitter.enum_items();
    let typedefs = emitter.typedef_items();
    let records = emitter.record_items();
    // Collected while the items above were built.
    let helpers = emitter.bitfield_helpers();
    let opaques = emitter.opaque_items();

    // Each C item is formatted on its own (prettyplease prints a file as its
    // items one after the other, so the text is the same as formatting the
    // whole file at once), which keeps the syn trees small.
    let mut code = header(src.target());
    for part in [unparse(helpers), unparse(opaques), consts, enums, typedefs, records] {
        code.push_str(&part);
    }
    let skipped = emitter.skipped.into_inner();
    for s in &skipped {
        log::warn!("{}: {}: {}", src.target(), s.item, s.reason);
    }
    RustOutput { code, skipped }
}

/// The comment at the top of the output.
fn header(target: &Target) -> String {
    format!(
        "// Generated by ckpt-gen for {target}. Do not edit: regenerate instead.\n\
         //\n\
         // Layouts are those of GCC/Clang for {target}; the `const _` assertions\n\
         // after each record fail the build if Rust lays it out differently.\n\
         // Items carry their own `#[allow]` attributes, so this file can be\n\
         // `include!`d into any module.\n\n"
    )
}

/// Formats tokens (whole items) with prettyplease; nothing for none.
fn unparse(tokens: TokenStream) -> String {
    if tokens.is_empty() {
        return String::new();
    }
    match syn::parse2::<syn::File>(tokens) {
        Ok(file) => prettyplease::unparse(&file),
        // The emitter only builds items from valid fragments; this is a bug.
        Err(e) => panic!("ckpt-gen emitted invalid Rust: {e}"),
    }
}

/// Where planning a record stands.
enum PlanState {
    InProgress,
    Done(Result<Rc<Plan>, String>),
}

/// The state of one emission: the inputs, and what is learnt on the way
/// (plans, opaque types used, items skipped).
struct Emitter<'a> {
    src: &'a dyn LayoutSource,
    ir: &'a Ir,
    target: &'static Target,
    selection: &'a Selection,
    options: &'a RustOptions,
    selected_records: HashSet<RecordId>,
    /// Enums emitted as `pub type tag = <int>`: those with a tag.
    enum_aliases: HashSet<EnumId>,
    /// Whether a C name shadows a primitive: primitives are then spelled
    /// `::core::primitive::u32`.
    full_paths: bool,
    /// Values of the emitted constants (macros and enumerators), by name.
    const_values: RefCell<HashMap<String, i128>>,
    plans: RefCell<HashMap<RecordId, PlanState>>,
    typedef_ok: RefCell<HashMap<TypedefId, bool>>,
    opaques: RefCell<BTreeSet<(u64, u64)>>,
    uses_bitfields: Cell<bool>,
    skipped: RefCell<Vec<Skipped>>,
}

impl<'a> Emitter<'a> {
    fn new(src: &'a dyn LayoutSource, selection: &'a Selection, options: &'a RustOptions) -> Self {
        let ir = src.ir();
        let enum_aliases: HashSet<EnumId> = selection
            .enums
            .iter()
            .copied()
            .filter(|&id| ir.enumeration(id).tag.is_some())
            .collect();
        let records = selection.records.iter().map(|&id| Item::Record(id));
        let typedefs = selection.typedefs.iter().map(|&id| Item::Typedef(id));
        let enums = enum_aliases.iter().map(|&id| Item::Enum(id));
        let full_paths = records
            .chain(typedefs)
            .chain(enums)
            .any(|item| names::PRIMITIVES.contains(&selection.rust_name(ir, item).as_str()));

        Emitter {
            src,
            ir,
            target: src.target(),
            selection,
            options,
            selected_records: selection.records.iter().copied().collect(),
            enum_aliases,
            full_paths,
            const_values: RefCell::default(),
            plans: RefCell::default(),
            typedef_ok: RefCell::default(),
            opaques: RefCell::default(),
            uses_bitfields: Cell::new(false),
            skipped: RefCell::default(),
        }
    }

    /// The Rust name of a record (of the record emitted for it).
    fn record_ident(&self, id: RecordId) -> proc_macro2::Ident {
        names::ident(&self.selection.rust_name(self.ir, Item::Record(id)))
    }

    /// The Rust name of an enum's alias.
    fn enum_ident(&self, id: EnumId) -> proc_macro2::Ident {
        names::ident(&self.selection.rust_name(self.ir, Item::Enum(id)))
    }

    /// The Rust name of a typedef.
    fn typedef_ident(&self, id: TypedefId) -> proc_macro2::Ident {
        names::ident(&self.selection.rust_name(self.ir, Item::Typedef(id)))
    }

    /// Records an item left out.
    fn skip(&self, item: String, reason: String) {
        self.skipped.borrow_mut().push(Skipped { item, reason });
    }

    /// `` `struct ckpt_x` from include/linux/foo.h:12``, as a doc attribute.
    fn doc(&self, what: &str, loc: crate::ir::Loc, extra: &str) -> TokenStream {
        let file = &self.ir.file(loc.file).display;
        let text = format!(" `{what}` from {file}:{}{extra}", loc.line);
        quote! { #[doc = #text] }
    }
}
