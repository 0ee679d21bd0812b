//! The probe through libclang, the library bindgen uses, loaded at run time
//! through bindgen's own `clang-sys` (feature `runtime`): building ckpt-gen
//! never needs libclang, and running this without it says so.
//!
//! Takes what [`super::probe_source`] takes. Returns a [`Report`]. The
//! probe declares `typedef T ckpt_probe_tN;` for each record; libclang
//! parses it for the target and answers `clang_Type_getSizeOf`,
//! `clang_Type_getAlignOf` and `clang_Type_getOffsetOf` (in bits, also for
//! bit-fields and members of anonymous members) on each typedef.

use super::{c_type_of, checks_for, compare, Report};
use crate::ir::RecordId;
use crate::layout::Layouts;
use clang_sys::*;
use std::ffi::{CStr, CString};
use std::fmt::Write as _;
use std::os::raw::{c_char, c_void};
use std::path::{Path, PathBuf};

/// Parses the probe with libclang for the layouts' target and compares.
/// `Err` starting with `cannot load libclang` when the library is missing,
/// or with clang's messages when it rejects the probe.
pub fn run(
    layouts: &Layouts,
    records: &[RecordId],
    headers: &[PathBuf],
    args: &[String],
    work: &Path,
) -> Result<Report, String> {
    load()?;
    let ir = layouts.ir();
    let mut src = String::new();
    for h in headers {
        let _ = writeln!(src, "#include \"{}\"", h.display());
    }
    src.push_str(&super::undef_members(ir, records));
    let mut typed = Vec::new();
    for &id in records {
        if let Some(ty) = c_type_of(ir, id) {
            let _ = writeln!(src, "typedef {ty} ckpt_probe_t{};", typed.len());
            typed.push((id, ty));
        }
    }
    let path = work.join("probe-libclang.c");
    std::fs::write(&path, &src).map_err(|e| format!("writing {}: {e}", path.display()))?;

    let mut argv = vec!["-target".to_string(), layouts.target().clang_triple().to_string()];
    argv.extend(args.iter().cloned());
    let unit = Unit::parse(&path, &argv)?;
    let types = unit.probe_types(typed.len());

    let mut text = String::new();
    let mut expected = Vec::new();
    for (n, (id, ty)) in typed.iter().enumerate() {
        let Some(cx) = types[n] else { continue };
        for c in checks_for(layouts, *id, ty) {
            let member = c.key.split_once('\t').map_or("", |(_, m)| m);
            let value = match member {
                "sizeof" => unit.size_of(cx),
                "alignof" => unit.align_of(cx),
                m => unit.offset_of(cx, m),
            };
            if let Some(v) = value {
                let _ = writeln!(text, "{}\t{v}", c.key);
            }
            expected.push((c.key, c.ours));
        }
    }
    Ok(compare(&expected, &text))
}

/// Loads libclang for this thread (clang-sys keeps it per thread).
fn load() -> Result<(), String> {
    if is_loaded() {
        return Ok(());
    }
    clang_sys::load().map_err(|e| format!("cannot load libclang: {e}"))
}

/// A parsed translation unit and its index, disposed together.
struct Unit {
    index: CXIndex,
    tu: CXTranslationUnit,
}

impl Unit {
    fn parse(path: &Path, args: &[String]) -> Result<Unit, String> {
        let file = CString::new(path.to_string_lossy().as_bytes()).map_err(|e| e.to_string())?;
        let c_args: Vec<CString> = args
            .iter()
            .map(|a| CString::new(a.as_bytes()))
            .collect::<Result<_, _>>()
            .map_err(|e| e.to_string())?;
        let ptrs: Vec<*const c_char> = c_args.iter().map(|a| a.as_ptr()).collect();
        // SAFETY: libclang is loaded (`load`); every pointer passed points
        // into `file`, `c_args` and `ptrs`, which outlive the call, and the
        // counts match the arrays.
        let (index, tu) = unsafe {
            let index = clang_createIndex(0, 0);
            let tu = clang_parseTranslationUnit(
                index,
                file.as_ptr(),
                ptrs.as_ptr(),
                ptrs.len() as i32,
                std::ptr::null_mut(),
                0,
                CXTranslationUnit_None,
            );
            (index, tu)
        };
        let unit = Unit { index, tu };
        if tu.is_null() {
            return Err(format!("libclang could not parse {}", path.display()));
        }
        let errors = unit.errors();
        if errors.is_empty() {
            Ok(unit)
        } else {
            Err(errors.join("\n"))
        }
    }

