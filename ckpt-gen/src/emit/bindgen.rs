//! bindgen's own bindings for the selected records: runs the bindgen crate
//! (libclang loaded at run time) on a wrapper header that includes the
//! headers defining them, with the same include roots, macros and target,
//! allow-listing exactly those records (and what they use).
//!
//! Takes: record names, their headers and the compiler flags
//! ([`crate::verify::compiler_args`] gives them). Returns: bindgen's text,
//! or bindgen's error (libclang missing, a header it rejects).

use crate::target::Target;
use std::path::{Path, PathBuf};

/// Runs bindgen. `work` holds the wrapper header.
pub fn bindgen(
    records: &[String],
    headers: &[PathBuf],
    args: &[String],
    target: &Target,
    work: &Path,
) -> Result<String, String> {
    let wrapper = work.join("ckpt-gen-bindgen.h");
    let text: String = headers.iter().map(|h| format!("#include \"{}\"\n", h.display())).collect();
    std::fs::write(&wrapper, text).map_err(|e| format!("writing {}: {e}", wrapper.display()))?;

    let names: Vec<String> = records.iter().map(|r| regex::escape(r)).collect();
    let allow = format!("^({})$", names.join("|"));
    let builder = bindgen::Builder::default()
        .header(wrapper.to_string_lossy())
        .clang_arg(format!("--target={}", target.clang_triple()))
        .clang_args(args)
        .allowlist_type(&allow)
        .formatter(bindgen::Formatter::None);
    let bindings = builder.generate().map_err(|e| format!("bindgen failed: {e}"))?;
    Ok(format(&bindings.to_string()))
}

/// Formats bindgen's output with prettyplease, as bindgen itself would.
/// bindgen's own `prettyplease` feature is left off: it turns on
/// prettyplease's `verbatim` feature, which would change how our own
/// emitter's output is formatted whenever this module is built.
fn format(code: &str) -> String {
    match syn::parse_file(code) {
        Ok(file) => prettyplease::unparse(&file),
        Err(_) => code.to_string(),
    }
}
