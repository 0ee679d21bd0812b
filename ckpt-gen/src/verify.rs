//! Verification against a real C compiler: a probe program that prints what
//! the compiler computes for every record, and a comparison with ours.
//!
//! Takes: [`Layouts`] and the records to check. Returns: [`Report`], every
//! record and member compared and every disagreement. The probe includes
//! the headers that define the records and prints `sizeof`, `_Alignof`,
//! `offsetof` of every named member, and for bit-fields the position found
//! by setting the member in a zeroed object and looking for the bits, in
//! allocation order. It needs nothing but the headers: `printf` is declared
//! by hand so that libc headers cannot interfere.

pub mod clang;
#[cfg(feature = "libclang")]
pub mod libclang;

use crate::ir::{Ir, RecordId, Type};
use crate::layout::Layouts;
use crate::pipeline::{self, Options};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A value that differs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mismatch {
    /// Record name.
    pub record: String,
    /// Member path, or `sizeof`/`alignof`.
    pub what: String,
    /// Our value.
    pub ours: u64,
    /// The compiler's.
    pub theirs: u64,
}

/// The result of one comparison.
#[derive(Clone, Debug, Default)]
pub struct Report {
    /// Records compared.
    pub records: usize,
    /// Members compared (offsets, including bit-fields).
    pub fields: usize,
    /// Disagreements.
    pub mismatches: Vec<Mismatch>,
    /// Headers the compiler rejected (with its messages): their records
    /// were not compared.
    pub rejected: Vec<(PathBuf, String)>,
}

impl Report {
    /// Adds another report's counts and findings to this one.
    pub fn merge(&mut self, other: Report) {
        self.records += other.records;
        self.fields += other.fields;
        self.mismatches.extend(other.mismatches);
        self.rejected.extend(other.rejected);
    }
}

/// A compiler ckpt-gen's layouts can be verified against.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Compiler {
    /// The host's `cc` (or `$CC`): compiles and runs a probe, so only for
    /// the host target.
    Cc,
    /// `clang -target T` (or `$CKPT_CLANG`), compile-only: any target.
    Clang,
    /// libclang, loaded at run time through bindgen's `clang-sys`: any
    /// target. Needs the `libclang` cargo feature.
    Libclang,
}

impl Compiler {
    /// Every compiler, in the order reports list them.
    pub const ALL: [Compiler; 3] = [Compiler::Cc, Compiler::Clang, Compiler::Libclang];

    /// `cc`, `clang` or `libclang`.
    pub fn name(self) -> &'static str {
        match self {
            Compiler::Cc => "cc",
            Compiler::Clang => "clang",
            Compiler::Libclang => "libclang",
        }
    }

    /// The compiler named `name`.
    pub fn by_name(name: &str) -> Option<Compiler> {
        Compiler::ALL.into_iter().find(|c| c.name() == name)
    }
}

/// Why a verification did not compare anything.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Unavailable {
    /// The tool is not installed or cannot be loaded.
    Missing(String),
    /// The tool cannot check this target (`cc` on another target).
    NotApplicable(String),
}

impl std::fmt::Display for Unavailable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Unavailable::Missing(why) | Unavailable::NotApplicable(why) => f.write_str(why),
        }
    }
}

/// The flags that give `compiler` the view of the tree [`pipeline::analyze`]
/// had for `options`: include roots, macros, and the same system folders
/// (for clang and libclang, which otherwise search the host's).
pub fn compiler_args(compiler: Compiler, options: &Options) -> Vec<String> {
    let mut args = pipeline::compiler_args(options);
    if compiler != Compiler::Cc {
        args.push("-nostdlibinc".into());
        // gcc's own folder (stddef.h, ...) is replaced by clang's.
        let dirs = pipeline::effective_system_dirs(options);
        let dirs = dirs
            .iter()
            .filter(|d| !d.starts_with("/usr/lib/gcc") && !d.starts_with("/usr/lib/gcc-cross"));
        args.extend(dirs.map(|d| format!("-isystem{}", d.display())));
    }
    args
}

