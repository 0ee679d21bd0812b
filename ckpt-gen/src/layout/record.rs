//! Record layout: member offsets, size and alignment of one struct or union,
//! as GCC and Clang compute them for System V / generic ELF targets
//! ("PCC bit-field type matters") and for AAPCS.
//!
//! The rules, with the GCC code they mirror (`stor-layout.cc`:
//! `layout_decl`, `update_alignment_for_field`, `place_field`) and the
//! measurements that confirm them (GCC 12 and Clang 14, every target):
//!
//! * A member's alignment is its type's (typedef `aligned` included), set
//!   to 1 by `packed` on the member or the record, raised by `aligned(N)`
//!   on the member (which `packed` does not undo), then capped by
//!   `#pragma pack(N)` (the cap applies to explicit `aligned` too).
//! * A non-bit-field member goes at the next offset that is a multiple of
//!   its alignment, and the record is at least that aligned.
//! * A named bit-field of declared type T goes at the current bit offset,
//!   unless it would span more T-aligned units than T itself
//!   (`excess_unit_span`: `offset % align + width > size`); then it moves to
//!   the next multiple of T's alignment. Packed bit-fields and any
//!   `#pragma pack` suppress that move (GCC skips the check when
//!   `maximum_field_alignment` is set; Clang: "#pragma pack, with any
//!   value, suppresses the insertion of padding"). The record is at least
//!   as aligned as T (after the packed/pack caps).
//! * A zero-width bit-field moves the offset to the next multiple of its
//!   type's alignment, ignoring `packed` and `#pragma pack` (measured).
//! * Unnamed bit-fields add nothing to the record's alignment, except on
//!   AAPCS (`Target::unnamed_bitfield_aligns_record`), where every unnamed
//!   bit-field does: zero-width ones with the type's full alignment, others
//!   with the alignment after the packed/pack caps.
//! * In a union every member is at offset 0 and a bit-field occupies
//!   `ceil(width / 8)` bytes.
//! * The size is the end of the last member rounded up to the record's
//!   alignment; `aligned(N)` on the record raises that alignment (never
//!   lowers it); `aligned` alone means the target's biggest alignment.

use super::eval::Evaluator;
use super::{EvalError, FieldLayout, LayoutError, RecordLayout, TypeLayout};
use crate::ir::{Field, IntKind, Record, RecordKind, Type};

/// Record-wide attributes, evaluated.
struct RecordAttrs {
    packed: bool,
    /// `#pragma pack(N)` in bytes.
    pack: Option<u64>,
    /// The largest `aligned(N)` on the record.
    aligned: Option<u64>,
}

/// One member, measured and classified.
struct Member {
    ty: TypeLayout,
    /// Alignment used to place a non-bit-field member.
    align: u64,
    /// Bit-field width, for bit-fields.
    width: Option<u64>,
    named: bool,
    packed: bool,
    /// An explicit `aligned(N)` on the member, after the pack cap.
    explicit_align: Option<u64>,
    /// `#pragma pack(N)` in force, in bytes.
    pack: Option<u64>,
}

/// Lays out one record. Fails for an incomplete record and for a member
/// whose type or attributes have no value on the target.
pub(super) fn layout(ev: &Evaluator<'_>, rec: &Record) -> Result<RecordLayout, LayoutError> {
    if !rec.complete {
        return Err(LayoutError::Incomplete);
    }
    let attrs = record_attrs(ev, rec)?;

    let mut state = State::new(rec.kind);
    for field in &rec.fields {
        let member = measure(ev, field, &attrs).map_err(|e| member_error(field, e))?;
        state.place(&member, ev).map_err(|e| member_error(field, e))?;
    }
    state.finish(&attrs, ev)
}

fn member_error(field: &Field, e: EvalError) -> LayoutError {
    let field = field.name.clone().unwrap_or_else(|| "<anonymous>".to_string());
    LayoutError::Member { field, reason: e.message }
}

