//! The command line: exit codes, output files, messages.

use std::path::Path;
use std::process::{Command, Output};

fn ckpt_gen(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ckpt-gen")).args(args).current_dir(dir).output().unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

const RECORD: &str = "struct ckpt_a {\n\tunsigned int x;\n\tunsigned long long y;\n};\n";

#[test]
fn generates_to_stdout_by_default() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.h"), RECORD).unwrap();
    let o = ckpt_gen(&["a.h"], dir.path());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = String::from_utf8(o.stdout).unwrap();
    assert!(text.contains("pub struct ckpt_a"), "{text}");
}

#[test]
fn layout_json_follows_the_contract() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.h"), RECORD).unwrap();
    let o = ckpt_gen(&["layout", "--json", "--target", "x86_64-linux-gnu", "a.h"], dir.path());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["target"], "x86_64-linux-gnu");
    let r = &v["records"][0];
    assert_eq!(
        (r["name"].as_str(), r["kind"].as_str(), r["line"].as_u64()),
        (Some("ckpt_a"), Some("struct"), Some(1))
    );
    assert_eq!((r["size"].as_u64(), r["align"].as_u64()), (Some(16), Some(8)));
    let y = &r["fields"][1];
    assert_eq!(y["name"], "y");
    assert_eq!(y["type"], "unsigned long long");
    assert_eq!((y["offset_bits"].as_u64(), y["size_bits"].as_u64()), (Some(64), Some(64)));
    assert_eq!(y["bitfield"], false);
}

#[test]
fn empty_input_says_nothing_matched() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("empty.h"), "").unwrap();
    let o = ckpt_gen(&["empty.h"], dir.path());
    assert_eq!(o.status.code(), Some(0));
    assert!(
        stderr(&o).contains("no record matches '^ckpt_' in 1 header(s) scanned"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn input_errors_exit_2_and_keep_the_old_output_file() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.h"), "struct ckpt_a { int x; };\n#include \"missing.h\"\n")
        .unwrap();
    std::fs::write(dir.path().join("out.rs"), "old").unwrap();
    let o = ckpt_gen(&["a.h", "-o", "out.rs"], dir.path());
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("a.h:2:2: error: 'missing.h' file not found"), "{err}");
    assert!(err.contains("#include \"missing.h\""), "the source line is shown: {err}");
    assert_eq!(std::fs::read_to_string(dir.path().join("out.rs")).unwrap(), "old");
}

#[test]
fn output_file_is_written() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.h"), RECORD).unwrap();
    let o = ckpt_gen(&["generate", "a.h", "-o", "out.rs"], dir.path());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(std::fs::read_to_string(dir.path().join("out.rs")).unwrap().contains("ckpt_a"));
    assert!(o.stdout.is_empty());
}

#[test]
fn usage_errors_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    for args in
        [&["layout"][..], &["--target", "vax", "a.h"], &["--match", "(", "a.h"], &["--bogus"]]
    {
        let o = ckpt_gen(args, dir.path());
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
    }
}
