//! C integer arithmetic for constant expressions (C17 6.3.1, 6.5), with the
//! integer sizes of one target.
//!
//! A [`Value`] is a bit pattern plus the C type it has. Operations apply the
//! integer promotions and the usual arithmetic conversions first, so that
//! `-1 > 0u` is 1 and `(unsigned char)300` is 44 exactly as in C. Unsigned
//! arithmetic wraps; signed overflow, division by zero and out-of-range
//! shift counts are errors, as they are not constant expressions in C.

use super::EvalError;
use crate::ir::{BinaryOp, IntKind, UnaryOp};
use crate::target::Target;

/// An integer type, as far as arithmetic cares: its conversion rank
/// (C17 6.3.1.1), width and signedness.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct IntTy {
    /// 0 `_Bool`, 1 `char`, 2 `short`, 3 `int`, 4 `long`, 5 `long long`,
    /// 6 `__int128`.
    pub rank: u8,
    /// Width in bits.
    pub bits: u32,
    /// Whether the type is unsigned.
    pub unsigned: bool,
}

const RANK_INT: u8 = 3;
const RANK_LONG: u8 = 4;
const RANK_LONG_LONG: u8 = 5;

impl IntTy {
    /// `int`: the type of comparisons, `!`, and most literals.
    pub fn int() -> IntTy {
        // Every supported target has a 32-bit int.
        IntTy { rank: RANK_INT, bits: 32, unsigned: false }
    }

    /// The type of an integer kind on `target`.
    pub fn of_kind(kind: IntKind, target: &Target) -> Result<IntTy, EvalError> {
        let unsigned = kind.is_unsigned(target.char_unsigned);
        let (rank, bytes) = match kind {
            IntKind::Bool => (0, 1),
            IntKind::Char | IntKind::SChar | IntKind::UChar => (1, 1),
            IntKind::Short | IntKind::UShort => (2, target.short.size),
            IntKind::Int | IntKind::UInt => (RANK_INT, target.int.size),
            IntKind::Long | IntKind::ULong => (RANK_LONG, target.long.size),
            IntKind::LongLong | IntKind::ULongLong => (RANK_LONG_LONG, target.long_long.size),
            IntKind::Int128 | IntKind::UInt128 => match target.int128 {
                Some(s) => (6, s.size),
                None => {
                    return Err(EvalError::new(format!("`__int128` is not supported on {target}")))
                }
            },
        };
        Ok(IntTy { rank, bits: bytes as u32 * 8, unsigned })
    }

    /// `size_t`: `unsigned long` on LP64, `unsigned int` on ILP32 Linux.
    pub fn size_t(target: &Target) -> IntTy {
        if target.is_lp64() {
            IntTy { rank: RANK_LONG, bits: 64, unsigned: true }
        } else {
            IntTy { rank: RANK_INT, bits: 32, unsigned: true }
        }
    }

    /// The first type of C17 6.4.4.1p5's list that holds `value`: `int`,
    /// `long`, `long long` (or their unsigned versions for `u` literals),
    /// starting at the rank the `l`/`ll` suffix asks for. A literal too big
    /// for every signed type becomes `unsigned long long`, as GCC does.
    pub fn of_literal(value: u128, unsigned: bool, long: u8, target: &Target) -> IntTy {
        let candidates = [
            (RANK_INT, target.int.size),
            (RANK_LONG, target.long.size),
            (RANK_LONG_LONG, target.long_long.size),
        ];
        for &(rank, bytes) in &candidates[long.min(2) as usize..] {
            let bits = bytes as u32 * 8;
            let max = if unsigned { max_unsigned(bits) } else { max_unsigned(bits - 1) };
            if value <= max {
                return IntTy { rank, bits, unsigned };
            }
        }
        let bits = target.long_long.size as u32 * 8;
        if value <= max_unsigned(bits) {
            return IntTy { rank: RANK_LONG_LONG, bits, unsigned: true };
        }
        IntTy { rank: 6, bits: 128, unsigned: true }
    }

    /// The type GCC gives an enumerator whose value is `value`: `int` when it
    /// fits, otherwise the enum's wider underlying type.
    pub fn of_enumerator(value: i128, target: &Target) -> IntTy {
        let long_rank = if target.long.size == 8 { RANK_LONG } else { RANK_LONG_LONG };
        let fits = |ty: IntTy| ty.min() <= value && value <= ty.max();
        [
            IntTy::int(),
            IntTy { rank: RANK_INT, bits: 32, unsigned: true },
            IntTy { rank: long_rank, bits: 64, unsigned: false },
            IntTy { rank: long_rank, bits: 64, unsigned: true },
        ]
        .into_iter()
        .find(|&ty| fits(ty))
        .unwrap_or(IntTy { rank: 6, bits: 128, unsigned: false })
    }

