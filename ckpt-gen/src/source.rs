//! The files a run reads: loaded once, lexed once, shared by every
//! translation unit that includes them.
//!
//! Takes: paths. Returns: [`Loaded`] files (contents, line index, tokens,
//! include-guard macro) by [`FileId`]. Reading is bounded by a size limit;
//! a file that cannot be read is an error value, not a panic.

use crate::ir::{FileId, SourceFile};
use crate::lex::{self, IdMap, LexError, LineIndex, Sym, Token, TokenKind, BOL};
use crate::scan::Roots;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// A file, read and lexed.
#[derive(Debug)]
pub struct Loaded {
    /// Its id.
    pub id: FileId,
    /// Path and display name.
    pub info: SourceFile,
    /// Tokens.
    pub tokens: Vec<Token>,
    /// Lexical errors.
    pub errors: Vec<LexError>,
    /// The macro of a `#ifndef X / #define X ... #endif` guard around the
    /// whole file, if it has one: once `X` is defined, including the file
    /// again has no effect.
    pub guard: Option<Sym>,
    /// Whether the file has `#pragma once`.
    pub pragma_once: bool,
}

/// Why a file could not be loaded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LoadError {
    /// The operating system refused.
    Io(String),
    /// Larger than the configured limit.
    TooLarge {
        /// Its size in bytes.
        size: u64,
        /// The limit in bytes.
        limit: u64,
    },
}

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LoadError::Io(e) => f.write_str(e),
            LoadError::TooLarge { size, limit } => {
                write!(f, "file is {size} bytes, more than the limit of {limit} bytes")
            }
        }
    }
}

/// Predefined macros and their tokens.
struct Definitions {
    defines: Vec<(String, String)>,
    tokens: Arc<Vec<Vec<Token>>>,
}

#[derive(Default)]
struct Inner {
    by_path: HashMap<PathBuf, Result<FileId, LoadError>>,
    files: Vec<Arc<Loaded>>,
    infos: Vec<SourceFile>,
}

/// The set of files one run has read; shared across threads.
pub struct Sources {
    inner: Mutex<Inner>,
    /// Answers of [`Sources::is_file`]: include resolution asks the same
    /// paths for every translation unit.
    is_file: Mutex<IdMap<PathBuf, bool>>,
    /// The last list of predefined macros lexed by [`Sources::definitions`]
    /// and its tokens.
    definitions: Mutex<Option<Definitions>>,
    max_file_bytes: u64,
    scan_roots: Roots,
}

impl Sources {
    /// An empty set. Files under `scan_roots` are marked `in_scan` and shown
    /// relative to their root.
    pub fn new(scan_roots: Vec<PathBuf>, max_file_bytes: u64) -> Sources {
        Sources {
            inner: Mutex::default(),
            is_file: Mutex::default(),
            definitions: Mutex::default(),
            max_file_bytes,
            scan_roots: Roots::new(&scan_roots),
        }
    }

    /// Whether `path` is a file (following links), as [`Path::is_file`];
    /// asked of the operating system once per path and run.
    pub fn is_file(&self, path: &Path) -> bool {
        let map = || self.is_file.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(&known) = map().get(path) {
            return known;
        }
        let answer = path.is_file();
        map().insert(path.to_path_buf(), answer);
        answer
    }

