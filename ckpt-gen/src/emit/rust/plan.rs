//! Planning a record: which Rust members, padding and `repr` reproduce the
//! offsets the layout stage computed.
//!
//! The planner knows no C rule. It walks the members in order with the
//! offsets from [`RecordLayout`] and the sizes and alignments of their Rust
//! types, and simulates Rust's `repr(C)` placement (each member at the next
//! multiple of its alignment): where C's offset is further on, a `__pad<N>`
//! byte array fills the gap; where it is not reachable (C's offset is not a
//! multiple of the Rust alignment, or the record is less aligned than its
//! members), the record is planned again as `repr(C, packed(N))` with N
//! its C alignment (what `#pragma pack(N)` gives), then as `repr(C,
//! packed)`, with every
//! alignment 1. Every hole C leaves in a struct, including the tail,
//! becomes a `__pad<N>` field, even where Rust would leave the same hole:
//! the records hold no uninitialized bytes and can be written out as bytes.

use super::names::ident;
use super::types::RustType;
use super::{Emitter, PlanState};
use crate::ir::{Record, RecordId, RecordKind, Type};
use crate::layout::RecordLayout;
use proc_macro2::Ident;
use std::collections::HashSet;
use std::rc::Rc;

/// How the Rust type is represented.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Repr {
    /// `repr(C)`.
    C,
    /// `repr(C, align(N))`.
    Align(u64),
    /// `repr(C, packed)`.
    Packed,
    /// `repr(C, packed(N))`: member alignment capped at N.
    PackedTo(u64),
    /// An outer `repr(C, align(N))` struct around a `repr(C, packed)` body.
    PackedAligned(u64),
}

/// One Rust member.
#[derive(Clone, Debug)]
pub(super) enum Member {
    /// A C member with its Rust type.
    Field {
        /// The Rust name.
        ident: Ident,
        /// Index into the C record's fields.
        index: usize,
        /// The Rust type.
        ty: RustType,
    },
    /// A C member kept as bytes: its Rust type cannot be in a packed body.
    Bytes { ident: Ident, index: usize, len: u64 },
    /// Padding C has and Rust would not.
    Pad { ident: Ident, len: u64 },
    /// The storage of a run of bit-fields.
    Bits(BitRun),
}

/// A run of adjacent bit-fields and the bytes they occupy.
#[derive(Clone, Debug)]
pub(super) struct BitRun {
    /// The storage field's name.
    pub ident: Ident,
    /// The first byte of the run, from the start of the record.
    pub start_byte: u64,
    /// Bytes covered.
    pub len: u64,
    /// Indexes of the C bit-fields in the run.
    pub fields: Vec<usize>,
}

/// A planned record.
#[derive(Clone, Debug)]
pub(super) struct Plan {
    pub repr: Repr,
    pub kind: RecordKind,
    pub members: Vec<Member>,
    /// C's `sizeof`, which the plan reproduces.
    pub size: u64,
    /// The Rust alignment: C's, unless C's exceeds the size (see
    /// [`rust_align`]).
    pub align: u64,
    /// C's alignment.
    pub c_align: u64,
}

impl Plan {
    /// Whether the type is or holds a `repr(align)` type (E0588 in packed
    /// records).
    pub fn has_align_repr(&self) -> bool {
        let member = |m: &Member| matches!(m, Member::Field { ty, .. } if ty.has_align_repr);
        matches!(self.repr, Repr::Align(_) | Repr::PackedAligned(_))
            || self.members.iter().any(member)
    }
}

/// A member to place: where C puts it and what Rust needs.
struct Item {
    offset: u64,
    size: u64,
    align: u64,
    kind: ItemKind,
}

enum ItemKind {
    Field { index: usize, ty: RustType },
    Bits { fields: Vec<usize> },
}

impl Emitter<'_> {
    /// The plan of a selected complete record, computed once.
    pub(super) fn plan(&self, id: RecordId) -> Result<Rc<Plan>, String> {
        match self.plans.borrow().get(&id) {
            Some(PlanState::Done(result)) => return result.clone(),
            Some(PlanState::InProgress) => return Err("the record contains itself".into()),
            None => {}
        }
        self.plans.borrow_mut().insert(id, PlanState::InProgress);
        let result = self.compute_plan(id).map(Rc::new);
        self.plans.borrow_mut().insert(id, PlanState::Done(result.clone()));
        result
    }

    fn compute_plan(&self, id: RecordId) -> Result<Plan, String> {
        let record = self.ir.record(id);
        if !self.selected_records.contains(&id) {
            return Err("not selected".into());
        }
        let layout = self.src.record(id).map_err(|e| e.to_string())?;
        if layout.fields.len() != record.fields.len() {
            return Err("layout and declaration disagree on the member count".into());
        }

        let items = self.items(record, layout)?;
        let placer = Placer { ir: self.ir, record, layout, items: &items };
        let packed_to = match layout.align_bytes {
            1 => Err(String::new()),
            n => placer.place(Cap::To(n)),
        };
        placer.place(Cap::None).or(packed_to).or_else(|_| placer.place(Cap::One))
    }

    /// The members to place, in order, with bit-fields grouped in runs.
    fn items(&self, record: &Record, layout: &RecordLayout) -> Result<Vec<Item>, String> {
        let mut items = Vec::new();
        let mut index = 0;
        while index < record.fields.len() {
            let field = &layout.fields[index];
            if field.bitfield {
                let end = run_end(layout, index);
                items.extend(bit_run_item(layout, index..end));
                index = end;
                continue;
            }

            let name = field_name(self.ir, record, index);
            let ty = self
                .rust_type(&record.fields[index].ty)
                .map_err(|e| format!("member `{name}`: {e}"))?;
            if field.offset_bits % 8 != 0 || ty.size * 8 != field.size_bits {
                return Err(format!(
                    "member `{name}`: Rust type does not match C's size or offset"
                ));
            }
            let (offset, size, align) = (field.offset_bits / 8, ty.size, ty.align);
            items.push(Item { offset, size, align, kind: ItemKind::Field { index, ty } });
            index += 1;
        }
        Ok(items)
    }
}

