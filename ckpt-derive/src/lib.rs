//! `#[derive(Checkpoint)]`: checks at compile time that a hand-written Rust
//! struct matches its C checkpoint record field for field.
//!
//! The derive is not written yet; this crate only reserves its place in the
//! workspace so that the runtime can depend on it with an exact version.
