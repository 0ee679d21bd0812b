//! Merging the IR of several translation units into one.
//!
//! Each scanned header is preprocessed and parsed as its own translation
//! unit, as a compiler would see it; the units share most of their
//! declarations through includes. A declaration is the same one when it has
//! the same name and the same definition site, so each appears once in the
//! merged IR. A record only declared (`struct x;`) in one unit is linked to
//! the definition another unit saw, when there is exactly one.

use super::{EnumId, Expr, Ir, Loc, RecordId, Type, TypedefId};
use crate::lex::IdMap;
use std::collections::HashMap;

/// Accumulates translation units.
#[derive(Debug, Default)]
pub struct Merger {
    ir: Ir,
    records: IdMap<(String, bool, Option<(Loc,)>), RecordId>,
    enums: IdMap<(Option<String>, Loc), EnumId>,
    typedefs: IdMap<(String, Loc), TypedefId>,
    macros: IdMap<String, usize>,
}

struct Remap {
    records: Vec<RecordId>,
    enums: Vec<EnumId>,
    typedefs: Vec<TypedefId>,
}

impl Merger {
    /// Adds one unit's declarations.
    pub fn add(&mut self, unit: Ir) {
        let mut map = Remap { records: Vec::new(), enums: Vec::new(), typedefs: Vec::new() };
        let mut new_records = Vec::new();
        for r in &unit.records {
            // A complete record is identified by its definition site; an
            // incomplete one by its tag alone.
            let key = (r.name.clone(), r.complete, r.complete.then_some((r.loc,)));
            let next = RecordId((self.ir.records.len() + new_records.len()) as u32);
            let id = *self.records.entry(key).or_insert_with(|| {
                new_records.push(r.clone());
                next
            });
            map.records.push(id);
        }
        let mut new_enums = Vec::new();
        for e in &unit.enums {
            let next = EnumId((self.ir.enums.len() + new_enums.len()) as u32);
            let id = *self.enums.entry((e.tag.clone(), e.loc)).or_insert_with(|| {
                new_enums.push(e.clone());
                next
            });
            map.enums.push(id);
        }
        let mut new_typedefs = Vec::new();
        for t in &unit.typedefs {
            let next = TypedefId((self.ir.typedefs.len() + new_typedefs.len()) as u32);
            let id = *self.typedefs.entry((t.name.clone(), t.loc)).or_insert_with(|| {
                new_typedefs.push(t.clone());
                next
            });
            map.typedefs.push(id);
        }

        for mut r in new_records {
            for f in &mut r.fields {
                map.ty(&mut f.ty);
                f.bit_width.iter_mut().for_each(|e| map.expr(e));
                f.aligned.iter_mut().for_each(|e| map.expr(e));
            }
            r.aligned.iter_mut().flatten().for_each(|e| map.expr(e));
            self.ir.records.push(r);
        }
        for mut e in new_enums {
            e.constants.iter_mut().filter_map(|c| c.value.as_mut()).for_each(|v| map.expr(v));
            e.aligned.iter_mut().for_each(|v| map.expr(v));
            self.ir.enums.push(e);
        }
        for mut t in new_typedefs {
            map.ty(&mut t.ty);
            t.aligned.iter_mut().for_each(|v| map.expr(v));
            self.ir.typedefs.push(t);
        }
        for mut m in unit.macros {
            if self.macros.contains_key(&m.name) {
                continue;
            }
            map.expr(&mut m.value);
            self.macros.insert(m.name.clone(), self.ir.macros.len());
            self.ir.macros.push(m);
        }
    }

    /// The merged IR, with `files` as given (indexed by the ids the units
    /// used). Files are renumbered in path order, so that ids, and every
    /// order derived from them, do not depend on which thread read a file
    /// first; the returned table maps old ids to new ones, for locations
    /// held outside the IR (diagnostics).
    pub fn finish(mut self, files: Vec<super::SourceFile>) -> (Ir, Vec<super::FileId>) {
        self.link_declarations();
        let mut order: Vec<usize> = (0..files.len()).collect();
        order.sort_by(|&a, &b| files[a].path.cmp(&files[b].path));
        let mut renumber = vec![super::FileId(0); files.len()];
        for (new, &old) in order.iter().enumerate() {
            renumber[old] = super::FileId(new as u32);
        }
        let mut files: Vec<Option<super::SourceFile>> = files.into_iter().map(Some).collect();
        self.ir.files = order.iter().filter_map(|&old| files[old].take()).collect();
        self.ir.relocate(&renumber);
        (self.ir, renumber)
    }