/// The end of the run of bit-fields starting at `start`: a zero-width
/// bit-field or an ordinary member ends it.
fn run_end(layout: &RecordLayout, start: usize) -> usize {
    let mut end = start;
    while end < layout.fields.len()
        && layout.fields[end].bitfield
        && layout.fields[end].size_bits > 0
    {
        end += 1;
    }
    end.max(start + 1)
}

/// The storage item of a run; `None` for a lone zero-width bit-field.
fn bit_run_item(layout: &RecordLayout, run: std::ops::Range<usize>) -> Option<Item> {
    let fields = &layout.fields[run.clone()];
    let start = fields.iter().map(|f| f.offset_bits).min()?;
    let end = fields.iter().map(|f| f.offset_bits + f.size_bits).max()?;
    if end == start {
        return None;
    }
    let offset = start / 8;
    let size = end.div_ceil(8) - offset;
    Some(Item { offset, size, align: 1, kind: ItemKind::Bits { fields: run.collect() } })
}

/// The Rust name of a member before escaping: its C name, or `__anon<N>`
/// for an anonymous member of type `PARENT::anon<N>`.
pub(super) fn field_name(ir: &crate::ir::Ir, record: &Record, index: usize) -> String {
    let field = &record.fields[index];
    if let Some(name) = &field.name {
        return unreserved(record, name);
    }
    if let Type::Record(id) = &field.ty {
        let nested = &ir.record(*id).name;
        if let Some(n) = nested.rsplit_once("::").and_then(|(_, last)| last.strip_prefix("anon")) {
            return format!("__anon{n}");
        }
    }
    format!("__anon{}", index + 1)
}

/// A member named `self`, `crate`, ... cannot be a raw identifier: it
/// gets trailing underscores, as many as it takes not to meet another
/// member's name (`self` next to `self_` becomes `self__`).
fn unreserved(record: &Record, name: &str) -> String {
    if !super::names::NOT_RAW.contains(&name) {
        return name.to_string();
    }
    let taken = |n: &str| record.fields.iter().any(|f| f.name.as_deref() == Some(n));
    let mut out = format!("{name}_");
    while taken(&out) {
        out.push('_');
    }
    out
}

/// The alignment the Rust type gets: C's, except when C's `sizeof` is not
/// a multiple of it (`aligned(64)` on a typedef of a 3-byte struct: GCC
/// raises the alignment, not the size), which no Rust type can have; then
/// the largest power of two dividing the size. Records embedding such a
/// type still place it where C does, by padding.
fn rust_align(size: u64, c_align: u64) -> u64 {
    if size % c_align == 0 {
        c_align
    } else {
        c_align.min(1 << size.trailing_zeros())
    }
}

/// The member alignment a representation allows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Cap {
    /// `repr(C)`: each member's own.
    None,
    /// `repr(C, packed(N))`: at most N.
    To(u64),
    /// `repr(C, packed)`: 1.
    One,
}

impl Cap {
    /// The alignment Rust gives a member under this representation.
    fn apply(self, member: &Member, align: u64) -> u64 {
        match (self, member) {
            (_, Member::Bytes { .. }) | (Cap::One, _) => 1,
            (Cap::To(n), _) => align.min(n),
            (Cap::None, _) => align,
        }
    }
}

/// Places items as Rust would, inserting padding.
struct Placer<'a> {
    ir: &'a crate::ir::Ir,
    record: &'a Record,
    layout: &'a RecordLayout,
    items: &'a [Item],
}

/// Fresh names for padding and bit-field storage that no C member has.
struct Fresh {
    taken: HashSet<String>,
    pads: usize,
    runs: usize,
}

impl Fresh {
    fn name(&mut self, prefix: &str, counter: fn(&mut Self) -> &mut usize) -> Ident {
        loop {
            let n = *counter(self);
            *counter(self) += 1;
            let name = format!("{prefix}{n}");
            if self.taken.insert(name.clone()) {
                return ident(&name);
            }
        }
    }

