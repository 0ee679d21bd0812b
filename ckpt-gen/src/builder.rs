//! The build-script API: generate bindings into `OUT_DIR`.

use crate::diag;
use crate::layout::Layouts;
use crate::pipeline::{self, Options};
use crate::target::Target;
use std::path::{Path, PathBuf};

/// Why bindings could not be generated.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The headers have errors; the rendered diagnostics say where.
    #[error("{count} error(s) in the headers:\n{rendered}")]
    Input {
        /// How many errors.
        count: usize,
        /// The diagnostics, rendered as the command line prints them.
        rendered: String,
    },
    /// The record pattern is not a valid regular expression.
    #[error("invalid record pattern: {0}")]
    Pattern(#[from] regex::Error),
    /// The target is not one ckpt-gen knows.
    #[error("unknown target '{0}'")]
    Target(String),
    /// Writing the output failed.
    #[error("writing {path}: {source}")]
    Write {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
}

/// Configures a generation run, in the manner of bindgen's builder.
///
/// ```no_run
/// let bindings = ckpt_gen::Builder::new()
///     .header_tree("headers")
///     .generate()
///     .expect("checkpoint headers");
/// bindings.emit_rerun_if_changed();
/// let out = std::path::PathBuf::from(std::env::var("OUT_DIR").unwrap());
/// bindings.write_to_file(out.join("ckpt_bindings.rs")).unwrap();
/// ```
#[derive(Clone, Debug)]
pub struct Builder {
    paths: Vec<PathBuf>,
    pattern: String,
    include_dirs: Vec<PathBuf>,
    defines: Vec<(String, String)>,
    target: Option<String>,
}

impl Default for Builder {
    fn default() -> Self {
        Builder::new()
    }
}

impl Builder {
    /// A builder with the default pattern `^ckpt_` and no paths.
    pub fn new() -> Builder {
        Builder {
            paths: Vec::new(),
            pattern: "^ckpt_".into(),
            include_dirs: Vec::new(),
            defines: Vec::new(),
            target: None,
        }
    }

    /// Scans a header tree (or a single header).
    pub fn header_tree(mut self, path: impl Into<PathBuf>) -> Builder {
        self.paths.push(path.into());
        self
    }

    /// Selects records whose name matches `regex`.
    pub fn pattern(mut self, regex: impl Into<String>) -> Builder {
        self.pattern = regex.into();
        self
    }

    /// Adds an include folder (`-I`).
    pub fn include_dir(mut self, path: impl Into<PathBuf>) -> Builder {
        self.include_dirs.push(path.into());
        self
    }

    /// Defines a macro (`-D name=value`).
    pub fn define(mut self, name: impl Into<String>, value: impl Into<String>) -> Builder {
        self.defines.push((name.into(), value.into()));
        self
    }

    /// Lays out for `target` (a name from [`crate::target::TARGETS`]).
    /// Without it: the target Cargo builds for (`CARGO_CFG_TARGET_ARCH`
    /// in a build script), else the host.
    pub fn target(mut self, target: impl Into<String>) -> Builder {
        self.target = Some(target.into());
        self
    }

    fn resolve_target(&self) -> Result<&'static Target, Error> {
        if let Some(name) = &self.target {
            return Target::by_name(name).ok_or_else(|| Error::Target(name.clone()));
        }
        if let Ok(arch) = std::env::var("CARGO_CFG_TARGET_ARCH") {
            return Target::by_name(&arch).ok_or(Error::Target(arch));
        }
        Target::host().ok_or_else(|| Error::Target(std::env::consts::ARCH.into()))
    }

    /// Runs the generator.
    pub fn generate(self) -> Result<Bindings, Error> {
        let target = self.resolve_target()?;
        let pattern = regex::Regex::new(&self.pattern)?;
        let mut options = Options::new(self.paths, target);
        options.pattern = self.pattern;
        options.include_dirs = self.include_dirs;
        options.defines = self.defines;

        let analysis = pipeline::analyze(&options);
        let layouts = Layouts::compute(&analysis.ir, target);
        let selection = crate::select::select(&analysis.ir, &pattern);
        let mut diags = analysis.diagnostics.clone();
        for &id in &selection.records {
            let r = analysis.ir.record(id);
            if !r.complete {
                continue;
            }
            if let Err(e) = layouts.record(id) {
                diags.push(diag::Diagnostic::error(
                    r.loc,
                    format!("cannot lay out '{}': {e}", r.name),
                ));
            }
        }
        let count = pipeline::errors(&diags);
        if count > 0 {
            return Err(Error::Input { count, rendered: diag::render(&diags, &analysis.ir.files) });
        }
        let text = crate::emit::rust::rust(&layouts, &selection);
        Ok(Bindings { text, files_read: analysis.files_read })
    }
}

/// Generated bindings.
#[derive(Clone, Debug)]
pub struct Bindings {
    text: String,
    files_read: Vec<PathBuf>,
}

impl Bindings {
    /// The Rust source.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Every file the generator read.
    pub fn files_read(&self) -> &[PathBuf] {
        &self.files_read
    }

    /// Prints `cargo:rerun-if-changed` for every file read.
    pub fn emit_rerun_if_changed(&self) {
        for f in &self.files_read {
            println!("cargo:rerun-if-changed={}", f.display());
        }
    }

    /// Writes the source to `path`, atomically.
    pub fn write_to_file(&self, path: impl AsRef<Path>) -> Result<(), Error> {
        let path = path.as_ref();
        let err = |source| Error::Write { path: path.to_path_buf(), source };
        let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
        let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(err)?;
        std::io::Write::write_all(&mut tmp, self.text.as_bytes()).map_err(err)?;
        tmp.persist(path).map_err(|e| err(e.error))?;
        Ok(())
    }
}