/// Verifies `records` with `compiler`: one probe including every header
/// that defines one of them, split in halves when the compiler rejects it
/// so that one header it rejects does not hide the others (those are
/// listed in [`Report::rejected`]).
pub fn verify(
    compiler: Compiler,
    layouts: &Layouts,
    records: &[RecordId],
    args: &[String],
    work: &Path,
) -> Result<Report, Unavailable> {
    let target = layouts.target();
    if compiler == Compiler::Cc && !target.is_host() {
        return Err(Unavailable::NotApplicable(format!(
            "cc runs its probe, so it checks only the host target; use clang for {target}"
        )));
    }
    let ir = layouts.ir();
    let mut by_header: BTreeMap<PathBuf, Vec<RecordId>> = BTreeMap::new();
    for &id in records {
        by_header.entry(ir.file(ir.record(id).loc.file).path.clone()).or_default().push(id);
    }
    let groups: Vec<(PathBuf, Vec<RecordId>)> = by_header.into_iter().collect();
    let mut report = Report::default();
    bisect(compiler, layouts, &groups, args, work, &mut report)?;
    Ok(report)
}

/// Probes the headers of `groups` together; when the compiler rejects the
/// probe, each half on its own, down to single headers, which are then
/// listed as rejected. A few bad headers among many cost a few probes
/// each, not one probe per header.
fn bisect(
    compiler: Compiler,
    layouts: &Layouts,
    groups: &[(PathBuf, Vec<RecordId>)],
    args: &[String],
    work: &Path,
    report: &mut Report,
) -> Result<(), Unavailable> {
    let headers: Vec<PathBuf> = groups.iter().map(|(h, _)| h.clone()).collect();
    let records: Vec<RecordId> = groups.iter().flat_map(|(_, ids)| ids.iter().copied()).collect();
    match run(compiler, layouts, &records, &headers, args, work)? {
        Ok(part) => report.merge(part),
        Err(message) if groups.len() == 1 => report.rejected.push((headers[0].clone(), message)),
        Err(_) => {
            let (a, b) = groups.split_at(groups.len() / 2);
            bisect(compiler, layouts, a, args, work, report)?;
            bisect(compiler, layouts, b, args, work, report)?;
        }
    }
    Ok(())
}

/// One probe: `Ok(Err(messages))` when the compiler rejects it.
fn run(
    compiler: Compiler,
    layouts: &Layouts,
    records: &[RecordId],
    headers: &[PathBuf],
    args: &[String],
    work: &Path,
) -> Result<Result<Report, String>, Unavailable> {
    let result =
        match compiler {
            Compiler::Cc => run_cc(layouts, records, headers, args, work),
            Compiler::Clang => clang::run(layouts, records, headers, args, work),
            #[cfg(feature = "libclang")]
            Compiler::Libclang => libclang::run(layouts, records, headers, args, work),
            #[cfg(not(feature = "libclang"))]
            Compiler::Libclang => return Err(Unavailable::Missing(
                "libclang support is not built in: rebuild ckpt-gen with the `libclang` feature"
                    .into(),
            )),
        };
    match result {
        Err(e) if e.starts_with("cannot run") || e.starts_with("cannot load") => {
            Err(Unavailable::Missing(e))
        }
        other => Ok(other),
    }
}

/// How C names a record in an expression context, if it can: `struct tag`,
/// a typedef name, or `__typeof__` of a member for nested untagged records.
pub fn c_type_of(ir: &Ir, id: RecordId) -> Option<String> {
    let r = ir.record(id);
    if r.tagged {
        return Some(format!("{} {}", r.kind.keyword(), r.name));
    }
    let mut parts = r.name.split("::");
    let top = parts.next()?;
    let members: Vec<&str> = parts.collect();
    if members.is_empty() {
        // `typedef struct { } name;`: the record carries the typedef name,
        // which may name a pointer to it or an array of it
        // (`typedef struct { } *name;`).
        return ir.typedefs.iter().filter(|t| t.name == r.name).find_map(|t| {
            let mut expr = format!("(({} *)0)", t.name);
            let mut wrapped = false;
            let mut ty = ir.resolve_typedefs(&t.ty);
            loop {
                match ty {
                    Type::Record(found) if *found == id => break,
                    Type::Pointer(inner) => {
                        expr = format!("(*{expr})");
                        ty = ir.resolve_typedefs(inner);
                    }
                    Type::Array { elem, .. } => {
                        expr = format!("{expr}[0]");
                        ty = ir.resolve_typedefs(elem);
                    }
                    _ => return None,
                }
                wrapped = true;
            }
            Some(if wrapped { format!("__typeof__(*{expr})") } else { t.name.clone() })
        });
    }
    if members.iter().any(|m| m.starts_with("anon")) {
        return None;
    }
    let parent = ir.records.iter().find(|p| p.name == top && p.complete)?;
    let base =
        if parent.tagged { format!("{} {}", parent.kind.keyword(), top) } else { top.to_string() };
    // An array member's element: index it; `[0]` is harmless for non-arrays
    // only through arrays, so look the member type up.
    let mut path = String::new();
    let mut current = parent;
    for m in &members {
        let field = current.fields.iter().find(|f| f.name.as_deref() == Some(m))?;
        path.push('.');
        path.push_str(m);
        let mut ty = &field.ty;
        while let Type::Array { elem, .. } = ir.resolve_typedefs(ty) {
            path.push_str("[0]");
            ty = elem;
        }
        if let Type::Record(next) = ir.resolve_typedefs(ty) {
            current = ir.record(*next);
        }
    }
    Some(format!("__typeof__((({base} *)0)->{})", &path[1..]))
}

