//! Criterion benchmarks of the stages, on the bundled `headers/` tree and
//! the host's system headers it includes. Whole-run comparisons with grep,
//! cc and bindgen are in `bench/run.sh`; results in `docs/performance.md`.
//!
//! `cargo bench -p ckpt-gen` (add `-- --quick` for a short run).

// criterion_group! and criterion_main! define undocumented functions.
#![allow(missing_docs)]

use ckpt_gen::ir::{FileId, Ir};
use ckpt_gen::layout::Layouts;
use ckpt_gen::lex::{self, LineIndex};
use ckpt_gen::pipeline::{self, Options};
use ckpt_gen::preproc;
use ckpt_gen::source::Sources;
use ckpt_gen::target::Target;
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::hint::black_box;
use std::path::PathBuf;

fn headers() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../headers")
}

fn host() -> &'static Target {
    Target::host().expect("a supported host")
}

fn options() -> Options {
    Options::new(vec![headers()], host())
}

/// The unit that includes the most: task.h pulls in signal, socket and
/// arch headers.
fn task_h() -> PathBuf {
    headers().join("include/linux/checkpoint/task.h")
}

fn preproc_config() -> preproc::Config {
    let tree = headers();
    preproc::Config {
        include_dirs: vec![tree.join("include"), tree.join("arch/x86/include")],
        system_dirs: pipeline::system_dirs(host()),
        defines: host().predefined_macros(),
        ..preproc::Config::default()
    }
}

fn lex_bench(c: &mut Criterion) {
    let text =
        std::fs::read("/usr/include/stdlib.h").unwrap_or_else(|_| std::fs::read(task_h()).unwrap());
    let lines = LineIndex::new(&text);
    let mut g = c.benchmark_group("lex");
    g.throughput(Throughput::Bytes(text.len() as u64));
    g.bench_function("stdlib.h", |b| b.iter(|| lex::lex(FileId(0), black_box(&text), &lines)));
    g.finish();
}

fn preprocess_bench(c: &mut Criterion) {
    let config = preproc_config();
    let mut g = c.benchmark_group("preprocess");
    g.bench_function("task.h, files cached", |b| {
        let sources = Sources::new(vec![headers()], u64::MAX);
        b.iter(|| preproc::preprocess(&task_h(), &config, &sources))
    });
    g.bench_function("task.h, cold (read and lex)", |b| {
        b.iter(|| {
            let sources = Sources::new(vec![headers()], u64::MAX);
            preproc::preprocess(&task_h(), &config, &sources)
        })
    });
    g.finish();
}

fn parse_bench(c: &mut Criterion) {
    let sources = Sources::new(vec![headers()], u64::MAX);
    let pp = preproc::preprocess(&task_h(), &preproc_config(), &sources);
    let mut g = c.benchmark_group("parse");
    g.throughput(Throughput::Elements(pp.tokens.len() as u64));
    g.bench_function("task.h unit", |b| {
        b.iter(|| ckpt_gen::parse::parse_unit(&pp.tokens, &pp.pack, &mut Ir::default()))
    });
    g.finish();
}

fn layout_and_emit_bench(c: &mut Criterion) {
    let analysis = pipeline::analyze(&options());
    let re = regex::Regex::new("^ckpt_").unwrap();
    let selection = ckpt_gen::select::select(&analysis.ir, &re);
    let mut g = c.benchmark_group("headers/");
    g.bench_function("front end (scan, preprocess, parse, merge)", |b| {
        b.iter(|| pipeline::analyze(&options()))
    });
    g.bench_function("layout, every record", |b| {
        b.iter(|| {
            let layouts = Layouts::compute(&analysis.ir, host());
            for (id, _) in analysis.ir.records_with_ids() {
                let _ = black_box(layouts.record(id));
            }
        })
    });
    g.bench_function("emit rust", |b| {
        let layouts = Layouts::compute(&analysis.ir, host());
        b.iter(|| ckpt_gen::emit::rust::rust(&layouts, &selection))
    });
    g.finish();
}

criterion_group!(benches, lex_bench, preprocess_bench, parse_bench, layout_and_emit_bench);
criterion_main!(benches);
