#!/usr/bin/env bash
# Whole-run benchmarks of ckpt-gen against its peers, on this machine, in
# one run. Prints medians, ratios and peak memory; docs/performance.md
# records the results.
#
#   bench/run.sh            all five comparisons (a)-(e)
#   bench/run.sh a c        only some of them
#   RUNS=3 bench/run.sh     fewer repetitions (default 10; 3 for (c)-(e))
#
# Needs: hyperfine, GNU time (/usr/bin/time), cc, rustc. For the
# bindgen comparisons: `cargo install bindgen-cli` and libclang
# (`apt-get install libclang-dev`); without them those rows are skipped
# with a note. None of this is needed to build or test ckpt-gen.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cases=${*:-a b c d e}
runs=${RUNS:-10}
slow_runs=${RUNS:-3}
work=$(mktemp -d /tmp/ckpt-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
results="$work/results"
mkdir -p "$results"

need() { command -v "$1" >/dev/null || { echo "bench: $1 not found: $2" >&2; exit 2; }; }
need hyperfine "apt-get install hyperfine"
[ -x /usr/bin/time ] || { echo "bench: /usr/bin/time not found: apt-get install time" >&2; exit 2; }
have_bindgen=false
if command -v bindgen >/dev/null; then
    export LIBCLANG_PATH=${LIBCLANG_PATH:-$(ls -d /usr/lib/llvm-*/lib 2>/dev/null | tail -1)}
    have_bindgen=true
else
    echo "bench: NOTE: bindgen not found (cargo install bindgen-cli): bindgen rows skipped" >&2
fi

echo "== building ckpt-gen (release)" >&2
cargo build --release -q -p ckpt-gen --manifest-path "$root/Cargo.toml"
ckpt="$root/target/release/ckpt-gen"
multiarch=$(cc -print-multiarch)
arch_dir=x86
case "$multiarch" in aarch64*) arch_dir=arm64 ;; arm*) arch_dir=arm ;; s390x*) arch_dir=s390 ;;
    powerpc*) arch_dir=powerpc ;; riscv64*) arch_dir=riscv ;; esac

# hyperfine NAME RUNS CMD... : one comparison group; results in NAME.json.
bench() {
    local name=$1 n=$2
    shift 2
    hyperfine -N --warmup 1 --runs "$n" -i --style basic --export-json "$results/$name.json" "$@" \
        >&2
}

# peak NAME CMD : peak resident memory of one run, in KB.
peak() {
    local name=$1
    shift
    /usr/bin/time -f "%M" -o "$results/$name.rss" "$@" >/dev/null 2>"$work/peak.err" || true
}

# (a) Scanning /usr/include with the default pattern.
case_a() {
    echo "== (a) scan /usr/include, default pattern" >&2
    find /usr/include -name '*.h' -type f -print0 >"$work/all.list"
    cat >"$work/sed.sh" <<EOF
xargs -0 sed -n '/^[^ \t]*struct ckpt[^\n]*{/,/}/p' <"$work/all.list"
EOF
    bench a "$runs" \
        -n ckpt-gen "$ckpt layout /usr/include" \
        -n "grep -rl" "grep -rl 'struct ckpt_' /usr/include" \
        -n "sed range" "bash $work/sed.sh"
    peak a_ckpt "$ckpt" layout /usr/include
}

# (b) Bindings for every record of headers/.
case_b() {
    echo "== (b) generate bindings for headers/" >&2
    local inc="-I$root/headers/include -I$root/headers/arch/$arch_dir/include"
    (cd "$root/headers" && find include arch/$arch_dir -name '*.h' | sort |
        sed -e 's|^include/||' -e "s|^arch/$arch_dir/include/||" -e 's|.*|#include <&>|') \
        >"$work/headers_all.h"
    local cmds=(-n ckpt-gen "$ckpt generate -o $work/ckpt_headers.rs $root/headers"
        -n "cc -fsyntax-only" "cc -fsyntax-only $inc $work/headers_all.h")
    if $have_bindgen; then
        cmds+=(-n bindgen "bindgen --allowlist-type ckpt_.* --allowlist-var CKPT_.* -o $work/bindgen_headers.rs $work/headers_all.h -- $inc")
    fi
    bench b "$runs" "${cmds[@]}"
    peak b_ckpt "$ckpt" generate "$root/headers"
}

