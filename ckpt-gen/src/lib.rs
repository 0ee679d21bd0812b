//! ckpt-gen: finds the `struct ckpt_*` records of a C header tree, lays them
//! out as a C compiler would for each target, and generates Rust bindings.
//!
//! The stages, in the order data flows through them: [`scan`], [`source`]
//! and [`lex`], [`preproc`], [`parse`] into the [`ir`], [`layout`] for a
//! [`target`], [`select`], then [`emit`]. [`pipeline`] runs the front end
//! over a tree; [`Builder`] is the entry point for build scripts.
//!
//! ```no_run
//! let bindings = ckpt_gen::Builder::new().header_tree("headers").generate().unwrap();
//! println!("{}", bindings.as_str());
//! ```

pub mod analyses;
mod builder;
pub mod config;
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
