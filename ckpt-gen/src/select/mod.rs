//! Record selection: which items of an [`Ir`] the emitters write out, and
//! under which names.
//!
//! Takes: the target-free [`Ir`] and a name pattern (by default `^ckpt_`).
//! Returns: a [`Selection`], the ids of the matched records and of every
//! record, typedef, enum and integer macro they need, in an order emitters can
//! write them in (a record after the records it embeds by value), which
//! definitions stand for others, and the Rust names that differ from the C
//! ones.
//! Leaves to others: layout (a selected record may still have none for some
//! target: the emitter reports it) and all output.
//!
//! Rules:
//! - a record is matched when its name (the part before any `::`) matches
//!   the pattern, it is complete, and it is defined in a scanned file
//!   ([`crate::ir::SourceFile::in_scan`]); matched records are listed by
//!   file and line;
//! - nested records `PARENT::MEMBER` and `PARENT::anon<N>` come with their
//!   parent;
//! - every type a selected item uses, from any file, is selected: records by
//!   value or behind pointers (pointer cycles are fine), typedefs, enums;
//! - every enum declared in a scanned file is selected, with all its
//!   constants;
//! - integer macros: those spelled in the array lengths of selected records,
//!   and those of scanned files whose name starts with the upper-case
//!   literal prefix of the pattern (`CKPT_` for `^ckpt_`), by file then line.
//!
//! One C type, one item: each header is its own translation unit, so a
//! type several headers define reaches the IR once per definition site.
//! Definitions with the same name and the same structure (`identity.rs`) are
//! one item, the first by file and line (scanned files first); the others
//! are listed in [`Selection::same`], and so is a tag only declared in one
//! unit (`struct timespec;`) when some unit defines it. Definitions that
//! differ, and other items whose Rust names would clash (a struct and an
//! enum with one tag, a typedef named like an unrelated tag, a nested
//! `P::x` next to a real `P_x`), are all emitted, the later ones renamed
//! as `naming.rs` describes (`timespec__time`), with a warning naming both
//! definitions.

mod identity;
mod naming;

pub use naming::flat_name;

use crate::ir::{EnumId, Expr, Ir, RecordId, Type, TypedefId};
use identity::Identity;
use regex::Regex;
use std::collections::{HashMap, HashSet};

/// A named item of the IR: what Rust names and [`Selection::same`] refer
/// to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Item {
    /// A struct or union.
    Record(RecordId),
    /// An enum.
    Enum(EnumId),
    /// A typedef.
    Typedef(TypedefId),
}

/// The items to emit, as ids into the [`Ir`] they were selected from.
///
/// Plain data: tests and callers with their own rules may build one by hand
/// (leaving [`Selection::same`] and [`Selection::renamed`] empty emits every
/// item under its C name). Emitters write the items in the order given, and
/// read every id they meet in a type through [`Selection::record`],
/// [`Selection::enumeration`] and [`Selection::typedef`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Selection {
    /// The records that matched the pattern themselves, by file and line.
    pub matched: Vec<RecordId>,
    /// Every record to emit: a record after the records it embeds by value.
    pub records: Vec<RecordId>,
    /// Every enum to emit, by file and line.
    pub enums: Vec<EnumId>,
    /// Every typedef to emit, after the types it names.
    pub typedefs: Vec<TypedefId>,
    /// Integer macros to emit, as indexes into [`Ir::macros`], by file and
    /// line.
    pub macros: Vec<usize>,
    /// Items emitted as another one: other definitions of the same type,
    /// and declarations of a tag that is defined elsewhere.
    pub same: HashMap<Item, Item>,
    /// Rust names of the emitted items whose name is not [`flat_name`] of
    /// their C name (collisions, see the module documentation).
    pub renamed: HashMap<Item, String>,
}

impl Selection {
    /// The record emitted for `id`.
    pub fn record(&self, id: RecordId) -> RecordId {
        match self.same.get(&Item::Record(id)) {
            Some(Item::Record(other)) => *other,
            _ => id,
        }
    }

    /// The enum emitted for `id`.
    pub fn enumeration(&self, id: EnumId) -> EnumId {
        match self.same.get(&Item::Enum(id)) {
            Some(Item::Enum(other)) => *other,
            _ => id,
        }
    }

    /// The typedef emitted for `id`.
    pub fn typedef(&self, id: TypedefId) -> TypedefId {
        match self.same.get(&Item::Typedef(id)) {
            Some(Item::Typedef(other)) => *other,
            _ => id,
        }
    }