/// `#undef` of every member name the probe may spell, after the headers:
/// headers define macros named like members (glibc's `#define si_pid
/// _sifields._kill.si_pid`), which would otherwise expand inside
/// `offsetof(siginfo_t, si_pid)`. The names are those of the records
/// probed and of the records above nested ones (their member paths).
pub(crate) fn undef_members(ir: &Ir, records: &[RecordId]) -> String {
    let mut parents: std::collections::HashSet<&str> = std::collections::HashSet::new();
    for &id in records {
        let name = ir.record(id).name.as_str();
        parents.extend(name.match_indices("::").map(|(i, _)| &name[..i]));
    }
    let probed: std::collections::HashSet<RecordId> = records.iter().copied().collect();
    let mut names: Vec<&str> = (ir.records_with_ids())
        .filter(|(id, r)| probed.contains(id) || parents.contains(r.name.as_str()))
        .flat_map(|(_, r)| r.fields.iter().filter_map(|f| f.name.as_deref()))
        .collect();
    // `defined` can be neither a macro nor undefined.
    names.retain(|n| *n != "defined");
    names.sort_unstable();
    names.dedup();
    names.iter().map(|n| format!("#undef {n}\n")).collect()
}

/// One check the probe prints: a key and the C expression giving its value.
struct Check {
    /// `record\tmember`, `record\tsizeof` or `record\talignof`.
    key: String,
    /// Our value: bytes for sizeof and alignof, bits for members.
    ours: u64,
    /// The C expression giving the value (empty for bit-fields).
    expr: String,
    /// For bit-fields: the lvalue to set instead of an expression.
    bitfield: Option<String>,
}

fn checks_for(layouts: &Layouts, id: RecordId, ty: &str) -> Vec<Check> {
    let ir = layouts.ir();
    let Ok(l) = layouts.record(id) else { return Vec::new() };
    let name = &ir.record(id).name;
    let mut out = vec![
        Check {
            key: format!("{name}\tsizeof"),
            ours: l.size_bytes,
            expr: format!("sizeof({ty})"),
            bitfield: None,
        },
        Check {
            key: format!("{name}\talignof"),
            ours: l.align_bytes,
            expr: format!("_Alignof({ty})"),
            bitfield: None,
        },
    ];
    members(layouts, id, 0, ty, name, &mut out);
    out
}

/// Checks for the members of `id`, at `base_bits` in the outermost object;
/// members of anonymous members are reached through the outer object.
fn members(
    layouts: &Layouts,
    id: RecordId,
    base_bits: u64,
    ty: &str,
    name: &str,
    out: &mut Vec<Check>,
) {
    let ir = layouts.ir();
    let Ok(l) = layouts.record(id) else { return };
    for (f, fl) in ir.record(id).fields.iter().zip(&l.fields) {
        let offset = base_bits + fl.offset_bits;
        match &f.name {
            Some(m) if fl.bitfield => out.push(Check {
                key: format!("{name}\t{m}"),
                ours: offset,
                expr: String::new(),
                bitfield: Some(m.clone()),
            }),
            Some(m) => out.push(Check {
                key: format!("{name}\t{m}"),
                ours: offset,
                expr: format!("8 * __builtin_offsetof({ty}, {m})"),
                bitfield: None,
            }),
            None => {
                if let Type::Record(inner) = ir.resolve_typedefs(&f.ty) {
                    members(layouts, *inner, offset, ty, name, out);
                }
            }
        }
    }
}

