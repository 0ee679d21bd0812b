//! Constant expression evaluation and type sizes for one target.
//!
//! [`Evaluator`] answers "how big is this type" and "what is this constant
//! expression worth" for one [`Target`]. It reads record layouts and
//! enumerator values through [`Lookup`], so the same code serves while the
//! layouts are being computed (lazily, with memoization and cycle detection:
//! `engine.rs`) and afterwards (from the finished [`Layouts`]).
//!
//! Recursion is bounded: chains of typedefs and arrays are walked with a
//! loop, and every other nesting (expressions, records inside records)
//! counts against [`MAX_DEPTH`], past which evaluation fails with an error
//! instead of exhausting the stack.

use super::int::{IntTy, Value};
use super::{Layouts, TypeLayout};
use crate::ir::{BinaryOp, EnumId, Expr, FloatKind, IntKind, Ir, RecordId, Type, TypedefId};
use crate::target::{Scalar, Target};
use serde::Serialize;
use std::cell::Cell;

/// Why a constant expression or a type has no value for a target.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct EvalError {
    /// What went wrong, in words.
    pub message: String,
}

impl EvalError {
    pub(super) fn new(message: impl Into<String>) -> EvalError {
        EvalError { message: message.into() }
    }
}

impl std::fmt::Display for EvalError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for EvalError {}

/// How deeply expressions, types and records may nest before evaluation
/// gives up with an error. A debug build uses about 2 KiB of stack per
/// level, so this stays well inside a 2 MiB thread stack. Long flat chains
/// (`A | B | C | ...`, typedef and array chains) do not count: they are
/// walked with loops.
pub(super) const MAX_DEPTH: u32 = 256;

/// The largest alignment `aligned(N)` may ask for: GCC's limit for ELF
/// objects (2^28 bytes).
const MAX_ALIGN: u64 = 1 << 28;

/// What the evaluator needs from the layouts it is part of.
pub(super) trait Lookup {
    /// The IR.
    fn ir(&self) -> &Ir;
    /// The target.
    fn target(&self) -> &'static Target;
    /// The current nesting depth, shared by every evaluator of a layout run.
    fn depth(&self) -> &Cell<u32>;
    /// Size and alignment of a complete record.
    fn record(&self, id: RecordId) -> Result<TypeLayout, EvalError>;
    /// Bit offset of member `index` of a record, and whether it is a
    /// bit-field.
    fn field_offset_bits(&self, id: RecordId, index: usize) -> Result<(u64, bool), EvalError>;
    /// The value of enumerator `index` of an enum.
    fn enum_value(&self, id: EnumId, index: u32) -> Result<i128, EvalError>;
    /// The values of every enumerator of an enum.
    fn enum_values(&self, id: EnumId) -> Result<Vec<i128>, EvalError>;
}

/// [`Lookup`] over finished [`Layouts`].
pub(super) struct Finished<'a, 'ir> {
    layouts: &'a Layouts<'ir>,
    depth: Cell<u32>,
}

impl<'a, 'ir> Finished<'a, 'ir> {
    pub(super) fn new(layouts: &'a Layouts<'ir>) -> Self {
        Finished { layouts, depth: Cell::new(0) }
    }
}

impl Lookup for Finished<'_, '_> {
    fn ir(&self) -> &Ir {
        self.layouts.ir
    }

    fn target(&self) -> &'static Target {
        self.layouts.target
    }

    fn depth(&self) -> &Cell<u32> {
        &self.depth
    }

    fn record(&self, id: RecordId) -> Result<TypeLayout, EvalError> {
        match self.layouts.record(id) {
            Ok(l) => Ok(TypeLayout { size_bytes: l.size_bytes, align_bytes: l.align_bytes }),
            Err(e) => Err(record_error(self.layouts.ir, id, e)),
        }
    }

    fn field_offset_bits(&self, id: RecordId, index: usize) -> Result<(u64, bool), EvalError> {
        let layout = self.layouts.record(id).map_err(|e| record_error(self.layouts.ir, id, e))?;
        let field = &layout.fields[index];
        Ok((field.offset_bits, field.bitfield))
    }

    fn enum_value(&self, id: EnumId, index: u32) -> Result<i128, EvalError> {
        let values = self.layouts.enum_values(id).map_err(Clone::clone)?;
        values
            .get(index as usize)
            .copied()
            .ok_or_else(|| bad_enumerator(self.layouts.ir, id, index))
    }

    fn enum_values(&self, id: EnumId) -> Result<Vec<i128>, EvalError> {
        self.layouts.enum_values(id).map(<[i128]>::to_vec).map_err(Clone::clone)
    }
}

