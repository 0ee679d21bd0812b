// Bit-field access helpers, copied into generated bindings that have
// bit-fields (and compiled into ckpt-gen's tests, which check them).
//
// `at` is in allocation order from the start of `bytes`: on little-endian
// targets allocation bit `i` is bit `i % 8` (from the least significant) of
// byte `i / 8`, and a field's least significant bit comes first; on
// big-endian targets (`be`) allocation starts at the most significant bit of
// byte 0, and a field's most significant bit comes first. This is what GCC
// and Clang do on every Linux ABI.

/// Reads the `w`-bit unsigned value at allocation bit `at` of `b`.
#[allow(dead_code)]
#[inline]
pub fn __ckpt_bitfield_get(b: &[u8], at: usize, w: usize, be: bool) -> u64 {
    let mut value = 0u64;
    for i in 0..w {
        let bit = at + i;
        let shift = if be { 7 - bit % 8 } else { bit % 8 };
        let set = u64::from((b[bit / 8] >> shift) & 1);
        let place = if be { w - 1 - i } else { i };
        value |= set << place;
    }
    value
}

/// Reads the `w`-bit value at allocation bit `at` of `b`, sign-extended.
#[allow(dead_code)]
#[inline]
pub fn __ckpt_bitfield_get_signed(b: &[u8], at: usize, w: usize, be: bool) -> i64 {
    let unused = 64 - w as u32;
    ((__ckpt_bitfield_get(b, at, w, be) << unused) as i64) >> unused
}

/// Writes the low `w` bits of `v` at allocation bit `at` of `b`.
#[allow(dead_code)]
#[inline]
pub fn __ckpt_bitfield_set(b: &mut [u8], at: usize, w: usize, be: bool, v: u64) {
    for i in 0..w {
        let bit = at + i;
        let shift = if be { 7 - bit % 8 } else { bit % 8 };
        let place = if be { w - 1 - i } else { i };
        let set = ((v >> place) & 1) as u8;
        b[bit / 8] = (b[bit / 8] & !(1 << shift)) | (set << shift);
    }
}
