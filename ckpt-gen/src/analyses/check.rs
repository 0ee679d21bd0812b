//! The portability and hygiene check: what would make a record read back
//! wrong on another machine, and what makes it fragile.
//!
//! Takes: one [`Input`] per target (its [`Layouts`] and the selected
//! records; each target has its own IR, since the preprocessor picks
//! branches by target). Returns: a [`Report`] of [`Finding`]s, each with a
//! [`Kind`], a [`Level`], the record, the member and its file:line:col.
//!
//! Records are matched across targets by name and defining file, so that
//! the `ckpt_hdr_cpu` of `arch/x86/` is compared only between the x86
//! targets and never with `arch/s390/`'s: a record under `arch/<arch>/` is
//! only ever seen by that architecture's targets (see
//! [`crate::pipeline::analyze`]). Records the tree's configuration calls
//! architecture-specific ([`crate::config`]) are seen by every target but
//! compared only between the targets of one architecture (x86_64 with
//! i386, powerpc64 with powerpc). Rendering is in `render`.

mod render;
mod rules;

pub use render::{json, text};

use crate::config::Config;
use crate::ir::{Loc, RecordId, Type};
use crate::layout::Layouts;
use crate::target::Target;
use serde::Serialize;
use std::collections::BTreeMap;

/// One target's view of the tree.
pub struct Input<'a> {
    /// The layouts for that target.
    pub layouts: &'a Layouts<'a>,
    /// The records to check (from [`crate::pipeline::matched_records`]).
    pub records: &'a [RecordId],
}

/// How serious a finding is; `--deny LEVEL` fails at or above it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Style: fixed-width records should say so.
    Note,
    /// Fragile or wasteful: holes, architecture-dependent types.
    Warning,
    /// The layout differs between the targets checked.
    Error,
}

impl Level {
    /// `note`, `warning` or `error`.
    pub fn name(self) -> &'static str {
        match self {
            Level::Note => "note",
            Level::Warning => "warning",
            Level::Error => "error",
        }
    }

    /// The level named `name`.
    pub fn by_name(name: &str) -> Option<Level> {
        [Level::Note, Level::Warning, Level::Error].into_iter().find(|l| l.name() == name)
    }
}

/// What a finding is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// Size, alignment or a member offset differs between targets.
    LayoutDiffers,
    /// A 64-bit member that is 8-aligned here but would be 4-aligned on
    /// i386 (no `aligned(8)`), so it or the record's size moves there.
    MovesOnI386,
    /// A member whose type has a different size or signedness per target:
    /// `long`, pointers, `size_t`, plain `char`, `_Bool`, enums.
    ArchType,
    /// A plain C integer type (`int`, `short`, ...) in a record meant to be
    /// fixed-width (`__u32`, `__s16`, ...).
    NotFixedWidth,
    /// Implicit padding between members.
    Hole,
    /// Implicit padding at the end.
    TrailingPadding,
    /// A flexible or zero-length array that is not the last member.
    FlexibleNotLast,
}

impl Kind {
    /// The kind as reports spell it: `layout-differs`, `hole`, ...
    pub fn name(self) -> &'static str {
        match self {
            Kind::LayoutDiffers => "layout-differs",
            Kind::MovesOnI386 => "moves-on-i386",
            Kind::ArchType => "arch-type",
            Kind::NotFixedWidth => "not-fixed-width",
            Kind::Hole => "hole",
            Kind::TrailingPadding => "trailing-padding",
            Kind::FlexibleNotLast => "flexible-not-last",
        }
    }

    /// How serious findings of this kind are.
    pub fn level(self) -> Level {
        match self {
            Kind::LayoutDiffers => Level::Error,
            Kind::NotFixedWidth => Level::Note,
            _ => Level::Warning,
        }
    }
}

