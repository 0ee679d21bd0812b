//! The `ckpt-gen` command line.

fn main() {}
