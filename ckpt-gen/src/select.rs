//! Record selection: which items of an [`Ir`] the emitters write out.
//!
//! Takes: the target-free [`Ir`] and a name pattern (by default `^ckpt_`).
//! Returns: a [`Selection`], the ids of the matched records and of every
//! record, typedef, enum and integer macro they need, in an order emitters can
//! write them in (a record after the records it embeds by value).
//! Leaves to others: layout (a selected record may still have none for some
//! target: the emitter reports it) and all output.
//!
//! Rules:
//! - a record is matched when its name (the part before any `::`) matches
//!   the pattern, it is complete, and it is defined in a scanned file
//!   ([`crate::ir::SourceFile::in_scan`]);
//! - nested records `PARENT::MEMBER` and `PARENT::anon<N>` come with their
//!   parent;
//! - every type a selected item uses, from any file, is selected: records by
//!   value or behind pointers (pointer cycles are fine), typedefs, enums;
//! - every enum declared in a scanned file is selected, with all its
//!   constants;
//! - integer macros: those spelled in the array lengths of selected records,
//!   and those of scanned files whose name starts with the upper-case
//!   literal prefix of the pattern (`CKPT_` for `^ckpt_`), by file then line.

use crate::ir::{EnumId, Expr, Ir, RecordId, Type, TypedefId};
use regex::Regex;
use std::collections::{HashMap, HashSet};

/// The items to emit, as ids into the [`Ir`] they were selected from.
///
/// Plain data: tests and callers with their own rules may build one by hand.
/// Emitters write the items in the order given.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Selection {
    /// The records that matched the pattern themselves, in IR order.
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
}

/// The default record pattern.
pub const DEFAULT_PATTERN: &str = "^ckpt_";

/// Selects the records of `ir` whose name matches `pattern`, and everything
/// they depend on. See the module documentation for the rules. Never fails:
/// a pattern that matches nothing gives an empty selection (plus the enums
/// and macros of scanned files).
pub fn select(ir: &Ir, pattern: &Regex) -> Selection {
    let mut walker = Walker::new(ir);
    // A tag defined in several scanned headers is emitted once, from its
    // first definition (the front end reports the others).
    let mut tags = HashSet::new();
    let matched: Vec<RecordId> = ir
        .records_with_ids()
        .filter(|(_, r)| is_match(ir, r, pattern))
        .filter(|(_, r)| !r.tagged || tags.insert((r.kind, r.name.as_str())))
        .map(|(id, _)| id)
        .collect();

    for &id in &matched {
        walker.record(id);
    }
    walker.drain_pointees();

    let enums = sorted_enums(ir, walker.enums);
    let macros = macros(ir, &walker.macro_names, &upper_prefix(pattern.as_str()));
    Selection { matched, records: walker.records, enums, typedefs: walker.typedefs, macros }
}

/// Whether a record is matched by the pattern itself.
fn is_match(ir: &Ir, record: &crate::ir::Record, pattern: &Regex) -> bool {
    !record.name.contains("::")
        && record.complete
        && ir.file(record.loc.file).in_scan
        && pattern.is_match(&record.name)
}

/// Where a walk stands with one record.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Visit {
    InProgress,
    Done,
}

/// Depth-first walk over the types selected records use.
struct Walker<'ir> {
    ir: &'ir Ir,
    /// Nested records by parent name.
    children: HashMap<&'ir str, Vec<RecordId>>,
    visits: HashMap<RecordId, Visit>,
    records: Vec<RecordId>,
    typedefs: Vec<TypedefId>,
    typedefs_seen: HashSet<TypedefId>,
    enums: HashSet<EnumId>,
    pointees: Vec<RecordId>,
    macro_names: HashSet<String>,
}

impl<'ir> Walker<'ir> {
    fn new(ir: &'ir Ir) -> Self {
        let mut children: HashMap<&str, Vec<RecordId>> = HashMap::new();
        for (id, record) in ir.records_with_ids() {
            if let Some((parent, _)) = record.name.rsplit_once("::") {
                children.entry(parent).or_default().push(id);
            }
        }
        Walker {
            ir,
            children,
            visits: HashMap::new(),
            records: Vec::new(),
            typedefs: Vec::new(),
            typedefs_seen: HashSet::new(),
            enums: HashSet::new(),
            pointees: Vec::new(),
            macro_names: HashSet::new(),
        }
    }