/// The error a member of type `struct x` gets when `struct x` has no
/// layout.
pub(super) fn record_error(ir: &Ir, id: RecordId, e: &super::LayoutError) -> EvalError {
    let rec = ir.record(id);
    EvalError::new(format!("`{} {}`: {e}", rec.kind.keyword(), rec.name))
}

pub(super) fn bad_enumerator(ir: &Ir, id: EnumId, index: u32) -> EvalError {
    let name = ir.enumeration(id).tag.as_deref().unwrap_or("<anonymous>");
    EvalError::new(format!("enum `{name}` has no enumerator number {index} with a known value"))
}

/// One step of a typedef/array chain, applied from the inside out.
enum Layer<'a> {
    Typedef(TypedefId),
    Array(Option<&'a Expr>),
}

/// The type an lvalue path (inside `sizeof`) designates.
enum PathType<'a> {
    /// `((T *)0)`: a pointer to `T`.
    PointerTo(&'a Type),
    /// An object of this type.
    Object(&'a Type),
    /// An rvalue of an integer type.
    Integer(IntTy),
}

/// Evaluates types and constant expressions for one target.
pub(super) struct Evaluator<'a> {
    cx: &'a dyn Lookup,
}

/// Decrements the shared depth when an evaluation step returns.
struct DepthGuard<'a>(&'a Cell<u32>);

impl Drop for DepthGuard<'_> {
    fn drop(&mut self) {
        self.0.set(self.0.get() - 1);
    }
}

impl<'a> Evaluator<'a> {
    pub(super) fn new(cx: &'a dyn Lookup) -> Self {
        Evaluator { cx }
    }

