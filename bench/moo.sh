#!/usr/bin/env bash
# NSGA-II: nac (through its SQLite study store) against Optuna's NSGAIISampler on ZDT1-3 and
# DTLZ2, same budget (1000 evaluations), population (50) and seeds (5); prints one table with the
# ratios. Usage: bench/moo.sh [build-dir]   (build first: cmake --build build --target moo_bench)
# Extra arguments for both sides go in MOO_ARGS, e.g. MOO_ARGS="--seeds 2".
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build}
PY=/usr/bin/python3  # Debian's interpreter, which has python3-optuna
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
ARGS=${MOO_ARGS:-}

echo "== nac NSGA-II (SQLite storage)"
# shellcheck disable=SC2086
"$BUILD/bench/moo_bench" --json "$OUT/nac.json" $ARGS
echo "== Optuna NSGAIISampler (in-memory storage)"
# shellcheck disable=SC2086
"$PY" bench/moo_optuna.py --json "$OUT/optuna.json" $ARGS

"$PY" - "$OUT/nac.json" "$OUT/optuna.json" <<'PYEOF'
import json
import sys

nac = json.load(open(sys.argv[1]))
opt = json.load(open(sys.argv[2]))
print()
print("NSGA-II, %d evaluations, population %d, median of %d seeds; HV reference 1.1 per "
      "objective (HV@11: reference 11); Optuna %s"
      % (nac["evaluations"], nac["population"], nac["seeds"], opt["optuna"]))
head = "%-6s | %10s %10s %7s | %9s %9s %7s | %13s %13s %7s"
row = "%-6s | %10.5f %10.5f %7s | %9.2f %9.2f %7.3f | %13.4f %13.4f %7.1f"
print(head % ("", "HV nac", "HV optuna", "ratio", "HV@11 nac", "HV@11 opt", "ratio",
              "nac ms/trial", "optuna ms/tr", "speedup"))
ok = True
for name, n in nac["problems"].items():
    o = opt["problems"][name]
    ratio = "%7.3f" % (n["median_hv"] / o["median_hv"]) if o["median_hv"] > 0 else (
        "    n/a" if n["median_hv"] == 0 else "    inf")
    ok = ok and n["median_hv"] >= o["median_hv"]
    print(row % (name, n["median_hv"], o["median_hv"], ratio, n["median_hv_wide"],
                 o["median_hv_wide"], n["median_hv_wide"] / o["median_hv_wide"],
                 n["overhead_ms_median"], o["ms_per_trial"],
                 o["ms_per_trial"] / n["overhead_ms_median"]))
print("nac ms/trial: sampler + SQLite storage overhead per trial (median over all trials); "
      "optuna ms/trial: whole optimize() time per trial with in-memory storage.")
if "sqlite_ms_per_trial" in opt:
    print("Optuna with its SQLite storage (default settings): %.1f ms per trial on ZDT1."
          % opt["sqlite_ms_per_trial"])
print("hypervolume >= Optuna's on every problem:", "yes" if ok else "NO")
PYEOF