# (c) Layout of every struct and union of /usr/include/linux: the headers
# cc accepts on their own (the rest are kernel-internal or need others
# first), by ckpt-gen and by bindgen.
case_c() {
    echo "== (c) lay out every record of /usr/include/linux" >&2
    : >"$work/linux_ok.list"
    for h in /usr/include/linux/*.h; do
        echo "#include <${h#/usr/include/}>" >"$work/one.h"
        cc -fsyntax-only "$work/one.h" 2>/dev/null && echo "$h" >>"$work/linux_ok.list"
    done
    sed 's|^/usr/include/\(.*\)|#include <\1>|' "$work/linux_ok.list" >"$work/linux_all.h"
    # Keep only headers that also compile together, for bindgen's single
    # unit: drop the include line each first error comes from.
    while ! cc -fsyntax-only "$work/linux_all.h" 2>"$work/cc.err"; do
        line=$(grep -o 'linux_all\.h:[0-9]*' "$work/cc.err" | head -1 | cut -d: -f2)
        [ -n "$line" ] || break
        sed -i "${line}d" "$work/linux_all.h"
    done
    sed -n 's|^#include <\(.*\)>$|/usr/include/\1|p' "$work/linux_all.h" >"$work/linux_ok.list"
    echo "   $(wc -l <"$work/linux_ok.list") headers of /usr/include/linux compile together" >&2
    local files
    files=$(tr '\n' ' ' <"$work/linux_ok.list")
    local cmds=(-n ckpt-gen "$ckpt layout --match . -o $work/linux_layout.txt $files")
    if $have_bindgen; then
        cmds+=(-n bindgen "bindgen --allowlist-type .* --ignore-functions -o $work/bindgen_linux.rs $work/linux_all.h")
    fi
    bench c "$slow_runs" "${cmds[@]}"
    # shellcheck disable=SC2086
    peak c_ckpt "$ckpt" layout --match . $files
    "$ckpt" layout --match . --json $files 2>/dev/null |
        grep -c '^    {$' | sed 's/^/   records laid out: /' >&2
}

# (d) Compile time of the generated Rust for headers/.
case_d() {
    echo "== (d) compile the generated Rust for headers/" >&2
    [ -f "$work/ckpt_headers.rs" ] || case_b
    local wrap="#![allow(warnings)] include!(\"$work/ckpt_headers.rs\");"
    echo "$wrap" >"$work/ckpt_lib.rs"
    local cmds=(-n "rustc ckpt-gen output" "rustc --edition 2021 --crate-type lib -o $work/libckpt.rlib $work/ckpt_lib.rs")
    if $have_bindgen && [ -f "$work/bindgen_headers.rs" ]; then
        echo "#![allow(warnings)] include!(\"$work/bindgen_headers.rs\");" >"$work/bindgen_lib.rs"
        cmds+=(-n "rustc bindgen output" "rustc --edition 2021 --crate-type lib -o $work/libbg.rlib $work/bindgen_lib.rs")
    fi
    bench d "$slow_runs" "${cmds[@]}"
    echo "   lines: ckpt-gen $(wc -l <"$work/ckpt_headers.rs"), bindgen $(wc -l <"$work/bindgen_headers.rs" 2>/dev/null || echo -)" >&2
}

# (e) Growth: trees of 1, 2, 5 and 10 copies of /usr/include (hard links:
# distinct paths, no disk), each copy with headers/ in it so that every
# copy has candidates to preprocess.
case_e() {
    echo "== (e) growth with input size" >&2
    local cmds=()
    for n in 1 2 5 10; do
        local t="$work/tree$n"
        mkdir -p "$t"
        for i in $(seq 1 "$n"); do
            cp -al /usr/include "$t/copy$i"
            cp -r "$root/headers/include/linux/." "$t/copy$i/linux/"
        done
        cmds+=(-n "x$n" "$ckpt layout -I $t/copy1 -I $root/headers/arch/$arch_dir/include $t")
    done
    bench e "$slow_runs" "${cmds[@]}"
    peak e_ckpt10 "$ckpt" layout -I "$work/tree10/copy1" -I "$root/headers/arch/$arch_dir/include" "$work/tree10"
    peak e_full "$ckpt" layout --match . /usr/include
}

for c in $cases; do "case_$c"; done
cargo run -q --release --manifest-path "$root/Cargo.toml" -p ckpt-gen --example bench_report -- "$results"