    pub(super) fn ir(&self) -> &'a Ir {
        self.cx.ir()
    }

    pub(super) fn target(&self) -> &'static Target {
        self.cx.target()
    }

    fn enter(&self) -> Result<DepthGuard<'a>, EvalError> {
        let depth = self.cx.depth();
        if depth.get() >= MAX_DEPTH {
            return Err(EvalError::new(format!(
                "types or expressions nested more than {MAX_DEPTH} levels deep"
            )));
        }
        depth.set(depth.get() + 1);
        Ok(DepthGuard(depth))
    }

    /// Size and alignment of a type as a record member: `sizeof` and the
    /// ABI (not the "preferred") alignment. `[]` arrays have size 0.
    pub(super) fn type_layout(&self, ty: &Type) -> Result<TypeLayout, EvalError> {
        let _guard = self.enter()?;

        // Typedef and array chains are peeled with a loop, then applied from
        // the innermost type outwards.
        let mut layers = Vec::new();
        let mut ty = ty;
        loop {
            match ty {
                Type::Typedef(id) => {
                    layers.push(Layer::Typedef(*id));
                    ty = &self.ir().typedef(*id).ty;
                }
                Type::Array { elem, len } => {
                    layers.push(Layer::Array(len.as_deref()));
                    ty = elem;
                }
                _ => break,
            }
        }

        let mut layout = self.leaf_layout(ty)?;
        for layer in layers.iter().rev() {
            layout = match layer {
                Layer::Typedef(id) => self.typedef_layout(*id, layout)?,
                Layer::Array(len) => self.array_layout(*len, layout)?,
            };
        }
        Ok(layout)
    }

    fn leaf_layout(&self, ty: &Type) -> Result<TypeLayout, EvalError> {
        let target = self.target();
        let scalar = |s: Scalar| Ok(TypeLayout { size_bytes: s.size, align_bytes: s.align });
        match ty {
            Type::Void => Err(EvalError::new("`void` is an incomplete type")),
            Type::Function => Err(EvalError::new("a function type has no size")),
            Type::Unknown(name) => Err(EvalError::new(format!("unknown type `{name}`"))),
            Type::Int(kind) => scalar(int_scalar(*kind, target)?),
            Type::Float(kind) => scalar(float_scalar(*kind, target)?),
            // C17 6.2.5p13: a complex type is laid out as an array of two
            // elements of its real type.
            Type::Complex(kind) => {
                let s = float_scalar(*kind, target)?;
                Ok(TypeLayout { size_bytes: 2 * s.size, align_bytes: s.align })
            }
            Type::Pointer(_) => scalar(target.pointer),
            Type::Record(id) => self.cx.record(*id),
            Type::Enum(id) => Ok(self.enum_repr(*id)?.0),
            Type::Vector { elem, size } => self.vector_layout(elem, size),
            Type::VaList => scalar(target.va_list),
            Type::Atomic(inner) => {
                let l = self.type_layout(inner)?;
                let atomic_align = match l.size_bytes {
                    1 | 2 | 4 | 8 => l.size_bytes,
                    16 => target.atomic16_align,
                    _ => 1,
                };
                Ok(TypeLayout { align_bytes: l.align_bytes.max(atomic_align), ..l })
            }
            Type::Typedef(_) | Type::Array { .. } => self.type_layout(ty),
        }
    }

    /// GCC's `__alignof__`: the alignment a type has as an object of its
    /// own. It is the member alignment except for 8-byte scalars (`long
    /// long`, `double`, `_Complex double`, an enum stored in 8 bytes, an
    /// 8-byte vector, and arrays of them), which GCC and Clang prefer
    /// 8-aligned on every target, although i386 places them at 4 inside
    /// records. A typedef's `aligned(N)` is taken as written, and records
    /// are never raised.
    fn preferred_align(&self, ty: &Type) -> Result<u64, EvalError> {
        match ty {
            Type::Typedef(id) if self.ir().typedef(*id).aligned.is_none() => {
                return self.preferred_align(&self.ir().typedef(*id).ty)
            }
            Type::Array { elem, .. } => return self.preferred_align(elem),
            _ => {}
        }
        let layout = self.type_layout(ty)?;
        let eight = match ty {
            Type::Int(_) | Type::Enum(_) | Type::Vector { .. } => layout.size_bytes == 8,
            Type::Float(kind) | Type::Complex(kind) => *kind == crate::ir::FloatKind::Double,
            _ => false,
        };
        Ok(if eight { layout.align_bytes.max(8) } else { layout.align_bytes })
    }

    /// GCC: `aligned(N)` on a typedef sets the alignment to N, lowering it
    /// as well as raising it, and never changes `sizeof`. `packed` on a
    /// typedef of an already complete type is ignored with a warning by both
    /// GCC 12 and Clang 14 (measured: `typedef int T
    /// __attribute__((packed))` has alignment 4 on every target); a packed
    /// `typedef struct {...} __attribute__((packed)) T` packs the struct
    /// itself, which the IR records on the [`crate::ir::Record`].
    fn typedef_layout(&self, id: TypedefId, inner: TypeLayout) -> Result<TypeLayout, EvalError> {
        match &self.ir().typedef(id).aligned {
            Some(expr) => Ok(TypeLayout { align_bytes: self.alignment(expr)?, ..inner }),
            None => Ok(inner),
        }
    }

    /// C17 6.5.3.4p7: an array's size is its length times the element's
    /// `sizeof` (even when a typedef raised the element's alignment above
    /// its size); its alignment is the element's.
    fn array_layout(&self, len: Option<&Expr>, elem: TypeLayout) -> Result<TypeLayout, EvalError> {
        // GCC rejects arrays whose elements could not all be aligned (a
        // typedef raising a 1-byte type's alignment to 16); Clang pads.
        if elem.size_bytes % elem.align_bytes != 0 {
            return Err(EvalError::new(format!(
                "alignment of array elements ({}) is greater than their size ({})",
                elem.align_bytes, elem.size_bytes
            )));
        }
        let Some(len) = len else {
            return Ok(TypeLayout { size_bytes: 0, ..elem });
        };
        let count = self.eval(len)?;
        if count < 0 {
            return Err(EvalError::new(format!("array length {count} is negative")));
        }
        let size = u128::try_from(count)
            .ok()
            .and_then(|n| n.checked_mul(u128::from(elem.size_bytes)))
            .filter(|&size| size <= self.max_object_size())
            .ok_or_else(|| {
                EvalError::new(format!(
                    "array size overflows: {count} elements of {} bytes",
                    elem.size_bytes
                ))
            })?;
        Ok(TypeLayout { size_bytes: size as u64, ..elem })
    }

    /// The largest object the target allows (`PTRDIFF_MAX`, as GCC
    /// enforces), further limited so that bit offsets fit in `u64`.
    pub(super) fn max_object_size(&self) -> u128 {
        let ptrdiff_max = (1u128 << (self.target().pointer.size * 8 - 1)) - 1;
        ptrdiff_max.min(u128::from(u64::MAX / 8))
    }

    /// GNU `vector_size(N)`: size N, alignment N capped at the target's
    /// biggest alignment (measured with GCC 12 on all eight targets: 16, 8 on
    /// armv7 and s390x). FIXME: Clang 14 does not cap on x86, s390x,
    /// powerpc and riscv64 (`vector_size(32)` is 32-aligned there), and GCC
    /// on i386 without MMX gives an 8-byte vector alignment 4; we follow GCC
    /// and have no per-compiler switch.
    fn vector_layout(&self, elem: &Type, size: &Expr) -> Result<TypeLayout, EvalError> {
        let elem = self.type_layout(elem)?;
        let size = self.eval(size)?;
        let valid = size > 0
            && (size as u128).is_power_of_two()
            && elem.size_bytes > 0
            && size as u128 % u128::from(elem.size_bytes) == 0
            && size as u128 <= self.max_object_size();
        if !valid {
            return Err(EvalError::new(format!(
                "vector size {size} is not a power-of-two multiple of the element size {}",
                elem.size_bytes
            )));
        }
        let size = size as u64;
        let target = self.target();
        let mut align = size.min(target.vector_align_cap.unwrap_or(size));
        if size == 8 {
            align = align.min(target.long_long.align);
        }
        Ok(TypeLayout { size_bytes: size, align_bytes: align.max(elem.align_bytes) })
    }

    /// An `aligned(N)` argument: a positive power of two.
    pub(super) fn alignment(&self, expr: &Expr) -> Result<u64, EvalError> {
        let n = self.eval(expr)?;
        if n <= 0 || !(n as u128).is_power_of_two() || n as u128 > u128::from(MAX_ALIGN) {
            return Err(EvalError::new(format!(
                "requested alignment {n} is not a positive power of 2 up to {MAX_ALIGN}"
            )));
        }
        Ok(n as u64)
    }

    /// Storage of an enum type and whether it is signed.
    ///
    /// GCC on every Linux ABI here (no `-fshort-enums`): `int`-sized, or
    /// `unsigned int` when a value only fits that, else 8 bytes aligned like
    /// `long long` (4 on i386) (GCC extension, C23 6.7.2.2). `packed` (or
    /// `-fshort-enums`) picks the smallest of 1/2/4/8 bytes holding every
    /// value. The type is unsigned unless a value is negative (GCC's
    /// compatible type). `aligned(N)` on the enum raises the alignment;
    /// GCC 12 never lowers it (Clang 14 does: measured
    /// `enum __attribute__((aligned(2)))` has `_Alignof` 4 with GCC, 2
    /// with Clang; we follow GCC).
    pub(super) fn enum_repr(&self, id: EnumId) -> Result<(TypeLayout, bool), EvalError> {
        let target = self.target();
        let en = self.ir().enumeration(id);
        if !en.complete {
            let name = en.tag.as_deref().unwrap_or("<anonymous>");
            return Err(EvalError::new(format!("`enum {name}` is incomplete")));
        }

        let values = self.cx.enum_values(id)?;
        let min = values.iter().copied().min().unwrap_or(0).min(0);
        let max = values.iter().copied().max().unwrap_or(0).max(0);
        let signed = min < 0;
        let fits = |bytes: u64| {
            let bits = bytes as u32 * 8;
            let ty = IntTy { rank: 3, bits, unsigned: !signed };
            ty.min() <= min && max <= ty.max()
        };
        let sizes: &[u64] = if en.packed || target.short_enums { &[1, 2, 4, 8] } else { &[4, 8] };
        let Some(size) = sizes.iter().copied().find(|&bytes| fits(bytes)) else {
            return Err(EvalError::new("enumerator values do not fit a 64-bit integer"));
        };

        let mut align = match size {
            1 => 1,
            2 => target.short.align,
            4 => target.int.align,
            _ => target.long_long.align,
        };
        if let Some(expr) = &en.aligned {
            align = align.max(self.alignment(expr)?);
        }
        Ok((TypeLayout { size_bytes: size, align_bytes: align }, signed))
    }

    /// Evaluates a constant expression to its mathematical value.
    pub(super) fn eval(&self, expr: &Expr) -> Result<i128, EvalError> {
        self.value(expr)?.value()
    }

    /// Evaluates a constant expression to a typed C value.
    pub(super) fn value(&self, expr: &Expr) -> Result<Value, EvalError> {
        let _guard = self.enter()?;
        let target = self.target();
        match expr {
            Expr::Int { value, unsigned, long } => {
                Ok(Value::from_bits(*value, IntTy::of_literal(*value, *unsigned, *long, target)))
            }
            Expr::EnumConst(id, index) => {
                let v = self.cx.enum_value(*id, *index)?;
                Ok(Value::new(v, IntTy::of_enumerator(v, target)))
            }
            Expr::SizeOf(ty) => self.size_t(self.sizeof_type(ty)?),
            Expr::SizeOfExpr(e) => self.size_t(self.sizeof_expr(e)?),
            Expr::AlignOf(ty) => self.size_t(u128::from(self.type_layout(ty)?.align_bytes)),
            Expr::PreferredAlignOf(ty) => self.size_t(u128::from(self.preferred_align(ty)?)),
            Expr::BiggestAlignment => self.size_t(u128::from(target.biggest_alignment)),
            Expr::OffsetOf(ty, path) => self.size_t(u128::from(self.offset_of(ty, path)?)),
            Expr::Cast(ty, e) => Ok(self.value(e)?.convert(self.cast_type(ty)?)),
            Expr::NullPointer(_) => Ok(Value::new(0, pointer_int(target))),
            Expr::Member(..) | Expr::Deref(..) => Err(EvalError::new(
                "member access and `*` are only constant inside `sizeof` and `offsetof`",
            )),
            Expr::Unary(op, e) => Value::unary(*op, self.value(e)?),
            Expr::Binary(..) => self.binary_chain(expr),
            Expr::Cond(c, a, b) => self.conditional(c, a, b),
            Expr::Macro(_, e) => self.value(e),
        }
    }

    fn size_t(&self, n: u128) -> Result<Value, EvalError> {
        Ok(Value::from_bits(n, IntTy::size_t(self.target())))
    }

    /// A binary operator, or a left-nested chain of them (`a | b | c`),
    /// folded with a loop. `&&` and `||` evaluate their right operand only
    /// when needed (C17 6.5.13-14): `0 && 1 / 0` is a valid constant 0.
    fn binary_chain(&self, expr: &Expr) -> Result<Value, EvalError> {
        let mut rights = Vec::new();
        let mut left = expr;
        while let Expr::Binary(op, a, b) = left {
            rights.push((*op, &**b));
            left = a;
        }
        let mut acc = self.value(left)?;
        for &(op, right) in rights.iter().rev() {
            acc = match op {
                BinaryOp::LogicalAnd if acc.is_zero() => Value::int(0),
                BinaryOp::LogicalOr if !acc.is_zero() => Value::int(1),
                _ => Value::binary(op, acc, self.value(right)?)?,
            };
        }
        Ok(acc)
    }

    /// `c ? a : b` (C17 6.5.15): only the chosen operand is evaluated; the
    /// result has the common type of both (taken from the chosen one alone
    /// when the other has no constant value).
    fn conditional(&self, c: &Expr, a: &Expr, b: &Expr) -> Result<Value, EvalError> {
        let (taken, other) = if self.value(c)?.is_zero() { (b, a) } else { (a, b) };
        let taken = self.value(taken)?;
        let ty = match self.value(other) {
            Ok(other) => Value::binary(BinaryOp::BitOr, taken, other)?.ty,
            Err(_) => Value::unary(crate::ir::UnaryOp::Plus, taken)?.ty,
        };
        Ok(taken.convert(ty))
    }

    /// The integer type a cast converts to.
    fn cast_type(&self, ty: &Type) -> Result<IntTy, EvalError> {
        let target = self.target();
        match self.ir().resolve_typedefs(ty) {
            Type::Int(kind) => IntTy::of_kind(*kind, target),
            Type::Enum(id) => {
                let (layout, signed) = self.enum_repr(*id)?;
                let bits = layout.size_bytes as u32 * 8;
                Ok(IntTy { rank: if bits > 32 { 5 } else { 3 }, bits, unsigned: !signed })
            }
            Type::Pointer(_) => Ok(pointer_int(target)),
            _ => Err(EvalError::new("a cast in a constant expression must be to an integer type")),
        }
    }

    /// `sizeof(T)`: GNU C gives `void` and function types size 1; an
    /// incomplete array has no size.
    fn sizeof_type(&self, ty: &Type) -> Result<u128, EvalError> {
        match self.ir().resolve_typedefs(ty) {
            Type::Void | Type::Function => Ok(1),
            Type::Array { len: None, .. } => {
                Err(EvalError::new("`sizeof` applied to an array of unknown length"))
            }
            _ => Ok(u128::from(self.type_layout(ty)?.size_bytes)),
        }
    }

    /// `sizeof expr`: the size of the type the expression has.
    fn sizeof_expr(&self, expr: &Expr) -> Result<u128, EvalError> {
        match self.path_type(expr)? {
            PathType::PointerTo(_) => Ok(u128::from(self.target().pointer.size)),
            PathType::Object(ty) => self.sizeof_type(ty),
            PathType::Integer(ty) => Ok(u128::from(ty.bits / 8)),
        }
    }

    /// The type of an lvalue path such as `((struct s *)0)->a.b[2]`; other
    /// expressions are evaluated for their integer type.
    fn path_type<'e>(&self, expr: &'e Expr) -> Result<PathType<'e>, EvalError>
    where
        'a: 'e,
    {
        let _guard = self.enter()?;
        match expr {
            Expr::NullPointer(ty) => Ok(PathType::PointerTo(ty)),
            Expr::Cast(ty, _) if matches!(self.ir().resolve_typedefs(ty), Type::Pointer(_)) => {
                match self.ir().resolve_typedefs(ty) {
                    Type::Pointer(to) => Ok(PathType::PointerTo(to)),
                    _ => unreachable!("matched above"),
                }
            }
            Expr::Macro(_, e) => self.path_type(e),
            Expr::Deref(e) => match self.path_type(e)? {
                PathType::PointerTo(ty) => Ok(PathType::Object(ty)),
                PathType::Object(ty) => match self.ir().resolve_typedefs(ty) {
                    Type::Pointer(to) => Ok(PathType::Object(to)),
                    Type::Array { elem, .. } => Ok(PathType::Object(elem)),
                    _ => Err(EvalError::new("`*` or `[]` applied to a non-pointer")),
                },
                PathType::Integer(_) => Err(EvalError::new("`*` applied to an integer")),
            },
            Expr::Member(base, name) => {
                // The IR writes `e->m` and `e.m` alike: a pointer base is
                // dereferenced first.
                let record_ty = match self.path_type(base)? {
                    PathType::PointerTo(ty) => ty,
                    PathType::Object(ty) => match self.ir().resolve_typedefs(ty) {
                        Type::Pointer(to) => to,
                        _ => ty,
                    },
                    PathType::Integer(_) => {
                        return Err(EvalError::new(format!("member `{name}` of an integer")))
                    }
                };
                let id = self.record_of(record_ty)?;
                let chain = self.find_member(id, name)?;
                let &(rid, index) = chain.last().expect("find_member never returns an empty chain");
                let field = &self.ir().record(rid).fields[index];
                if field.bit_width.is_some() {
                    return Err(EvalError::new(format!("`sizeof` applied to bit-field `{name}`")));
                }
                Ok(PathType::Object(&field.ty))
            }
            other => Ok(PathType::Integer(self.value(other)?.ty)),
        }
    }

    fn record_of(&self, ty: &Type) -> Result<RecordId, EvalError> {
        match self.ir().resolve_typedefs(ty) {
            Type::Record(id) => Ok(*id),
            _ => Err(EvalError::new("member access on a type that is not a struct or union")),
        }
    }

    /// Finds member `name` of a record, searching the members of anonymous
    /// struct and union members too (C17 6.7.2.1p13). Returns the chain of
    /// (record, member index) from the outer record to the member.
    pub(super) fn find_member(
        &self,
        id: RecordId,
        name: &str,
    ) -> Result<Vec<(RecordId, usize)>, EvalError> {
        let mut chain = Vec::new();
        if self.search_member(id, name, &mut chain, 0) {
            return Ok(chain);
        }
        let rec = self.ir().record(id);
        Err(EvalError::new(format!(
            "`{} {}` has no member named `{name}`",
            rec.kind.keyword(),
            rec.name
        )))
    }

    fn search_member(
        &self,
        id: RecordId,
        name: &str,
        chain: &mut Vec<(RecordId, usize)>,
        depth: u32,
    ) -> bool {
        // Anonymous members nest a handful of levels in practice; the limit
        // only guards against a malformed IR where a record contains itself.
        if depth > 64 {
            return false;
        }
        let fields = &self.ir().record(id).fields;
        if let Some(index) = fields.iter().position(|f| f.name.as_deref() == Some(name)) {
            chain.push((id, index));
            return true;
        }
        for (index, field) in fields.iter().enumerate() {
            if field.name.is_some() || field.bit_width.is_some() {
                continue;
            }
            if let Type::Record(inner) = self.ir().resolve_typedefs(&field.ty) {
                chain.push((id, index));
                if self.search_member(*inner, name, chain, depth + 1) {
                    return true;
                }
                chain.pop();
            }
        }
        false
    }

    /// `offsetof(T, path)` in bytes. The path is member names and array
    /// indices; the parser writes indices as `[N]` elements, and an element
    /// may also combine them (`a.b[2]`).
    fn offset_of(&self, ty: &Type, path: &[String]) -> Result<u64, EvalError> {
        let mut ty = ty;
        let mut offset_bits: u128 = 0;
        for step in path.iter().flat_map(|element| split_path(element)) {
            match step? {
                PathStep::Member(name) => {
                    let id = self.record_of(ty)?;
                    for (rid, index) in self.find_member(id, name)? {
                        let (bits, bitfield) = self.cx.field_offset_bits(rid, index)?;
                        if bitfield {
                            return Err(EvalError::new(format!(
                                "`offsetof` applied to bit-field `{name}`"
                            )));
                        }
                        offset_bits += u128::from(bits);
                        ty = &self.ir().record(rid).fields[index].ty;
                    }
                }
                PathStep::Index(index) => {
                    let Type::Array { elem, .. } = self.ir().resolve_typedefs(ty) else {
                        return Err(EvalError::new(format!(
                            "`offsetof` index [{index}] of a non-array"
                        )));
                    };
                    let elem_size = u128::from(self.type_layout(elem)?.size_bytes);
                    offset_bits += u128::from(index) * elem_size * 8;
                    ty = elem;
                }
            }
            if offset_bits / 8 > self.max_object_size() {
                return Err(EvalError::new("`offsetof` overflows"));
            }
        }
        Ok((offset_bits / 8) as u64)
    }
}

