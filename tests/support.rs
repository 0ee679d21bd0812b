//! Helpers shared by the end-to-end tests.

use ckpt_gen::ir::{Ir, RecordId, Type};
use ckpt_gen::layout::Layouts;
use ckpt_gen::pipeline::{self, Analysis, Options};
use ckpt_gen::target::Target;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The workspace root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The host target.
pub fn host() -> &'static Target {
    Target::host().expect("tests run on a supported host")
}

/// Runs the front end on `paths` with `pattern`.
pub fn analyze(paths: &[PathBuf], pattern: &str, target: &'static Target) -> Analysis {
    let mut options = Options::new(paths.to_vec(), target);
    options.pattern = pattern.into();
    pipeline::analyze(&options)
}

/// Runs the front end on self-contained headers: no system folders.
pub fn analyze_alone(paths: &[PathBuf], target: &'static Target) -> Analysis {
    let mut options = Options::new(paths.to_vec(), target);
    options.pattern = ".".into();
    options.system_dirs = Some(Vec::new());
    pipeline::analyze(&options)
}

/// A record by the name C gives its type: `struct tag`, `union tag`, or a
/// typedef name.
pub fn find_record(ir: &Ir, c_name: &str) -> Option<RecordId> {
    let (kind, name) = match c_name.split_once(' ') {
        Some((k, n)) => (Some(k), n),
        None => (None, c_name),
    };
    ir.records_with_ids()
        .find(|(_, r)| {
            r.complete && r.name == name && kind.is_none_or(|k| r.kind.keyword() == k && r.tagged)
        })
        .map(|(id, _)| id)
}

/// Every member reachable from a record, by path (`a`, `member.sub`;
/// members of anonymous members appear directly), with its offset in bits
/// and bit-field width.
pub fn flatten(layouts: &Layouts, id: RecordId) -> BTreeMap<String, (u64, Option<u64>)> {
    let mut out = BTreeMap::new();
    walk(layouts, id, 0, "", &mut out);
    out
}

fn walk(
    layouts: &Layouts,
    id: RecordId,
    base: u64,
    prefix: &str,
    out: &mut BTreeMap<String, (u64, Option<u64>)>,
) {
    let ir = layouts.ir();
    let Ok(l) = layouts.record(id) else { return };
    for (f, fl) in ir.record(id).fields.iter().zip(&l.fields) {
        let offset = base + fl.offset_bits;
        let nested = match ir.resolve_typedefs(&f.ty) {
            Type::Record(r) => Some(*r),
            _ => None,
        };
        match (&f.name, nested) {
            (None, Some(r)) => walk(layouts, r, offset, prefix, out),
            (None, None) => {}
            (Some(n), nested) => {
                let path = format!("{prefix}{n}");
                out.insert(path.clone(), (offset, fl.bitfield.then_some(fl.size_bits)));
                if let Some(r) = nested.filter(|r| !ir.record(*r).tagged) {
                    walk(layouts, r, offset, &format!("{path}."), out);
                }
            }
        }
    }
}

/// Whether `cc` can be run.
pub fn have_cc() -> bool {
    std::process::Command::new("cc").arg("--version").output().is_ok_and(|o| o.status.success())
}

/// Path relative to the root, for messages.
pub fn rel(p: &Path) -> String {
    p.strip_prefix(root()).unwrap_or(p).display().to_string()
}
