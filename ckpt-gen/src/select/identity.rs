//! Which definitions of a C name are the same type.
//!
//! Each header is its own translation unit, so a tag defined by two headers
//! (glibc's `struct timespec` and the kernel's, `struct sockaddr_in` in
//! `<netinet/in.h>` and `<linux/in.h>`) reaches the merged IR twice. Two
//! definitions are the same type when they have the same name and the same
//! structure: the same kind, members (names, bit-field widths, attributes)
//! and attributes, and member types spelled the same in C, where a type
//! named by a tag or typedef must itself be the same type again (so a
//! `struct itimerspec` whose `struct timespec` differs is a different
//! `itimerspec`). Nested untagged records are compared by their members.
//!
//! This is a partition refinement: start with one class per name, split
//! each class by the structure of its members written with classes instead
//! of ids, repeat until no class splits. Pointer cycles need no special
//! care: two lists whose `next` points to their own class stay together.

use super::Item;
use crate::ir::{EnumId, Expr, Ir, RecordId, Type, TypedefId};
use std::collections::HashMap;

/// The class of every record, enum and typedef of an IR: equal classes are
/// the same C type.
pub(super) struct Identity {
    records: usize,
    enums: usize,
    typedefs: usize,
    class: Vec<u32>,
}

impl Identity {
    /// Classifies every item of `ir`.
    pub fn compute(ir: &Ir) -> Identity {
        let (records, enums, typedefs) = (ir.records.len(), ir.enums.len(), ir.typedefs.len());
        let mut identity = Identity { records, enums, typedefs, class: Vec::new() };
        let names: Vec<String> = identity.items().map(|item| initial_key(ir, item)).collect();
        let mut count = identity.assign(names);
        loop {
            let keys: Vec<String> =
                identity.items().map(|item| identity.structure_key(ir, item)).collect();
            let next = identity.assign(keys);
            if next == count {
                return identity;
            }
            count = next;
        }
    }

    /// The class of an item.
    pub fn class_of(&self, item: Item) -> u32 {
        self.class[self.index(item)]
    }

    fn index(&self, item: Item) -> usize {
        match item {
            Item::Record(id) => id.0 as usize,
            Item::Enum(id) => self.records + id.0 as usize,
            Item::Typedef(id) => self.records + self.enums + id.0 as usize,
        }
    }

    fn items(&self) -> impl Iterator<Item = Item> {
        let (records, enums) = (self.records as u32, self.enums as u32);
        (0..records)
            .map(|i| Item::Record(RecordId(i)))
            .chain((0..enums).map(|i| Item::Enum(EnumId(i))))
            .chain((0..self.typedefs as u32).map(|i| Item::Typedef(TypedefId(i))))
    }

    /// Numbers the distinct keys in order; returns how many there are.
    fn assign(&mut self, keys: Vec<String>) -> usize {
        let mut numbers: HashMap<String, u32> = HashMap::new();
        self.class = keys
            .into_iter()
            .map(|k| {
                let next = numbers.len() as u32;
                *numbers.entry(k).or_insert(next)
            })
            .collect();
        numbers.len()
    }

    /// The current class and the structure, with references as classes.
    fn structure_key(&self, ir: &Ir, item: Item) -> String {
        let class = self.class_of(item);
        match item {
            Item::Record(id) => {
                let r = ir.record(id);
                let fields: Vec<_> = r
                    .fields
                    .iter()
                    .map(|f| {
                        let width = f.bit_width.as_ref().map(|e| self.expr(e));
                        let aligned: Vec<Expr> = f.aligned.iter().map(|e| self.expr(e)).collect();
                        (&f.name, self.ty(&f.ty), width, f.packed, aligned)
                    })
                    .collect();
                let aligned: Vec<Option<Expr>> =
                    r.aligned.iter().map(|a| a.as_ref().map(|e| self.expr(e))).collect();
                let attrs = (r.packed, aligned, r.max_field_align);
                format!("{class} {:?} {} {:?} {fields:?}", r.kind, r.complete, attrs)
            }
            Item::Enum(id) => {
                let e = ir.enumeration(id);
                let constants: Vec<_> = e
                    .constants
                    .iter()
                    .map(|c| (&c.name, c.value.as_ref().map(|v| self.expr(v))))
                    .collect();
                let aligned = e.aligned.as_ref().map(|a| self.expr(a));
                format!("{class} {} {} {aligned:?} {constants:?}", e.complete, e.packed)
            }
            Item::Typedef(id) => {
                let t = ir.typedef(id);
                let aligned = t.aligned.as_ref().map(|a| self.expr(a));
                format!("{class} {:?} {aligned:?} {}", self.ty(&t.ty), t.packed)
            }
        }
    }

