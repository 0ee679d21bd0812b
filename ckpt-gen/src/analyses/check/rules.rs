//! The rules that look at one target's layout of one record: implicit
//! padding (like pahole's holes), member types whose size or signedness
//! depends on the architecture, plain C integer types, misplaced flexible
//! arrays; and the i386 prediction for 64-bit members.

use super::{finding, flatten, i386, offset_text, Finding, Input, Kind, Place, Raw};
use crate::config::Config;
use crate::ir::{Field, IntKind, Ir, RecordId, RecordKind, Type};
use crate::layout::{Layouts, RecordLayout};

/// Every per-target finding for one target.
pub(super) fn per_target(input: &Input) -> Vec<Raw> {
    let mut out = Vec::new();
    for &id in input.records {
        let Ok(layout) = input.layouts.record(id) else { continue };
        let cx = Cx { layouts: input.layouts, id, layout };
        cx.padding(&mut out);
        cx.member_types(&mut out);
        cx.flexible_arrays(&mut out);
    }
    out
}

/// One record on one target.
struct Cx<'a> {
    layouts: &'a Layouts<'a>,
    id: RecordId,
    layout: &'a RecordLayout,
}

impl Cx<'_> {
    fn ir(&self) -> &Ir {
        self.layouts.ir()
    }

    fn raw(&self, field: Option<&Field>, kind: Kind, message: String) -> Raw {
        let r = self.ir().record(self.id);
        let loc = field.map_or(r.loc, |f| f.loc);
        Raw {
            place: Place::of(self.layouts, loc),
            record: r.name.clone(),
            field: field.and_then(|f| f.name.clone()),
            kind,
            message,
        }
    }

    /// Bytes no member covers: between members (holes) and at the end.
    /// Unnamed bit-fields count as explicit padding; bits left over inside
    /// a byte are not reported.
    fn padding(&self, out: &mut Vec<Raw>) {
        let record = self.ir().record(self.id);
        let mut end_bits = 0u64;
        let mut previous: Option<&Field> = None;
        for (f, fl) in record.fields.iter().zip(&self.layout.fields) {
            if fl.bitfield && fl.size_bits == 0 {
                continue;
            }
            let start = fl.offset_bits / 8;
            let covered = end_bits.div_ceil(8);
            if record.kind == RecordKind::Struct && start > covered {
                let after = previous
                    .and_then(|p| p.name.as_deref())
                    .map_or(String::new(), |n| format!(" after `{n}`"));
                let message = format!(
                    "{}-byte hole at offset {covered}{after}: implicit padding that no member names",
                    start - covered
                );
                out.push(self.raw(Some(f), Kind::Hole, message));
            }
            end_bits = end_bits.max(fl.offset_bits + fl.size_bits);
            previous = Some(f);
        }
        let covered = end_bits.div_ceil(8);
        if self.layout.size_bytes > covered && !record.fields.is_empty() {
            let message = format!(
                "{} bytes of trailing padding at offset {covered} (size {})",
                self.layout.size_bytes - covered,
                self.layout.size_bytes
            );
            out.push(self.raw(None, Kind::TrailingPadding, message));
        }
    }

    fn member_types(&self, out: &mut Vec<Raw>) {
        for f in &self.ir().record(self.id).fields {
            if let Some((kind, why)) = classify(self.ir(), &f.ty, true) {
                out.push(self.raw(Some(f), kind, why));
            }
        }
    }

    fn flexible_arrays(&self, out: &mut Vec<Raw>) {
        let ir = self.ir();
        let fields = &ir.record(self.id).fields;
        for (i, f) in fields.iter().enumerate().take(fields.len().saturating_sub(1)) {
            let Type::Array { len, .. } = ir.resolve_typedefs(&f.ty) else { continue };
            let empty = match len {
                None => true,
                Some(e) => self.layouts.eval(e).is_ok_and(|n| n == 0),
            };
            if empty && i + 1 < fields.len() {
                let message = "flexible or zero-length array is not the last member".to_string();
                out.push(self.raw(Some(f), Kind::FlexibleNotLast, message));
            }
        }
    }
}

