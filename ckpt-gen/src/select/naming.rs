//! Rust names for the selected items, when C names collide.
//!
//! C has separate namespaces for tags (`struct x`, `union x`, `enum x`) and
//! ordinary identifiers (`typedef ... x`), and each translation unit has
//! its own; Rust has one type namespace per module. So several selected
//! items may want the same Rust name:
//!
//! - a tag defined differently by two headers (glibc's `struct timespec`
//!   and the kernel's);
//! - a struct, union or enum with the same tag (from different units);
//! - a typedef named like a tag it does not stand for (`typedef struct
//!   foo_s foo;` next to `struct foo`);
//! - a nested record `P::x`, spelled `P_x`, next to a real `P_x`.
//!
//! The rule (definitions already known to be the same type are one item,
//! see [`super::identity`]): the claimants of a name are ordered by C names
//! before names derived from a parent (`P::x`), then definitions in scanned
//! files before the others, then by file and line. The first keeps the
//! name. Each other one is renamed `NAME__<kind>` (`struct`, `union`,
//! `enum`, `typedef`) when the first is of another kind, else
//! `NAME__<header stem>` (`timespec__struct_timespec` for
//! `bits/types/struct_timespec.h`); if that is taken too, `_<line>` is
//! appended, then `_2`, `_3`, ... A nested record is named after its
//! parent's Rust name (`P__time_x` when `P` became `P__time`). Every
//! rename is logged as a warning naming both definitions.

use super::Item;
use crate::ir::{Ir, Loc, RecordId, Type};
use std::collections::{HashMap, HashSet};
use std::path::Path;

/// Names that cannot be raw identifiers get a trailing `_` (as the emitter
/// spells them).
const NOT_RAW: &[&str] = &["self", "Self", "super", "crate", "_"];

/// The Rust name of a C name, before any collision: `::` becomes `_`, and
/// names that cannot be raw identifiers (`self`, `crate`, ...) get a
/// trailing `_`. Keywords stay as they are (the emitter writes them as raw
/// identifiers, `r#type`, which name the same item as `type`).
pub fn flat_name(c_name: &str) -> String {
    let name = c_name.replace("::", "_");
    if NOT_RAW.contains(&name.as_str()) {
        format!("{name}_")
    } else {
        name
    }
}

/// One item that wants a name.
struct Claim {
    item: Item,
    name: String,
}

/// Assigns names to `items` (canonical, selected); returns those that
/// differ from [`flat_name`] of their C name. `nested` gives the parent of
/// each nested record.
pub(super) fn assign(
    ir: &Ir,
    items: &[Item],
    nested: &HashMap<RecordId, RecordId>,
) -> HashMap<Item, String> {
    let mut claims: Vec<Claim> = items
        .iter()
        .filter(|item| !matches!(item, Item::Record(id) if nested.contains_key(id)))
        .filter_map(|&item| Some(Claim { item, name: flat_name(c_name(ir, item)?) }))
        .collect();
    claims.sort_by_cached_key(|c| order_key(ir, c.item));

    // Every C name is reserved, so that no rename takes a later C name.
    let mut taken: HashSet<String> = claims.iter().map(|c| c.name.clone()).collect();
    let mut names: HashMap<Item, String> = HashMap::new();
    let mut owner: HashMap<String, Item> = HashMap::new();
    for claim in claims {
        resolve(ir, claim, &mut owner, &mut taken, &mut names);
    }

    // Nested records after their parents, parents first.
    let mut pending: Vec<RecordId> = nested.keys().copied().collect();
    pending.sort_by_cached_key(|&id| (depth(ir, id), order_key(ir, Item::Record(id))));
    for id in pending {
        let parent = Item::Record(nested[&id]);
        let parent_name = names.get(&parent).cloned().unwrap_or_else(|| default_name(ir, parent));
        let last = ir.record(id).name.rsplit_once("::").map_or("", |(_, l)| l);
        let claim = Claim { item: Item::Record(id), name: format!("{parent_name}_{last}") };
        resolve(ir, claim, &mut owner, &mut taken, &mut names);
    }

    names.retain(|&item, name| *name != default_name(ir, item));
    names
}

