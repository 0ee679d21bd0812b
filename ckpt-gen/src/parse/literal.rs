//! Integer and character constants (C17 6.4.4.1, 6.4.4.4) to [`Expr`].
//!
//! Takes: the spelling of one number or character token. Returns: an
//! [`Expr::Int`] with the flags its suffix and value demand, or a message
//! saying why the token is not an integer constant.
//!
//! The type of a literal depends on the data model only through `long`: a
//! value that needs 64 bits is typed `long long` here, which has the same
//! width and signedness as the `long` LP64 would pick, and is what ILP32
//! picks. A plain character constant above 127 is `(int)(char)v`, so that
//! the target's `char` signedness decides its value, as in C.

use crate::ir::{Expr, IntKind, Type};

/// Parses a preprocessing number as an integer constant.
pub(super) fn integer(text: &str) -> Result<Expr, String> {
    let clean: String = text.chars().filter(|&c| c != '\'').collect();
    let lower = clean.to_ascii_lowercase();
    let (radix, body) = if let Some(rest) = lower.strip_prefix("0x") {
        (16, rest)
    } else if let Some(rest) = lower.strip_prefix("0b") {
        (2, rest)
    } else if lower.len() > 1 && lower.starts_with('0') {
        (8, lower.get(1..).unwrap_or(""))
    } else {
        (10, lower.as_str())
    };
    if is_floating(radix, body) {
        return Err(format!("floating constant '{text}' in integer constant expression"));
    }

    let split =
        body.find(|c: char| !c.is_ascii_hexdigit() || (radix != 16 && c.is_ascii_alphabetic()));
    let (digits, _) = body.split_at(split.unwrap_or(body.len()));
    let invalid = || format!("invalid integer constant '{text}'");
    let suffix_start = clean.len().saturating_sub(body.len() - digits.len());
    let suffix = clean.get(suffix_start..).ok_or_else(invalid)?;
    let (unsigned, long) = parse_suffix(suffix).ok_or_else(invalid)?;
    if digits.is_empty() && radix != 8 {
        return Err(invalid());
    }
    let value = digits_value(digits, radix).ok_or_else(invalid)?;
    if value > u128::from(u64::MAX) {
        return Err(format!("integer constant '{text}' is too large for any integer type"));
    }
    Ok(typed(value, radix == 10, unsigned, long))
}

/// The value of a decimal floating constant that a cast can turn into an
/// integer (C17 6.6p6 allows floating constants as the immediate operand
/// of a cast in an integer constant expression): from 0 to below 2^64.
/// `None` for anything else.
pub(super) fn castable_floating(text: &str) -> Option<f64> {
    let body = text.trim_end_matches(['f', 'F', 'l', 'L']);
    if !is_floating(10, &body.to_ascii_lowercase()) || body.starts_with("0x") {
        return None;
    }
    let value: f64 = body.parse().ok()?;
    (value.is_finite() && (0.0..1.8e19).contains(&value)).then_some(value)
}

/// The integer constant a cast truncates `value` (from
/// [`castable_floating`]) to.
pub(super) fn truncated(value: f64) -> Expr {
    typed(value.trunc() as u128, true, false, 0)
}

