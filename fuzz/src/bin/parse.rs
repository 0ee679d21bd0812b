//! Fuzz target: `parse`. Run with `cargo afl fuzz` (see ../../README.md).

fn main() {
    afl::fuzz!(|data: &[u8]| ckpt_gen_fuzz::parse(data));
}