    /// The Rust name of an item (of the item emitted for it), before
    /// keywords are made raw identifiers; empty for an anonymous enum.
    pub fn rust_name(&self, ir: &Ir, item: Item) -> String {
        let item = match item {
            Item::Record(id) => Item::Record(self.record(id)),
            Item::Enum(id) => Item::Enum(self.enumeration(id)),
            Item::Typedef(id) => Item::Typedef(self.typedef(id)),
        };
        match self.renamed.get(&item) {
            Some(name) => name.clone(),
            None => naming::default_name(ir, item),
        }
    }
}

/// The default record pattern.
pub const DEFAULT_PATTERN: &str = "^ckpt_";

/// Selects the records of `ir` whose name matches `pattern`, and everything
/// they depend on. See the module documentation for the rules. Never fails:
/// a pattern that matches nothing gives an empty selection (plus the enums
/// and macros of scanned files).
pub fn select(ir: &Ir, pattern: &Regex) -> Selection {
    let canon = canonical_items(ir, &Identity::compute(ir));
    let mut walker = Walker::new(ir, &canon);
    let mut matched: Vec<RecordId> = ir
        .records_with_ids()
        .filter(|(_, r)| is_match(ir, r, pattern))
        .map(|(id, _)| walker.canon_record(id))
        .collect();
    matched.sort_by_cached_key(|&id| naming::order_key(ir, Item::Record(id)));
    matched.dedup();

    for &id in &matched {
        walker.record(id);
    }
    walker.drain_pointees();

    let enums = sorted_enums(ir, &mut walker);
    let macros = macros(ir, &walker.macro_names, &upper_prefix(pattern.as_str()));
    let renamed = rust_names(ir, &walker, &enums);
    Selection {
        matched,
        records: walker.records,
        enums,
        typedefs: walker.typedefs,
        macros,
        same: walker.same,
        renamed,
    }
}

/// Whether a record is matched by the pattern itself.
fn is_match(ir: &Ir, record: &crate::ir::Record, pattern: &Regex) -> bool {
    !record.name.contains("::")
        && record.complete
        && ir.file(record.loc.file).in_scan
        && pattern.is_match(&record.name)
}

/// For every item that is not emitted itself, the item emitted instead:
/// the first definition (by [`naming::order_key`]) of the same type, or for
/// a tag only declared, the first definition of that tag.
fn canonical_items(ir: &Ir, identity: &Identity) -> HashMap<Item, Item> {
    let records = ir.records_with_ids().map(|(id, _)| Item::Record(id));
    let enums = (0..ir.enums.len() as u32).map(|i| Item::Enum(EnumId(i)));
    let typedefs = (0..ir.typedefs.len() as u32).map(|i| Item::Typedef(TypedefId(i)));
    let mut first: HashMap<u32, (Item, _)> = HashMap::new();
    for item in records.chain(enums).chain(typedefs) {
        let key = naming::order_key(ir, item);
        let entry = first.entry(identity.class_of(item)).or_insert((item, key.clone()));
        if key < entry.1 {
            *entry = (item, key);
        }
    }
    let first_of = |item: Item| first[&identity.class_of(item)].0;

    // Declarations go to the first definition of their tag.
    let mut definitions: HashMap<(&str, crate::ir::RecordKind), Item> = HashMap::new();
    let mut defined: Vec<(RecordId, _)> = ir
        .records_with_ids()
        .filter(|(_, r)| r.complete && r.tagged)
        .map(|(id, _)| (id, naming::order_key(ir, Item::Record(id))))
        .collect();
    defined.sort_by(|a, b| a.1.cmp(&b.1));
    for (id, _) in defined {
        let r = ir.record(id);
        definitions.entry((r.name.as_str(), r.kind)).or_insert(first_of(Item::Record(id)));
    }

    let mut canon = HashMap::new();
    for (id, r) in ir.records_with_ids() {
        let item = Item::Record(id);
        let to = match definitions.get(&(r.name.as_str(), r.kind)) {
            Some(&def) if !r.complete && r.tagged => def,
            _ => first_of(item),
        };
        if to != item {
            canon.insert(item, to);
        }
    }
    for item in (0..ir.enums.len() as u32)
        .map(|i| Item::Enum(EnumId(i)))
        .chain((0..ir.typedefs.len() as u32).map(|i| Item::Typedef(TypedefId(i))))
    {
        if first_of(item) != item {
            canon.insert(item, first_of(item));
        }
    }
    canon
}