/// The probe's C source for `records`, which `headers` define.
pub fn probe_source(
    layouts: &Layouts,
    records: &[RecordId],
    headers: &[PathBuf],
) -> (String, Vec<(String, u64)>) {
    let ir = layouts.ir();
    let mut src = String::from("int printf(const char *, ...);\n");
    for h in headers {
        let _ = writeln!(src, "#include \"{}\"", h.display());
    }
    src.push_str(&undef_members(ir, records));
    src.push_str(concat!(
        "static unsigned long long first_bit(const unsigned char *p, unsigned long n) {\n",
        "  for (unsigned long i = 0; i < n * 8; i++) {\n",
        "#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__\n",
        "    if (p[i / 8] & (0x80 >> (i % 8))) return i;\n",
        "#else\n",
        "    if (p[i / 8] & (1 << (i % 8))) return i;\n",
        "#endif\n",
        "  }\n",
        "  return ~0ull;\n",
        "}\n",
        "int main(void) {\n",
    ));
    let mut expected = Vec::new();
    for &id in records {
        let Some(ty) = c_type_of(ir, id) else { continue };
        for c in checks_for(layouts, id, &ty) {
            match &c.bitfield {
                Some(m) => {
                    let _ = writeln!(
                        src,
                        "  {{ {ty} v; __builtin_memset(&v, 0, sizeof v); v.{m} = -1; if (!v.{m}) v.{m} = 1; printf(\"%s\\t%llu\\n\", \"{}\", first_bit((const unsigned char *)&v, sizeof v)); }}",
                        c.key
                    );
                }
                None => {
                    let _ = writeln!(
                        src,
                        "  printf(\"%s\\t%llu\\n\", \"{}\", (unsigned long long)({}));",
                        c.key, c.expr
                    );
                }
            }
            expected.push((c.key, c.ours));
        }
    }
    src.push_str("  return 0;\n}\n");
    (src, expected)
}

/// Compiles and runs a probe with `cc` and compares. `Err` when the
/// compiler or the program fails (with its message).
pub fn run_cc(
    layouts: &Layouts,
    records: &[RecordId],
    headers: &[PathBuf],
    cc_args: &[String],
    work: &Path,
) -> Result<Report, String> {
    let (src, expected) = probe_source(layouts, records, headers);
    let c = work.join("probe.c");
    let exe = work.join("probe");
    std::fs::write(&c, &src).map_err(|e| e.to_string())?;
    let cc = std::env::var("CC").unwrap_or_else(|_| "cc".into());
    let out = Command::new(&cc)
        .args(cc_args)
        .arg("-w")
        .arg("-o")
        .arg(&exe)
        .arg(&c)
        .output()
        .map_err(|e| format!("cannot run {cc}: {e}"))?;
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).into_owned());
    }
    let run = Command::new(&exe).output().map_err(|e| e.to_string())?;
    if !run.status.success() {
        return Err(format!("probe failed: {}", String::from_utf8_lossy(&run.stderr)));
    }
    Ok(compare(&expected, &String::from_utf8_lossy(&run.stdout)))
}

/// Compares expected `(key, value)` pairs with the probe's `key\tvalue`
/// lines.
pub fn compare(expected: &[(String, u64)], probe_output: &str) -> Report {
    let theirs: BTreeMap<&str, u64> = probe_output
        .lines()
        .filter_map(|l| {
            let (k, v) = l.rsplit_once('\t')?;
            Some((k, v.parse().ok()?))
        })
        .collect();
    let mut report = Report::default();
    for (key, ours) in expected {
        let (record, what) = key.split_once('\t').unwrap_or((key, ""));
        if what == "sizeof" {
            report.records += 1;
        } else if what != "alignof" {
            report.fields += 1;
        }
        let theirs = theirs.get(key.as_str()).copied().unwrap_or(u64::MAX);
        if theirs != *ours {
            report.mismatches.push(Mismatch {
                record: record.into(),
                what: what.into(),
                ours: *ours,
                theirs,
            });
        }
    }
    report
}
