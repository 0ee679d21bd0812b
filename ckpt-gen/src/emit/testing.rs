//! Test support: IR built by hand, and hand-written layouts behind
//! [`LayoutSource`], so selection and emitters are tested without the parser
//! and the layout engine.

use super::LayoutSource;
use crate::ir::{
    BinaryOp, Enum, EnumConst, EnumId, Expr, Field, FileId, FloatKind, IntKind, Ir, Loc, Macro,
    Record, RecordId, RecordKind, SourceFile, Type, Typedef, TypedefId, UnaryOp,
};
use crate::layout::{EvalError, FieldLayout, LayoutError, RecordLayout, Target, TypeLayout};

/// Builds an [`Ir`] with two files: a scanned header and a system header.
pub(crate) struct IrBuilder {
    ir: Ir,
    line: u32,
}

/// Adds members to one record.
pub(crate) struct RecordBuilder<'a> {
    /// The record being defined: set attributes directly.
    pub record: &'a mut Record,
    line: &'a mut u32,
}

impl IrBuilder {
    /// `include/linux/ckpt.h`, scanned.
    pub const SCANNED: u32 = 0;
    /// `/usr/include/sys.h`, not scanned.
    pub const SYSTEM: u32 = 1;

    pub fn new() -> Self {
        let file = |display: &str, in_scan| SourceFile {
            path: display.into(),
            display: display.into(),
            in_scan,
        };
        let files = vec![file("include/linux/ckpt.h", true), file("/usr/include/sys.h", false)];
        IrBuilder { ir: Ir { files, ..Ir::default() }, line: 10 }
    }

    /// Adds a file; returns its index, for the `file` arguments.
    pub fn file(&mut self, display: &str, in_scan: bool) -> u32 {
        let file = SourceFile { path: display.into(), display: display.into(), in_scan };
        self.ir.files.push(file);
        self.ir.files.len() as u32 - 1
    }

    fn loc(&mut self, file: u32) -> Loc {
        self.line += 1;
        Loc { file: FileId(file), offset: self.line * 10, line: self.line, column: 1 }
    }

    pub fn int(&self, value: u128) -> Expr {
        Expr::Int { value, unsigned: false, long: 0 }
    }

    pub fn typedef(&mut self, name: &str, ty: Type, file: u32) -> TypedefId {
        let loc = self.loc(file);
        self.ir.typedefs.push(Typedef { name: name.into(), ty, aligned: None, packed: false, loc });
        TypedefId(self.ir.typedefs.len() as u32 - 1)
    }

    /// Declares a record without defining it.
    pub fn forward(&mut self, name: &str, kind: RecordKind) -> RecordId {
        let loc = self.loc(Self::SCANNED);
        self.ir.records.push(Record {
            name: name.into(),
            tagged: !name.contains("::"),
            kind,
            complete: false,
            fields: Vec::new(),
            packed: false,
            aligned: Vec::new(),
            max_field_align: None,
            begins_with_hdr: false,
            loc,
        });
        RecordId(self.ir.records.len() as u32 - 1)
    }

    /// Defines a record declared by [`IrBuilder::forward`].
    pub fn define(&mut self, id: RecordId, file: u32, body: impl FnOnce(&mut RecordBuilder)) {
        let loc = self.loc(file);
        let record = &mut self.ir.records[id.0 as usize];
        record.loc = loc;
        record.complete = true;
        body(&mut RecordBuilder { record, line: &mut self.line });
    }

    pub fn record(
        &mut self,
        name: &str,
        kind: RecordKind,
        file: u32,
        body: impl FnOnce(&mut RecordBuilder),
    ) -> RecordId {
        let id = self.forward(name, kind);
        self.define(id, file, body);
        id
    }

    pub fn enumeration(
        &mut self,
        tag: Option<&str>,
        names: &[&str],
        file: u32,
        line: u32,
    ) -> EnumId {
        let loc = Loc { file: FileId(file), offset: line * 10, line, column: 1 };
        let constants =
            names.iter().map(|n| EnumConst { name: n.to_string(), value: None, loc }).collect();
        let tag = tag.map(str::to_string);
        self.ir.enums.push(Enum {
            tag,
            constants,
            complete: true,
            packed: false,
            aligned: None,
            loc,
        });
        EnumId(self.ir.enums.len() as u32 - 1)
    }

    pub fn macro_def(&mut self, name: &str, value: u128, file: u32, line: u32) -> usize {
        let loc = Loc { file: FileId(file), offset: line * 10, line, column: 1 };
        self.ir.macros.push(Macro { name: name.into(), value: self.int(value), loc });
        self.ir.macros.len() - 1
    }

    /// The IR built so far.
    pub fn finish_ref(&self) -> &Ir {
        &self.ir
    }

    pub fn finish(self) -> Ir {
        self.ir
    }
}

impl RecordBuilder<'_> {
    fn push(&mut self, name: Option<&str>, ty: Type, bit_width: Option<u128>) {
        *self.line += 1;
        let loc = Loc { file: self.record.loc.file, offset: 0, line: *self.line, column: 5 };
        let bit_width = bit_width.map(|w| Expr::Int { value: w, unsigned: false, long: 0 });
        let name = name.map(str::to_string);
        let aligned = Vec::new();
        self.record.fields.push(Field { name, ty, bit_width, packed: false, aligned, loc });
    }

    pub fn field(&mut self, name: &str, ty: Type) {
        self.push(Some(name), ty, None);
    }

    pub fn anonymous(&mut self, ty: Type) {
        self.push(None, ty, None);
    }

    pub fn bitfield(&mut self, name: Option<&str>, ty: Type, width: u128) {
        self.push(name, ty, Some(width));
    }
}