    fn pad(&mut self, len: u64) -> Member {
        Member::Pad { ident: self.name("__pad", |f| &mut f.pads), len }
    }

    fn bits(&mut self) -> Ident {
        self.name("_bitfield_", |f| &mut f.runs)
    }
}

impl Placer<'_> {
    fn fresh(&self) -> Fresh {
        let taken = (0..self.record.fields.len()).map(|i| self.rust_name(i)).collect();
        Fresh { taken, pads: 0, runs: 1 }
    }

    fn rust_name(&self, index: usize) -> String {
        field_name(self.ir, self.record, index)
    }

    /// The plan with every member where C puts it, or why this
    /// representation cannot do it.
    fn place(&self, cap: Cap) -> Result<Plan, String> {
        let mut fresh = self.fresh();
        let (members, end, max_align) = match self.record.kind {
            RecordKind::Struct => self.place_struct(cap, &mut fresh)?,
            RecordKind::Union => self.place_union(cap, &mut fresh)?,
        };
        let size = self.layout.size_bytes;
        let align = rust_align(size, self.layout.align_bytes);
        if max_align > align {
            return Err(format!("members need alignment {max_align}, C gives {align}"));
        }
        if end > size {
            return Err(format!("members end at {end}, past C's size {size}"));
        }

        // Tail padding is explicit too: every byte of a struct belongs to a
        // field, so a record can be written out as bytes.
        let mut members = members;
        if end < size {
            members.push(self.tail(&mut fresh, end, size));
        }
        let repr = match cap {
            Cap::None if align > max_align => Repr::Align(align),
            Cap::None => Repr::C,
            Cap::To(n) if max_align == align => Repr::PackedTo(n),
            Cap::To(_) => return Err(format!("packed({align}) leaves alignment {max_align}")),
            Cap::One if align == 1 => Repr::Packed,
            Cap::One => Repr::PackedAligned(align),
        };
        let c_align = self.layout.align_bytes;
        Ok(Plan { repr, kind: self.record.kind, members, size, align, c_align })
    }

    /// Tail padding: up to C's size (a union member spanning all of it).
    fn tail(&self, fresh: &mut Fresh, end: u64, size: u64) -> Member {
        match self.record.kind {
            RecordKind::Struct => fresh.pad(size - end),
            RecordKind::Union => fresh.pad(size),
        }
    }

    /// Struct members in order; returns them, where they end and their
    /// largest alignment.
    fn place_struct(&self, cap: Cap, fresh: &mut Fresh) -> Result<(Vec<Member>, u64, u64), String> {
        let (mut members, mut end, mut max_align) = (Vec::new(), 0u64, 1u64);
        for item in self.items {
            let member = self.member(item, cap, fresh);
            let align = cap.apply(&member, item.align);
            if item.offset < end.next_multiple_of(align) {
                return Err(format!(
                    "cannot reach offset {} of `{}`",
                    item.offset,
                    self.item_name(item)
                ));
            }
            if item.offset > end {
                members.push(fresh.pad(item.offset - end));
                if item.offset % align != 0 {
                    return Err(format!(
                        "offset {} of `{}` is misaligned",
                        item.offset,
                        self.item_name(item)
                    ));
                }
            }
            members.push(member);
            end = item.offset + item.size;
            max_align = max_align.max(align);
        }
        Ok((members, end, max_align))
    }

    /// Union members, all at offset 0.
    fn place_union(&self, cap: Cap, fresh: &mut Fresh) -> Result<(Vec<Member>, u64, u64), String> {
        let (mut members, mut end, mut max_align) = (Vec::new(), 0u64, 1u64);
        for item in self.items {
            if item.offset != 0 {
                return Err(format!("union member `{}` is not at offset 0", self.item_name(item)));
            }
            let member = self.member(item, cap, fresh);
            let align = cap.apply(&member, item.align);
            members.push(member);
            end = end.max(item.size);
            max_align = max_align.max(align);
        }
        Ok((members, end, max_align))
    }

    /// The Rust member for an item.
    fn member(&self, item: &Item, cap: Cap, fresh: &mut Fresh) -> Member {
        match &item.kind {
            ItemKind::Field { index, ty } => {
                let ident = ident(&self.rust_name(*index));
                if cap != Cap::None && ty.has_align_repr {
                    Member::Bytes { ident, index: *index, len: ty.size }
                } else {
                    Member::Field { ident, index: *index, ty: ty.clone() }
                }
            }
            ItemKind::Bits { fields } => Member::Bits(BitRun {
                ident: fresh.bits(),
                start_byte: item.offset,
                len: item.size,
                fields: fields.clone(),
            }),
        }
    }

    fn item_name(&self, item: &Item) -> String {
        match &item.kind {
            ItemKind::Field { index, .. } => self.rust_name(*index),
            ItemKind::Bits { fields } => self.rust_name(fields[0]),
        }
    }
}
