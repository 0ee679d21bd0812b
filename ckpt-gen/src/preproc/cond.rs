//! `#if` expressions (C17 6.10.1): integer constant expressions evaluated in
//! `intmax_t`/`uintmax_t`, after macro expansion and after `defined` and the
//! `__has_*` operators were replaced by numbers. Identifiers left over are 0.

use crate::lex::{Token, TokenKind};

/// A value of `#if` arithmetic: 64 bits, signed unless a unsigned operand
/// made it unsigned (the usual arithmetic conversions).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Value {
    bits: u64,
    unsigned: bool,
}

impl Value {
    fn int(v: i64) -> Value {
        Value { bits: v as u64, unsigned: false }
    }
    fn truth(self) -> bool {
        self.bits != 0
    }
}

/// The signedness of the types character constants have on the target.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct CharSigns {
    /// Plain `char` is unsigned (`__CHAR_UNSIGNED__`).
    pub char_unsigned: bool,
    /// `wchar_t` is unsigned (aarch64, armv7).
    pub wchar_unsigned: bool,
}

/// Evaluates a `#if` line; the error names what was expected.
pub(super) fn evaluate(tokens: &[Token], chars: CharSigns) -> Result<bool, (usize, String)> {
    let mut p = Parser { tokens, pos: 0, depth: 0, unevaluated: 0, chars };
    let v = p.conditional()?;
    if p.pos < tokens.len() {
        return Err((p.pos, format!("unexpected '{}' in #if expression", tokens[p.pos].text())));
    }
    Ok(v.truth())
}

/// Deepest nesting of parentheses, unary operators and `?:` accepted in one
/// `#if` expression (clang's default bracket depth): bounds the recursion
/// of the evaluator, so hostile input gets an error, not a stack overflow.
const MAX_DEPTH: u32 = 256;

struct Parser<'a> {
    tokens: &'a [Token],
    pos: usize,
    depth: u32,
    /// Above 0 inside an operand that is parsed but not evaluated (the
    /// right side of a decided `&&`/`||`, the arm `?:` does not take):
    /// arithmetic errors such as division by zero are not errors there.
    unevaluated: u32,
    chars: CharSigns,
}

type R = Result<Value, (usize, String)>;

