//! Structures and unions (C17 6.7.2.1).

use super::{Expr, Loc, Type};
use serde::Serialize;

/// `struct` or `union`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub enum RecordKind {
    /// `struct`
    Struct,
    /// `union`
    Union,
}

impl RecordKind {
    /// The C keyword.
    pub fn keyword(self) -> &'static str {
        match self {
            RecordKind::Struct => "struct",
            RecordKind::Union => "union",
        }
    }
}

/// A member declaration.
#[derive(Clone, Debug, Serialize)]
pub struct Field {
    /// The member name; `None` for an anonymous struct/union member or an
    /// unnamed bit-field.
    pub name: Option<String>,
    /// The declared type.
    pub ty: Type,
    /// The bit-field width, for bit-fields.
    pub bit_width: Option<Expr>,
    /// `__attribute__((packed))` on the member.
    pub packed: bool,
    /// `__attribute__((aligned(N)))` or `_Alignas(N)` on the member; the
    /// largest one when several are given.
    pub aligned: Vec<Expr>,
    /// Where the member's declarator is.
    pub loc: Loc,
}

/// A struct or union definition (or forward declaration).
#[derive(Clone, Debug, Serialize)]
pub struct Record {
    /// The tag, or a name derived from its parent: `PARENT::MEMBER` for an
    /// untagged record declared by a named member, `PARENT::anon<N>` for an
    /// anonymous member, or the typedef name for `typedef struct { } name;`.
    pub name: String,
    /// Whether the record has a tag (`name` is then the tag).
    pub tagged: bool,
    /// `struct` or `union`.
    pub kind: RecordKind,
    /// Whether the member list was seen.
    pub complete: bool,
    /// The members, in order.
    pub fields: Vec<Field>,
    /// `__attribute__((packed))` on the record.
    pub packed: bool,
    /// `__attribute__((aligned(N)))` on the record; `aligned` without an
    /// argument is the target's largest alignment.
    pub aligned: Vec<Option<Expr>>,
    /// The `#pragma pack` value in force where the record was defined.
    pub max_field_align: Option<u32>,
    /// Whether the first member is a `struct ckpt_hdr`: a top-level image
    /// record.
    pub begins_with_hdr: bool,
    /// Where the tag (or the keyword, for an untagged record) is.
    pub loc: Loc,
}
