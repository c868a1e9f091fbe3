#!/usr/bin/env bash
# A longer global search, nac against PyTorch + Optuna doing the same search: the NAC paper's
# Bragg space, NSGA-II (population 20), objectives (validation mean distance in px, BOPs by nac's
# standard formula), BraggNN and OpenHLS enqueued first, the paper's training recipe for E epochs
# per trial on the same HDF5 data (generated once by `nac data bragg`, split 80/10/10 by index,
# no augmentation), W worker processes each training one trial at a time on one thread.
# Prints trials per hour, the best validation error and the hypervolume of each side's front
# (one common reference point: 10% beyond the worst complete trial of both).
# Usage: bench/search_bench.sh [build-dir]   (env: TRIALS=200 EPOCHS=2 SAMPLES=6250 WORKERS=2,
#        OUT=dir to keep the files)
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build}
TRIALS=${TRIALS:-200}
EPOCHS=${EPOCHS:-2}
SAMPLES=${SAMPLES:-6250}
WORKERS=${WORKERS:-2}
PY=/usr/bin/python3  # Debian's interpreter: python3-torch, python3-optuna, python3-h5py
OUT=${OUT:-$(mktemp -d)}
mkdir -p "$OUT"
NAC=$(realpath "$BUILD/nac")
SPACE=$(realpath examples/spaces/bragg.yaml)

"$NAC" data bragg --n "$SAMPLES" --seed 1 --out "$OUT/bragg.h5"
cat > "$OUT/search.yaml" <<YAML
name: bench
data:
  path: bragg.h5
  split: {val: 0.1, test: 0.1, shuffle: false}
train: {optimizer: rmsprop, lr: 0.0015, weight_decay: 2.2e-9, schedule: cosine, loss: mse,
        batch: 256, epochs: $EPOCHS, patience: 5, seed: 0}
metric: {kind: peak_distance, patch: 11}
search:
  space: $SPACE
  objectives: [val_mean_px, bops]
  sampler: nsga2
  population: 20
  trials: $TRIALS
  workers: $WORKERS
YAML
rm -f "$OUT/study.db"*
echo "== nac: $TRIALS trials, $EPOCHS epochs, $WORKERS workers"
t0=$(date +%s.%N)
"$NAC" search --config "$OUT/search.yaml" --study "$OUT/study.db" 2> "$OUT/nac.log"
t1=$(date +%s.%N)
tail -3 "$OUT/nac.log"
echo "== PyTorch + Optuna: $TRIALS trials, $EPOCHS epochs, $WORKERS workers"
"$PY" bench/search_optuna.py "$OUT/bragg.h5" --trials "$TRIALS" --epochs "$EPOCHS" \
  --workers "$WORKERS" --out "$OUT/optuna.csv"

"$PY" - "$OUT/bench/trials.csv" "$(echo "$t1 - $t0" | bc)" "$OUT/optuna.csv" \
  "$(cat "$OUT/optuna.csv.wall")" <<'PYEOF'
import csv
import math
import sys


def load(path, wall):
    rows = list(csv.DictReader(open(path)))
    done = [r for r in rows if r["state"] == "COMPLETE" and r["val_mean_px"] not in ("", "None")]
    return {"trials": len(rows), "complete": len(done), "wall": float(wall),
            "points": [(float(r["val_mean_px"]), float(r["bops"])) for r in done],
            "durations": [float(r["duration_s"]) for r in done],
            "seeds": [float(r["duration_s"]) for r in rows[:2]]}


def front(points):
    out = []
    for p in sorted(points):
        if not out or p[1] < out[-1][1]:
            out.append(p)
    return out


def hv(points, ref):
    total, prev_y = 0.0, ref[1]
    for x, y in front(points):
        if x < ref[0] and y < prev_y:
            total += (ref[0] - x) * (prev_y - y)
            prev_y = y
    return total


nac, opt = load(sys.argv[1], sys.argv[2]), load(sys.argv[3], sys.argv[4])
both = nac["points"] + opt["points"]
ref = []
for j in range(2):
    lo, hi = min(p[j] for p in both), max(p[j] for p in both)
    ref.append(hi + 0.1 * (hi - lo))
# A second view: error below 1 px against log10 BOPs below BraggNN's (2.307e9 by nac's count).
ref_log = (1.0, math.log10(2.307e9))
log_pts = lambda r: [(x, math.log10(y)) for x, y in r["points"]]
print()
print(f"{'':16}{'trials':>7}{'wall s':>8}{'trials/h':>9}{'s/trial':>8}{'mean BOPs':>11}"
      f"{'BraggNN s':>10}{'OpenHLS s':>10}{'best px':>8}{'HV':>11}{'HV log':>8}")
for name, r in (("nac", nac), ("Optuna+PyTorch", opt)):
    best = min(p[0] for p in r["points"])
    mean_bops = sum(p[1] for p in r["points"]) / len(r["points"])
    print(f"{name:16}{r['trials']:7d}{r['wall']:8.1f}{3600 * r['trials'] / r['wall']:9.0f}"
          f"{sum(r['durations']) / len(r['durations']):8.2f}{mean_bops:11.3g}"
          f"{r['seeds'][0]:10.2f}{r['seeds'][1]:10.2f}{best:8.3f}{hv(r['points'], ref):11.4g}"
          f"{hv(log_pts(r), ref_log):8.3f}")
print(f"throughput ratio nac / Optuna+PyTorch: "
      f"{(nac['trials'] / nac['wall']) / (opt['trials'] / opt['wall']):.2f}x (the samplers pick "
      f"different architectures: compare s/trial with mean BOPs, and the seeds' times)")
print(f"HV: reference ({ref[0]:.3f} px, {ref[1]:.4g} BOPs); HV log: px < 1 against log10 BOPs "
      f"< log10 2.307e9 (BraggNN)")
PYEOF
echo "files in $OUT"