/// Why a member of type `ty` is not fixed-width, if it is not. `direct`
/// says the type is spelled in the member itself (not through a typedef).
fn classify(ir: &Ir, ty: &Type, direct: bool) -> Option<(Kind, String)> {
    let spelled = ir.type_name(ty);
    match ty {
        Type::Typedef(id) => {
            let typedef = ir.typedef(*id);
            if is_fixed_width_name(&typedef.name) {
                return None;
            }
            classify(ir, &typedef.ty, false).map(|(kind, why)| {
                if kind == Kind::ArchType {
                    (kind, format!("`{}` is {why}", typedef.name))
                } else {
                    (kind, why)
                }
            })
        }
        // A plain `char` array is text; other arrays are their elements.
        Type::Array { elem, .. } if matches!(ir.resolve_typedefs(elem), Type::Int(IntKind::Char)) => None,
        Type::Array { elem, .. } => classify(ir, elem, direct),
        Type::Pointer(_) => Some((Kind::ArchType, "a pointer: 4 bytes on 32-bit targets, 8 on 64-bit ones".into())),
        Type::Enum(_) => Some((
            Kind::ArchType,
            format!("`{spelled}`, an enum type: its size is the compiler's choice (-fshort-enums, packed); use __u32 and keep the enum for its values"),
        )),
        Type::Int(k) => int_kind(*k, direct),
        Type::VaList => Some((
            Kind::ArchType,
            "`va_list`: a pointer on some targets, a register-save record of 12 to 32 bytes on others; it holds addresses of one process".into(),
        )),
        Type::Atomic(inner) => classify(ir, inner, direct),
        _ => None,
    }
}

fn int_kind(kind: IntKind, direct: bool) -> Option<(Kind, String)> {
    let name = kind.c_name();
    match kind {
        IntKind::Long | IntKind::ULong => Some((
            Kind::ArchType,
            format!("`{name}`: 4 bytes on 32-bit targets, 8 on 64-bit ones; use __s64/__u64 or __s32/__u32"),
        )),
        IntKind::Char => Some((
            Kind::ArchType,
            "plain `char` used as a number: signed on x86, unsigned on arm, powerpc, s390x and riscv; use __u8 or __s8".into(),
        )),
        IntKind::Bool => Some((
            Kind::ArchType,
            "`_Bool`: its size and representation are the ABI's choice; use __u8".into(),
        )),
        _ if direct => Some((
            Kind::NotFixedWidth,
            format!("`{name}` in a fixed-width record: use the __u/__s type of its width"),
        )),
        _ => None,
    }
}

/// `__u32`, `__s64`, `__le16`, `__aligned_u64`, `uint8_t`, ...: names that
/// promise a width (some resolve to `long` on some targets, like `__u64`
/// on powerpc64, which is still 8 bytes there).
fn is_fixed_width_name(name: &str) -> bool {
    let core = name.trim_start_matches('_');
    let core = core.strip_prefix("aligned_").unwrap_or(core);
    let core = core.strip_suffix("_t").unwrap_or(core);
    let digits = core.trim_start_matches(|c: char| c.is_ascii_alphabetic());
    let letters = &core[..core.len() - digits.len()];
    matches!(digits, "8" | "16" | "32" | "64")
        && matches!(letters, "u" | "s" | "le" | "be" | "uint" | "int")
}

