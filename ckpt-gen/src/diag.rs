//! Diagnostics: what went wrong in the input, and where.
//!
//! Every stage reports problems with the input as [`Diagnostic`]s and goes
//! on; nothing in the pipeline panics or stops on bad input. Rendering (the
//! compiler-style `file:line:col: error: message` with the source line and a
//! caret) is done by [`render`] through `codespan-reporting`.

use crate::ir::{FileId, Loc, SourceFile};
use serde::Serialize;
use std::fmt::Write as _;

/// How bad a diagnostic is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Severity {
    /// Worth knowing; the output is still complete.
    Warning,
    /// Part of the input could not be processed: the records it affects are
    /// left out, the rest is still done.
    Error,
}

/// One problem with the input.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Warning or error.
    pub severity: Severity,
    /// Where; `None` for problems not tied to a file position.
    pub loc: Option<Loc>,
    /// What, in lower case, without a final period.
    pub message: String,
    /// Extra lines: a hint or the include chain.
    pub notes: Vec<String>,
}

impl Diagnostic {
    /// An error at `loc`.
    pub fn error(loc: Loc, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            loc: Some(loc),
            message: message.into(),
            notes: vec![],
        }
    }

    /// A warning at `loc`.
    pub fn warning(loc: Loc, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Warning,
            loc: Some(loc),
            message: message.into(),
            notes: vec![],
        }
    }

    /// An error with no position (a file that cannot be read, ...).
    pub fn global(severity: Severity, message: impl Into<String>) -> Diagnostic {
        Diagnostic { severity, loc: None, message: message.into(), notes: vec![] }
    }

    /// Adds a note line.
    pub fn with_note(mut self, note: impl Into<String>) -> Diagnostic {
        self.notes.push(note.into());
        self
    }

    /// Whether this is an error.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// Renders diagnostics in the compiler style: a `file:line:col: error:
/// message` headline, then the source line with a caret under the column,
/// then the notes. `files` are the files the locations refer to.
pub fn render(diags: &[Diagnostic], files: &[SourceFile]) -> String {
    use codespan_reporting::diagnostic::{Diagnostic as Snippet, Label};
    use codespan_reporting::files::SimpleFile;
    use codespan_reporting::term::{self, Chars, Config};

    // The texts of the files diagnosed most recently: a run over a large
    // tree may report in thousands of files, which are not all kept.
    const KEEP: usize = 32;
    let mut texts: Vec<(FileId, String)> = Vec::new();
    let config = Config { chars: Chars::ascii(), ..Config::default() };
    let mut out = String::new();

    for d in diags {
        let _ = writeln!(out, "{}", summary(d, files));
        if let Some((loc, file)) = d.loc.and_then(|l| Some((l, files.get(l.file.0 as usize)?))) {
            match texts.iter().position(|(id, _)| *id == loc.file) {
                Some(i) => {
                    let hit = texts.remove(i);
                    texts.insert(0, hit);
                }
                None => {
                    let text = std::fs::read(&file.path).unwrap_or_default();
                    texts.insert(0, (loc.file, String::from_utf8_lossy(&text).into_owned()));
                    texts.truncate(KEEP);
                }
            }
            let source = texts[0].1.as_str();
            let start = (loc.offset as usize).min(source.len());
            let end = (start + 1).min(source.len());
            let db = SimpleFile::new(file.display.as_str(), source);
            let snippet = Snippet::error().with_labels(vec![Label::primary((), start..end)]);
            // The library's own headline repeats ours: keep only the
            // source excerpt below it.
            if let Ok(text) = term::emit_into_string(&config, &db, &snippet) {
                for line in text.lines().skip(1).filter(|l| !l.trim().is_empty()) {
                    let _ = writeln!(out, "{line}");
                }
            }
        }
        for note in &d.notes {
            let _ = writeln!(out, "  = note: {note}");
        }
    }
    out
}

/// One line: `file:line:col: error: message`.
pub fn summary(d: &Diagnostic, files: &[SourceFile]) -> String {
    let level = match d.severity {
        Severity::Warning => "warning",
        Severity::Error => "error",
    };
    // Locations outside the file table come from command-line macros.
    match d.loc {
        Some(loc) => {
            let file =
                files.get(loc.file.0 as usize).map_or("<command line>", |f| f.display.as_str());
            format!("{file}:{}:{}: {level}: {}", loc.line, loc.column, d.message)
        }
        None => format!("{level}: {}", d.message),
    }
}