    /// `#define name value` lexed for each of `defines`, in order; lexed
    /// once for all the translation units of a run that share the list.
    pub fn definitions(&self, defines: &[(String, String)]) -> Arc<Vec<Vec<Token>>> {
        let mut cached = self.definitions.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(d) = cached.as_ref().filter(|d| d.defines == defines) {
            return d.tokens.clone();
        }
        let tokens: Arc<Vec<Vec<Token>>> = Arc::new(
            defines
                .iter()
                .map(|(name, value)| {
                    let text = format!("#define {name} {value}\n");
                    let lexed = lex::lex(
                        FileId(u32::MAX),
                        text.as_bytes(),
                        &LineIndex::new(text.as_bytes()),
                    );
                    lexed.tokens
                })
                .collect(),
        );
        *cached = Some(Definitions { defines: defines.to_vec(), tokens: tokens.clone() });
        tokens
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Loads `path` (once; later calls return the same file).
    pub fn load(&self, path: &Path) -> Result<Arc<Loaded>, LoadError> {
        {
            let inner = self.lock();
            if let Some(done) = inner.by_path.get(path) {
                return done.clone().map(|id| inner.files[id.0 as usize].clone());
            }
        }

        // Read and lex outside the lock; if another thread won the race, its
        // copy is kept and this one dropped.
        let read = self.read(path);
        let mut inner = self.lock();
        if let Some(done) = inner.by_path.get(path) {
            return done.clone().map(|id| inner.files[id.0 as usize].clone());
        }
        let bytes = match read {
            Ok(bytes) => bytes,
            Err(e) => {
                inner.by_path.insert(path.to_path_buf(), Err(e.clone()));
                return Err(e);
            }
        };
        let id = FileId(inner.files.len() as u32);
        let info = self.describe(path);
        let lines = LineIndex::new(&bytes);
        let lexed = lex::lex(id, &bytes, &lines);
        let (guard, pragma_once) = guard_of(&lexed.tokens);
        let loaded = Arc::new(Loaded {
            id,
            info: info.clone(),
            tokens: lexed.tokens,
            errors: lexed.errors,
            guard,
            pragma_once,
        });
        inner.files.push(loaded.clone());
        inner.infos.push(info);
        inner.by_path.insert(path.to_path_buf(), Ok(id));
        Ok(loaded)
    }

    fn read(&self, path: &Path) -> Result<Vec<u8>, LoadError> {
        let meta = std::fs::metadata(path).map_err(|e| LoadError::Io(e.to_string()))?;
        if meta.len() > self.max_file_bytes {
            return Err(LoadError::TooLarge { size: meta.len(), limit: self.max_file_bytes });
        }
        if meta.is_dir() {
            return Err(LoadError::Io("is a directory".into()));
        }
        std::fs::read(path).map_err(|e| LoadError::Io(e.to_string()))
    }

    fn describe(&self, path: &Path) -> SourceFile {
        let root = self.scan_roots.holding(path);
        let display = match root {
            Some((root, true)) => {
                path.strip_prefix(root).unwrap_or(path).to_string_lossy().into_owned()
            }
            _ => path.to_string_lossy().into_owned(),
        };
        SourceFile { path: path.to_path_buf(), display, in_scan: root.is_some() }
    }

    /// A file by id.
    pub fn get(&self, id: FileId) -> Arc<Loaded> {
        self.lock().files[id.0 as usize].clone()
    }

    /// Every file read so far, indexed by [`FileId`].
    pub fn infos(&self) -> Vec<SourceFile> {
        self.lock().infos.clone()
    }
}

/// Finds a whole-file include guard and `#pragma once`.
fn guard_of(tokens: &[Token]) -> (Option<Sym>, bool) {
    let pragma_once = tokens
        .windows(3)
        .any(|w| w[0].at_bol() && w[0].is("#") && w[1].is("pragma") && w[2].is("once"));
    let n = tokens.len();
    let directive = |i: usize, name: &str| {
        i + 1 < n && tokens[i].at_bol() && tokens[i].is("#") && tokens[i + 1].is(name)
    };
    if n < 8 || !directive(0, "ifndef") || !directive(3, "define") {
        return (None, pragma_once);
    }
    let guard = tokens[2];
    if guard.kind != TokenKind::Ident || tokens[5].sym != guard.sym || !directive(n - 2, "endif") {
        return (None, pragma_once);
    }
    // The #ifndef must be closed by the last #endif, not earlier.
    let mut depth = 0i32;
    for i in 0..n - 1 {
        if !(tokens[i].flags & BOL != 0 && tokens[i].is("#")) {
            continue;
        }
        let name = tokens[i + 1].text();
        if matches!(name, "if" | "ifdef" | "ifndef") {
            depth += 1;
        } else if name == "endif" {
            depth -= 1;
            if depth == 0 && i != n - 2 {
                return (None, pragma_once);
            }
        }
    }
    (Some(guard.sym), pragma_once)
}