/// 64-bit members that are 8-aligned on a target but would be 4-aligned
/// on i386: the record is laid out again with i386's rules (from the same
/// IR) and every 64-bit member that moves, or a size that changes because
/// of them, is reported. Checked on the first target whose `long long` is
/// 8-aligned; members whose own size changes (`long`) are left to
/// [`Kind::ArchType`].
pub(super) fn moves_on_i386(inputs: &[Input], config: &Config) -> Vec<Finding> {
    let Some(input) = inputs.iter().find(|i| i.layouts.target().long_long.align == 8) else {
        return Vec::new();
    };
    let ir = input.layouts.ir();
    let on_i386 = Layouts::compute(ir, i386());
    let target = input.layouts.target().name;
    // An architecture-specific record only meets i386 if it is x86's.
    let x86 = input.layouts.target().kernel_arch() == i386().kernel_arch();
    let mut out = Vec::new();
    let records = input.records.iter().filter(|&&id| {
        let name = &ir.record(id).name;
        !name.contains("::") && (x86 || !config.is_arch_specific(name))
    });
    for &id in records {
        let (Some(here), Some(there)) = (flatten(input.layouts, id), flatten(&on_i386, id)) else {
            continue;
        };
        let wide = wide_members(input.layouts, id);
        let record = &ir.record(id).name;
        let mut moved = false;
        for (path, (offset, place)) in &here.members {
            let Some((other, _)) = there.members.get(path) else { continue };
            if other == offset {
                continue;
            }
            if !wide.contains(path) {
                break; // an earlier member changed size: not this rule's
            }
            moved = true;
            let message = format!(
                "64-bit member `{path}` is at offset {} on {target} but {} on i386, where 64-bit integers are 4-aligned in records: use __aligned_u64 or explicit padding",
                offset_text(*offset),
                offset_text(*other)
            );
            out.push(moved_finding(place.clone(), record, Some(path.clone()), message, target));
            break;
        }
        if !moved
            && here.size != there.size
            && !wide.is_empty()
            && only_wide_changes(&here, &there, &wide)
        {
            let message = format!(
                "size is {} on {target} but {} on i386: the record has 64-bit members and no aligned(8)",
                here.size, there.size
            );
            out.push(moved_finding(here.place.clone(), record, None, message, target));
        }
    }
    out
}

fn moved_finding(
    place: Place,
    record: &str,
    field: Option<String>,
    message: String,
    target: &'static str,
) -> Finding {
    let raw = Raw { place, record: record.to_string(), field, kind: Kind::MovesOnI386, message };
    finding(raw, vec![target], Vec::new())
}

/// Whether every member keeps its offset (so only the tail changed).
fn only_wide_changes(here: &super::Flat, there: &super::Flat, _wide: &[String]) -> bool {
    here.members.iter().all(|(p, (o, _))| there.members.get(p).is_none_or(|(t, _)| t == o))
}

/// Member paths (as [`flatten`] names them) of 8-byte scalars whose
/// alignment is 4 on i386: `long long`, `double` and arrays of them.
fn wide_members(layouts: &Layouts, id: RecordId) -> Vec<String> {
    let ir = layouts.ir();
    let mut out = Vec::new();
    collect_wide(ir, id, "", &mut out);
    out
}

fn collect_wide(ir: &Ir, id: RecordId, prefix: &str, out: &mut Vec<String>) {
    for f in &ir.record(id).fields {
        let mut ty = ir.resolve_typedefs(&f.ty);
        while let Type::Array { elem, .. } = ty {
            ty = ir.resolve_typedefs(elem);
        }
        let path = f.name.as_ref().map(|n| format!("{prefix}{n}"));
        match (ty, &path) {
            (Type::Int(IntKind::LongLong | IntKind::ULongLong), Some(p))
            | (Type::Float(crate::ir::FloatKind::Double), Some(p)) => out.push(p.clone()),
            (Type::Record(r), None) if !ir.record(*r).tagged => collect_wide(ir, *r, prefix, out),
            (Type::Record(r), Some(p)) if !ir.record(*r).tagged => {
                collect_wide(ir, *r, &format!("{p}."), out)
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::is_fixed_width_name;

    #[test]
    fn fixed_width_names() {
        for name in [
            "__u8",
            "__s64",
            "__le32",
            "__be16",
            "__aligned_u64",
            "uint32_t",
            "int8_t",
            "u16",
            "__uint64_t",
        ] {
            assert!(is_fixed_width_name(name), "{name}");
        }
        for name in ["size_t", "__kernel_long_t", "pid_t", "__u", "uint128_t", "ulong"] {
            assert!(!is_fixed_width_name(name), "{name}");
        }
    }
}