fn record_attrs(ev: &Evaluator<'_>, rec: &Record) -> Result<RecordAttrs, LayoutError> {
    let attr_error =
        |e: EvalError| LayoutError::Member { field: "<attribute>".to_string(), reason: e.message };
    // Of several `aligned` attributes on a record GCC keeps the last one
    // written (Clang the largest); it can only raise the alignment.
    let aligned = match rec.aligned.last() {
        Some(Some(expr)) => Some(ev.alignment(expr).map_err(attr_error)?),
        Some(None) => Some(ev.target().biggest_alignment),
        None => None,
    };
    let pack = rec.max_field_align.filter(|&n| n > 0).map(u64::from);
    Ok(RecordAttrs { packed: rec.packed, pack, aligned })
}

/// Measures a member: its type, width and the alignment it is placed with.
fn measure(ev: &Evaluator<'_>, field: &Field, attrs: &RecordAttrs) -> Result<Member, EvalError> {
    let ty = ev.type_layout(&field.ty)?;
    let width = match &field.bit_width {
        Some(expr) => Some(bit_width(ev, field, expr)?),
        None => None,
    };

    let mut explicit = None;
    for expr in &field.aligned {
        explicit = explicit.max(Some(ev.alignment(expr)?));
    }
    let packed = field.packed || attrs.packed;
    // GCC: a bit-field whose type is a typedef that raises the alignment
    // (`typedef int aint8 __attribute__((aligned(8)))`) starts at that
    // alignment, as if the member said `aligned(8)`; a typedef lowering it,
    // `packed` and `#pragma pack` turn this off. Clang ignores it.
    if !packed && attrs.pack.is_none() && width.is_some_and(|w| w > 0) {
        let underlying = ev.type_layout(ev.ir().resolve_typedefs(&field.ty))?.align_bytes;
        if ty.align_bytes > underlying {
            explicit = explicit.max(Some(ty.align_bytes));
        }
    }
    let explicit = explicit.map(|n| cap(n, attrs.pack));

    // GCC `layout_decl`: `packed` supersedes the type's alignment but not an
    // `aligned` written on the member itself; `#pragma pack` caps both.
    let natural = if packed { 1 } else { ty.align_bytes };
    let align = cap(natural.max(explicit.unwrap_or(1)), attrs.pack);

    Ok(Member {
        ty,
        align,
        width,
        named: field.name.is_some(),
        packed,
        explicit_align: explicit,
        pack: attrs.pack,
    })
}

fn cap(align: u64, pack: Option<u64>) -> u64 {
    pack.map_or(align, |n| align.min(n))
}

/// A bit-field's width: C17 6.7.2.1p4, at most the width of its declared
/// type (1 for `_Bool`), which must be an integer or enum type.
fn bit_width(ev: &Evaluator<'_>, field: &Field, expr: &crate::ir::Expr) -> Result<u64, EvalError> {
    let name = field.name.as_deref().unwrap_or("<anonymous>");
    let type_bits = match ev.ir().resolve_typedefs(&field.ty) {
        Type::Int(IntKind::Bool) => 1,
        Type::Int(_) | Type::Enum(_) => ev.type_layout(&field.ty)?.size_bytes * 8,
        _ => {
            return Err(EvalError::new(format!(
                "bit-field `{name}` has a type that is not an integer or enum type"
            )))
        }
    };
    let width = ev.eval(expr)?;
    if width < 0 || width > i128::from(type_bits) {
        return Err(EvalError::new(format!(
            "width {width} of bit-field `{name}` is outside 0..={type_bits}, the width of its type"
        )));
    }
    if width == 0 && field.name.is_some() {
        return Err(EvalError::new(format!("zero-width bit-field `{name}` must be unnamed")));
    }
    Ok(width as u64)
}

/// The running state of a layout.
struct State {
    kind: RecordKind,
    /// Next free bit (structs) or largest member end (unions), in bits.
    offset_bits: u128,
    /// Alignment from the members.
    align: u64,
    /// Alignment from the members' types alone (no attributes, no pack).
    natural_align: u64,
    fields: Vec<FieldLayout>,
}

impl State {
    fn new(kind: RecordKind) -> State {
        State { kind, offset_bits: 0, align: 1, natural_align: 1, fields: Vec::new() }
    }

