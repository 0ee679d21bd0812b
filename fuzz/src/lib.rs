//! Shared drivers of the fuzz targets: each takes arbitrary bytes and runs
//! one stage of ckpt-gen on them. A panic, an abort, or a run longer than
//! the fuzzer's timeout is a finding; every finding becomes a regression
//! test in `tests/hostile.rs` of the main workspace.

use ckpt_gen::ir::{FileId, Ir};
use ckpt_gen::layout::Layouts;
use ckpt_gen::lex::{self, LineIndex};
use ckpt_gen::pipeline::{self, Options};
use ckpt_gen::preproc::{self, Config};
use ckpt_gen::source::Sources;
use ckpt_gen::target::{Target, TARGETS};
use std::path::Path;

/// Limits small enough that one input runs in milliseconds.
const MAX_TOKENS: usize = 200_000;
const MAX_DEPTH: usize = 16;

/// Lexes `data`.
pub fn lex(data: &[u8]) {
    let _ = lex::lex(FileId(0), data, &LineIndex::new(data));
}

/// Writes `data` as `dir/fuzz.h` (and, for includes, `dir/inc.h` holding
/// its second half).
fn write_tree(dir: &Path, data: &[u8]) {
    let (a, b) = data.split_at(data.len() / 2);
    let _ = std::fs::write(dir.join("fuzz.h"), data);
    let _ = std::fs::write(dir.join("inc.h"), [b, a].concat());
}

fn config() -> Config {
    Config {
        max_include_depth: MAX_DEPTH,
        max_expansion_tokens: MAX_TOKENS,
        defines: host().predefined_macros(),
        ..Config::default()
    }
}

fn host() -> &'static Target {
    Target::host().unwrap_or(&TARGETS[0])
}

/// Preprocesses `data` as a header of its own.
pub fn preprocess(data: &[u8]) {
    let Ok(dir) = tempfile::tempdir() else { return };
    write_tree(dir.path(), data);
    let sources = Sources::new(vec![dir.path().to_path_buf()], 1 << 20);
    let _ = preproc::preprocess(&dir.path().join("fuzz.h"), &config(), &sources);
}

/// Preprocesses and parses `data`.
pub fn parse(data: &[u8]) {
    let Ok(dir) = tempfile::tempdir() else { return };
    write_tree(dir.path(), data);
    let sources = Sources::new(vec![dir.path().to_path_buf()], 1 << 20);
    let pp = preproc::preprocess(&dir.path().join("fuzz.h"), &config(), &sources);
    let mut ir = Ir::default();
    let _ = ckpt_gen::parse::parse_unit(&pp.tokens, &pp.pack, &mut ir);
    // The parser must also survive tokens that were never preprocessed.
    let raw = lex::lex(FileId(0), data, &LineIndex::new(data));
    let _ = ckpt_gen::parse::parse_unit(&raw.tokens, &[], &mut Ir::default());
}

/// Header text in, layouts and bindings out: the whole pipeline, for the
/// target picked by the first byte.
pub fn pipeline(data: &[u8]) {
    let Some((&pick, rest)) = data.split_first() else { return };
    let target = &TARGETS[usize::from(pick) % TARGETS.len()];
    let Ok(dir) = tempfile::tempdir() else { return };
    write_tree(dir.path(), rest);
    let mut options = Options::new(vec![dir.path().to_path_buf()], target);
    options.pattern = ".".into();
    options.system_dirs = Some(Vec::new());
    options.max_include_depth = MAX_DEPTH;
    options.max_expansion_tokens = MAX_TOKENS;
    options.max_file_bytes = 1 << 20;
    let analysis = pipeline::analyze(&options);
    let layouts = Layouts::compute(&analysis.ir, target);
    let Ok(all) = regex::Regex::new(".") else { return };
    let re = ckpt_gen::select::select(&analysis.ir, &all);
    for id in &re.records {
        let _ = layouts.record(*id);
    }
    let _ = ckpt_gen::emit::json::json(&layouts, &re.records);
    let _ = ckpt_gen::emit::rust::rust(&layouts, &re);
}