    /// The smallest value of the type.
    pub fn min(self) -> i128 {
        if self.unsigned {
            0
        } else {
            -(1i128 << (self.bits - 1).min(127))
        }
    }

    /// The largest value of the type (saturated at `i128::MAX`).
    pub fn max(self) -> i128 {
        let bits = if self.unsigned { self.bits } else { self.bits - 1 };
        i128::try_from(max_unsigned(bits)).unwrap_or(i128::MAX)
    }

    /// Integer promotion (C17 6.3.1.1p2): types narrower than `int` become
    /// `int`, which holds all their values on every supported target.
    fn promote(self) -> IntTy {
        if self.rank < RANK_INT {
            IntTy::int()
        } else {
            self
        }
    }

    /// The usual arithmetic conversions (C17 6.3.1.8p1) for two integer
    /// operands.
    fn common(a: IntTy, b: IntTy) -> IntTy {
        let (a, b) = (a.promote(), b.promote());
        if a.unsigned == b.unsigned {
            return if a.rank >= b.rank { a } else { b };
        }
        let (u, s) = if a.unsigned { (a, b) } else { (b, a) };
        if u.rank >= s.rank {
            u
        } else if s.bits > u.bits {
            s
        } else {
            IntTy { unsigned: true, ..s }
        }
    }
}

fn max_unsigned(bits: u32) -> u128 {
    if bits >= 128 {
        u128::MAX
    } else {
        (1u128 << bits) - 1
    }
}

/// An integer value of a given C type, kept as its bit pattern.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Value {
    raw: u128,
    /// The value's C type.
    pub ty: IntTy,
}

impl Value {
    /// `value` converted to `ty` (C17 6.3.1.3: modulo 2^N; for signed
    /// targets GCC also reduces modulo 2^N).
    pub fn new(value: i128, ty: IntTy) -> Value {
        Value { raw: value as u128 & max_unsigned(ty.bits), ty }
    }

    /// An `int` value.
    pub fn int(value: i128) -> Value {
        Value::new(value, IntTy::int())
    }

    /// A value from its unsigned magnitude (literals).
    pub fn from_bits(raw: u128, ty: IntTy) -> Value {
        Value { raw: raw & max_unsigned(ty.bits), ty }
    }

    /// The mathematical value; `None` only for an `unsigned __int128` above
    /// `i128::MAX`.
    pub fn get(self) -> Option<i128> {
        if self.ty.unsigned {
            i128::try_from(self.raw).ok()
        } else {
            let shift = 128 - self.ty.bits;
            Some(((self.raw << shift) as i128) >> shift)
        }
    }

    /// The value, or an error naming it when it does not fit `i128`.
    pub fn value(self) -> Result<i128, EvalError> {
        self.get().ok_or_else(|| {
            EvalError::new(format!("value {} does not fit 128 signed bits", self.raw))
        })
    }

    /// Whether the value is zero (the truth value of a condition).
    pub fn is_zero(self) -> bool {
        self.raw == 0
    }

    /// Conversion to another integer type (a cast, or an implicit
    /// conversion).
    pub fn convert(self, ty: IntTy) -> Value {
        if ty.rank == 0 {
            // Conversion to _Bool compares with zero (C17 6.3.1.2).
            return Value { raw: u128::from(!self.is_zero()), ty };
        }
        Value::from_bits(self.sign_extended(), ty)
    }

    /// The bit pattern extended to 128 bits as its own type says.
    fn sign_extended(self) -> u128 {
        match self.get() {
            Some(v) => v as u128,
            None => self.raw,
        }
    }

    /// A unary operator.
    pub fn unary(op: UnaryOp, v: Value) -> Result<Value, EvalError> {
        if op == UnaryOp::LogicalNot {
            return Ok(Value::int(i128::from(v.is_zero())));
        }
        let v = v.convert(v.ty.promote());
        match op {
            UnaryOp::Plus => Ok(v),
            UnaryOp::Not => Ok(Value::from_bits(!v.raw, v.ty)),
            UnaryOp::Neg if v.ty.unsigned => Ok(Value::from_bits(v.raw.wrapping_neg(), v.ty)),
            UnaryOp::Neg => signed_result(v.value()?.checked_neg(), v.ty),
            UnaryOp::LogicalNot => unreachable!("handled above"),
        }
    }