/// One problem with one record (or one of its members).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// What.
    pub kind: Kind,
    /// How serious ([`Kind::level`]).
    pub level: Level,
    /// The record (`PARENT::MEMBER` for a nested untagged one).
    pub record: String,
    /// The member path, when the finding is about one.
    pub field: Option<String>,
    /// The header, as reports show it.
    pub file: String,
    /// 1-based line of the member (or of the record).
    pub line: u32,
    /// 1-based column.
    pub column: u32,
    /// What is wrong, in lower case.
    pub message: String,
    /// The targets it was found on.
    pub targets: Vec<&'static str>,
    /// For [`Kind::LayoutDiffers`]: each distinct value with the targets
    /// that have it.
    pub values: Vec<(String, Vec<&'static str>)>,
}

/// The whole check.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Report {
    /// The targets checked.
    pub targets: Vec<&'static str>,
    /// How many distinct records were checked.
    pub records: usize,
    /// Every finding, by file, line, record and kind.
    pub findings: Vec<Finding>,
}

impl Report {
    /// Whether any finding is at or above `level`.
    pub fn fails(&self, level: Level) -> bool {
        self.findings.iter().any(|f| f.level >= level)
    }
}

/// Where a record or member is, as reports show it.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
struct Place {
    file: String,
    line: u32,
    column: u32,
}

impl Place {
    fn of(layouts: &Layouts, loc: Loc) -> Place {
        let file = layouts.ir().file(loc.file).display.clone();
        Place { file, line: loc.line, column: loc.column }
    }
}

/// A finding before it is merged across targets.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
struct Raw {
    place: Place,
    record: String,
    field: Option<String>,
    kind: Kind,
    message: String,
}

/// Runs every rule on every target and merges what the targets share.
pub fn check(inputs: &[Input], config: &Config) -> Report {
    let mut per_target: BTreeMap<Raw, Vec<&'static str>> = BTreeMap::new();
    for input in inputs {
        let target = input.layouts.target().name;
        for raw in rules::per_target(input) {
            per_target.entry(raw).or_default().push(target);
        }
    }
    let mut findings: Vec<Finding> =
        per_target.into_iter().map(|(raw, targets)| finding(raw, targets, Vec::new())).collect();
    findings.extend(layout_differs(inputs, config));
    findings.extend(rules::moves_on_i386(inputs, config));
    findings.sort_by(|a, b| {
        let key = |f: &Finding| (f.file.clone(), f.line, f.column, f.record.clone(), f.kind);
        key(a).cmp(&key(b))
    });

    let records: std::collections::BTreeSet<(String, String)> =
        inputs.iter().flat_map(|i| i.records.iter().map(|&id| record_key(i.layouts, id))).collect();
    Report {
        targets: inputs.iter().map(|i| i.layouts.target().name).collect(),
        records: records.len(),
        findings,
    }
}

