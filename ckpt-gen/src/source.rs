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

/// How many bytes of tokens the set keeps for files no unit is reading:
/// beyond it, the files used longest ago give up their tokens, and are read
/// and lexed again if included again. A run over every header of
/// `/usr/include` otherwise keeps all of them (about 600 MB); the hot
/// system headers stay, being used by every unit.
const TOKEN_BUDGET_BYTES: usize = 48 << 20;

/// A loaded file, or the place of one whose tokens were given up.
struct Slot {
    /// `None` once evicted.
    loaded: Option<Arc<Loaded>>,
    /// The value of [`Inner::clock`] when it was last loaded.
    last_use: u64,
    /// The bytes its tokens take.
    bytes: usize,
}

#[derive(Default)]
struct Inner {
    by_path: HashMap<PathBuf, Result<FileId, LoadError>>,
    /// Each file by its canonical path: `a/../a/x.h` and a symbolic link
    /// to `a/x.h` are the same file (for `#pragma once`, as GCC sees it).
    by_canonical: HashMap<PathBuf, FileId>,
    files: Vec<Slot>,
    infos: Vec<SourceFile>,
    /// Bytes of tokens held by the slots.
    resident: usize,
    /// Counts loads, for choosing what to evict.
    clock: u64,
}

impl Inner {
    /// Gives up the tokens of the files used longest ago until a quarter of
    /// the budget is free.
    fn evict(&mut self, budget: usize) {
        if self.resident <= budget {
            return;
        }
        let mut held: Vec<(u64, usize)> = (self.files.iter().enumerate())
            .filter(|(_, slot)| slot.loaded.is_some())
            .map(|(i, slot)| (slot.last_use, i))
            .collect();
        held.sort_unstable();
        for (_, i) in held {
            if self.resident <= budget / 4 * 3 {
                break;
            }
            let slot = &mut self.files[i];
            slot.loaded = None;
            self.resident -= slot.bytes;
        }
    }
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
    token_budget: usize,
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
            token_budget: TOKEN_BUDGET_BYTES,
        }
    }

    /// Sets how many bytes of tokens are kept for files no unit is reading
    /// (default 48 MiB); files over it are read and lexed again when needed.
    pub fn with_token_budget(mut self, bytes: usize) -> Sources {
        self.token_budget = bytes;
        self
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

    /// Loads `path`: read and lexed once, and again only if its tokens
    /// were given up to stay within the token budget; the file keeps its
    /// [`FileId`] either way.
    pub fn load(&self, path: &Path) -> Result<Arc<Loaded>, LoadError> {
        let known = {
            let mut inner = self.lock();
            inner.clock += 1;
            let clock = inner.clock;
            match inner.by_path.get(path).cloned() {
                Some(Err(e)) => return Err(e),
                Some(Ok(id)) => {
                    let slot = &mut inner.files[id.0 as usize];
                    slot.last_use = clock;
                    if let Some(loaded) = &slot.loaded {
                        return Ok(loaded.clone());
                    }
                    Some(id)
                }
                None => None,
            }
        };
        // A spelling seen for the first time may name a file already loaded.
        let canonical = if known.is_none() { std::fs::canonicalize(path).ok() } else { None };
        if let Some(canonical) = &canonical {
            let mut inner = self.lock();
            if let Some(&id) = inner.by_canonical.get(canonical) {
                inner.by_path.insert(path.to_path_buf(), Ok(id));
                drop(inner);
                return self.load(path);
            }
        }

        // Read and lex outside the lock; if another thread won the race, its
        // copy is kept and this one dropped.
        let read = self.read(path);
        let mut inner = self.lock();
        let bytes = match read {
            Ok(bytes) => bytes,
            Err(e) if known.is_none() => {
                inner.by_path.entry(path.to_path_buf()).or_insert(Err(e.clone()));
                return Err(e);
            }
            Err(e) => return Err(e),
        };
        let id = match (known, inner.by_path.get(path)) {
            (Some(id), _) => id,
            (None, Some(Ok(id))) => *id,
            (None, Some(Err(e))) => return Err(e.clone()),
            (None, None) => FileId(inner.files.len() as u32),
        };
        if let Some(Some(loaded)) = inner.files.get(id.0 as usize).map(|s| &s.loaded) {
            return Ok(loaded.clone());
        }
        let info = match inner.infos.get(id.0 as usize) {
            Some(info) => info.clone(),
            None => self.describe(path),
        };
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
        let slot_bytes = loaded.tokens.capacity() * std::mem::size_of::<Token>();
        let slot = Slot { loaded: Some(loaded.clone()), last_use: inner.clock, bytes: slot_bytes };
        inner.resident += slot_bytes;
        if id.0 as usize == inner.files.len() {
            inner.files.push(slot);
            inner.infos.push(info);
            inner.by_path.insert(path.to_path_buf(), Ok(id));
            if let Some(canonical) = canonical {
                inner.by_canonical.entry(canonical).or_insert(id);
            }
        } else {
            inner.files[id.0 as usize] = slot;
        }
        inner.evict(self.token_budget);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evicted_files_come_back_with_their_id_and_tokens() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a.h"), dir.path().join("b.h"));
        std::fs::write(&a, "#ifndef A\n#define A\nstruct a { int x; };\n#endif\n").unwrap();
        std::fs::write(&b, "struct b { long y; };\n").unwrap();
        let sources = Sources::new(vec![dir.path().to_path_buf()], 1 << 20).with_token_budget(1);

        let first = sources.load(&a).unwrap();
        let texts = |f: &Loaded| f.tokens.iter().map(|t| t.text()).collect::<Vec<_>>();
        let b_id = sources.load(&b).unwrap().id;
        assert!(sources.lock().files[first.id.0 as usize].loaded.is_none(), "a.h was not evicted");

        let again = sources.load(&a).unwrap();
        assert!(!Arc::ptr_eq(&first, &again), "a.h was not read again");
        assert_eq!((again.id, again.guard), (first.id, first.guard));
        assert_eq!(texts(&again), texts(&first));
        assert_ne!(b_id, first.id);
        assert_eq!(sources.infos().len(), 2);
    }

    #[test]
    fn one_file_under_several_spellings_is_loaded_once() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("real")).unwrap();
        std::fs::create_dir_all(dir.path().join("a")).unwrap();
        std::fs::write(dir.path().join("real/once.h"), "#pragma once\nint x;\n").unwrap();
        std::os::unix::fs::symlink("../real/once.h", dir.path().join("a/link.h")).unwrap();
        let sources = Sources::new(vec![dir.path().to_path_buf()], 1 << 20);
        let first = sources.load(&dir.path().join("real/once.h")).unwrap();
        for other in ["real/../real/once.h", "a/link.h", "./real/once.h"] {
            assert_eq!(sources.load(&dir.path().join(other)).unwrap().id, first.id, "{other}");
        }
        assert_eq!(sources.infos().len(), 1);
    }
}
