//! The layout run: computes every record and enum lazily, in whatever order
//! they need each other, memoizing results and detecting cycles.
//!
//! A record's layout may need other records (members by value,
//! `sizeof(struct x)` in an array length) and enumerator values, declared
//! anywhere. Each is computed on first use; a record that is reached again
//! while its own layout is in progress contains itself, and every record on
//! that cycle gets [`LayoutError::Recursive`].

use super::eval::{bad_enumerator, record_error, EvalError, Evaluator, Lookup};
use super::{record, LayoutError, Layouts, RecordLayout, TypeLayout};
use crate::ir::{EnumId, Ir, RecordId};
use crate::target::Target;
use std::cell::{Cell, RefCell};

/// How many records may be in progress at once (a record whose member is a
/// record whose member is ...) before the run reports an error instead of
/// recursing further. Records are normally defined before use, so computing
/// them in order keeps this stack shallow.
const MAX_RECORD_NESTING: usize = 64;

enum RecordSlot {
    Pending,
    Active,
    Done(Result<RecordLayout, LayoutError>),
}

enum EnumSlot {
    Pending,
    /// Values computed so far: a later enumerator may use earlier ones.
    Active(Vec<i128>),
    Done(Result<Vec<i128>, EvalError>),
}

pub(super) struct Engine<'ir> {
    ir: &'ir Ir,
    target: &'static Target,
    records: RefCell<Vec<RecordSlot>>,
    enums: RefCell<Vec<EnumSlot>>,
    /// Records in progress, outermost first.
    active: RefCell<Vec<RecordId>>,
    /// Records found to lie on a cycle.
    cyclic: RefCell<Vec<bool>>,
    depth: Cell<u32>,
}

/// Lays out every record and evaluates every enum of `ir` for `target`.
pub(super) fn compute_all<'ir>(ir: &'ir Ir, target: &'static Target) -> Layouts<'ir> {
    let engine = Engine {
        ir,
        target,
        records: RefCell::new(ir.records.iter().map(|_| RecordSlot::Pending).collect()),
        enums: RefCell::new(ir.enums.iter().map(|_| EnumSlot::Pending).collect()),
        active: RefCell::new(Vec::new()),
        cyclic: RefCell::new(vec![false; ir.records.len()]),
        depth: Cell::new(0),
    };
    for i in 0..ir.records.len() {
        engine.ensure_record(RecordId(i as u32));
    }
    for i in 0..ir.enums.len() {
        engine.ensure_enum(EnumId(i as u32));
    }

    let records = engine.records.into_inner().into_iter().map(|slot| match slot {
        RecordSlot::Done(result) => result,
        _ => unreachable!("every record was computed"),
    });
    let enum_values = engine.enums.into_inner().into_iter().map(|slot| match slot {
        EnumSlot::Done(result) => result,
        _ => unreachable!("every enum was computed"),
    });
    Layouts { ir, target, records: records.collect(), enum_values: enum_values.collect() }
}