fn finding(
    raw: Raw,
    targets: Vec<&'static str>,
    values: Vec<(String, Vec<&'static str>)>,
) -> Finding {
    Finding {
        kind: raw.kind,
        level: raw.kind.level(),
        record: raw.record,
        field: raw.field,
        file: raw.place.file,
        line: raw.place.line,
        column: raw.place.column,
        message: raw.message,
        targets,
        values,
    }
}

/// A record's identity across targets: its name and defining file.
fn record_key(layouts: &Layouts, id: RecordId) -> (String, String) {
    let ir = layouts.ir();
    let r = ir.record(id);
    (r.name.clone(), ir.file(r.loc.file).display.clone())
}

/// One target's layout of one record, flattened: size, alignment, and the
/// offset of every member reachable by name (members of anonymous members
/// and of nested untagged records included, as `outer.inner`).
struct Flat {
    size: u64,
    align: u64,
    place: Place,
    members: BTreeMap<String, (u64, Place)>,
}

fn flatten(layouts: &Layouts, id: RecordId) -> Option<Flat> {
    let l = layouts.record(id).ok()?;
    let place = Place::of(layouts, layouts.ir().record(id).loc);
    let mut members = BTreeMap::new();
    walk(layouts, id, 0, "", &mut members);
    Some(Flat { size: l.size_bytes, align: l.align_bytes, place, members })
}

fn walk(
    layouts: &Layouts,
    id: RecordId,
    base: u64,
    prefix: &str,
    out: &mut BTreeMap<String, (u64, Place)>,
) {
    let ir = layouts.ir();
    let Ok(l) = layouts.record(id) else { return };
    for (f, fl) in ir.record(id).fields.iter().zip(&l.fields) {
        let offset = base + fl.offset_bits;
        let nested = match ir.resolve_typedefs(&f.ty) {
            Type::Record(r) if !ir.record(*r).tagged => Some(*r),
            _ => None,
        };
        match (&f.name, nested) {
            (None, Some(r)) => walk(layouts, r, offset, prefix, out),
            (None, None) => {}
            (Some(n), nested) => {
                let path = format!("{prefix}{n}");
                out.insert(path.clone(), (offset, Place::of(layouts, f.loc)));
                if let Some(r) = nested {
                    walk(layouts, r, offset, &format!("{path}."), out);
                }
            }
        }
    }
}

/// Size, alignment and member offsets compared between the targets that
/// have the record. Nested untagged records are compared as part of their
/// top-level record (their own alignment may differ harmlessly).
fn layout_differs(inputs: &[Input], config: &Config) -> Vec<Finding> {
    type Key = (String, String, &'static str);
    let mut by_record: BTreeMap<Key, Vec<(&'static str, Flat)>> = BTreeMap::new();
    for input in inputs {
        let ir = input.layouts.ir();
        let target = input.layouts.target();
        for &id in input.records.iter().filter(|&&id| !ir.record(id).name.contains("::")) {
            if let Some(flat) = flatten(input.layouts, id) {
                let (name, file) = record_key(input.layouts, id);
                let arch = if config.is_arch_specific(&name) { target.kernel_arch() } else { "" };
                by_record.entry((name, file, arch)).or_default().push((target.name, flat));
            }
        }
    }

    let mut out = Vec::new();
    for ((name, _, _), views) in by_record.iter().filter(|(_, v)| v.len() > 1) {
        let place = views[0].1.place.clone();
        let sizes = views.iter().map(|(t, f)| (*t, f.size.to_string())).collect();
        differ(&mut out, name, None, &place, "size in bytes differs between targets", sizes);
        let aligns = views.iter().map(|(t, f)| (*t, f.align.to_string())).collect();
        differ(&mut out, name, None, &place, "alignment in bytes differs between targets", aligns);
        for (path, (_, member_place)) in &views[0].1.members {
            let offsets: Vec<(&'static str, String)> = views
                .iter()
                .filter_map(|(t, f)| f.members.get(path).map(|(o, _)| (*t, offset_text(*o))))
                .collect();
            let message = format!("offset of `{path}` differs between targets");
            differ(&mut out, name, Some(path), member_place, &message, offsets);
        }
    }
    out
}

/// Adds a [`Kind::LayoutDiffers`] finding when `values` are not all equal.
fn differ(
    out: &mut Vec<Finding>,
    record: &str,
    field: Option<&String>,
    place: &Place,
    message: &str,
    values: Vec<(&'static str, String)>,
) {
    let mut grouped: Vec<(String, Vec<&'static str>)> = Vec::new();
    for (target, value) in &values {
        match grouped.iter_mut().find(|(v, _)| v == value) {
            Some((_, ts)) => ts.push(target),
            None => grouped.push((value.clone(), vec![target])),
        }
    }
    if grouped.len() < 2 {
        return;
    }
    let raw = Raw {
        place: place.clone(),
        record: record.to_string(),
        field: field.cloned(),
        kind: Kind::LayoutDiffers,
        message: message.to_string(),
    };
    out.push(finding(raw, values.iter().map(|(t, _)| *t).collect(), grouped));
}

/// An offset in bits as reports show it: bytes, or `byte:bit` for a
/// bit-field that does not start on a byte.
fn offset_text(bits: u64) -> String {
    if bits % 8 == 0 {
        (bits / 8).to_string()
    } else {
        format!("{}:{}", bits / 8, bits % 8)
    }
}

/// The target whose layout rules [`Kind::MovesOnI386`] predicts.
fn i386() -> &'static Target {
    Target::by_name("i386-linux-gnu").expect("i386 is a supported target")
}
