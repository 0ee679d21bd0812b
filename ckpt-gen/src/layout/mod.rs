//! Layout: from the target-free [`Ir`] and one [`Target`], the size and
//! alignment of every record and the bit offset of every member, as GCC and
//! Clang compute them for that target.
//!
//! Takes: an [`Ir`] and a [`Target`]. Returns: [`Layouts`], one
//! [`RecordLayout`] per record (or the reason it has none), plus the
//! evaluated value of every enumerator. Constant expressions (array lengths,
//! bit-field widths, `aligned(N)`) are evaluated here because they may use
//! `sizeof` of target-dependent types. Emitters read the results and never
//! compute offsets themselves.
//!
//! Where GCC and Clang disagree, ckpt-gen follows GCC (the compiler of
//! Linux) unless said otherwise:
//! - Several `aligned` attributes on one record or typedef: GCC keeps the
//!   last one written, Clang the largest.
//! - A bit-field whose type is a typedef raising the alignment
//!   (`typedef int aint8 __attribute__((aligned(8)))`): GCC starts it at
//!   that alignment, Clang packs it like a plain `int`.
//! - A record holding a vector wider than `__BIGGEST_ALIGNMENT__` (a
//!   32-byte vector on x86_64) is laid out with the vector's alignment,
//!   which ckpt-gen reports; GCC's `_Alignof` of that record (and of the
//!   vector type) says `__BIGGEST_ALIGNMENT__` instead, unless an `aligned`
//!   attribute asked for more. Not a GCC/Clang difference but a known
//!   gap: `_Alignof` in a constant expression gives the full alignment.
//! - `_Atomic` of a 3, 5, 6 or 7-byte record: GCC keeps its size and
//!   alignment; Clang rounds both up to a power of two.
//!   A 16-byte `_Atomic` record is 16-aligned with Clang only where the
//!   target has 16-byte atomics; GCC's figure is [`Target::atomic16_align`].
//! - An 8-byte `_Atomic` scalar as a union member or array element on
//!   i386: GCC 11 and 12 place it 4-aligned, Clang 8-aligned. Here Clang
//!   is followed, as GCC itself does for a plain struct member since 11.1.

mod engine;
mod eval;
mod int;
#[cfg(test)]
mod oracle;
mod record;
#[cfg(test)]
mod tests;

pub use eval::EvalError;

use crate::ir::{EnumId, Expr, Ir, RecordId, Type};
pub use crate::target::Target;
use serde::Serialize;

/// Where one member of a record lies.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FieldLayout {
    /// Offset from the start of the record, in bits (allocation order: on
    /// big-endian targets bit 0 is the most significant bit of byte 0).
    pub offset_bits: u64,
    /// Size in bits: the width for a bit-field, `8 * sizeof` otherwise.
    pub size_bits: u64,
    /// Whether the member is a bit-field.
    pub bitfield: bool,
    /// The member's alignment in bytes as used for placing it (after
    /// `packed`, `aligned` and `#pragma pack`).
    pub align_bytes: u64,
}

/// The layout of one complete record.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RecordLayout {
    /// `sizeof`, in bytes.
    pub size_bytes: u64,
    /// Alignment, in bytes. For an untagged record named by a typedef
    /// (`typedef struct { ... } name;`), the alignment of `name`, which an
    /// `aligned(N)` on the typedef sets without changing `sizeof`.
    pub align_bytes: u64,
    /// One entry per member of [`crate::ir::Record::fields`], same order.
    pub fields: Vec<FieldLayout>,
    /// The alignment the record would have without `packed`/`aligned`
    /// attributes and `#pragma pack`: emitters need it to choose between
    /// `repr(C, align)` and `repr(C, packed)`.
    pub natural_align_bytes: u64,
}

/// Why a record has no layout.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub enum LayoutError {
    /// The record was declared but never defined.
    Incomplete,
    /// A member's type has no layout: message says which and why.
    Member {
        /// The member (or `<anonymous>`).
        field: String,
        /// What went wrong.
        reason: String,
    },
    /// The record contains itself by value.
    Recursive,
}

impl std::fmt::Display for LayoutError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LayoutError::Incomplete => f.write_str("incomplete type (declared, never defined)"),
            LayoutError::Member { field, reason } => write!(f, "member `{field}`: {reason}"),
            LayoutError::Recursive => f.write_str("record contains itself"),
        }
    }
}

/// Size and alignment of a type, in bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct TypeLayout {
    /// `sizeof`.
    pub size_bytes: u64,
    /// Alignment inside records.
    pub align_bytes: u64,
}

/// Every layout of one [`Ir`] for one [`Target`].
#[derive(Clone, Debug)]
pub struct Layouts<'ir> {
    ir: &'ir Ir,
    target: &'static Target,
    records: Vec<Result<RecordLayout, LayoutError>>,
    enum_values: Vec<Result<Vec<i128>, EvalError>>,
}

impl<'ir> Layouts<'ir> {
    /// Lays out every record of `ir` for `target`.
    pub fn compute(ir: &'ir Ir, target: &'static Target) -> Layouts<'ir> {
        engine::compute_all(ir, target)
    }

    /// The IR these layouts describe.
    pub fn ir(&self) -> &'ir Ir {
        self.ir
    }

    /// The target.
    pub fn target(&self) -> &'static Target {
        self.target
    }

    /// The layout of a record, or why it has none.
    pub fn record(&self, id: RecordId) -> Result<&RecordLayout, &LayoutError> {
        self.records[id.0 as usize].as_ref()
    }

    /// The values of an enum's constants, in order.
    pub fn enum_values(&self, id: EnumId) -> Result<&[i128], &EvalError> {
        self.enum_values[id.0 as usize].as_deref()
    }

    /// Size and alignment of any type.
    pub fn type_layout(&self, ty: &Type) -> Result<TypeLayout, EvalError> {
        eval::Evaluator::new(&eval::Finished::new(self)).type_layout(ty)
    }

    /// Evaluates a constant expression for this target.
    pub fn eval(&self, expr: &Expr) -> Result<i128, EvalError> {
        eval::Evaluator::new(&eval::Finished::new(self)).eval(expr)
    }

    /// The storage size of an enum type in bytes, and whether it is signed.
    pub fn enum_repr(&self, id: EnumId) -> Result<(TypeLayout, bool), EvalError> {
        eval::Evaluator::new(&eval::Finished::new(self)).enum_repr(id)
    }
}
