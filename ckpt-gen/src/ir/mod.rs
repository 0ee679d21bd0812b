//! The intermediate representation: what the headers declare, independent of
//! any target.
//!
//! The parser produces an [`Ir`]; the layout stage reads it together with a
//! [`crate::layout::Target`] and computes sizes and offsets; emitters and
//! analyses read both. Nothing in here knows a size: array lengths, bit-field
//! widths, alignments and enum values are kept as [`Expr`] because they may
//! depend on `sizeof` of target-dependent types.
//!
//! Items refer to each other by index ([`RecordId`], [`EnumId`],
//! [`TypedefId`]) into the vectors of [`Ir`]. The IR is plain data and
//! serializable.

mod display;
mod enumeration;
mod expr;
mod merge;
mod record;
mod source;
mod ty;

pub use enumeration::{Enum, EnumConst};
pub use expr::{BinaryOp, Expr, UnaryOp};
pub use merge::Merger;
pub use record::{Field, Record, RecordKind};
pub use source::{FileId, Loc, SourceFile};
pub use ty::{FloatKind, IntKind, Type, Typedef};

use serde::Serialize;

/// Index of a [`Record`] in [`Ir::records`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct RecordId(pub u32);

/// Index of an [`Enum`] in [`Ir::enums`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct EnumId(pub u32);

/// Index of a [`Typedef`] in [`Ir::typedefs`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct TypedefId(pub u32);

/// An object-like macro whose replacement is an integer constant expression.
#[derive(Clone, Debug, Serialize)]
pub struct Macro {
    /// The macro name.
    pub name: String,
    /// The replacement list, parsed.
    pub value: Expr,
    /// Where it was defined.
    pub loc: Loc,
}

/// Everything the parser found in one translation unit set.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Ir {
    /// Every file read, indexed by [`FileId`].
    pub files: Vec<SourceFile>,
    /// Every struct and union, in order of first declaration; nested untagged
    /// records follow their parent.
    pub records: Vec<Record>,
    /// Every enum.
    pub enums: Vec<Enum>,
    /// Every typedef.
    pub typedefs: Vec<Typedef>,
    /// Integer-valued object-like macros.
    pub macros: Vec<Macro>,
}

impl Ir {
    /// The record with this index.
    pub fn record(&self, id: RecordId) -> &Record {
        &self.records[id.0 as usize]
    }

    /// The enum with this index.
    pub fn enumeration(&self, id: EnumId) -> &Enum {
        &self.enums[id.0 as usize]
    }

    /// The typedef with this index.
    pub fn typedef(&self, id: TypedefId) -> &Typedef {
        &self.typedefs[id.0 as usize]
    }

    /// The file with this index.
    pub fn file(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }

    /// Records with their ids.
    pub fn records_with_ids(&self) -> impl Iterator<Item = (RecordId, &Record)> {
        self.records.iter().enumerate().map(|(i, r)| (RecordId(i as u32), r))
    }

    /// Follows typedefs (and nothing else) to the type they name.
    pub fn resolve_typedefs<'a>(&'a self, mut ty: &'a Type) -> &'a Type {
        // A typedef chain cannot be cyclic: each typedef refers only to
        // earlier declarations.
        while let Type::Typedef(id) = ty {
            ty = &self.typedef(*id).ty;
        }
        ty
    }
}
