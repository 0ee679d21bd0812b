//! ckpt-gen: finds the `struct ckpt_*` records of a C header tree, lays them
//! out as a C compiler would for each target, and generates Rust bindings.

mod builder;
pub mod diag;
pub mod emit;
pub mod ir;
pub mod layout;
pub mod lex;
pub mod parse;
pub mod pipeline;
pub mod preproc;
pub mod scan;
pub mod select;
pub mod source;
pub mod target;
pub mod verify;

pub use builder::{Bindings, Builder, Error};