/// A member layout: offset and size in bits.
pub(crate) fn member(offset_bits: u64, size_bits: u64, align_bytes: u64) -> FieldLayout {
    FieldLayout { offset_bits, size_bits, bitfield: false, align_bytes }
}

/// A bit-field layout.
pub(crate) fn bits(offset_bits: u64, width: u64) -> FieldLayout {
    FieldLayout { offset_bits, size_bits: width, bitfield: true, align_bytes: 1 }
}

/// Layouts written by hand; scalar types come from the target.
pub(crate) struct FakeLayouts {
    pub ir: Ir,
    pub target: &'static Target,
    pub records: Vec<Result<RecordLayout, LayoutError>>,
    pub enums: Vec<(Vec<i128>, TypeLayout, bool)>,
}

impl FakeLayouts {
    pub fn new(ir: Ir, target: &str) -> Self {
        let records = ir.records.iter().map(|_| Err(LayoutError::Incomplete)).collect();
        let target = Target::by_name(target).expect("known target");
        FakeLayouts { ir, target, records, enums: Vec::new() }
    }

    /// Sets a record's layout.
    pub fn set(&mut self, id: RecordId, size: u64, align: u64, fields: Vec<FieldLayout>) {
        let natural_align_bytes = align;
        let layout =
            RecordLayout { size_bytes: size, align_bytes: align, fields, natural_align_bytes };
        self.records[id.0 as usize] = Ok(layout);
    }

    fn int_layout(&self, kind: IntKind) -> TypeLayout {
        let t = self.target;
        let s = match kind {
            IntKind::Bool | IntKind::Char | IntKind::SChar | IntKind::UChar => {
                return TypeLayout { size_bytes: 1, align_bytes: 1 }
            }
            IntKind::Short | IntKind::UShort => t.short,
            IntKind::Int | IntKind::UInt => t.int,
            IntKind::Long | IntKind::ULong => t.long,
            IntKind::LongLong | IntKind::ULongLong => t.long_long,
            IntKind::Int128 | IntKind::UInt128 => t.int128.expect("int128"),
        };
        TypeLayout { size_bytes: s.size, align_bytes: s.align }
    }
}

fn no(what: &str) -> EvalError {
    EvalError { message: format!("fake layouts: no {what}") }
}

impl LayoutSource for FakeLayouts {
    fn ir(&self) -> &Ir {
        &self.ir
    }

    fn target(&self) -> &'static Target {
        self.target
    }

    fn record(&self, id: RecordId) -> Result<&RecordLayout, &LayoutError> {
        self.records[id.0 as usize].as_ref()
    }

    fn type_layout(&self, ty: &Type) -> Result<TypeLayout, EvalError> {
        let scalar =
            |s: crate::target::Scalar| TypeLayout { size_bytes: s.size, align_bytes: s.align };
        Ok(match ty {
            Type::Int(kind) => self.int_layout(*kind),
            Type::Float(FloatKind::Float) => scalar(self.target.float),
            Type::Float(FloatKind::Double) => scalar(self.target.double),
            Type::Float(FloatKind::LongDouble) => scalar(self.target.long_double),
            Type::Pointer(_) => scalar(self.target.pointer),
            Type::Typedef(id) => return self.type_layout(&self.ir.typedef(*id).ty),
            Type::Record(id) => {
                let r = self.record(*id).map_err(|_| no("record"))?;
                TypeLayout { size_bytes: r.size_bytes, align_bytes: r.align_bytes }
            }
            Type::Enum(id) => return self.enum_repr(*id).map(|(l, _)| l),
            Type::Array { elem, len } => {
                let e = self.type_layout(elem)?;
                let n = len.as_ref().map_or(Ok(0), |l| self.eval(l))? as u64;
                TypeLayout { size_bytes: e.size_bytes * n, align_bytes: e.align_bytes }
            }
            _ => return Err(no("layout for this type")),
        })
    }

    fn eval(&self, expr: &Expr) -> Result<i128, EvalError> {
        Ok(match expr {
            Expr::Int { value, .. } => *value as i128,
            Expr::Macro(_, inner) => self.eval(inner)?,
            Expr::Unary(UnaryOp::Neg, e) => -self.eval(e)?,
            Expr::SizeOf(ty) => self.type_layout(ty)?.size_bytes as i128,
            Expr::Binary(op, a, b) => {
                let (a, b) = (self.eval(a)?, self.eval(b)?);
                match op {
                    BinaryOp::Add => a + b,
                    BinaryOp::Sub => a - b,
                    BinaryOp::Mul => a * b,
                    BinaryOp::Div => a / b,
                    _ => return Err(no("operator")),
                }
            }
            _ => return Err(no("expression")),
        })
    }

    fn enum_values(&self, id: EnumId) -> Result<&[i128], &EvalError> {
        Ok(&self.enums[id.0 as usize].0)
    }

    fn enum_repr(&self, id: EnumId) -> Result<(TypeLayout, bool), EvalError> {
        let (_, layout, signed) = &self.enums[id.0 as usize];
        Ok((*layout, *signed))
    }
}
