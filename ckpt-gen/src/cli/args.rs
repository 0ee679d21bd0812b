//! The command-line flags.

use anyhow::{bail, Result};
use ckpt_gen::pipeline::Options;
use ckpt_gen::target::{Target, TARGETS};
use clap::{Args, Parser, Subcommand};
use std::ffi::OsString;
use std::path::PathBuf;

/// Finds the checkpoint records of a C header tree, lays them out as the C
/// compiler does, and generates Rust bindings with layout assertions.
#[derive(Parser, Debug)]
#[command(name = "ckpt-gen", version, about, max_term_width = 100)]
pub struct Cli {
    /// What to do; `generate` when left out.
    #[command(subcommand)]
    pub command: Command,
    /// More output on stderr (-v info, -vv trace).
    #[arg(short, long, action = clap::ArgAction::Count, global = true)]
    pub verbose: u8,
    /// Only errors on stderr.
    #[arg(short, long, global = true)]
    pub quiet: bool,
}

/// The subcommands.
#[derive(Subcommand, Debug)]
pub enum Command {
    /// Print Rust bindings for the matching records and what they use.
    Generate {
        #[command(flatten)]
        common: Common,
        /// Write to FILE (atomically) instead of stdout.
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
        /// `rust`: ckpt-gen's bindings; `bindgen`: bindgen's own output for
        /// the same records (needs libclang at run time).
        #[arg(long, value_name = "KIND", default_value = "rust", value_parser = ["rust", "bindgen"])]
        emit: String,
    },
    /// Report, per record, what differs between targets and what is not
    /// portable: layouts, holes and padding, architecture-dependent types.
    Check {
        #[command(flatten)]
        common: Common,
        #[command(flatten)]
        targets: Targets,
        /// JSON instead of text.
        #[arg(long)]
        json: bool,
        /// Exit 1 when a finding at or above LEVEL exists.
        #[arg(long, value_name = "LEVEL", default_value = "error", value_parser = ["note", "warning", "error"])]
        deny: String,
        /// Read the tree's configuration (which records are
        /// architecture-specific) from FILE instead of `ckpt-gen.toml` at
        /// the root of a scanned folder.
        #[arg(long, value_name = "FILE")]
        config: Option<PathBuf>,
        /// Write to FILE (atomically) instead of stdout.
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Re-compute every record with real compilers and print every
    /// disagreement; exit 1 on any.
    Verify {
        #[command(flatten)]
        common: Common,
        #[command(flatten)]
        targets: Targets,
        /// Compiler to compare with: `cc` (the host's, runs a probe; host
        /// target only), `clang` (compile-only, any target), `libclang`
        /// (bindgen's library, any target). Repeatable. Default: `cc` for
        /// the host target, `clang` for the others.
        #[arg(long = "with", value_name = "COMPILER", value_parser = ["cc", "clang", "libclang"])]
        with: Vec<String>,
    },
    /// Print the layout of every matching record: size, alignment and the
    /// offset of every member.
    Layout {
        #[command(flatten)]
        common: Common,
        /// JSON instead of a table.
        #[arg(long)]
        json: bool,
        /// Write to FILE (atomically) instead of stdout.
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
}

/// `--targets`, for the commands that look at several targets.
#[derive(Args, Debug)]
pub struct Targets {
    /// Comma-separated targets, or `all`.
    #[arg(long, value_name = "LIST|all")]
    pub targets: Option<String>,
}

impl Targets {
    /// The targets named by `--targets`, else by `--target`, else
    /// `default` (`all` or `host`).
    pub fn resolve(&self, common: &Common, default: &str) -> Result<Vec<&'static Target>> {
        match (&self.targets, &common.target) {
            (Some(list), _) => Target::parse_list(list).map_err(anyhow::Error::msg),
            (None, Some(_)) => Ok(vec![common.target()?]),
            (None, None) if default == "all" => Ok(TARGETS.iter().collect()),
            (None, None) => Ok(vec![common.target()?]),
        }
    }

    /// Whether the user named the targets.
    pub fn explicit(&self, common: &Common) -> bool {
        self.targets.is_some() || common.target.is_some()
    }
}

/// Flags every command takes.
#[derive(Args, Debug)]
pub struct Common {
    /// Header trees or single headers to scan.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Regular expression over record names (C tags, no `struct `).
    #[arg(short, long = "match", value_name = "REGEX", default_value = "^ckpt_")]
    pub pattern: String,
    /// Add DIR to the include search path, before the tree's own roots.
    #[arg(short = 'I', value_name = "DIR")]
    pub include: Vec<PathBuf>,
    /// Define a macro: NAME or NAME=VALUE.
    #[arg(short = 'D', value_name = "NAME[=VALUE]")]
    pub define: Vec<String>,
    /// Undefine a macro (also a predefined one).
    #[arg(short = 'U', value_name = "NAME")]
    pub undefine: Vec<String>,
    /// Target ABI (default: the host).
    #[arg(long, value_name = "TARGET")]
    pub target: Option<String>,
    /// Deepest #include nesting accepted.
    #[arg(long, value_name = "N", default_value_t = 200)]
    pub max_include_depth: usize,
    /// Most tokens one translation unit may produce (included files plus
    /// macro expansion).
    #[arg(long, value_name = "N", default_value_t = 5_000_000)]
    pub max_expansion: usize,
    /// Largest header read, in bytes.
    #[arg(long, value_name = "BYTES", default_value_t = 64 << 20)]
    pub max_file_size: u64,
}

impl Common {
    /// The target named by `--target`, or the host.
    pub fn target(&self) -> Result<&'static Target> {
        match &self.target {
            Some(name) => match Target::by_name(name) {
                Some(t) => Ok(t),
                None => {
                    let names: Vec<&str> = TARGETS.iter().map(|t| t.name).collect();
                    bail!("unknown target '{name}'; expected one of: {}", names.join(", "))
                }
            },
            None => match Target::host() {
                Some(t) => Ok(t),
                None => bail!("this host is not a supported target; pass --target"),
            },
        }
    }

    /// The library's options.
    pub fn options(&self, target: &'static Target) -> Options {
        let mut o = Options::new(self.paths.clone(), target);
        o.pattern = self.pattern.clone();
        o.include_dirs = self.include.clone();
        o.defines = self
            .define
            .iter()
            .map(|d| match d.split_once('=') {
                Some((k, v)) => (k.to_string(), v.to_string()),
                None => (d.clone(), "1".to_string()),
            })
            .collect();
        o.undefines = self.undefine.clone();
        o.max_include_depth = self.max_include_depth;
        o.max_expansion_tokens = self.max_expansion;
        o.max_file_bytes = self.max_file_size;
        o
    }
}

/// Inserts `generate` when the first argument is not a subcommand, so that
/// `ckpt-gen PATH...` works.
pub fn with_default_command(mut argv: Vec<OsString>) -> Vec<OsString> {
    let first = argv.get(1).and_then(|a| a.to_str()).unwrap_or("");
    let known =
        ["generate", "layout", "check", "verify", "help", "-h", "--help", "-V", "--version"];
    if argv.len() > 1 && !known.contains(&first) {
        argv.insert(1, "generate".into());
    }
    argv
}
