//! Integer constant expressions (C17 6.6), kept unevaluated because their
//! value may depend on the target.

use super::{EnumId, Type};
use serde::Serialize;

/// Unary operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum UnaryOp {
    /// `-`
    Neg,
    /// `+`
    Plus,
    /// `~`
    Not,
    /// `!`
    LogicalNot,
}

/// Binary operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum BinaryOp {
    /// `*`
    Mul,
    /// `/`
    Div,
    /// `%`
    Rem,
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `<<`
    Shl,
    /// `>>`
    Shr,
    /// `<`
    Lt,
    /// `>`
    Gt,
    /// `<=`
    Le,
    /// `>=`
    Ge,
    /// `==`
    Eq,
    /// `!=`
    Ne,
    /// `&`
    BitAnd,
    /// `^`
    BitXor,
    /// `|`
    BitOr,
    /// `&&`
    LogicalAnd,
    /// `||`
    LogicalOr,
    /// `,`
    Comma,
}

/// A constant expression.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum Expr {
    /// An integer or character literal, with the type its suffix gives.
    Int {
        /// The value.
        value: u128,
        /// `u`/`U` suffix or a hex/octal literal that needs unsigned.
        unsigned: bool,
        /// `l`/`ll` suffix width: 0 none, 1 `l`, 2 `ll`.
        long: u8,
    },
    /// An enumerator of the given enum, by position.
    EnumConst(EnumId, u32),
    /// `sizeof(type)` or `sizeof expr` once the expression's type is known.
    SizeOf(Box<Type>),
    /// `sizeof expr` where the expression is an lvalue path whose type the
    /// layout stage resolves (`sizeof(((struct s *)0)->member)`).
    SizeOfExpr(Box<Expr>),
    /// `_Alignof(type)`: the alignment the type has as a record member.
    AlignOf(Box<Type>),
    /// The target's `__BIGGEST_ALIGNMENT__`: what `aligned` without an
    /// argument asks for.
    BiggestAlignment,
    /// GCC's `__alignof__(type)`: the alignment the type prefers as an
    /// object of its own, which is larger than `_Alignof` for 8-byte
    /// scalars on i386 (8, not 4).
    PreferredAlignOf(Box<Type>),
    /// `offsetof(type, member.path[...])`: one string per member name, and
    /// `"[i]"` (decimal) per array index: `a.b[2].c` is
    /// `["a", "b", "[2]", "c"]`.
    OffsetOf(Box<Type>, Vec<String>),
    /// A cast to an integer type.
    Cast(Box<Type>, Box<Expr>),
    /// `((T *)0)`: a null pointer of a given pointee type, as used inside
    /// `sizeof` and hand-written `offsetof`.
    NullPointer(Box<Type>),
    /// `e->member` or `e.member`.
    Member(Box<Expr>, String),
    /// `*e` or `e[i]`.
    Deref(Box<Expr>),
    /// A unary operator.
    Unary(UnaryOp, Box<Expr>),
    /// A binary operator.
    Binary(BinaryOp, Box<Expr>, Box<Expr>),
    /// `c ? a : b`
    Cond(Box<Expr>, Box<Expr>, Box<Expr>),
    /// An expression spelled by a macro: evaluates as `expr`, and the
    /// emitter may refer to the macro by name.
    Macro(String, Box<Expr>),
}
