//! `layout --json`: the layout of the selected records for one target, in
//! the format DESIGN.md fixes, and the human-readable table.

use crate::ir::RecordId;
use crate::layout::Layouts;
use serde::Serialize;
use std::fmt::Write as _;

#[derive(Serialize)]
struct Report<'a> {
    target: &'a str,
    records: Vec<RecordOut>,
}

#[derive(Serialize)]
struct RecordOut {
    name: String,
    kind: &'static str,
    file: String,
    line: u32,
    size: u64,
    align: u64,
    fields: Vec<FieldOut>,
}

#[derive(Serialize)]
struct FieldOut {
    name: Option<String>,
    #[serde(rename = "type")]
    ty: String,
    offset_bits: u64,
    size_bits: u64,
    bitfield: bool,
}

fn collect(layouts: &Layouts, records: &[RecordId]) -> Vec<RecordOut> {
    let ir = layouts.ir();
    let mut out = Vec::new();
    for &id in records {
        let r = ir.record(id);
        let Ok(l) = layouts.record(id) else { continue };
        let fields = r
            .fields
            .iter()
            .zip(&l.fields)
            .map(|(f, fl)| FieldOut {
                name: f.name.clone(),
                ty: ir.type_name(&f.ty),
                offset_bits: fl.offset_bits,
                size_bits: fl.size_bits,
                bitfield: fl.bitfield,
            })
            .collect();
        out.push(RecordOut {
            name: r.name.clone(),
            kind: r.kind.keyword(),
            file: ir.file(r.loc.file).display.clone(),
            line: r.loc.line,
            size: l.size_bytes,
            align: l.align_bytes,
            fields,
        });
    }
    out
}

/// The JSON report of `records` (records without a layout are left out;
/// the caller reports why).
pub fn json(layouts: &Layouts, records: &[RecordId]) -> String {
    let report = Report { target: layouts.target().name, records: collect(layouts, records) };
    let mut s = serde_json::to_string_pretty(&report).unwrap_or_default();
    s.push('\n');
    s
}

/// A table per record, like pahole: offset, size, name and type of every
/// member, with holes shown.
pub fn table(layouts: &Layouts, records: &[RecordId]) -> String {
    let mut s = String::new();
    for r in collect(layouts, records) {
        let _ = writeln!(
            s,
            "{} {} /* {}:{} */ size {} align {}",
            r.kind, r.name, r.file, r.line, r.size, r.align
        );
        let _ = writeln!(s, "    {:>8} {:>6}  {:<24} type", "offset", "size", "member");
        let mut end_bits = 0u64;
        for f in &r.fields {
            if f.offset_bits > end_bits && r.kind == "struct" {
                let _ = writeln!(
                    s,
                    "    {:>8} {:>6}  /* hole */",
                    fmt_bits(end_bits),
                    fmt_bits(f.offset_bits - end_bits)
                );
            }
            let name = f.name.as_deref().unwrap_or("<anonymous>");
            let _ = writeln!(
                s,
                "    {:>8} {:>6}  {:<24} {}",
                fmt_bits(f.offset_bits),
                fmt_bits(f.size_bits),
                name,
                f.ty
            );
            end_bits = end_bits.max(f.offset_bits + f.size_bits);
        }
        if r.kind == "struct" && r.size * 8 > end_bits {
            let _ = writeln!(
                s,
                "    {:>8} {:>6}  /* padding */",
                fmt_bits(end_bits),
                fmt_bits(r.size * 8 - end_bits)
            );
        }
        s.push('\n');
    }
    s
}

/// Bytes, or `bytes:bits` when not a whole number of bytes.
fn fmt_bits(bits: u64) -> String {
    if bits % 8 == 0 {
        (bits / 8).to_string()
    } else {
        format!("{}:{}", bits / 8, bits % 8)
    }
}