impl Engine<'_> {
    fn ensure_record(&self, id: RecordId) {
        let i = id.0 as usize;
        if !matches!(self.records.borrow()[i], RecordSlot::Pending) {
            return;
        }
        self.records.borrow_mut()[i] = RecordSlot::Active;
        self.active.borrow_mut().push(id);

        let evaluator = Evaluator::new(self);
        let result = record::layout(&evaluator, self.ir.record(id))
            .and_then(|layout| self.apply_naming_typedef(&evaluator, id, layout));

        self.active.borrow_mut().pop();
        let result = if self.cyclic.borrow()[i] { Err(LayoutError::Recursive) } else { result };
        self.records.borrow_mut()[i] = RecordSlot::Done(result);
    }

    /// `__attribute__((aligned(N))) typedef struct { ... } name;`: the
    /// untagged record is only ever used through `name`, whose alignment is
    /// N while `sizeof` stays the record's (GCC typedef semantics). The
    /// record's layout reports what `name` has, as the layout cases expect
    /// (`ckpt_aligned_blob_t`: size 3, align 64).
    fn apply_naming_typedef(
        &self,
        evaluator: &Evaluator<'_>,
        id: RecordId,
        mut layout: RecordLayout,
    ) -> Result<RecordLayout, LayoutError> {
        let rec = self.ir.record(id);
        if rec.tagged {
            return Ok(layout);
        }
        let naming = self.ir.typedefs.iter().find(|td| {
            td.name == rec.name && matches!(td.ty, crate::ir::Type::Record(r) if r == id)
        });
        if let Some(expr) = naming.and_then(|td| td.aligned.as_ref()) {
            layout.align_bytes = evaluator.alignment(expr).map_err(|e| LayoutError::Member {
                field: "<typedef attribute>".to_string(),
                reason: e.message,
            })?;
        }
        Ok(layout)
    }

    /// Marks every record from `id` to the innermost one in progress as
    /// lying on a cycle.
    fn mark_cycle(&self, id: RecordId) {
        let active = self.active.borrow();
        let start = active.iter().rposition(|&r| r == id).unwrap_or(0);
        let mut cyclic = self.cyclic.borrow_mut();
        for r in &active[start..] {
            cyclic[r.0 as usize] = true;
        }
    }

    fn with_record<T>(
        &self,
        id: RecordId,
        f: impl FnOnce(&RecordLayout) -> T,
    ) -> Result<T, EvalError> {
        let name = || {
            let rec = self.ir.record(id);
            format!("`{} {}`", rec.kind.keyword(), rec.name)
        };
        if matches!(self.records.borrow()[id.0 as usize], RecordSlot::Pending) {
            if self.active.borrow().len() >= MAX_RECORD_NESTING {
                return Err(EvalError::new(format!(
                    "{}: records nested more than {MAX_RECORD_NESTING} levels deep",
                    name()
                )));
            }
            self.ensure_record(id);
        }
        match &self.records.borrow()[id.0 as usize] {
            RecordSlot::Done(Ok(layout)) => Ok(f(layout)),
            RecordSlot::Done(Err(e)) => Err(record_error(self.ir, id, e)),
            RecordSlot::Active => {
                self.mark_cycle(id);
                Err(EvalError::new(format!("{}: {}", name(), LayoutError::Recursive)))
            }
            RecordSlot::Pending => unreachable!("computed above"),
        }
    }

    fn ensure_enum(&self, id: EnumId) {
        let i = id.0 as usize;
        if !matches!(self.enums.borrow()[i], EnumSlot::Pending) {
            return;
        }
        self.enums.borrow_mut()[i] = EnumSlot::Active(Vec::new());
        let result = self.evaluate_enum(id);
        self.enums.borrow_mut()[i] = EnumSlot::Done(result);
    }

    /// C17 6.7.2.2p3: an enumerator without `=` is the previous one plus 1
    /// (the first is 0). GCC accepts values in the range of `long long` or
    /// `unsigned long long`.
    fn evaluate_enum(&self, id: EnumId) -> Result<Vec<i128>, EvalError> {
        let en = self.ir.enumeration(id);
        let evaluator = Evaluator::new(self);
        // The previous value and the type GCC computes the next one in: an
        // implicit `+ 1` past the maximum of that type is an error there
        // ("overflow in enumeration values").
        let mut previous: Option<(i128, Option<super::int::IntTy>)> = None;
        for constant in &en.constants {
            let (value, ty) = match (&constant.value, previous) {
                (Some(expr), _) => evaluator.value(expr).and_then(|v| {
                    let ty = v.ty;
                    v.value().map(|n| (n, Some(ty)))
                }),
                (None, None) => Ok((0, None)),
                // `None`: counted up from an implicit 0, in `int`.
                (None, Some((p, ty))) if p >= ty.map_or(i32::MAX.into(), |t| t.max()) => {
                    Err(EvalError::new("overflow in enumeration values"))
                }
                (None, Some((p, ty))) => Ok((p + 1, ty)),
            }
            .and_then(|(v, ty)| {
                if i128::from(i64::MIN) <= v && v <= i128::from(u64::MAX) {
                    Ok((v, ty))
                } else {
                    Err(EvalError::new(format!("value {v} does not fit a 64-bit integer")))
                }
            })
            .map_err(|e| EvalError::new(format!("enumerator `{}`: {e}", constant.name)))?;
            if let EnumSlot::Active(values) = &mut self.enums.borrow_mut()[id.0 as usize] {
                values.push(value);
            }
            previous = Some((value, ty));
        }
        match std::mem::replace(&mut self.enums.borrow_mut()[id.0 as usize], EnumSlot::Pending) {
            EnumSlot::Active(values) => Ok(values),
            _ => unreachable!("the enum in progress is active"),
        }
    }
}

impl Lookup for Engine<'_> {
    fn ir(&self) -> &Ir {
        self.ir
    }

    fn target(&self) -> &'static Target {
        self.target
    }

    fn depth(&self) -> &Cell<u32> {
        &self.depth
    }

    fn record(&self, id: RecordId) -> Result<TypeLayout, EvalError> {
        self.with_record(id, |l| TypeLayout {
            size_bytes: l.size_bytes,
            align_bytes: l.align_bytes,
        })
    }

    fn field_offset_bits(&self, id: RecordId, index: usize) -> Result<(u64, bool), EvalError> {
        self.with_record(id, |l| (l.fields[index].offset_bits, l.fields[index].bitfield))
    }

    fn enum_value(&self, id: EnumId, index: u32) -> Result<i128, EvalError> {
        self.ensure_enum(id);
        match &self.enums.borrow()[id.0 as usize] {
            EnumSlot::Done(Ok(values)) | EnumSlot::Active(values) => values
                .get(index as usize)
                .copied()
                .ok_or_else(|| bad_enumerator(self.ir, id, index)),
            EnumSlot::Done(Err(e)) => Err(e.clone()),
            EnumSlot::Pending => unreachable!("computed above"),
        }
    }

    fn enum_values(&self, id: EnumId) -> Result<Vec<i128>, EvalError> {
        self.ensure_enum(id);
        match &self.enums.borrow()[id.0 as usize] {
            EnumSlot::Done(result) => result.clone(),
            _ => {
                let name = self.ir.enumeration(id).tag.as_deref().unwrap_or("<anonymous>");
                Err(EvalError::new(format!("`enum {name}` is used inside its own definition")))
            }
        }
    }
}
