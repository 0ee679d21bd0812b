//! The shared layout cases: small headers from public bug reports of other
//! generators, with layouts measured by gcc and clang for six targets.
//! Every record, size, alignment and member offset must match, for every
//! target each case lists.

use crate::support::{analyze_alone, find_record, flatten, root};
use ckpt_gen::layout::Layouts;
use ckpt_gen::target::Target;
use serde_json::Value;

#[test]
fn every_case_matches_the_compilers_on_every_target() {
    let dir = root().join("tests/fixtures/layout");
    let mut cases: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    assert!(cases.len() >= 11, "layout cases missing from {}", dir.display());

    let mut failures = Vec::new();
    let mut compared = 0;
    for case in &cases {
        let expected: Value =
            serde_json::from_str(&std::fs::read_to_string(case.join("expected.json")).unwrap())
                .unwrap();
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        for (target_name, records) in expected.as_object().unwrap() {
            let target = Target::by_name(target_name)
                .unwrap_or_else(|| panic!("unknown target {target_name}"));
            let analysis = analyze_alone(&[case.join("input.h")], target);
            for d in analysis.diagnostics.iter().filter(|d| d.is_error()) {
                failures.push(format!("{name} [{target_name}]: diagnostic: {}", d.message));
            }
            let layouts = Layouts::compute(&analysis.ir, target);
            for (c_name, want) in records.as_object().unwrap() {
                compared += 1;
                let ctx = format!("{name} [{target_name}] {c_name}");
                check_record(&layouts, c_name, want, &ctx, &mut failures);
            }
        }
    }
    println!("layout cases: {} cases, {compared} record layouts compared", cases.len());
    assert!(failures.is_empty(), "{} mismatches:\n{}", failures.len(), failures.join("\n"));
}

fn check_record(
    layouts: &Layouts,
    c_name: &str,
    want: &Value,
    ctx: &str,
    failures: &mut Vec<String>,
) {
    let Some(id) = find_record(layouts.ir(), c_name) else {
        return failures.push(format!("{ctx}: record not found"));
    };
    let l = match layouts.record(id) {
        Ok(l) => l,
        Err(e) => return failures.push(format!("{ctx}: no layout: {e}")),
    };
    // A typedef name is measured as the typedef: `aligned` on a typedef
    // changes its alignment but not the record's.
    let (size, align) = match typedef_layout(layouts, c_name) {
        Some(t) => (t.size_bytes, t.align_bytes),
        None => (l.size_bytes, l.align_bytes),
    };
    let num = |v: &Value| v.as_u64().unwrap();
    if size != num(&want["size"]) {
        failures.push(format!("{ctx}: size {size} != {}", want["size"]));
    }
    if align != num(&want["align"]) {
        failures.push(format!("{ctx}: align {align} != {}", want["align"]));
    }
    let ours = flatten(layouts, id);
    let bitfields = want.get("bitfields").and_then(Value::as_object);
    for (path, offset) in want["fields"].as_object().unwrap() {
        let Some(&(bits, width)) = ours.get(path) else {
            failures.push(format!("{ctx}.{path}: member not found"));
            continue;
        };
        match bitfields.and_then(|b| b.get(path)) {
            Some(w) => {
                if bits != num(offset) || width != Some(num(w)) {
                    failures.push(format!(
                        "{ctx}.{path}: bit {bits} width {width:?} != bit {offset} width {w}"
                    ));
                }
            }
            None => {
                if bits != num(offset) * 8 {
                    failures
                        .push(format!("{ctx}.{path}: offset {} bits != {} bytes", bits, offset));
                }
            }
        }
    }
}

fn typedef_layout(layouts: &Layouts, c_name: &str) -> Option<ckpt_gen::layout::TypeLayout> {
    let ir = layouts.ir();
    let index = ir.typedefs.iter().position(|t| t.name == c_name)?;
    let ty = ckpt_gen::ir::Type::Typedef(ckpt_gen::ir::TypedefId(index as u32));
    layouts.type_layout(&ty).ok()
}