impl Parser<'_> {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.pos)
    }

    fn eat(&mut self, s: &str) -> bool {
        if self.peek().is_some_and(|t| t.kind == TokenKind::Punct && t.text() == s) {
            self.pos += 1;
            return true;
        }
        false
    }

    fn error(&self, what: &str) -> (usize, String) {
        match self.peek() {
            Some(t) => {
                (self.pos, format!("expected {what} in #if expression, found '{}'", t.text()))
            }
            None => (self.pos, format!("expected {what} at the end of the #if expression")),
        }
    }

    /// Runs `f` one nesting level deeper, or fails past [`MAX_DEPTH`].
    fn nested(&mut self, f: impl FnOnce(&mut Self) -> R) -> R {
        if self.depth >= MAX_DEPTH {
            let msg = format!("#if expression nested more than {MAX_DEPTH} levels deep");
            return Err((self.pos, msg));
        }
        self.depth += 1;
        let v = f(self);
        self.depth -= 1;
        v
    }

    fn conditional(&mut self) -> R {
        self.nested(Self::conditional_inner)
    }

    fn conditional_inner(&mut self) -> R {
        let c = self.binary(0)?;
        if !self.eat("?") {
            return Ok(c);
        }
        let a = self.unevaluated_if(!c.truth(), Self::comma)?;
        if !self.eat(":") {
            return Err(self.error("':'"));
        }
        let b = self.unevaluated_if(c.truth(), Self::conditional)?;
        let unsigned = a.unsigned || b.unsigned;
        let v = if c.truth() { a } else { b };
        Ok(Value { bits: v.bits, unsigned })
    }

    /// Parses with `f`, as an operand that is not evaluated if `skip`.
    fn unevaluated_if(&mut self, skip: bool, f: impl FnOnce(&mut Self) -> R) -> R {
        self.unevaluated += u32::from(skip);
        let v = f(self);
        self.unevaluated -= u32::from(skip);
        v
    }

    fn comma(&mut self) -> R {
        let mut v = self.conditional()?;
        while self.eat(",") {
            v = self.conditional()?;
        }
        Ok(v)
    }

    fn binary(&mut self, min_prec: u8) -> R {
        let mut lhs = self.unary()?;
        loop {
            let Some(op) = self.peek().filter(|t| t.kind == TokenKind::Punct).map(|t| t.text())
            else {
                return Ok(lhs);
            };
            let Some(prec) = precedence(op) else { return Ok(lhs) };
            if prec < min_prec {
                return Ok(lhs);
            }
            self.pos += 1;
            // A decided && or || does not evaluate its right side.
            if op == "&&" || op == "||" {
                let short = (op == "&&") != lhs.truth();
                let rhs = self.unevaluated_if(short, |p| p.binary(prec + 1))?;
                let v = if op == "&&" {
                    lhs.truth() && rhs.truth()
                } else {
                    lhs.truth() || rhs.truth()
                };
                lhs = Value::int(v as i64);
                continue;
            }
            let rhs = self.binary(prec + 1)?;
            lhs = match apply(op, lhs, rhs) {
                Ok(v) => v,
                Err(_) if self.unevaluated > 0 => Value::int(0),
                Err(m) => return Err((self.pos, m)),
            };
        }
    }

    fn unary(&mut self) -> R {
        self.nested(Self::unary_inner)
    }

    fn unary_inner(&mut self) -> R {
        let Some(t) = self.peek().copied() else { return Err(self.error("an operand")) };
        self.pos += 1;
        match (t.kind, t.text()) {
            (TokenKind::Punct, "(") => {
                let v = self.comma()?;
                if !self.eat(")") {
                    return Err(self.error("')'"));
                }
                Ok(v)
            }
            (TokenKind::Punct, "-") => {
                let v = self.unary()?;
                Ok(Value { bits: v.bits.wrapping_neg(), ..v })
            }
            (TokenKind::Punct, "+") => self.unary(),
            (TokenKind::Punct, "~") => {
                let v = self.unary()?;
                Ok(Value { bits: !v.bits, ..v })
            }
            (TokenKind::Punct, "!") => Ok(Value::int(!self.unary()?.truth() as i64)),
            (TokenKind::Number, s) => number(s)
                .ok_or((self.pos - 1, format!("invalid integer constant '{s}' in #if expression"))),
            (TokenKind::Char, s) => Ok(Value::int(char_value(s, self.chars))),
            (TokenKind::Ident, _) => Ok(Value::int(0)),
            _ => {
                self.pos -= 1;
                Err(self.error("an operand"))
            }
        }
    }
}

fn precedence(op: &str) -> Option<u8> {
    Some(match op {
        "||" => 1,
        "&&" => 2,
        "|" => 3,
        "^" => 4,
        "&" => 5,
        "==" | "!=" => 6,
        "<" | ">" | "<=" | ">=" => 7,
        "<<" | ">>" => 8,
        "+" | "-" => 9,
        "*" | "/" | "%" => 10,
        _ => return None,
    })
}

