//! C types (C17 6.2.5) and typedefs (6.7.8).

use super::{EnumId, Expr, Loc, RecordId, TypedefId};
use serde::Serialize;

/// The standard and extended integer types (C17 6.2.5p4-7), plus `_Bool`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub enum IntKind {
    /// `_Bool`
    Bool,
    /// plain `char`, whose signedness the target decides
    Char,
    /// `signed char`
    SChar,
    /// `unsigned char`
    UChar,
    /// `short`
    Short,
    /// `unsigned short`
    UShort,
    /// `int`
    Int,
    /// `unsigned int`
    UInt,
    /// `long`
    Long,
    /// `unsigned long`
    ULong,
    /// `long long`
    LongLong,
    /// `unsigned long long`
    ULongLong,
    /// `__int128`
    Int128,
    /// `unsigned __int128`
    UInt128,
}

impl IntKind {
    /// The C spelling.
    pub fn c_name(self) -> &'static str {
        match self {
            IntKind::Bool => "_Bool",
            IntKind::Char => "char",
            IntKind::SChar => "signed char",
            IntKind::UChar => "unsigned char",
            IntKind::Short => "short",
            IntKind::UShort => "unsigned short",
            IntKind::Int => "int",
            IntKind::UInt => "unsigned int",
            IntKind::Long => "long",
            IntKind::ULong => "unsigned long",
            IntKind::LongLong => "long long",
            IntKind::ULongLong => "unsigned long long",
            IntKind::Int128 => "__int128",
            IntKind::UInt128 => "unsigned __int128",
        }
    }

    /// Whether the type is unsigned, given the target's plain `char`.
    pub fn is_unsigned(self, char_is_unsigned: bool) -> bool {
        match self {
            IntKind::Char => char_is_unsigned,
            IntKind::Bool
            | IntKind::UChar
            | IntKind::UShort
            | IntKind::UInt
            | IntKind::ULong
            | IntKind::ULongLong
            | IntKind::UInt128 => true,
            _ => false,
        }
    }
}

/// The real floating types (C17 6.2.5p10) and GNU/TS 18661 extensions.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub enum FloatKind {
    /// `float`
    Float,
    /// `double`
    Double,
    /// `long double`
    LongDouble,
    /// `_Float128` / `__float128`
    Float128,
    /// `__float80` / `_Float64x` on x86
    Float80,
    /// `_Float16`
    Float16,
}

impl FloatKind {
    /// The C spelling.
    pub fn c_name(self) -> &'static str {
        match self {
            FloatKind::Float => "float",
            FloatKind::Double => "double",
            FloatKind::LongDouble => "long double",
            FloatKind::Float128 => "_Float128",
            FloatKind::Float80 => "__float80",
            FloatKind::Float16 => "_Float16",
        }
    }
}

/// A C type as the declaration spelled it (qualifiers dropped: they do not
/// change layout).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum Type {
    /// `void`
    Void,
    /// An integer type.
    Int(IntKind),
    /// A real floating type.
    Float(FloatKind),
    /// `_Complex` of a floating type.
    Complex(FloatKind),
    /// A pointer.
    Pointer(Box<Type>),
    /// An array; `len` is `None` for `[]` (flexible or incomplete).
    Array {
        /// The element type.
        elem: Box<Type>,
        /// The length expression.
        len: Option<Box<Expr>>,
    },
    /// A function type (only ever seen behind a pointer in records).
    Function,
    /// A struct or union.
    Record(RecordId),
    /// An enum.
    Enum(EnumId),
    /// A typedef name.
    Typedef(TypedefId),
    /// GNU `vector_size(N)`: a vector of `elem` occupying `size` bytes.
    Vector {
        /// The element type.
        elem: Box<Type>,
        /// Total size in bytes.
        size: Box<Expr>,
    },
    /// `_Atomic T`: laid out as `T`, but GCC raises the alignment of a
    /// 1, 2, 4, 8 or 16-byte atomic type to the target's alignment for
    /// atomic accesses of that size.
    Atomic(Box<Type>),
    /// `__builtin_va_list`, whose layout is the target's (`char *` on some,
    /// a one-element array of a register-save record on others).
    VaList,
    /// A type the parser could not resolve (an unknown type name, `typeof`
    /// of an expression), spelled as written. The parser has reported it;
    /// layout reports the records that use it instead of guessing.
    Unknown(String),
}

/// `typedef T name;`
#[derive(Clone, Debug, Serialize)]
pub struct Typedef {
    /// The declared name.
    pub name: String,
    /// The aliased type.
    pub ty: Type,
    /// `__attribute__((aligned(N)))` on the typedef: raises the alignment
    /// without changing `sizeof` (GCC semantics).
    pub aligned: Option<Expr>,
    /// `__attribute__((packed))` on the typedef: alignment 1.
    pub packed: bool,
    /// Where it was declared.
    pub loc: Loc,
}
