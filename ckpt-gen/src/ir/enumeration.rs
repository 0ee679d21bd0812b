//! Enumerations (C17 6.7.2.2).

use super::{Expr, Loc};
use serde::Serialize;

/// One enumerator.
#[derive(Clone, Debug, Serialize)]
pub struct EnumConst {
    /// The enumerator name.
    pub name: String,
    /// The explicit value, or `None` for "previous + 1" (0 for the first).
    pub value: Option<Expr>,
    /// Where it was declared.
    pub loc: Loc,
}

/// An `enum` type.
#[derive(Clone, Debug, Serialize)]
pub struct Enum {
    /// The tag, if any.
    pub tag: Option<String>,
    /// The enumerators, in order; empty for a forward declaration.
    pub constants: Vec<EnumConst>,
    /// Whether the list was seen.
    pub complete: bool,
    /// `__attribute__((packed))`: the smallest integer type that holds every
    /// value.
    pub packed: bool,
    /// `__attribute__((aligned(N)))` on the enum.
    pub aligned: Option<Expr>,
    /// Where it was declared.
    pub loc: Loc,
}
