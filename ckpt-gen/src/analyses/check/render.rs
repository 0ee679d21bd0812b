//! The check report as text (grouped by record, compiler-style locations)
//! or JSON.

use super::{Level, Report};
use std::collections::BTreeSet;
use std::fmt::Write as _;

/// The report for people: one block per record with findings, each
/// finding as `file:line:col: level[kind]: record.member: message`, the
/// targets it applies to, and for differing layouts the values side by
/// side; then a summary line.
pub fn text(report: &Report) -> String {
    let mut out = String::new();
    let mut current: Option<(&str, &str)> = None;
    for f in &report.findings {
        if current != Some((&f.record, &f.file)) {
            if current.is_some() {
                out.push('\n');
            }
            let _ = writeln!(out, "{} ({})", f.record, f.file);
            current = Some((&f.record, &f.file));
        }
        let member = f.field.as_ref().map_or(String::new(), |m| format!(".{m}"));
        let _ = writeln!(
            out,
            "  {}:{}:{}: {}[{}]: {}{member}: {}",
            f.file,
            f.line,
            f.column,
            f.level.name(),
            f.kind.name(),
            f.record,
            f.message
        );
        if f.values.is_empty() {
            let _ = writeln!(out, "      on {}", targets_text(&f.targets, report));
        }
        for (value, targets) in &f.values {
            let _ = writeln!(out, "      {value:>6}  on {}", targets.join(", "));
        }
    }
    if !report.findings.is_empty() {
        out.push('\n');
    }
    let _ = writeln!(out, "{}", summary(report));
    out
}

/// `N records checked on T targets: E errors, W warnings, N notes`.
pub fn summary(report: &Report) -> String {
    let count = |l: Level| report.findings.iter().filter(|f| f.level == l).count();
    let records: BTreeSet<(&str, &str)> =
        report.findings.iter().map(|f| (f.record.as_str(), f.file.as_str())).collect();
    format!(
        "{} records checked on {} targets ({}): {} errors, {} warnings, {} notes in {} records",
        report.records,
        report.targets.len(),
        report.targets.join(", "),
        count(Level::Error),
        count(Level::Warning),
        count(Level::Note),
        records.len()
    )
}

fn targets_text(targets: &[&str], report: &Report) -> String {
    if targets.len() == report.targets.len() && report.targets.len() > 1 {
        "all targets checked".to_string()
    } else {
        targets.join(", ")
    }
}

/// The report as JSON: `{"targets": [...], "records": N, "findings":
/// [{"kind", "level", "record", "field", "file", "line", "column",
/// "message", "targets", "values": [[value, [targets]]]}]}`.
pub fn json(report: &Report) -> String {
    let mut text = serde_json::to_string_pretty(report).unwrap_or_default();
    text.push('\n');
    text
}
