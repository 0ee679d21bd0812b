//! Emitters: source code for the selected records, from the IR and the
//! layouts of one target.
//!
//! Takes: a [`LayoutSource`] (normally [`Layouts`]) and a
//! [`Selection`](crate::select::Selection). Returns: text. Emitters never
//! compute an offset or an alignment by C rules themselves: they read them
//! from the layout stage and only decide how to express them in the output
//! language (and assert, in the output, that the result matches).
//!
//! - [`rust`]: Rust bindings with compile-time layout assertions.
//! - [`json`]: the layout report (`layout --json`) and its table form.
//! - `bindgen` (cargo feature `libclang`): bindgen's own output for the
//!   same records, for users who want exactly that.

#[cfg(feature = "libclang")]
pub mod bindgen;
pub mod json;
pub mod rust;

#[cfg(test)]
pub(crate) mod testing;

use crate::ir::{EnumId, Expr, Ir, RecordId, Type};
use crate::layout::{EvalError, LayoutError, Layouts, RecordLayout, Target, TypeLayout};

/// What emitters read from the layout stage: the queries of [`Layouts`].
///
/// [`Layouts`] is the implementation used in production; tests implement it
/// over hand-written layouts, so emitters can be tested without the layout
/// engine. An implementation must answer for the same IR it returns from
/// [`LayoutSource::ir`].
pub trait LayoutSource {
    /// The IR described.
    fn ir(&self) -> &Ir;
    /// The target the layouts are for.
    fn target(&self) -> &'static Target;
    /// The layout of a record, or why it has none.
    fn record(&self, id: RecordId) -> Result<&RecordLayout, &LayoutError>;
    /// Size and alignment of a type.
    fn type_layout(&self, ty: &Type) -> Result<TypeLayout, EvalError>;
    /// The value of a constant expression.
    fn eval(&self, expr: &Expr) -> Result<i128, EvalError>;
    /// The values of an enum's constants, in order.
    fn enum_values(&self, id: EnumId) -> Result<&[i128], &EvalError>;
    /// The storage of an enum type, and whether it is signed.
    fn enum_repr(&self, id: EnumId) -> Result<(TypeLayout, bool), EvalError>;
}

impl LayoutSource for Layouts<'_> {
    fn ir(&self) -> &Ir {
        Layouts::ir(self)
    }

    fn target(&self) -> &'static Target {
        Layouts::target(self)
    }

    fn record(&self, id: RecordId) -> Result<&RecordLayout, &LayoutError> {
        Layouts::record(self, id)
    }

    fn type_layout(&self, ty: &Type) -> Result<TypeLayout, EvalError> {
        Layouts::type_layout(self, ty)
    }

    fn eval(&self, expr: &Expr) -> Result<i128, EvalError> {
        Layouts::eval(self, expr)
    }

    fn enum_values(&self, id: EnumId) -> Result<&[i128], &EvalError> {
        Layouts::enum_values(self, id)
    }

    fn enum_repr(&self, id: EnumId) -> Result<(TypeLayout, bool), EvalError> {
        Layouts::enum_repr(self, id)
    }
}
