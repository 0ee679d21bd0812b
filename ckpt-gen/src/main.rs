//! The `ckpt-gen` command line.
fn main() {
    use ckpt_gen::preproc::{preprocess, Config};
    use ckpt_gen::source::Sources;
    let args: Vec<String> = std::env::args().skip(1).collect();
    let t = ckpt_gen::target::Target::host().unwrap();
    let config = Config {
        include_dirs: vec!["/work/main/headers/include".into(), "/work/main/headers/arch/x86/include".into()],
        system_dirs: vec!["/usr/lib/gcc/x86_64-linux-gnu/12/include".into(), "/usr/include/x86_64-linux-gnu".into(), "/usr/include".into()],
        defines: t.predefined_macros(),
        ..Config::default()
    };
    let sources = Sources::new(vec![], 64 << 20);
    let mut total = 0;
    let mut ndiag = 0;
    for a in &args {
        let out = preprocess(std::path::Path::new(a), &config, &sources);
        total += out.tokens.len();
        ndiag += out.diagnostics.len();
        if !out.diagnostics.is_empty() {
            eprint!("{}", ckpt_gen::diag::render(&out.diagnostics[..out.diagnostics.len().min(3)], &sources.infos()));
        }
    }
    println!("{} files, {total} tokens, {ndiag} diagnostics", args.len());
}
