//! Emitters: text outputs computed from the IR, the layouts and a selection.

pub mod json;
