//! Prints the medians, ratios and peak memory that `bench/run.sh` measured.
//!
//! Usage: `cargo run --release -p ckpt-gen --example bench_report -- DIR`,
//! where DIR holds hyperfine's `<case>.json` exports and `/usr/bin/time`'s
//! `<name>.rss` files (peak resident set in KiB, last line).

use serde_json::Value;
use std::path::Path;

const TITLES: [(&str, &str); 5] = [
    ("a", "(a) scan /usr/include, default pattern"),
    ("b", "(b) bindings for every record of headers/"),
    ("c", "(c) layout of every record of /usr/include/linux"),
    ("d", "(d) compile time of the generated Rust"),
    ("e", "(e) growth: copies of /usr/include"),
];

fn median(times: &[f64]) -> f64 {
    let mut t = times.to_vec();
    t.sort_by(f64::total_cmp);
    match t.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => t[n / 2],
        n => (t[n / 2 - 1] + t[n / 2]) / 2.0,
    }
}

fn times(row: &Value) -> Vec<f64> {
    row["times"]
        .as_array()
        .map(|a| a.iter().filter_map(Value::as_f64).collect())
        .unwrap_or_default()
}

fn case(dir: &Path, key: &str, title: &str) {
    let Ok(text) = std::fs::read_to_string(dir.join(format!("{key}.json"))) else { return };
    let Ok(json) = serde_json::from_str::<Value>(&text) else { return };
    let rows = json["results"].as_array().cloned().unwrap_or_default();
    let Some(first) = rows.first() else { return };
    let base = median(&times(first));
    println!("\n{title}");
    println!("  {:<24} {:>10} {:>10} {:>10} {:>8}", "command", "median", "min", "max", "ratio");
    let mut per_copy = Vec::new();
    for r in &rows {
        let t = times(r);
        let med = median(&t);
        let min = t.iter().copied().fold(f64::INFINITY, f64::min);
        let max = t.iter().copied().fold(0.0, f64::max);
        let name = r["command"].as_str().unwrap_or("?");
        println!("  {name:<24} {med:>9.3}s {min:>9.3}s {max:>9.3}s {:>7.2}x", med / base);
        if let Some(n) = name.strip_prefix('x').and_then(|n| n.parse::<f64>().ok()) {
            per_copy.push(format!("{:.3}", med / n));
        }
    }
    if key == "e" {
        println!("  seconds per copy: {}", per_copy.join(", "));
    }
}

fn main() {
    let dir = std::env::args().nth(1).expect("usage: bench_report DIR");
    let dir = Path::new(&dir);
    for (key, title) in TITLES {
        case(dir, key, title);
    }
    println!("\npeak memory (ckpt-gen)");
    let mut rss: Vec<_> = std::fs::read_dir(dir)
        .map(|d| {
            d.flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == "rss"))
                .collect()
        })
        .unwrap_or_default();
    rss.sort();
    for p in rss {
        let text = std::fs::read_to_string(&p).unwrap_or_default();
        let kb: f64 = text.lines().last().and_then(|l| l.trim().parse().ok()).unwrap_or(f64::NAN);
        let name = p.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        println!("  {name:<24} {:>8.1} MB", kb / 1024.0);
    }
}
