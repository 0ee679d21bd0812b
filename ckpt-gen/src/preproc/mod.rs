//! Preprocessing (C17 6.10): includes, macros and conditional inclusion.
//!
//! Takes: a root header, include search paths, command-line macros and the
//! target's predefined macros. Returns: the expanded token stream of the
//! translation unit, the `#pragma pack` state changes within it, the
//! object-like macros defined in scanned files, and diagnostics.

use crate::diag::Diagnostic;
use crate::ir::Loc;
use crate::lex::{Sym, Token};

/// From token index `at` on, `#pragma pack` caps member alignment at
/// `max_align` bytes (`None`: no cap).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PackChange {
    /// Index into [`Output::tokens`] of the first token the state applies to.
    pub at: usize,
    /// The cap in bytes, or `None` for the default.
    pub max_align: Option<u32>,
}

/// An object-like macro, fully expanded, as candidate integer constant.
#[derive(Clone, Debug)]
pub struct ObjectMacro {
    /// The name.
    pub name: Sym,
    /// The replacement list after expansion with the macros defined at the
    /// end of the translation unit.
    pub expansion: Vec<Token>,
    /// Where `#define` named it.
    pub loc: Loc,
}

/// A preprocessed translation unit.
#[derive(Clone, Debug, Default)]
pub struct Output {
    /// The token stream the parser reads.
    pub tokens: Vec<Token>,
    /// `#pragma pack` changes, in token order.
    pub pack: Vec<PackChange>,
    /// Object-like macros defined in scanned files and still defined at the
    /// end of the unit.
    pub macros: Vec<ObjectMacro>,
    /// Problems found.
    pub diagnostics: Vec<Diagnostic>,
}
