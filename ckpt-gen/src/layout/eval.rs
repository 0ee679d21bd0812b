//! Constant expression evaluation and type sizes for one target.

use super::{Layouts, TypeLayout};
use crate::ir::{EnumId, Expr, Type};
use serde::Serialize;

/// Why a constant expression or a type has no value for a target.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct EvalError {
    /// What went wrong, in words.
    pub message: String,
}

impl std::fmt::Display for EvalError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

pub(super) struct Evaluator<'a, 'ir> {
    layouts: &'a Layouts<'ir>,
}

impl<'a, 'ir> Evaluator<'a, 'ir> {
    pub(super) fn new(layouts: &'a Layouts<'ir>) -> Self {
        Evaluator { layouts }
    }

    pub(super) fn type_layout(&self, _ty: &Type) -> Result<TypeLayout, EvalError> {
        let _ = self.layouts;
        Err(EvalError { message: "not yet".into() })
    }

    pub(super) fn eval(&self, _expr: &Expr) -> Result<i128, EvalError> {
        Err(EvalError { message: "not yet".into() })
    }

    pub(super) fn enum_repr(&self, _id: EnumId) -> Result<(TypeLayout, bool), EvalError> {
        Err(EvalError { message: "not yet".into() })
    }
}
