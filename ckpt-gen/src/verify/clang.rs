//! The compile-only probe: `clang -target T -S` for any target, no linker,
//! no emulator, no sysroot beyond the headers the records include.
//!
//! Takes what [`super::probe_source`] takes. Returns a [`Report`]. Sizes,
//! alignments and byte offsets go into one initialized array,
//! `long ckpt_probe_v[] = { sizeof(T), _Alignof(T), 8 * offsetof(T, m), ... }`,
//! read back from the assembly. A bit-field has no `offsetof`: each one
//! gets a constant object of its record with only that member set to all
//! ones (`const T ckpt_probe_bfN = { .m = -1 };`), and the position of its
//! first set bit, in allocation order, is read from the object's bytes.

use super::{c_type_of, checks_for, compare, Report};
use crate::ir::RecordId;
use crate::layout::Layouts;
use crate::target::Target;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

/// What the compile-only probe needs to say about each value.
enum Slot {
    /// Index into `ckpt_probe_v`.
    Value(usize),
    /// Number of the `ckpt_probe_bfN` object.
    Bitfield(usize),
}

/// The probe's C source and, per expected value, where to find it.
fn source(
    layouts: &Layouts,
    records: &[RecordId],
    headers: &[PathBuf],
) -> (String, Vec<(String, u64, Slot)>) {
    let ir = layouts.ir();
    let mut src = String::new();
    for h in headers {
        let _ = writeln!(src, "#include \"{}\"", h.display());
    }
    src.push_str(&super::undef_members(ir, records));
    let mut values = String::new();
    let mut objects = String::new();
    let mut slots = Vec::new();
    let (mut n_values, mut n_objects) = (0, 0);
    for &id in records {
        let Some(ty) = c_type_of(ir, id) else { continue };
        for c in checks_for(layouts, id, &ty) {
            let slot = match &c.bitfield {
                Some(m) => {
                    let _ =
                        writeln!(objects, "const {ty} ckpt_probe_bf{n_objects} = {{ .{m} = -1 }};");
                    n_objects += 1;
                    Slot::Bitfield(n_objects - 1)
                }
                None => {
                    let _ = writeln!(values, "\t{},", c.expr);
                    n_values += 1;
                    Slot::Value(n_values - 1)
                }
            };
            slots.push((c.key, c.ours, slot));
        }
    }
    let _ = write!(src, "long ckpt_probe_v[] = {{\n{values}\t0\n}};\n{objects}");
    (src, slots)
}

/// Compiles the probe with `clang -target <target>` to assembly and
/// compares. `Err` with the reason when clang cannot be run (it starts
/// with `cannot run`) or rejects the probe (its messages).
pub fn run(
    layouts: &Layouts,
    records: &[RecordId],
    headers: &[PathBuf],
    args: &[String],
    work: &Path,
) -> Result<Report, String> {
    let target = layouts.target();
    let (src, slots) = source(layouts, records, headers);
    let c = work.join("probe-clang.c");
    std::fs::write(&c, &src).map_err(|e| format!("writing {}: {e}", c.display()))?;
    let clang = std::env::var("CKPT_CLANG").unwrap_or_else(|_| "clang".into());
    let out = Command::new(&clang)
        .args(["-target", target.clang_triple()])
        .args(args)
        .args(["-w", "-S", "-o", "-"])
        .arg(&c)
        .output()
        .map_err(|e| format!("cannot run {clang}: {e}"))?;
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).into_owned());
    }
    let asm = String::from_utf8_lossy(&out.stdout);
    let values = symbol_words(&asm, "ckpt_probe_v", target)?;
    let mut text = String::new();
    for (key, _, slot) in &slots {
        let value = match slot {
            Slot::Value(i) => values.get(*i).copied(),
            Slot::Bitfield(n) => {
                let bytes = symbol_bytes(&asm, &format!("ckpt_probe_bf{n}"), target)?;
                first_bit(&bytes, target.big_endian)
            }
        };
        if let Some(v) = value {
            let _ = writeln!(text, "{key}\t{v}");
        }
    }
    let expected: Vec<(String, u64)> = slots.into_iter().map(|(k, v, _)| (k, v)).collect();
    Ok(compare(&expected, &text))
}

/// The first set bit of `bytes` in allocation order: from the least
/// significant bit of byte 0 on little-endian targets, from the most
/// significant on big-endian ones.
fn first_bit(bytes: &[u8], big_endian: bool) -> Option<u64> {
    let (i, b) = bytes.iter().enumerate().find(|(_, b)| **b != 0)?;
    let bit = if big_endian { b.leading_zeros() } else { b.trailing_zeros() };
    Some(i as u64 * 8 + u64::from(bit))
}