    /// A type with every reference replaced by the referee's class.
    fn ty(&self, ty: &Type) -> Type {
        match ty {
            Type::Record(id) => Type::Record(RecordId(self.class_of(Item::Record(*id)))),
            Type::Enum(id) => Type::Enum(EnumId(self.class_of(Item::Enum(*id)))),
            Type::Typedef(id) => Type::Typedef(TypedefId(self.class_of(Item::Typedef(*id)))),
            Type::Pointer(inner) => Type::Pointer(Box::new(self.ty(inner))),
            Type::Array { elem, len } => Type::Array {
                elem: Box::new(self.ty(elem)),
                len: len.as_ref().map(|l| Box::new(self.expr(l))),
            },
            Type::Vector { elem, size } => {
                Type::Vector { elem: Box::new(self.ty(elem)), size: Box::new(self.expr(size)) }
            }
            Type::Atomic(inner) => Type::Atomic(Box::new(self.ty(inner))),
            Type::Void
            | Type::VaList
            | Type::Int(_)
            | Type::Float(_)
            | Type::Complex(_)
            | Type::Function
            | Type::Unknown(_) => ty.clone(),
        }
    }

    /// An expression with every reference replaced by the referee's class.
    fn expr(&self, e: &Expr) -> Expr {
        let b = |e: &Expr| Box::new(self.expr(e));
        let t = |t: &Type| Box::new(self.ty(t));
        match e {
            Expr::EnumConst(id, n) => Expr::EnumConst(EnumId(self.class_of(Item::Enum(*id))), *n),
            Expr::SizeOf(ty) => Expr::SizeOf(t(ty)),
            Expr::AlignOf(ty) => Expr::AlignOf(t(ty)),
            Expr::PreferredAlignOf(ty) => Expr::PreferredAlignOf(t(ty)),
            Expr::NullPointer(ty) => Expr::NullPointer(t(ty)),
            Expr::OffsetOf(ty, path) => Expr::OffsetOf(t(ty), path.clone()),
            Expr::Cast(ty, inner) => Expr::Cast(t(ty), b(inner)),
            Expr::SizeOfExpr(inner) => Expr::SizeOfExpr(b(inner)),
            Expr::Member(inner, name) => Expr::Member(b(inner), name.clone()),
            Expr::Deref(inner) => Expr::Deref(b(inner)),
            Expr::Unary(op, inner) => Expr::Unary(*op, b(inner)),
            Expr::Macro(name, inner) => Expr::Macro(name.clone(), b(inner)),
            Expr::Binary(op, l, r) => Expr::Binary(*op, b(l), b(r)),
            Expr::Cond(c, l, r) => Expr::Cond(b(c), b(l), b(r)),
            Expr::Int { .. } | Expr::BiggestAlignment => e.clone(),
        }
    }
}

/// The first partition: by namespace and name.
fn initial_key(ir: &Ir, item: Item) -> String {
    match item {
        Item::Record(id) => format!("record {}", ir.record(id).name),
        Item::Enum(id) => format!("enum {}", ir.enumeration(id).tag.as_deref().unwrap_or("")),
        Item::Typedef(id) => format!("typedef {}", ir.typedef(id).name),
    }
}