    /// Points uses of an only-declared tag at its definition, when exactly
    /// one definition of that tag exists.
    fn link_declarations(&mut self) {
        let mut defined: HashMap<(&str, super::RecordKind), Vec<RecordId>> = HashMap::new();
        for (id, r) in self.ir.records_with_ids() {
            if r.complete && r.tagged {
                defined.entry((r.name.as_str(), r.kind)).or_default().push(id);
            }
        }
        let records: Vec<RecordId> = self
            .ir
            .records_with_ids()
            .map(|(id, r)| match defined.get(&(r.name.as_str(), r.kind)) {
                Some(defs) if !r.complete && r.tagged && defs.len() == 1 => defs[0],
                _ => id,
            })
            .collect();
        let map = Remap {
            records,
            enums: (0..self.ir.enums.len() as u32).map(EnumId).collect(),
            typedefs: (0..self.ir.typedefs.len() as u32).map(TypedefId).collect(),
        };
        for r in &mut self.ir.records {
            for f in &mut r.fields {
                map.ty(&mut f.ty);
            }
        }
        for t in &mut self.ir.typedefs {
            map.ty(&mut t.ty);
        }
    }
}

impl Ir {
    /// Rewrites every location's file id through `map` (old id → new id).
    fn relocate(&mut self, map: &[super::FileId]) {
        let fix = |loc: &mut Loc| {
            if let Some(new) = map.get(loc.file.0 as usize) {
                loc.file = *new;
            }
        };
        for r in &mut self.records {
            fix(&mut r.loc);
            r.fields.iter_mut().for_each(|f| fix(&mut f.loc));
        }
        for e in &mut self.enums {
            fix(&mut e.loc);
            e.constants.iter_mut().for_each(|c| fix(&mut c.loc));
        }
        self.typedefs.iter_mut().for_each(|t| fix(&mut t.loc));
        self.macros.iter_mut().for_each(|m| fix(&mut m.loc));
    }
}

impl Remap {
    fn ty(&self, ty: &mut Type) {
        match ty {
            Type::Record(id) => *id = self.records[id.0 as usize],
            Type::Enum(id) => *id = self.enums[id.0 as usize],
            Type::Typedef(id) => *id = self.typedefs[id.0 as usize],
            Type::Pointer(inner) => self.ty(inner),
            Type::Array { elem, len } => {
                self.ty(elem);
                if let Some(len) = len {
                    self.expr(len);
                }
            }
            Type::Vector { elem, size } => {
                self.ty(elem);
                self.expr(size);
            }
            Type::Atomic(inner) => self.ty(inner),
            Type::Void
            | Type::VaList
            | Type::Int(_)
            | Type::Float(_)
            | Type::Complex(_)
            | Type::Function
            | Type::Unknown(_) => {}
        }
    }

    fn expr(&self, e: &mut Expr) {
        match e {
            Expr::EnumConst(id, _) => *id = self.enums[id.0 as usize],
            Expr::SizeOf(t)
            | Expr::AlignOf(t)
            | Expr::PreferredAlignOf(t)
            | Expr::NullPointer(t) => self.ty(t),
            Expr::OffsetOf(t, _) => self.ty(t),
            Expr::Cast(t, inner) => {
                self.ty(t);
                self.expr(inner);
            }
            Expr::SizeOfExpr(inner)
            | Expr::Member(inner, _)
            | Expr::Deref(inner)
            | Expr::Unary(_, inner)
            | Expr::Macro(_, inner) => self.expr(inner),
            Expr::Binary(_, a, b) => {
                self.expr(a);
                self.expr(b);
            }
            Expr::Cond(a, b, c) => {
                self.expr(a);
                self.expr(b);
                self.expr(c);
            }
            Expr::Int { .. } | Expr::BiggestAlignment => {}
        }
    }
}