enum PathStep<'a> {
    Member(&'a str),
    Index(u64),
}

/// Splits one element of an `offsetof` path (`a`, `[2]`, `a.b[2]`) into
/// steps.
fn split_path(element: &str) -> Vec<Result<PathStep<'_>, EvalError>> {
    let mut steps = Vec::new();
    let mut rest = element.trim();
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix('.') {
            rest = after.trim_start();
        } else if let Some(after) = rest.strip_prefix('[') {
            let Some(end) = after.find(']') else {
                steps.push(Err(EvalError::new(format!(
                    "unclosed `[` in offsetof path `{element}`"
                ))));
                break;
            };
            steps.push(parse_index(after[..end].trim()).ok_or_else(|| {
                EvalError::new(format!(
                    "offsetof index `{}` is not an integer constant",
                    &after[..end]
                ))
            }));
            rest = after[end + 1..].trim_start();
        } else {
            let end = rest
                .find(|c: char| c == '.' || c == '[' || c.is_whitespace())
                .unwrap_or(rest.len());
            steps.push(Ok(PathStep::Member(&rest[..end])));
            rest = rest[end..].trim_start();
        }
    }
    steps
}

fn parse_index(text: &str) -> Option<PathStep<'static>> {
    let digits = text.trim_end_matches(['u', 'U', 'l', 'L']);
    let value = if let Some(hex) = digits.strip_prefix("0x").or_else(|| digits.strip_prefix("0X")) {
        u64::from_str_radix(hex, 16).ok()?
    } else if digits.len() > 1 && digits.starts_with('0') {
        u64::from_str_radix(&digits[1..], 8).ok()?
    } else {
        digits.parse().ok()?
    };
    Some(PathStep::Index(value))
}

