#!/usr/bin/env bash
# `make bench`: every benchmark briefly (bench/README.md says how to read them).
#   scripts/bench.sh BUILD_DIR
# 1. the Google Benchmark binaries in BUILD_DIR/bench (ops, fixed-point, data, ...), short runs;
# 2. bench/train_throughput.sh: nac vs PyTorch training throughput, with the target ratios;
# 3. bench/equivalence.sh: BraggNN trained by nac and by PyTorch reaches the same error;
# 4. emu_vs_csim: the emulator against the generated HLS project's C simulation.
# Not run here (minutes to tens of minutes): bench/moo.sh (nac's NSGA-II against Optuna's),
# bench/search_bench.sh (nac search against PyTorch + Optuna), bench/compress_bragg.sh (the Bragg
# compression fronts).
# Environment: NAC_BENCH_SECONDS (per model and side in 2, default 5), NAC_BENCH_MIN_TIME (Google
# Benchmark --benchmark_min_time, default 0.05), NAC_BENCH_SKIP (space-separated names of steps or
# binaries to skip, e.g. "equivalence").
set -uo pipefail
cd "$(dirname "$0")/.."
build="${1:-build}"
min_time="${NAC_BENCH_MIN_TIME:-0.05}"
seconds="${NAC_BENCH_SECONDS:-5}"
skip=" ${NAC_BENCH_SKIP:-} "
status=0
# Binaries that are not Google Benchmark suites: train_throughput runs below through its script;
# moo_bench (NSGA-II vs Optuna, bench/moo.sh) takes minutes and is left to be run by hand;
# emu_vs_csim is step 4.
not_gbench=" train_throughput moo_bench emu_vs_csim "

skipped() { [[ "$skip" == *" $1 "* ]]; }

echo "== $(date -u +%FT%TZ)  $(uname -m), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"
for bin in "$build"/bench/*; do
  name="$(basename "$bin")"
  [[ -f "$bin" && -x "$bin" ]] || continue
  [[ "$not_gbench" == *" $name "* ]] && continue
  skipped "$name" && { echo "== $name: skipped"; continue; }
  echo "== $name (min time ${min_time}s per benchmark)"
  "$bin" --benchmark_min_time="$min_time" || { echo "$name failed" >&2; status=1; }
done

if skipped train_throughput; then echo "== train_throughput: skipped"; else
  echo "== training throughput: nac vs PyTorch"
  bench/train_throughput.sh "$build" --seconds "$seconds" || status=1
fi

if skipped equivalence; then echo "== equivalence: skipped"; else
  echo "== model-level equivalence: BraggNN, nac vs PyTorch"
  bench/equivalence.sh "$build" || status=1
fi

if skipped emu_vs_csim; then echo "== emu_vs_csim: skipped"; else
  echo "== emulator vs generated HLS C simulation (8-bit BraggNN and jet MLP)"
  "$build"/bench/emu_vs_csim || status=1
fi
exit $status