/// The Rust names of the selected items that are not their C names.
fn rust_names(ir: &Ir, walker: &Walker, enums: &[EnumId]) -> HashMap<Item, String> {
    let mut items: Vec<Item> = walker.records.iter().map(|&id| Item::Record(id)).collect();
    items.extend(enums.iter().map(|&id| Item::Enum(id)));
    // A typedef named like the tag it stands for (`typedef struct x x;`)
    // is the tag's name, not a claim of its own.
    items.extend(
        walker
            .typedefs
            .iter()
            .filter(|&&id| !names_its_tag(ir, walker, id))
            .map(|&id| Item::Typedef(id)),
    );

    let mut nested: HashMap<RecordId, RecordId> = HashMap::new();
    for &parent in &walker.records {
        for child in naming::nested_in(ir, parent) {
            nested.entry(walker.canon_record(child)).or_insert(parent);
        }
    }
    nested.retain(|child, _| walker.visits.contains_key(child));
    naming::assign(ir, &items, &nested)
}

/// Whether a typedef names a tag of its own name: `typedef struct x x;`.
fn names_its_tag(ir: &Ir, walker: &Walker, id: TypedefId) -> bool {
    let td = ir.typedef(id);
    match &td.ty {
        Type::Record(r) => ir.record(walker.canon_record(*r)).name == td.name,
        Type::Enum(e) => ir.enumeration(*e).tag.as_deref() == Some(&td.name),
        _ => false,
    }
}

/// Where a walk stands with one record.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Visit {
    InProgress,
    Done,
}

/// Depth-first walk over the types selected records use, through the
/// canonical items.
struct Walker<'ir> {
    ir: &'ir Ir,
    canon: &'ir HashMap<Item, Item>,
    visits: HashMap<RecordId, Visit>,
    records: Vec<RecordId>,
    typedefs: Vec<TypedefId>,
    typedefs_seen: HashSet<TypedefId>,
    enums: HashSet<EnumId>,
    pointees: Vec<RecordId>,
    macro_names: HashSet<String>,
    /// The items met that stand for others.
    same: HashMap<Item, Item>,
}

impl<'ir> Walker<'ir> {
    fn new(ir: &'ir Ir, canon: &'ir HashMap<Item, Item>) -> Self {
        Walker {
            ir,
            canon,
            visits: HashMap::new(),
            records: Vec::new(),
            typedefs: Vec::new(),
            typedefs_seen: HashSet::new(),
            enums: HashSet::new(),
            pointees: Vec::new(),
            macro_names: HashSet::new(),
            same: HashMap::new(),
        }
    }

    /// The item emitted for `item`, remembering the substitution.
    fn canon(&mut self, item: Item) -> Item {
        match self.canon.get(&item) {
            Some(&to) => {
                self.same.insert(item, to);
                to
            }
            None => item,
        }
    }

    /// The record emitted for `id`.
    fn canon_record(&self, id: RecordId) -> RecordId {
        match self.canon.get(&Item::Record(id)) {
            Some(Item::Record(to)) => *to,
            _ => id,
        }
    }

    /// Selects a record after everything it embeds by value, and after its
    /// nested records.
    fn record(&mut self, id: RecordId) {
        let Item::Record(id) = self.canon(Item::Record(id)) else { return };
        if self.visits.contains_key(&id) {
            // Done, or a by-value cycle, which layout reports.
            return;
        }
        self.visits.insert(id, Visit::InProgress);

        for child in naming::nested_in(self.ir, id) {
            self.record(child);
        }
        let record = self.ir.record(id);
        for field in &record.fields {
            self.ty(&field.ty, true);
        }

        self.visits.insert(id, Visit::Done);
        self.records.push(id);
    }

    /// Selects what a type names; `by_value` is false behind a pointer.
    fn ty(&mut self, ty: &Type, by_value: bool) {
        match ty {
            Type::Pointer(pointee) => self.ty(pointee, false),
            Type::Array { elem, len } => {
                self.ty(elem, by_value);
                if let Some(len) = len {
                    self.expr(len);
                }
            }
            Type::Vector { elem, .. } | Type::Atomic(elem) => self.ty(elem, by_value),
            Type::Record(id) if by_value => self.record(*id),
            Type::Record(id) => self.pointees.push(*id),
            Type::Enum(id) => {
                if let Item::Enum(id) = self.canon(Item::Enum(*id)) {
                    self.enums.insert(id);
                }
            }
            Type::Typedef(id) => self.typedef(*id),
            Type::Void
            | Type::Int(_)
            | Type::Float(_)
            | Type::Complex(_)
            | Type::VaList
            | Type::Function
            | Type::Unknown(_) => {}
        }
    }