    fn place(&mut self, m: &Member, ev: &Evaluator<'_>) -> Result<(), EvalError> {
        let aapcs = ev.target().unnamed_bitfield_aligns_record;
        let (offset, size_bits, align) = match m.width {
            None => self.place_ordinary(m),
            Some(0) => self.place_zero_width(m, aapcs),
            Some(width) => self.place_bitfield(m, width, aapcs),
        };
        let end = offset + u128::from(size_bits);
        self.offset_bits = match self.kind {
            RecordKind::Struct => end,
            // A union member starts at 0 and occupies whole bytes.
            RecordKind::Union => self.offset_bits.max(end.div_ceil(8) * 8),
        };
        if self.offset_bits / 8 > ev.max_object_size() {
            return Err(EvalError::new("record size overflows"));
        }
        self.fields.push(FieldLayout {
            offset_bits: offset as u64,
            size_bits,
            bitfield: m.width.is_some(),
            align_bytes: align,
        });
        Ok(())
    }

    /// The next offset for a member in this record: its aligned position in
    /// a struct, 0 in a union.
    fn start(&self, align_bits: u128) -> u128 {
        match self.kind {
            RecordKind::Struct => self.offset_bits.next_multiple_of(align_bits),
            RecordKind::Union => 0,
        }
    }

    fn place_ordinary(&mut self, m: &Member) -> (u128, u64, u64) {
        self.align = self.align.max(m.align);
        self.natural_align = self.natural_align.max(m.ty.align_bytes);
        (self.start(u128::from(m.align) * 8), m.ty.size_bytes * 8, m.align)
    }

    /// `T : 0`: GCC `layout_decl` ("a zero-length bit-field affects the
    /// alignment of the next field ... not influenced by any packing due to
    /// #pragma pack or attribute packed"). Only AAPCS lets it align the
    /// record (AAPCS 7.1.7.5 / GCC `targetm.align_anon_bitfield`).
    fn place_zero_width(&mut self, m: &Member, aapcs: bool) -> (u128, u64, u64) {
        let align = m.ty.align_bytes;
        if aapcs {
            self.align = self.align.max(align);
            self.natural_align = self.natural_align.max(align);
        }
        (self.start(u128::from(align) * 8), 0, align)
    }

    /// A non-zero bit-field: GCC `place_field` (the PCC_BITFIELD_TYPE_MATTERS
    /// block, `excess_unit_span`) and `update_alignment_for_field`.
    fn place_bitfield(&mut self, m: &Member, width: u64, aapcs: bool) -> (u128, u64, u64) {
        // The alignment the record takes from the bit-field: the type's,
        // capped by `#pragma pack` or else by `packed`.
        let type_align = match (m.pack, m.packed) {
            (Some(n), _) => m.ty.align_bytes.min(n),
            (None, true) => 1,
            (None, false) => m.ty.align_bytes,
        };

        let mut offset = 0;
        if self.kind == RecordKind::Struct {
            offset = self.offset_bits;
            let unit = u128::from(m.ty.align_bytes) * 8;
            let size = u128::from(m.ty.size_bytes) * 8;
            let free_to_move = !m.packed && m.pack.is_none();
            if free_to_move && offset % unit + u128::from(width) > size {
                offset = offset.next_multiple_of(unit);
            }
            // An explicit `aligned(N)` on a bit-field aligns it (GCC
            // DECL_USER_ALIGN; Clang ExplicitFieldAlign).
            if let Some(n) = m.explicit_align {
                offset = offset.next_multiple_of(u128::from(n) * 8);
            }
        }

        if m.named || aapcs {
            let align = type_align.max(m.explicit_align.unwrap_or(1));
            self.align = self.align.max(align);
            self.natural_align = self.natural_align.max(m.ty.align_bytes);
        }
        (offset, width, type_align)
    }

    fn finish(self, attrs: &RecordAttrs, ev: &Evaluator<'_>) -> Result<RecordLayout, LayoutError> {
        let align = self.align.max(attrs.aligned.unwrap_or(1));
        let size = self.offset_bits.div_ceil(8).next_multiple_of(u128::from(align));
        if size > ev.max_object_size() {
            return Err(LayoutError::Member {
                field: "<record>".to_string(),
                reason: "record size overflows".to_string(),
            });
        }
        Ok(RecordLayout {
            size_bytes: size as u64,
            align_bytes: align,
            fields: self.fields,
            natural_align_bytes: self.natural_align,
        })
    }
}