fn apply(op: &str, a: Value, b: Value) -> Result<Value, String> {
    let unsigned = a.unsigned || b.unsigned;
    let (x, y) = (a.bits, b.bits);
    let (sx, sy) = (x as i64, y as i64);
    let cmp = |r: bool| Ok(Value::int(r as i64));
    let val = |bits: u64| Ok(Value { bits, unsigned });
    match op {
        "*" => val(x.wrapping_mul(y)),
        "/" | "%" if y == 0 => Err("division by zero in #if expression".into()),
        "/" if unsigned => val(x / y),
        "/" => val(sx.wrapping_div(sy) as u64),
        "%" if unsigned => val(x % y),
        "%" => val(sx.wrapping_rem(sy) as u64),
        "+" => val(x.wrapping_add(y)),
        "-" => val(x.wrapping_sub(y)),
        // A shift by a negative count shifts the other way, as GCC's #if
        // does.
        "<<" | ">>" if !b.unsigned && sy < 0 => {
            let other = if op == "<<" { ">>" } else { "<<" };
            apply(other, a, Value { bits: sy.unsigned_abs(), unsigned: false })
        }
        "<<" => Ok(Value { bits: x.checked_shl(y as u32).unwrap_or(0), unsigned: a.unsigned }),
        ">>" if a.unsigned => {
            Ok(Value { bits: x.checked_shr(y as u32).unwrap_or(0), unsigned: true })
        }
        ">>" => Ok(Value::int(sx.checked_shr(y as u32).unwrap_or(if sx < 0 { -1 } else { 0 }))),
        "<" => cmp(if unsigned { x < y } else { sx < sy }),
        ">" => cmp(if unsigned { x > y } else { sx > sy }),
        "<=" => cmp(if unsigned { x <= y } else { sx <= sy }),
        ">=" => cmp(if unsigned { x >= y } else { sx >= sy }),
        "==" => cmp(x == y),
        "!=" => cmp(x != y),
        "&" => val(x & y),
        "^" => val(x ^ y),
        "|" => val(x | y),
        _ => Err(format!("unsupported operator '{op}' in #if expression")),
    }
}

/// Parses an integer constant (C17 6.4.4.1) with any suffix.
pub(crate) fn parse_integer(s: &str) -> Option<(u128, bool, u8)> {
    let lower = s.to_ascii_lowercase().replace('\'', "");
    let digits_end = lower.trim_end_matches(['u', 'l']).len();
    let (digits, suffix) = lower.split_at(digits_end);
    let unsigned_suffix = suffix.contains('u');
    let long = suffix.matches('l').count() as u8;
    if suffix.len() > 3 || long > 2 {
        return None;
    }
    let (radix, body) = if let Some(h) = digits.strip_prefix("0x") {
        (16, h)
    } else if let Some(b) = digits.strip_prefix("0b") {
        (2, b)
    } else if digits.len() > 1 && digits.starts_with('0') {
        (8, &digits[1..])
    } else {
        (10, digits)
    };
    let value = u128::from_str_radix(body, radix).ok()?;
    Some((value, unsigned_suffix, long))
}

fn number(s: &str) -> Option<Value> {
    let (value, unsigned_suffix, _) = parse_integer(s)?;
    let bits = u64::try_from(value).ok()?;
    Some(Value { bits, unsigned: unsigned_suffix || bits > i64::MAX as u64 })
}

/// The value of a character constant (C17 6.4.4.4), as `int`.
pub(super) fn char_value(s: &str, signs: CharSigns) -> i64 {
    let prefix = &s[..s.find('\'').unwrap_or(0)];
    let body = &s[prefix.len()..];
    let inner = body.strip_prefix('\'').and_then(|b| b.strip_suffix('\'')).unwrap_or("");
    let bytes = inner.as_bytes();
    // Wide constants: the (last) character's value in the constant's type,
    // `wchar_t` for L'', `char16_t` and `char32_t` (unsigned) for u'' and
    // U''.
    if matches!(prefix, "L" | "u" | "U") {
        let mut value: i64 = 0;
        let mut i = 0;
        while i < bytes.len() {
            let (c, used) = if bytes[i] == b'\\' {
                escape(&bytes[i + 1..])
            } else {
                let c = inner[i..].chars().next();
                (c.map_or(0, |c| c as i64), c.map_or(1, char::len_utf8))
            };
            i += used + usize::from(bytes[i] == b'\\');
            value = c;
        }
        return match prefix {
            "u" => value as u16 as i64,
            "L" if !signs.wchar_unsigned => value as u32 as i32 as i64,
            _ => value as u32 as i64,
        };
    }
    let mut value: i64 = 0;
    let mut i = 0;
    while i < bytes.len() {
        let (c, used) =
            if bytes[i] == b'\\' { escape(&bytes[i + 1..]) } else { (bytes[i] as i64, 1) };
        i += used + usize::from(bytes[i] == b'\\');
        value = (value << 8) | (c & 0xff);
    }
    // A single-byte constant has type int with the value of a `char`,
    // signed or not as the target's `char` is.
    if bytes.len() == 1 || (bytes.first() == Some(&b'\\') && value <= 0xff) {
        value = if signs.char_unsigned { value as u8 as i64 } else { value as u8 as i8 as i64 };
    }
    value
}