/// An integer as wide as a pointer (`unsigned long` on Linux).
fn pointer_int(target: &Target) -> IntTy {
    IntTy { rank: 4, bits: target.pointer.size as u32 * 8, unsigned: true }
}

/// Size and alignment of an integer type.
pub(super) fn int_scalar(kind: IntKind, target: &Target) -> Result<Scalar, EvalError> {
    Ok(match kind {
        IntKind::Bool | IntKind::Char | IntKind::SChar | IntKind::UChar => {
            Scalar { size: 1, align: 1 }
        }
        IntKind::Short | IntKind::UShort => target.short,
        IntKind::Int | IntKind::UInt => target.int,
        IntKind::Long | IntKind::ULong => target.long,
        IntKind::LongLong | IntKind::ULongLong => target.long_long,
        IntKind::Int128 | IntKind::UInt128 => target
            .int128
            .ok_or_else(|| EvalError::new(format!("`__int128` is not supported on {target}")))?,
    })
}

/// Size and alignment of a floating type.
fn float_scalar(kind: FloatKind, target: &Target) -> Result<Scalar, EvalError> {
    let missing = || EvalError::new(format!("`{}` is not supported on {target}", kind.c_name()));
    match kind {
        FloatKind::Float => Ok(target.float),
        FloatKind::Double => Ok(target.double),
        FloatKind::LongDouble => Ok(target.long_double),
        FloatKind::Float128 => target.float128.ok_or_else(missing),
        FloatKind::Float80 => target.float80.ok_or_else(missing),
        FloatKind::Float16 => target.float16.ok_or_else(missing),
    }
}