/// The number of elements of the array a string literal token is,
/// terminating null included, and the size of one element (1 for `"..."`
/// and `u8"..."`, 2 for `u"..."`, 4 for `U"..."` and `L"..."` on Linux).
pub(super) fn string_length(text: &str) -> Option<(u64, u64)> {
    let (elem, rest) = match text.split_once('"')? {
        ("" | "u8", rest) => (1, rest),
        ("u", rest) => (2, rest),
        ("U" | "L", rest) => (4, rest),
        _ => return None,
    };
    let body = rest.strip_suffix('"')?;
    let mut chars = body.chars().peekable();
    let mut n = 0u64;
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next()? {
                'x' => while chars.next_if(|c| c.is_ascii_hexdigit()).is_some() {},
                '0'..='7' => {
                    for _ in 0..2 {
                        chars.next_if(|c| ('0'..='7').contains(c));
                    }
                }
                // A universal character name is as many code units as
                // the character needs in the literal's encoding.
                u @ ('u' | 'U') => {
                    let digits: String =
                        chars.by_ref().take(if u == 'u' { 4 } else { 8 }).collect();
                    let c = u32::from_str_radix(&digits, 16).ok().and_then(char::from_u32)?;
                    n += match elem {
                        1 => c.len_utf8() as u64,
                        2 => c.len_utf16() as u64,
                        _ => 1,
                    };
                    continue;
                }
                _ => {}
            }
            n += 1;
        } else if elem == 1 {
            n += c.len_utf8() as u64;
        } else {
            n += if elem == 2 && c.len_utf16() == 2 { 2 } else { 1 };
        }
    }
    Some((n, elem))
}

/// Whether a number body (after any `0x`/`0b`/`0`) is a floating constant.
fn is_floating(radix: u32, body: &str) -> bool {
    match radix {
        16 => body.contains(['.', 'p']),
        2 => false,
        _ => body.contains(['.', 'e']),
    }
}

/// `u`, `l`, `ll` in either order: (unsigned, long count).
fn parse_suffix(suffix: &str) -> Option<(bool, u8)> {
    let (unsigned, rest) = match suffix.strip_prefix(['u', 'U']) {
        Some(rest) => (true, rest),
        None => match suffix.strip_suffix(['u', 'U']) {
            Some(rest) => (true, rest),
            None => (false, suffix),
        },
    };
    let long = match rest {
        "" => 0,
        "l" | "L" => 1,
        "ll" | "LL" => 2,
        _ => return None,
    };
    Some((unsigned, long))
}

/// The value of `digits` in `radix`, `None` for a bad digit or overflow.
fn digits_value(digits: &str, radix: u32) -> Option<u128> {
    digits.chars().try_fold(0u128, |acc, c| {
        let d = c.to_digit(radix)?;
        acc.checked_mul(u128::from(radix))?.checked_add(u128::from(d))
    })
}

/// The flags of a literal of `value` (C17 6.4.4.1p5, with 64-bit `long`
/// values typed `long long`, see the module docs).
fn typed(value: u128, decimal: bool, unsigned: bool, long: u8) -> Expr {
    let fits_i32 = value <= i32::MAX as u128;
    let fits_u32 = value <= u32::MAX as u128;
    let fits_i64 = value <= i64::MAX as u128;
    let (unsigned, long) = if unsigned {
        (true, if fits_u32 { long } else { 2 })
    } else if fits_i32 {
        (false, long)
    } else if fits_u32 && !decimal && long == 0 {
        (true, 0)
    } else if fits_i64 {
        (false, 2)
    } else {
        (true, 2)
    };
    Expr::Int { value, unsigned, long }
}

/// Parses a character constant: `'a'`, `'\n'`, `L'x'`, `'ab'`.
pub(super) fn character(text: &str) -> Result<Expr, String> {
    let quote = text.find('\'').ok_or_else(|| format!("invalid character constant {text}"))?;
    let prefix = &text[..quote];
    let inner = text[quote + 1..].strip_suffix('\'').filter(|s| !s.is_empty());
    let inner = inner.ok_or_else(|| format!("invalid character constant {text}"))?;
    let values = decode(inner, !prefix.is_empty() && prefix != "u8")?;
    let Some(&last) = values.last() else {
        return Err(format!("empty character constant {text}"));
    };
    Ok(match prefix {
        "" if values.len() == 1 => plain_char(last),
        "" => multi_char(&values),
        "U" => Expr::Int { value: u128::from(last), unsigned: true, long: 0 },
        // `char16_t`: unsigned short.
        "u" => Expr::Cast(
            Box::new(Type::Int(IntKind::UShort)),
            Box::new(Expr::Int { value: u128::from(last & 0xffff), unsigned: false, long: 0 }),
        ),
        // `wchar_t` (L''): 32 bits everywhere, signed except on aarch64 and
        // armv7; a value above 0x7fffffff is taken as signed here (the
        // target-free IR has no type for it), wrong on those two.
        _ if last > 0x7fff_ffff => Expr::Cast(
            Box::new(Type::Int(IntKind::Int)),
            Box::new(Expr::Int { value: u128::from(last), unsigned: true, long: 0 }),
        ),
        _ => Expr::Int { value: u128::from(last), unsigned: false, long: 0 },
    })
}