    /// The error messages of the unit.
    fn errors(&self) -> Vec<String> {
        let mut out = Vec::new();
        // SAFETY: `self.tu` is a live translation unit; each diagnostic is
        // disposed after use and its string copied before disposal.
        unsafe {
            for i in 0..clang_getNumDiagnostics(self.tu) {
                let d = clang_getDiagnostic(self.tu, i);
                if clang_getDiagnosticSeverity(d) >= CXDiagnostic_Error {
                    out.push(take(clang_formatDiagnostic(
                        d,
                        clang_defaultDiagnosticDisplayOptions(),
                    )));
                }
                clang_disposeDiagnostic(d);
            }
        }
        out
    }

    /// The canonical type behind each `ckpt_probe_tN` typedef.
    fn probe_types(&self, count: usize) -> Vec<Option<CXType>> {
        let mut found: Vec<Option<CXType>> = vec![None; count];
        extern "C" fn visit(
            cursor: CXCursor,
            _: CXCursor,
            data: CXClientData,
        ) -> CXChildVisitResult {
            // SAFETY: `data` is the `&mut Vec<Option<CXType>>` passed to
            // `clang_visitChildren` below, alive for the whole visit; the
            // cursor comes from libclang.
            unsafe {
                let found = &mut *(data as *mut Vec<Option<CXType>>);
                if clang_getCursorKind(cursor) == CXCursor_TypedefDecl {
                    let name = take(clang_getCursorSpelling(cursor));
                    if let Some(n) =
                        name.strip_prefix("ckpt_probe_t").and_then(|n| n.parse::<usize>().ok())
                    {
                        if n < found.len() {
                            let ty = clang_getTypedefDeclUnderlyingType(cursor);
                            found[n] = Some(clang_getCanonicalType(ty));
                        }
                    }
                }
            }
            CXChildVisit_Continue
        }
        // SAFETY: `self.tu` is live; `found` outlives the visit (see
        // `visit`).
        unsafe {
            let root = clang_getTranslationUnitCursor(self.tu);
            clang_visitChildren(root, visit, &mut found as *mut _ as *mut c_void);
        }
        found
    }

    fn size_of(&self, ty: CXType) -> Option<u64> {
        // SAFETY: `ty` belongs to the live `self.tu`.
        u64::try_from(unsafe { clang_Type_getSizeOf(ty) }).ok()
    }

    fn align_of(&self, ty: CXType) -> Option<u64> {
        // SAFETY: as in `size_of`.
        u64::try_from(unsafe { clang_Type_getAlignOf(ty) }).ok()
    }

    /// The offset in bits of member `name` (also inside anonymous members).
    fn offset_of(&self, ty: CXType, name: &str) -> Option<u64> {
        let name = CString::new(name).ok()?;
        // SAFETY: as in `size_of`; `name` outlives the call.
        u64::try_from(unsafe { clang_Type_getOffsetOf(ty, name.as_ptr()) }).ok()
    }
}

impl Drop for Unit {
    fn drop(&mut self) {
        // SAFETY: both were created in `Unit::parse` and are disposed once.
        unsafe {
            if !self.tu.is_null() {
                clang_disposeTranslationUnit(self.tu);
            }
            clang_disposeIndex(self.index);
        }
    }
}

/// Copies a libclang string and disposes it.
///
/// # Safety
/// `s` must be a string returned by libclang and not yet disposed.
unsafe fn take(s: CXString) -> String {
    // SAFETY: the caller guarantees `s` is live; `clang_getCString` points
    // into it until `clang_disposeString`, and the text is copied first.
    unsafe {
        let p = clang_getCString(s);
        let text = if p.is_null() {
            String::new()
        } else {
            CStr::from_ptr(p).to_string_lossy().into_owned()
        };
        clang_disposeString(s);
        text
    }
}
