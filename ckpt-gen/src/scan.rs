//! Scanning: the header files under the given paths that may hold a
//! matching record.
//!
//! Takes: paths (folders or single headers) and the record pattern. Returns:
//! the candidate headers in a stable order, the number of headers looked at,
//! and problems met on the way (unreadable entries, symlink loops, dangling
//! links). Symbolic links are not followed, so a tree cannot make the walk
//! loop or leave it. Files are read in parallel; the prefilter is a plain
//! substring search for the pattern's literal prefix, so a tree with few
//! candidates costs little more than reading it.

use crate::diag::{Diagnostic, Severity};
use rayon::prelude::*;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// The scanned paths, for asking which of them holds a file: answered by
/// walking the file's ancestors, so the cost does not grow with the number
/// of paths (a run may be given hundreds of single headers).
#[derive(Debug, Default)]
pub struct Roots {
    /// Each path, and whether it is a folder.
    paths: HashMap<PathBuf, bool>,
}

impl Roots {
    /// The roots `paths` (absolute, as the walk saw them).
    pub fn new(paths: &[PathBuf]) -> Roots {
        Roots { paths: paths.iter().map(|p| (p.clone(), p.is_dir())).collect() }
    }

    /// The root `path` was found under: the nearest folder root above it,
    /// or else `path` itself if it was given; with whether the root is a
    /// folder.
    pub fn holding<'a>(&self, path: &'a Path) -> Option<(&'a Path, bool)> {
        if let Some(root) = self.folders_holding(path).next() {
            return Some((root, true));
        }
        self.paths.get(path).map(|&is_dir| (path, is_dir))
    }

    /// Every folder root above `path`, nearest first.
    pub fn folders_holding<'a>(
        &self,
        path: &'a Path,
    ) -> impl Iterator<Item = &'a Path> + use<'a, '_> {
        path.ancestors().skip(1).filter(|a| self.paths.get(*a) == Some(&true))
    }
}

/// What the walk found.
#[derive(Debug, Default)]
pub struct Scan {
    /// Headers that contain the prefilter literal, sorted by path.
    pub candidates: Vec<PathBuf>,
    /// How many `*.h` files were looked at.
    pub headers_seen: usize,
    /// Entries that could not be read.
    pub diagnostics: Vec<Diagnostic>,
}

/// The literal every matching tag must contain, if the pattern has one:
/// `^ckpt_` gives `ckpt_`; `.` gives none.
pub fn literal_prefix(pattern: &str) -> Option<String> {
    let rest = pattern.strip_prefix('^').unwrap_or(pattern);
    let literal: String =
        rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
    // A quantifier after the literal makes its last character optional.
    let next = rest[literal.len()..].chars().next();
    let literal = match next {
        Some('?' | '*' | '{') => literal[..literal.len().saturating_sub(1)].to_string(),
        _ => literal,
    };
    (!literal.is_empty() && !rest[literal.len()..].starts_with('|')).then_some(literal)
}

/// Walks `paths` and keeps the headers whose bytes contain `literal` (all
/// headers when `None`).
pub fn scan(paths: &[PathBuf], literal: Option<&str>) -> Scan {
    scan_bounded(paths, literal, u64::MAX)
}

/// [`scan`], reporting headers larger than `max_file_bytes` instead of
/// reading them.
pub fn scan_bounded(paths: &[PathBuf], literal: Option<&str>, max_file_bytes: u64) -> Scan {
    let mut files = Vec::new();
    let mut diagnostics = Vec::new();
    for root in paths {
        walk(root, &mut files, &mut diagnostics);
    }
    files.sort();
    files.dedup();

    let finder = literal.map(|l| memchr::memmem::Finder::new(l.as_bytes()).into_owned());
    let checked: Vec<(PathBuf, Result<bool, String>)> = files
        .par_iter()
        .map(|path| {
            let hit = read_bounded(path, max_file_bytes)
                .map(|bytes| finder.as_ref().is_none_or(|f| f.find(&bytes).is_some()));
            (path.clone(), hit)
        })
        .collect();

    let headers_seen = checked.len();
    let mut candidates = Vec::new();
    for (path, hit) in checked {
        match hit {
            Ok(true) => candidates.push(path),
            Ok(false) => {}
            Err(e) => diagnostics.push(unreadable(&path, &e)),
        }
    }
    Scan { candidates, headers_seen, diagnostics }
}

/// The file's bytes, unless it is larger than `limit`.
fn read_bounded(path: &Path, limit: u64) -> Result<Vec<u8>, String> {
    use std::io::Read as _;
    let file = std::fs::File::open(path).map_err(|e| e.to_string())?;
    let size = file.metadata().map_err(|e| e.to_string())?.len();
    if size > limit {
        return Err(format!("file is {size} bytes, more than the limit of {limit} bytes; raise it with --max-file-size"));
    }
    // `take` also bounds a file that grows while it is read.
    let mut bytes = Vec::with_capacity(size as usize);
    file.take(limit.saturating_add(1)).read_to_end(&mut bytes).map_err(|e| e.to_string())?;
    if bytes.len() as u64 > limit {
        return Err(format!("file grew past the limit of {limit} bytes while read"));
    }
    Ok(bytes)
}

