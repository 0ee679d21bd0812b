#!/usr/bin/env python3
"""Prints the medians, ratios and peak memory that bench/run.sh measured."""
import json
import pathlib
import statistics
import sys

TITLES = {
    "a": "(a) scan /usr/include, default pattern",
    "b": "(b) bindings for every record of headers/",
    "c": "(c) layout of every record of /usr/include/linux",
    "d": "(d) compile time of the generated Rust",
    "e": "(e) growth: copies of /usr/include",
}


def main(results):
    results = pathlib.Path(results)
    for key, title in TITLES.items():
        path = results / f"{key}.json"
        if not path.exists():
            continue
        rows = json.loads(path.read_text())["results"]
        base = statistics.median(rows[0]["times"])
        print(f"\n{title}")
        print(f"  {'command':<24} {'median':>10} {'min':>10} {'max':>10} {'ratio':>8}")
        for r in rows:
            med = statistics.median(r["times"])
            ratio = med / base if base else float("nan")
            print(f"  {r['command']:<24} {med:>9.3f}s {min(r['times']):>9.3f}s "
                  f"{max(r['times']):>9.3f}s {ratio:>7.2f}x")
        if key == "e":
            per = [statistics.median(r["times"]) / int(r["command"][1:]) for r in rows]
            print("  seconds per copy: " + ", ".join(f"{p:.3f}" for p in per))
    print("\npeak memory (ckpt-gen)")
    for rss in sorted(results.glob("*.rss")):
        kb = rss.read_text().strip().splitlines()[-1]
        print(f"  {rss.stem:<24} {int(kb) / 1024:>8.1f} MB")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else ".")