    /// Selects a typedef after the types it names.
    fn typedef(&mut self, id: TypedefId) {
        let Item::Typedef(id) = self.canon(Item::Typedef(id)) else { return };
        if !self.typedefs_seen.insert(id) {
            return;
        }
        self.ty(&self.ir.typedef(id).ty, true);
        self.typedefs.push(id);
    }

    /// Collects the macro names spelled in an array length.
    fn expr(&mut self, expr: &Expr) {
        match expr {
            Expr::Macro(name, inner) => {
                self.macro_names.insert(name.clone());
                self.expr(inner);
            }
            Expr::Cast(_, e) | Expr::Unary(_, e) | Expr::Member(e, _) | Expr::Deref(e) => {
                self.expr(e)
            }
            Expr::SizeOfExpr(e) => self.expr(e),
            Expr::Binary(_, a, b) => {
                self.expr(a);
                self.expr(b);
            }
            Expr::Cond(c, a, b) => {
                self.expr(c);
                self.expr(a);
                self.expr(b);
            }
            Expr::Int { .. }
            | Expr::EnumConst(..)
            | Expr::SizeOf(_)
            | Expr::AlignOf(_)
            | Expr::PreferredAlignOf(_)
            | Expr::BiggestAlignment
            | Expr::OffsetOf(..)
            | Expr::NullPointer(_) => {}
        }
    }

    /// Selects the records reached only through pointers, and theirs.
    fn drain_pointees(&mut self) {
        while let Some(id) = self.pointees.pop() {
            self.record(id);
        }
    }
}

/// The enums used by selected items plus those of scanned files, by file
/// and line.
fn sorted_enums(ir: &Ir, walker: &mut Walker) -> Vec<EnumId> {
    let scanned: Vec<EnumId> = ir
        .enums
        .iter()
        .enumerate()
        .filter(|(_, e)| e.complete && ir.file(e.loc.file).in_scan)
        .map(|(i, _)| EnumId(i as u32))
        .collect();
    for id in scanned {
        if let Item::Enum(id) = walker.canon(Item::Enum(id)) {
            walker.enums.insert(id);
        }
    }
    let mut all: Vec<EnumId> = walker.enums.iter().copied().collect();
    all.sort_by_cached_key(|&id| {
        let e = ir.enumeration(id);
        (ir.file(e.loc.file).display.clone(), e.loc.line, e.loc.offset, id)
    });
    all
}

/// The macros named in array lengths plus the scanned ones with the
/// prefix, by file and line.
fn macros(ir: &Ir, used: &HashSet<String>, prefix: &str) -> Vec<usize> {
    // The last definition of a name is the one in force after the headers.
    let mut by_name: HashMap<&str, usize> = HashMap::new();
    for (i, m) in ir.macros.iter().enumerate() {
        by_name.insert(&m.name, i);
    }

    let mut out: Vec<usize> = by_name
        .iter()
        .filter(|(name, &i)| {
            used.contains(**name)
                || (!prefix.is_empty()
                    && name.starts_with(prefix)
                    && ir.file(ir.macros[i].loc.file).in_scan)
        })
        .map(|(_, &i)| i)
        .collect();
    out.sort_by_key(|&i| {
        let m = &ir.macros[i];
        (ir.file(m.loc.file).display.clone(), m.loc.line, m.loc.offset, i)
    });
    out
}

/// The literal text a pattern requires at the start of a name, upper-cased:
/// `^ckpt_` gives `CKPT_`. Empty when the pattern starts with a
/// metacharacter.
fn upper_prefix(pattern: &str) -> String {
    let body = pattern.strip_prefix('^').unwrap_or(pattern);
    let literal: Vec<char> =
        body.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
    let quantified = body[literal.len()..].starts_with(['?', '*', '{']);
    let keep = if quantified { literal.len().saturating_sub(1) } else { literal.len() };
    literal[..keep].iter().collect::<String>().to_ascii_uppercase()
}

#[cfg(test)]
mod tests;