fn escape(rest: &[u8]) -> (i64, usize) {
    let Some(&c) = rest.first() else { return (b'\\' as i64, 0) };
    match c {
        b'n' => (10, 1),
        b't' => (9, 1),
        b'r' => (13, 1),
        b'a' => (7, 1),
        b'b' => (8, 1),
        b'f' => (12, 1),
        b'v' => (11, 1),
        b'e' => (27, 1),
        b'x' => {
            let n = rest[1..].iter().take_while(|b| b.is_ascii_hexdigit()).count();
            let text = std::str::from_utf8(&rest[1..1 + n]).unwrap_or("0");
            (i64::from_str_radix(text, 16).unwrap_or(0), 1 + n)
        }
        b'0'..=b'7' => {
            let n = rest.iter().take(3).take_while(|b| (b'0'..=b'7').contains(b)).count();
            let text = std::str::from_utf8(&rest[..n]).unwrap_or("0");
            (i64::from_str_radix(text, 8).unwrap_or(0), n)
        }
        other => (other as i64, 1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::FileId;
    use crate::lex::{lex, LineIndex};

    fn eval_with(src: &str, chars: CharSigns) -> Result<bool, String> {
        let toks = lex(FileId(0), src.as_bytes(), &LineIndex::new(src.as_bytes())).tokens;
        evaluate(&toks, chars).map_err(|e| e.1)
    }

    fn eval(src: &str) -> Result<bool, String> {
        eval_with(src, CharSigns::default())
    }

    #[test]
    fn expressions() {
        let cases: &[(&str, bool)] = &[
            ("1", true),
            ("0", false),
            ("1 + 2 * 3 == 7", true),
            ("(1 + 2) * 3 == 9", true),
            ("-1 > 0u", true),
            ("-1 > 0", false),
            ("0xffffffffffffffff == -1", true),
            ("1 ? 2 : 0", true),
            ("0 ? 1 : 0", false),
            ("UNDEFINED_NAME", false),
            ("!UNDEFINED_NAME", true),
            ("'A' == 65", true),
            ("'\\n' == 10", true),
            ("'\\377' < 0", true),
            ("1 << 4 == 16", true),
            ("-8 >> 1 == -4", true),
            ("(1 >> -1) == 2 && (8 << -2) == 2", true),
            ("201710L >= 199901L", true),
            ("0 && 1 / 0", false),
            ("1 || 1 / 0", true),
            ("010 == 8", true),
            ("0b101 == 5", true),
            ("(2 || 0) == 1", true),
        ];
        for (src, want) in cases {
            assert_eq!(eval(src), Ok(*want), "#if {src}");
        }
    }

    #[test]
    fn character_constants_take_the_targets_signedness() {
        // Signed char and wchar_t (x86): what GCC's x86_64 #if computes.
        let x86 = CharSigns::default();
        // Unsigned char and wchar_t (aarch64, armv7).
        let arm = CharSigns { char_unsigned: true, wchar_unsigned: true };
        let cases: &[(&str, bool, bool)] = &[
            ("'\\377' < 0", true, false),
            ("L'\\377' == 255", true, true),
            ("L'\\xffffffff' < 0", true, false),
            ("u'\\xffff' > 0", true, true),
            ("U'\\xffffffff' > 0", true, true),
            ("'ab' == 0x6162", true, true),
        ];
        for &(src, on_x86, on_arm) in cases {
            assert_eq!(eval_with(src, x86), Ok(on_x86), "#if {src} on x86");
            assert_eq!(eval_with(src, arm), Ok(on_arm), "#if {src} on arm");
        }
    }

    #[test]
    fn errors() {
        for src in ["1 +", "(1", "1 / 0", "1 2", ""] {
            assert!(eval(src).is_err(), "#if {src} should fail");
        }
    }
}
