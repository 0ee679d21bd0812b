#!/usr/bin/env bash
# Runs one fuzz target under AFL++ for a while.
#   fuzz/run.sh TARGET [SECONDS]    TARGET: lex, preprocess, parse, pipeline
# Needs `cargo install cargo-afl` (stable Rust is enough). Seeds: the bundled
# headers/, fuzz/seeds/ and a few small host headers. Findings land in
# fuzz/out/TARGET/default/{crashes,hangs}; each one becomes a regression
# test in tests/hostile.rs.
set -euo pipefail
target=${1:?usage: fuzz/run.sh lex|preprocess|parse|pipeline [SECONDS]}
seconds=${2:-60}
here=$(cd "$(dirname "$0")" && pwd)
cd "$here"
cargo afl build --release --bin "$target"

seeds=$(mktemp -d)
trap 'rm -rf "$seeds"' EXIT
find ../headers seeds -name '*.h' -size -16k -exec cp -t "$seeds" {} + 2>/dev/null || true
for h in linux/capability.h linux/types.h linux/un.h linux/if_ether.h asm-generic/int-ll64.h; do
    [ -f "/usr/include/$h" ] && cp "/usr/include/$h" "$seeds/host_${h//\//_}"
done

mkdir -p "out/$target"
# No core-dump helper or CPU governor is set up in containers: tell AFL++
# not to insist. One core: the machine is shared.
export AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_UI=1
export AFL_NO_AFFINITY=1
cargo afl fuzz -V "$seconds" -t 2000 -i "$seeds" -o "out/$target" "target/release/$target"
stats="out/$target/default/fuzzer_stats"
grep -E '^(execs_done|execs_per_sec|corpus_count|saved_crashes|saved_hangs)' "$stats"