/// Gives `claim` its name, or a new one if another item has it.
fn resolve(
    ir: &Ir,
    claim: Claim,
    owner: &mut HashMap<String, Item>,
    taken: &mut HashSet<String>,
    names: &mut HashMap<Item, String>,
) {
    let Some(&first) = owner.get(&claim.name) else {
        taken.insert(claim.name.clone());
        owner.insert(claim.name.clone(), claim.item);
        names.insert(claim.item, claim.name);
        return;
    };

    let qualifier = if kind(ir, first) != kind(ir, claim.item) {
        kind(ir, claim.item).to_string()
    } else {
        header_stem(ir, loc(ir, claim.item))
    };
    let base = format!("{}__{qualifier}", claim.name);
    let line = format!("{base}_{}", loc(ir, claim.item).line);
    let renamed = [base, line]
        .into_iter()
        .chain((2..).map(|n| format!("{}__{qualifier}_{n}", claim.name)))
        .find(|n| !taken.contains(n))
        .unwrap_or_default();

    log::warn!(
        "{} ({}) and {} ({}) are different types with the same Rust name `{}`: the second is \
         emitted as `{renamed}`",
        describe(ir, first),
        site(ir, loc(ir, first)),
        describe(ir, claim.item),
        site(ir, loc(ir, claim.item)),
        claim.name,
    );
    taken.insert(renamed.clone());
    owner.insert(renamed.clone(), claim.item);
    names.insert(claim.item, renamed);
}

/// The C name an item is known by: tag, typedef name, or derived record
/// name; `None` for an anonymous enum.
pub(super) fn c_name(ir: &Ir, item: Item) -> Option<&str> {
    match item {
        Item::Record(id) => Some(&ir.record(id).name),
        Item::Enum(id) => ir.enumeration(id).tag.as_deref(),
        Item::Typedef(id) => Some(&ir.typedef(id).name),
    }
}

/// The name an item gets when nothing collides.
pub(super) fn default_name(ir: &Ir, item: Item) -> String {
    c_name(ir, item).map(flat_name).unwrap_or_default()
}

/// Which claimant wins: C names before derived ones, scanned files first,
/// then by file and line.
pub(super) fn order_key(ir: &Ir, item: Item) -> (bool, bool, String, u32, u32, Item) {
    let derived = matches!(item, Item::Record(id) if ir.record(id).name.contains("::"));
    let loc = loc(ir, item);
    let file = ir.file(loc.file);
    (derived, !file.in_scan, file.display.clone(), loc.line, loc.offset, item)
}

fn loc(ir: &Ir, item: Item) -> Loc {
    match item {
        Item::Record(id) => ir.record(id).loc,
        Item::Enum(id) => ir.enumeration(id).loc,
        Item::Typedef(id) => ir.typedef(id).loc,
    }
}

fn kind(ir: &Ir, item: Item) -> &'static str {
    match item {
        Item::Record(id) => ir.record(id).kind.keyword(),
        Item::Enum(_) => "enum",
        Item::Typedef(_) => "typedef",
    }
}

/// `struct timespec`, `typedef foo`, for messages.
fn describe(ir: &Ir, item: Item) -> String {
    match item {
        Item::Typedef(id) => {
            let td = ir.typedef(id);
            format!("`typedef {} {}`", ir.type_name(&td.ty), td.name)
        }
        _ => format!("`{} {}`", kind(ir, item), c_name(ir, item).unwrap_or("<anonymous>")),
    }
}

fn site(ir: &Ir, loc: Loc) -> String {
    format!("{}:{}", ir.file(loc.file).display, loc.line)
}

/// The file name of a header without extension, as identifier characters.
fn header_stem(ir: &Ir, loc: Loc) -> String {
    let display = &ir.file(loc.file).display;
    let stem = Path::new(display).file_stem().map(|s| s.to_string_lossy().into_owned());
    let stem: String = stem
        .unwrap_or_default()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '_' { c } else { '_' })
        .collect();
    if stem.is_empty() {
        "header".into()
    } else {
        stem
    }
}

/// How deeply a record is nested (`P::x::y` is 2).
fn depth(ir: &Ir, id: RecordId) -> usize {
    ir.record(id).name.matches("::").count()
}

/// The nested records `parent`'s members refer to (by value, through
/// arrays or pointers): untagged records named `PARENT::...`.
pub(super) fn nested_in(ir: &Ir, parent: RecordId) -> Vec<RecordId> {
    let record = ir.record(parent);
    let prefix = format!("{}::", record.name);
    let mut out = Vec::new();
    for field in &record.fields {
        let mut ty = &field.ty;
        while let Type::Pointer(inner) | Type::Array { elem: inner, .. } = ty {
            ty = inner;
        }
        if let Type::Record(id) = ty {
            let child = ir.record(*id);
            if !child.tagged && child.name.starts_with(&prefix) && !out.contains(id) {
                out.push(*id);
            }
        }
    }
    out
}