fn unreadable(path: &Path, e: &str) -> Diagnostic {
    Diagnostic::global(Severity::Error, format!("{}: cannot read: {e}", path.display()))
}

fn walk(root: &Path, files: &mut Vec<PathBuf>, diagnostics: &mut Vec<Diagnostic>) {
    if root.is_file() {
        files.push(root.to_path_buf());
        return;
    }
    if !root.exists() {
        let msg = format!("{}: no such file or directory", root.display());
        diagnostics.push(Diagnostic::global(Severity::Error, msg));
        return;
    }
    for entry in walkdir::WalkDir::new(root).follow_links(false).sort_by_file_name() {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let path = e
                    .path()
                    .map_or_else(|| root.display().to_string(), |p| p.display().to_string());
                let msg = format!(
                    "{path}: cannot read: {}",
                    e.io_error().map_or(e.to_string(), |io| io.to_string())
                );
                diagnostics.push(Diagnostic::global(Severity::Warning, msg));
                continue;
            }
        };
        let path = entry.path();
        if entry.path_is_symlink() && is_loop(path) {
            let msg = format!(
                "{}: symbolic link loop (points to a folder that contains it); not followed",
                path.display()
            );
            diagnostics.push(Diagnostic::global(Severity::Warning, msg));
            continue;
        }
        if path.extension().is_none_or(|e| e != "h") {
            continue;
        }
        if entry.file_type().is_symlink() {
            // A link to a header inside the tree is read under its real name
            // by the walk itself; a dangling one is worth a word.
            if std::fs::metadata(path).is_err() {
                let msg = format!("{}: dangling symbolic link", path.display());
                diagnostics.push(Diagnostic::global(Severity::Warning, msg));
            }
            continue;
        }
        if entry.file_type().is_file() {
            files.push(path.to_path_buf());
        }
    }
}

/// Whether the link at `path` points to a folder containing the link.
fn is_loop(path: &Path) -> bool {
    let (Ok(target), Some(parent)) = (std::fs::canonicalize(path), path.parent()) else {
        return false;
    };
    std::fs::canonicalize(parent).is_ok_and(|p| p.starts_with(&target))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes() {
        let cases: &[(&str, Option<&str>)] = &[
            ("^ckpt_", Some("ckpt_")),
            ("ckpt_hdr", Some("ckpt_hdr")),
            ("^ckpt_hdr_(task|mm)", Some("ckpt_hdr_")),
            (".", None),
            ("^a|b", None),
            ("^ckpt_x?", Some("ckpt_")),
            ("", None),
        ];
        for (pattern, want) in cases {
            assert_eq!(literal_prefix(pattern).as_deref(), *want, "{pattern}");
        }
    }

    #[test]
    fn walks_without_following_links() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("a/b")).unwrap();
        std::fs::write(root.join("a/b/x.h"), "struct ckpt_x { int a; };").unwrap();
        std::fs::write(root.join("a/y.h"), "struct other { int a; };").unwrap();
        std::fs::write(root.join("a/z.c"), "struct ckpt_z { int a; };").unwrap();
        std::os::unix::fs::symlink(root.join("a"), root.join("a/b/loop")).unwrap();
        std::os::unix::fs::symlink(root.join("nowhere.h"), root.join("dangling.h")).unwrap();

        let found = scan(&[root.to_path_buf()], Some("ckpt_"));
        assert_eq!(found.candidates, [root.join("a/b/x.h")]);
        assert_eq!(found.headers_seen, 2);
        assert!(found.diagnostics.iter().any(|d| d.message.contains("dangling")));
        assert!(found.diagnostics.iter().any(|d| d.message.contains("symbolic link loop")));
    }

    #[test]
    fn roots_hold_the_files_under_them() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("tree/arch/x86")).unwrap();
        std::fs::write(root.join("tree/arch/x86/a.h"), "").unwrap();
        std::fs::write(root.join("lone.h"), "").unwrap();
        let (tree, arch) = (root.join("tree"), root.join("tree/arch"));
        let roots = Roots::new(&[tree.clone(), arch.clone(), root.join("lone.h")]);

        let a = root.join("tree/arch/x86/a.h");
        assert_eq!(roots.holding(&a), Some((arch.as_path(), true)));
        assert_eq!(roots.folders_holding(&a).collect::<Vec<_>>(), [arch.as_path(), &tree]);
        let lone = root.join("lone.h");
        assert_eq!(roots.holding(&lone), Some((lone.as_path(), false)));
        assert_eq!(roots.holding(&root.join("elsewhere.h")), None);
        assert_eq!(roots.holding(&tree), Some((tree.as_path(), true)));
    }
}