/// The words of the `long` array at `symbol`.
fn symbol_words(asm: &str, symbol: &str, target: &Target) -> Result<Vec<u64>, String> {
    let bytes = symbol_bytes(asm, symbol, target)?;
    let word = target.long.size as usize;
    Ok(bytes
        .chunks(word)
        .map(|c| {
            let mut v = 0u64;
            for (i, b) in c.iter().enumerate() {
                let shift = if target.big_endian { 8 * (word - 1 - i) } else { 8 * i };
                v |= u64::from(*b) << shift;
            }
            v
        })
        .collect())
}

/// The initialized bytes of the object at `symbol`, from the data
/// directives that follow its label.
pub(super) fn symbol_bytes(asm: &str, symbol: &str, target: &Target) -> Result<Vec<u8>, String> {
    let label = format!("{symbol}:");
    let mut lines = asm.lines().map(str::trim).skip_while(|l| *l != label);
    if lines.next().is_none() {
        return Err(format!("no {symbol} in clang's assembly"));
    }
    let mut bytes = Vec::new();
    for line in lines {
        let line = strip_comment(line);
        if line.is_empty() {
            continue;
        }
        let (directive, operands) = line.split_once(char::is_whitespace).unwrap_or((line, ""));
        let Some(width) = data_width(directive, target) else { break };
        for operand in operands.split(',').map(str::trim) {
            let value =
                parse_int(operand).ok_or_else(|| format!("cannot read '{line}' after {symbol}"))?;
            match width {
                Width::Fill => {
                    bytes.extend(std::iter::repeat_n(0, value as usize));
                    break; // `.zero N, FILL`: FILL is 0 for our objects
                }
                Width::Bytes(n) => push_word(&mut bytes, value, n, target.big_endian),
            }
        }
    }
    Ok(bytes)
}

enum Width {
    /// `.zero N` / `.space N`: N zero bytes.
    Fill,
    /// An integer of this many bytes.
    Bytes(usize),
}

/// The width of a data directive as clang spells it for each target, or
/// `None` for anything that ends the object.
fn data_width(directive: &str, target: &Target) -> Option<Width> {
    let x86 = matches!(target.rust_arch, "x86" | "x86_64");
    Some(match directive {
        ".zero" | ".space" | ".skip" => Width::Fill,
        ".byte" => Width::Bytes(1),
        ".short" | ".hword" | ".half" | ".2byte" | ".value" => Width::Bytes(2),
        ".word" if x86 => Width::Bytes(2),
        ".long" | ".word" | ".4byte" | ".int" => Width::Bytes(4),
        ".quad" | ".xword" | ".dword" | ".8byte" => Width::Bytes(8),
        _ => return None,
    })
}

fn push_word(bytes: &mut Vec<u8>, value: u64, n: usize, big_endian: bool) {
    let le = value.to_le_bytes();
    if big_endian {
        bytes.extend(le[..n].iter().rev());
    } else {
        bytes.extend(&le[..n]);
    }
}

/// Drops a trailing assembler comment (`#` on x86 and powerpc, `//` on
/// aarch64, `@` on arm).
fn strip_comment(line: &str) -> &str {
    let mut end = line.len();
    for marker in ["#", "//", "@"] {
        if let Some(i) = line.find(marker) {
            end = end.min(i);
        }
    }
    line[..end].trim()
}

fn parse_int(text: &str) -> Option<u64> {
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let value = match digits.strip_prefix("0x") {
        Some(hex) => u64::from_str_radix(hex, 16).ok()?,
        None => digits.parse().ok()?,
    };
    Some(if negative { value.wrapping_neg() } else { value })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::target::TARGETS;

    #[test]
    fn reads_data_directives_of_every_spelling() {
        let x86 = &TARGETS[0];
        let be = Target::by_name("s390x").unwrap();
        let asm = "x:\n\t.byte\t0 # 0x0\n\t.byte 248\n\t.zero\t3\n\t.short 1\n\t.size x, 7\ny:\n";
        assert_eq!(symbol_bytes(asm, "x", x86).unwrap(), [0, 248, 0, 0, 0, 1, 0]);
        assert_eq!(symbol_bytes(asm, "x", be).unwrap(), [0, 248, 0, 0, 0, 0, 1]);
        let aarch64 = "v:\n\t.xword\t8 // 0x8\n\t.xword 3\n";
        assert_eq!(
            symbol_words(aarch64, "v", Target::by_name("aarch64").unwrap()).unwrap(),
            [8, 3]
        );
        assert!(symbol_bytes("", "v", x86).unwrap_err().contains("no v"));
    }

    #[test]
    fn first_bit_follows_allocation_order() {
        assert_eq!(first_bit(&[0, 0xf8], false), Some(11));
        assert_eq!(first_bit(&[0, 0x1f], true), Some(11));
        assert_eq!(first_bit(&[0, 0], true), None);
    }
}
