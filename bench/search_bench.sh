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
import sys


def load(path, wall):
    rows = list(csv.DictReader(open(path)))
    done = [(float(r["val_mean_px"]), float(r["bops"])) for r in rows
            if r["state"] == "COMPLETE" and r["val_mean_px"] not in ("", "None")]
    return {"trials": len(rows), "complete": len(done), "wall": float(wall), "points": done}


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
print()
print(f"{'':16}{'trials':>8}{'complete':>10}{'wall s':>9}{'trials/h':>10}{'best px':>9}"
      f"{'HV':>12}")
for name, r in (("nac", nac), ("Optuna+PyTorch", opt)):
    best = min(p[0] for p in r["points"])
    print(f"{name:16}{r['trials']:8d}{r['complete']:10d}{r['wall']:9.1f}"
          f"{3600 * r['trials'] / r['wall']:10.0f}{best:9.3f}{hv(r['points'], ref):12.4g}")
print(f"throughput ratio nac / Optuna+PyTorch: "
      f"{(nac['trials'] / nac['wall']) / (opt['trials'] / opt['wall']):.2f}x; "
      f"HV reference ({ref[0]:.3f} px, {ref[1]:.4g} BOPs)")
PYEOF
echo "files in $OUT"
