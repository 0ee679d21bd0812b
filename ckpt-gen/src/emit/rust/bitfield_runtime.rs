// Bit-field access helpers, copied into generated bindings that have
// bit-fields (and compiled into ckpt-gen's tests, which check them).
//
// `at` is in allocation order from the start of `bytes`: on little-endian
// targets allocation bit `i` is bit `i % 8` (from the least significant) of
// byte `i / 8`, and a field's least significant bit comes first; on
// big-endian targets (`be`) allocation starts at the most significant bit of
// byte 0, and a field's most significant bit comes first. This is what GCC
// and Clang do on every Linux ABI.

/// Reads the `width`-bit unsigned value at allocation bit `at`.
#[allow(dead_code)]
#[inline]
fn __ckpt_bitfield_get(bytes: &[u8], at: usize, width: usize, be: bool) -> u64 {
    let mut value = 0u64;
    for i in 0..width {
        let bit = at + i;
        let shift = if be { 7 - bit % 8 } else { bit % 8 };
        let set = u64::from((bytes[bit / 8] >> shift) & 1);
        let place = if be { width - 1 - i } else { i };
        value |= set << place;
    }
    value
}

/// Reads the `width`-bit value at allocation bit `at`, sign-extended.
#[allow(dead_code)]
#[inline]
fn __ckpt_bitfield_get_signed(b: &[u8], at: usize, width: usize, be: bool) -> i64 {
    let unused = 64 - width as u32;
    ((__ckpt_bitfield_get(b, at, width, be) << unused) as i64) >> unused
}

/// Writes the low `width` bits of `value` at allocation bit `at`.
#[allow(dead_code)]
#[inline]
fn __ckpt_bitfield_set(bytes: &mut [u8], at: usize, width: usize, be: bool, value: u64) {
    for i in 0..width {
        let bit = at + i;
        let shift = if be { 7 - bit % 8 } else { bit % 8 };
        let place = if be { width - 1 - i } else { i };
        let set = ((value >> place) & 1) as u8;
        bytes[bit / 8] = (bytes[bit / 8] & !(1 << shift)) | (set << shift);
    }
}