/// A one-character constant: `int`, from a `char` value.
fn plain_char(v: u32) -> Expr {
    let v = v & 0xff;
    let int = Expr::Int { value: u128::from(v), unsigned: false, long: 0 };
    if v <= 127 {
        return int;
    }
    let char_value = Expr::Cast(Box::new(Type::Int(IntKind::Char)), Box::new(int));
    Expr::Cast(Box::new(Type::Int(IntKind::Int)), Box::new(char_value))
}

/// A multi-character constant: GCC packs the bytes big-end first into an
/// `int`.
fn multi_char(values: &[u32]) -> Expr {
    let packed = values.iter().fold(0u32, |acc, v| (acc << 8) | (v & 0xff));
    let int = Expr::Int { value: u128::from(packed), unsigned: packed > i32::MAX as u32, long: 0 };
    if packed > i32::MAX as u32 {
        return Expr::Cast(Box::new(Type::Int(IntKind::Int)), Box::new(int));
    }
    int
}

/// The values of the characters between the quotes: escapes decoded; for
/// wide constants (`wide`) UTF-8 sequences are code points, otherwise bytes.
fn decode(inner: &str, wide: bool) -> Result<Vec<u32>, String> {
    let mut out = Vec::new();
    let mut chars = inner.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            if wide || c.is_ascii() {
                out.push(c as u32);
            } else {
                let mut buf = [0u8; 4];
                out.extend(c.encode_utf8(&mut buf).bytes().map(u32::from));
            }
            continue;
        }
        out.push(escape(&mut chars)?);
    }
    Ok(out)
}

/// The value of an escape sequence, after its backslash (C17 6.4.4.4).
fn escape(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) -> Result<u32, String> {
    let c = chars.next().ok_or("incomplete escape sequence")?;
    let simple = match c {
        'n' => 10,
        't' => 9,
        'r' => 13,
        'a' => 7,
        'b' => 8,
        'f' => 12,
        'v' => 11,
        'e' | 'E' => 27,
        '0'..='7' => return Ok(octal(c, chars)),
        'x' => return hex(chars, usize::MAX),
        'u' => return hex(chars, 4),
        'U' => return hex(chars, 8),
        other => other as u32,
    };
    Ok(simple)
}

/// Up to three octal digits, the first already read.
fn octal(first: char, chars: &mut std::iter::Peekable<std::str::Chars<'_>>) -> u32 {
    let mut v = first.to_digit(8).unwrap_or(0);
    for _ in 0..2 {
        match chars.peek().and_then(|c| c.to_digit(8)) {
            Some(d) => {
                v = v * 8 + d;
                chars.next();
            }
            None => break,
        }
    }
    v
}

/// Up to `max` hex digits (at least one).
fn hex(chars: &mut std::iter::Peekable<std::str::Chars<'_>>, max: usize) -> Result<u32, String> {
    let mut v: u32 = 0;
    let mut n = 0;
    while n < max {
        let Some(d) = chars.peek().and_then(|c| c.to_digit(16)) else { break };
        v = v.wrapping_shl(4) | d;
        chars.next();
        n += 1;
    }
    if n == 0 {
        return Err("\\x used with no following hex digits".to_string());
    }
    Ok(v)
}
