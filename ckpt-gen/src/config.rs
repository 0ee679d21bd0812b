//! The optional configuration of a header tree: `ckpt-gen.toml` at the root
//! of a scanned folder, or the file given with `--config`.
//!
//! ```toml
//! [check]
//! # Records laid out differently per architecture on purpose (their
//! # members switch on __x86_64__, __s390x__, ...): `check` compares them
//! # only between the targets of one architecture, as it does for records
//! # under arch/<arch>/.
//! arch-specific = ["^ckpt_hdr_cpu$", "^ckpt_regs_"]
//! ```
//!
//! Takes: the scanned paths, or one file. Returns: a [`Config`], or a
//! [`Diagnostic`] with the file, line and column of what is wrong (unknown
//! keys are errors, so that a misspelt key is not silently ignored).

use crate::diag::Diagnostic;
use crate::ir::{FileId, Loc, SourceFile};
use regex::RegexSet;
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// The file name looked for at the root of each scanned folder.
pub const FILE_NAME: &str = "ckpt-gen.toml";

/// What a tree's configuration says.
#[derive(Clone, Debug, Default)]
pub struct Config {
    /// Where it was read from; `None` when there is no file.
    pub path: Option<PathBuf>,
    /// Record names (regular expressions) that are architecture-specific.
    pub arch_specific: RegexSet,
}

impl Config {
    /// Whether the record named `name` is architecture-specific by
    /// configuration.
    pub fn is_arch_specific(&self, name: &str) -> bool {
        self.arch_specific.is_match(name)
    }
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    check: Check,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Check {
    #[serde(default)]
    arch_specific: Vec<toml::Spanned<String>>,
}

/// A configuration problem, ready to render with [`crate::diag::render`].
#[derive(Debug)]
pub struct Error {
    /// The problem.
    pub diagnostic: Diagnostic,
    /// The file table its location refers to (the configuration file).
    pub files: Vec<SourceFile>,
}

/// The configuration for a run over `paths`: `explicit` if given, else the
/// first `ckpt-gen.toml` at the root of a scanned folder, else the empty
/// configuration.
pub fn for_paths(paths: &[PathBuf], explicit: Option<&Path>) -> Result<Config, Error> {
    let found = match explicit {
        Some(path) => Some(path.to_path_buf()),
        None => paths.iter().map(|p| p.join(FILE_NAME)).find(|p| p.is_file()),
    };
    match found {
        Some(path) => load(&path),
        None => Ok(Config::default()),
    }
}

/// Reads and checks one configuration file.
pub fn load(path: &Path) -> Result<Config, Error> {
    let source = SourceFile {
        path: path.to_path_buf(),
        display: path.display().to_string(),
        in_scan: false,
    };
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) => {
            let message = format!("cannot read configuration {}: {e}", path.display());
            let diagnostic = Diagnostic::global(crate::diag::Severity::Error, message);
            return Err(Error { diagnostic, files: vec![source] });
        }
    };
    let error = |at: usize, message: String| Error {
        diagnostic: Diagnostic::error(loc_at(&text, at), message),
        files: vec![source.clone()],
    };
    let file: File = toml::from_str(&text).map_err(|e| {
        let at = e.span().map_or(0, |s| s.start);
        error(at, format!("in {FILE_NAME}: {}", e.message()))
    })?;
    let patterns = &file.check.arch_specific;
    for pattern in patterns {
        if let Err(e) = regex::Regex::new(pattern.get_ref()) {
            let text = e.to_string();
            let last = text.lines().last().unwrap_or_default();
            let first = last.strip_prefix("error: ").unwrap_or(last).to_string();
            let message = format!("invalid regular expression in `arch-specific`: {first}");
            return Err(error(pattern.span().start, message));
        }
    }
    let arch_specific = RegexSet::new(patterns.iter().map(|p| p.get_ref()))
        .map_err(|e| error(0, format!("`arch-specific`: {e}")))?;
    Ok(Config { path: Some(path.to_path_buf()), arch_specific })
}

/// The location of byte `at` of `text` (file 0 of the error's table).
fn loc_at(text: &str, at: usize) -> Loc {
    let at = at.min(text.len());
    let before = &text.as_bytes()[..at];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let start = before.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    Loc { file: FileId(0), offset: at as u32, line: line as u32, column: (at - start + 1) as u32 }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(text: &str) -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(FILE_NAME);
        std::fs::write(&path, text).unwrap();
        (dir, path)
    }

    #[test]
    fn reads_arch_specific_patterns() {
        let (dir, path) = write("[check]\narch-specific = [\"^ckpt_hdr_cpu$\", \"^ckpt_regs_\"]\n");
        let config = for_paths(&[dir.path().to_path_buf()], None).unwrap();
        assert_eq!(config.path.as_deref(), Some(path.as_path()));
        assert!(config.is_arch_specific("ckpt_hdr_cpu"));
        assert!(config.is_arch_specific("ckpt_regs_x86"));
        assert!(!config.is_arch_specific("ckpt_hdr_cpu_extra"));
        let none = for_paths(&[PathBuf::from("/nonexistent")], None).unwrap();
        assert!(!none.is_arch_specific("ckpt_hdr_cpu") && none.path.is_none());
    }

    #[test]
    fn errors_point_at_the_problem() {
        let (_dir, path) = write("[check]\narch-specifc = [\"x\"]\n");
        let e = load(&path).unwrap_err();
        let loc = e.diagnostic.loc.unwrap();
        assert_eq!((loc.line, loc.column), (2, 1), "{}", e.diagnostic.message);
        assert!(e.diagnostic.message.contains("unknown field"), "{}", e.diagnostic.message);

        let (_dir, path) = write("[check]\narch-specific = [\"ok\", \"(unclosed\"]\n");
        let e = load(&path).unwrap_err();
        let loc = e.diagnostic.loc.unwrap();
        assert_eq!((loc.line, loc.column), (2, 24), "{}", e.diagnostic.message);
        assert!(e.diagnostic.message.ends_with("expression in `arch-specific`: unclosed group"));

        let (_dir, path) = write("[check\n");
        assert_eq!(load(&path).unwrap_err().diagnostic.loc.unwrap().line, 1);
    }
}