    /// Selects a record after everything it embeds by value.
    fn record(&mut self, id: RecordId) {
        if self.visits.contains_key(&id) {
            // Done, or a by-value cycle, which layout reports.
            return;
        }
        self.visits.insert(id, Visit::InProgress);

        let record = self.ir.record(id);
        for child in self.children.get(record.name.as_str()).cloned().unwrap_or_default() {
            self.record(child);
        }
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
            Type::Vector { elem, .. } => self.ty(elem, by_value),
            Type::Record(id) if by_value => self.record(*id),
            Type::Record(id) => self.pointees.push(*id),
            Type::Enum(id) => {
                self.enums.insert(*id);
            }
            Type::Typedef(id) => self.typedef(*id),
            Type::Void
            | Type::Int(_)
            | Type::Float(_)
            | Type::Complex(_)
            | Type::Function
            | Type::Unknown(_) => {}
        }
    }

    /// Selects a typedef after the types it names.
    fn typedef(&mut self, id: TypedefId) {
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
fn sorted_enums(ir: &Ir, used: HashSet<EnumId>) -> Vec<EnumId> {
    let scanned = ir
        .enums
        .iter()
        .enumerate()
        .filter(|(_, e)| e.complete && ir.file(e.loc.file).in_scan)
        .map(|(i, _)| EnumId(i as u32));
    let mut all: Vec<EnumId> = used.into_iter().chain(scanned).collect();
    all.sort_by_key(|&id| {
        let e = ir.enumeration(id);
        (ir.file(e.loc.file).display.clone(), e.loc.line, e.loc.offset, id)
    });
    all.dedup();
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
mod tests {
    use super::*;
    use crate::emit::testing::IrBuilder;
    use crate::ir::{IntKind, RecordKind};

    fn pattern() -> Regex {
        Regex::new(DEFAULT_PATTERN).unwrap()
    }

    fn names(ir: &Ir, ids: &[RecordId]) -> Vec<String> {
        ids.iter().map(|&id| ir.record(id).name.clone()).collect()
    }

    #[test]
    fn upper_prefix_of_patterns() {
        for (pattern, prefix) in [
            ("^ckpt_", "CKPT_"),
            ("ckpt_hdr", "CKPT_HDR"),
            ("^ckpt_?x", "CKPT"),
            (".*", ""),
            ("^(ckpt|foo)_", ""),
        ] {
            assert_eq!(upper_prefix(pattern), prefix, "{pattern}");
        }
    }

    #[test]
    fn dependencies_come_first_and_pointers_may_cycle() {
        let mut b = IrBuilder::new();
        let u32_ = b.typedef("__u32", Type::Int(IntKind::UInt), IrBuilder::SYSTEM);
        let node = b.forward("ckpt_node", RecordKind::Struct);
        let inner = b.record("inner", RecordKind::Struct, IrBuilder::SYSTEM, |r| {
            r.field("v", Type::Typedef(u32_));
        });
        b.define(node, IrBuilder::SCANNED, |r| {
            r.field("next", Type::Pointer(Box::new(Type::Record(node))));
            r.field("peer", Type::Pointer(Box::new(Type::Record(inner))));
        });
        let top = b.record("ckpt_top", RecordKind::Struct, IrBuilder::SCANNED, |r| {
            r.field("i", Type::Record(inner));
            r.field("n", Type::Pointer(Box::new(Type::Record(node))));
        });
        b.record("other", RecordKind::Struct, IrBuilder::SCANNED, |_| {});
        b.record("ckpt_sys", RecordKind::Struct, IrBuilder::SYSTEM, |_| {});
        let ir = b.finish();

        let s = select(&ir, &pattern());
        assert_eq!(names(&ir, &s.matched), ["ckpt_node", "ckpt_top"]);
        assert_eq!(names(&ir, &s.records), ["ckpt_node", "inner", "ckpt_top"]);
        assert_eq!(s.typedefs, [u32_]);
        let _ = top;
    }

    #[test]
    fn nested_records_come_with_their_parent() {
        let mut b = IrBuilder::new();
        let parent = b.forward("ckpt_p", RecordKind::Struct);
        let anon = b.record("ckpt_p::anon1", RecordKind::Union, IrBuilder::SCANNED, |r| {
            r.field("a", Type::Int(IntKind::Int));
        });
        b.record("ckpt_p::ptr", RecordKind::Struct, IrBuilder::SCANNED, |_| {});
        b.define(parent, IrBuilder::SCANNED, |r| {
            r.anonymous(Type::Record(anon));
        });
        let ir = b.finish();

        let s = select(&ir, &pattern());
        assert_eq!(names(&ir, &s.matched), ["ckpt_p"]);
        assert_eq!(names(&ir, &s.records), ["ckpt_p::anon1", "ckpt_p::ptr", "ckpt_p"]);
    }

    #[test]
    fn enums_and_macros() {
        let mut b = IrBuilder::new();
        let used = b.enumeration(Some("sys_kind"), &["SYS_A"], IrBuilder::SYSTEM, 5);
        let scanned = b.enumeration(None, &["CKPT_HDR_A", "CKPT_HDR_B"], IrBuilder::SCANNED, 9);
        b.enumeration(Some("sys_other"), &["SYS_B"], IrBuilder::SYSTEM, 1);
        let len = b.macro_def("NAME_LEN", 16, IrBuilder::SYSTEM, 3);
        b.macro_def("CKPT_MAGIC", 7, IrBuilder::SCANNED, 2);
        b.macro_def("CKPT_SYS", 1, IrBuilder::SYSTEM, 1);
        b.macro_def("OTHER", 1, IrBuilder::SCANNED, 1);
        let len_expr = Expr::Macro("NAME_LEN".into(), Box::new(b.int(16)));
        b.record("ckpt_r", RecordKind::Struct, IrBuilder::SCANNED, |r| {
            r.field("k", Type::Enum(used));
            let elem = Box::new(Type::Int(IntKind::Char));
            r.field("name", Type::Array { elem, len: Some(Box::new(len_expr)) });
        });
        let ir = b.finish();

        let s = select(&ir, &pattern());
        assert_eq!(s.enums, [used, scanned]);
        let macro_names: Vec<&str> = s.macros.iter().map(|&i| ir.macros[i].name.as_str()).collect();
        assert_eq!(macro_names, ["NAME_LEN", "CKPT_MAGIC"]);
        assert_eq!(s.macros[0], len);
    }

    #[test]
    fn incomplete_and_system_records_are_not_matched() {
        let mut b = IrBuilder::new();
        b.forward("ckpt_fwd", RecordKind::Struct);
        b.record("ckpt_sys", RecordKind::Struct, IrBuilder::SYSTEM, |_| {});
        let ir = b.finish();
        assert_eq!(select(&ir, &pattern()).records, []);
    }
}
