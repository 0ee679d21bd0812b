//! ckpt-gen: finds the `struct ckpt_*` records of a C header tree, lays them
//! out as a C compiler would for each target, and generates Rust bindings.

pub mod diag;
pub mod emit;
pub mod ir;
pub mod lex;
pub mod preproc;
pub mod parse;
pub mod select;
pub mod source;
pub mod layout;
pub mod target;
