//! Source locations: which file, which line and column.

use serde::Serialize;
use std::path::PathBuf;

/// Index of a [`SourceFile`] in [`crate::ir::Ir::files`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct FileId(pub u32);

/// A file the front end read.
#[derive(Clone, Debug, Serialize)]
pub struct SourceFile {
    /// The path as opened.
    pub path: PathBuf,
    /// The path shown to users: relative to the scanned root it was found
    /// under, or as opened when it came from an include directory.
    pub display: String,
    /// Whether the file lies inside one of the scanned paths (as opposed to
    /// a system or `-I` directory). Only records defined in such files are
    /// selected by the match pattern.
    pub in_scan: bool,
}

/// A position in a source file: 1-based line and column (in bytes).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Loc {
    /// The file.
    pub file: FileId,
    /// Byte offset from the start of the file.
    pub offset: u32,
    /// 1-based line.
    pub line: u32,
    /// 1-based column, in bytes.
    pub column: u32,
}
