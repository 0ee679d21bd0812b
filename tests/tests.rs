//! End-to-end tests of ckpt-gen: layouts against the C compiler, the shared
//! layout cases, diagnostics on bad input, and the generated Rust.

mod support;

mod cases;
mod diagnostics;
mod hostile;
mod oracle;