    /// A binary operator other than `&&`, `||` and `,`, which the evaluator
    /// handles because they do not always evaluate both operands.
    pub fn binary(op: BinaryOp, a: Value, b: Value) -> Result<Value, EvalError> {
        use BinaryOp::*;
        match op {
            Shl | Shr => return shift(op, a, b),
            LogicalAnd => return Ok(Value::int(i128::from(!a.is_zero() && !b.is_zero()))),
            LogicalOr => return Ok(Value::int(i128::from(!a.is_zero() || !b.is_zero()))),
            Comma => return Ok(b),
            _ => {}
        }

        let ty = IntTy::common(a.ty, b.ty);
        let (a, b) = (a.convert(ty), b.convert(ty));
        match op {
            Lt | Gt | Le | Ge | Eq | Ne => Ok(Value::int(i128::from(compare(op, a, b)))),
            BitAnd => Ok(Value::from_bits(a.raw & b.raw, ty)),
            BitOr => Ok(Value::from_bits(a.raw | b.raw, ty)),
            BitXor => Ok(Value::from_bits(a.raw ^ b.raw, ty)),
            _ if ty.unsigned => unsigned_arith(op, a.raw, b.raw, ty),
            _ => signed_arith(op, a.value()?, b.value()?, ty),
        }
    }
}

fn compare(op: BinaryOp, a: Value, b: Value) -> bool {
    // Both have the common type: compare as unsigned bit patterns or as
    // signed values.
    let ord = if a.ty.unsigned {
        a.raw.cmp(&b.raw)
    } else {
        (a.sign_extended() as i128).cmp(&(b.sign_extended() as i128))
    };
    match op {
        BinaryOp::Lt => ord.is_lt(),
        BinaryOp::Gt => ord.is_gt(),
        BinaryOp::Le => ord.is_le(),
        BinaryOp::Ge => ord.is_ge(),
        BinaryOp::Eq => ord.is_eq(),
        _ => ord.is_ne(),
    }
}

fn unsigned_arith(op: BinaryOp, a: u128, b: u128, ty: IntTy) -> Result<Value, EvalError> {
    let raw = match op {
        BinaryOp::Add => a.wrapping_add(b),
        BinaryOp::Sub => a.wrapping_sub(b),
        BinaryOp::Mul => a.wrapping_mul(b),
        BinaryOp::Div => a.checked_div(b).ok_or_else(division_by_zero)?,
        BinaryOp::Rem => a.checked_rem(b).ok_or_else(division_by_zero)?,
        _ => unreachable!("not an arithmetic operator: {op:?}"),
    };
    Ok(Value::from_bits(raw, ty))
}

fn signed_arith(op: BinaryOp, a: i128, b: i128, ty: IntTy) -> Result<Value, EvalError> {
    if matches!(op, BinaryOp::Div | BinaryOp::Rem) && b == 0 {
        return Err(division_by_zero());
    }
    // Rust's `/` and `%` truncate toward zero, as C17 6.5.5p6 requires.
    let result = match op {
        BinaryOp::Add => a.checked_add(b),
        BinaryOp::Sub => a.checked_sub(b),
        BinaryOp::Mul => a.checked_mul(b),
        BinaryOp::Div => a.checked_div(b),
        BinaryOp::Rem => a.checked_rem(b),
        _ => unreachable!("not an arithmetic operator: {op:?}"),
    };
    signed_result(result, ty)
}

/// A signed result, or an overflow error when it does not fit its type
/// (C17 6.5p5: undefined, so not a constant expression; GCC rejects it
/// where a constant is required).
fn signed_result(result: Option<i128>, ty: IntTy) -> Result<Value, EvalError> {
    match result {
        Some(v) if ty.min() <= v && v <= ty.max() => Ok(Value::new(v, ty)),
        _ => Err(EvalError::new(format!(
            "integer overflow in a {}-bit signed constant expression",
            ty.bits
        ))),
    }
}

/// `<<` and `>>` (C17 6.5.7): the result has the promoted left type; the
/// count must be in `0..width`. GCC defines a left shift of a signed value
/// as the two's complement bit pattern (no overflow check) and a right shift
/// of a negative value as arithmetic.
fn shift(op: BinaryOp, a: Value, b: Value) -> Result<Value, EvalError> {
    let a = a.convert(a.ty.promote());
    let count = b.get().filter(|&n| n >= 0 && n < i128::from(a.ty.bits)).ok_or_else(|| {
        EvalError::new(format!(
            "shift count {} is out of range for a {}-bit type",
            b.raw, a.ty.bits
        ))
    })?;
    let count = count as u32;
    let raw = match op {
        BinaryOp::Shl => a.raw << count,
        _ if a.ty.unsigned => a.raw >> count,
        _ => (a.sign_extended() as i128 >> count) as u128,
    };
    Ok(Value::from_bits(raw, a.ty))
}

fn division_by_zero() -> EvalError {
    EvalError::new("division by zero in a constant expression")
}
