#!/usr/bin/env bash
# Compression fronts on built-in Bragg data (docs/COMPRESSION.md): trains BraggNN (the NAC
# baseline, 45,274 parameters) and OpenHLS (3,016) in float, then runs `nac compress` on each:
# QAT at 8, 6 and 4 bits, then ROUNDS rounds of global magnitude pruning removing 20% of the
# remaining weights, re-training EPOCHS epochs after each; every point is judged by the
# fixed-point emulator. Prints the mean pixel error and BOPs per (bits, round) and both fronts.
# The two models run side by side (2 processes). Usage: bench/compress_bragg.sh [build-dir]
# Sizes (environment): SAMPLES (generated patches, split 80/10/10), FLOAT_EPOCHS, EPOCHS,
# ROUNDS, PRECISIONS, OUT (kept), MODELS.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build}
NAC=$BUILD/nac
OUT=${OUT:-bench-out/compress_bragg}
SAMPLES=${SAMPLES:-25000}
FLOAT_EPOCHS=${FLOAT_EPOCHS:-12}
EPOCHS=${EPOCHS:-2}
ROUNDS=${ROUNDS:-8}
PRECISIONS=${PRECISIONS:-"8, 6, 4"}
MODELS=${MODELS:-"braggnn openhls"}
mkdir -p "$OUT"

config() {  # $1 = example model config
  sed -e "s/^  samples: .*/  samples: $SAMPLES/" -e "s/^  epochs: .*/  epochs: $FLOAT_EPOCHS/" \
      -e "s/^  patience: .*/  patience: 0/" "examples/$1.yaml"
  cat <<YAML
compress:
  precisions: [$PRECISIONS]
  epochs: $EPOCHS
  rounds: $ROUNDS
  fraction: 0.2
  scope: global
YAML
}

run_model() {  # $1 = braggnn | openhls
  local m=$1
  config "$m" > "$OUT/$m.yaml"
  local t0=$SECONDS
  if [ ! -f "$OUT/$m-float/model.json" ]; then
    "$NAC" train --config "$OUT/$m.yaml" --out "$OUT/$m-float" 2> "$OUT/$m-train.log"
  fi
  local t1=$SECONDS
  "$NAC" compress --model "$OUT/$m-float/model.json" --config "$OUT/$m.yaml" \
    --out "$OUT/$m-compress" 2> "$OUT/$m-compress.log"
  echo "$m: float training $((t1 - t0)) s, compression $((SECONDS - t1)) s (wall)" \
    > "$OUT/$m-time.txt"
}

echo "== $MODELS: $SAMPLES patches, float $FLOAT_EPOCHS epochs; precisions [$PRECISIONS]," \
     "$ROUNDS rounds of 20%, $EPOCHS QAT epoch(s) per round; logs in $OUT"
start=$SECONDS
pids=()
for m in $MODELS; do
  run_model "$m" & pids+=($!)
done
for p in "${pids[@]}"; do wait "$p"; done
echo "== done in $((SECONDS - start)) s wall"
cat "$OUT"/*-time.txt

/usr/bin/python3 - "$OUT" $MODELS <<'PYEOF'
import csv, os, sys
out, models = sys.argv[1], sys.argv[2:]
for m in models:
    rows = list(csv.DictReader(open(os.path.join(out, m + "-compress", "points.csv"))))
    flt = next(r for r in rows if r["precision"] == "float")
    f_px = float(flt["val_mean_px"])
    print()
    print("%s: float val mean %.4f px, BOPs %.4g (32-bit), %s parameters" %
          (m, f_px, float(flt["bops"]), flt["params"]))
    print("%-6s %5s %9s %10s %9s %11s %7s %6s" %
          ("bits", "round", "sparsity", "mean px", "vs float", "BOPs", "nonzero", "front"))
    for r in rows:
        if r["precision"] == "float":
            continue
        px = float(r["val_mean_px"])
        print("%-6s %5s %8.1f%% %10.4f %+8.1f%% %11.4g %7d %6s" %
              (r["precision"], r["round"], 100 * float(r["sparsity"]), px,
               100 * (px / f_px - 1), float(r["bops"]), float(r["nonzero_params"]),
               "*" if r["on_front"] == "1" else ""))
PYEOF
