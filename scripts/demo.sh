#!/usr/bin/env bash
# The main job on built-in data, end to end at a small budget: generate Bragg peak patches, train
# the BraggNN baseline, compress it (8-bit QAT, then two rounds of 20% magnitude pruning, every
# point judged by the fixed-point emulator), evaluate the compressed model on the test split with
# the emulator, and write its Vitis HLS project and run that project's C simulation, which replays
# the emulator's vectors and must match them bit for bit.
# Usage: scripts/demo.sh path/to/nac OUT_DIR
set -euo pipefail
nac="$1"
out="$2"
mkdir -p "$out"
out=$(cd "$out" && pwd)
data="$out/bragg.h5"

metrics() {  # the headline numbers of a metrics JSON, without Python
  grep -o '"\(val\|test\)_[a-z0-9_]*": *[0-9.eE+-]*' "$1" || cat "$1"
}

echo "== 1. data: 20,000 built-in Bragg peak patches (11x11) =="
"$nac" data bragg --n 20000 --seed 1 --out "$data"

echo "== 2. train: the BraggNN baseline (45,274 parameters), 8 epochs =="
"$nac" train --config examples/braggnn.yaml --data "$data" --epochs 8 --out "$out/braggnn"
"$nac" info --model "$out/braggnn/model.json" | tail -n 1
metrics "$out/braggnn/metrics.json"

echo "== 3. compress: 8-bit QAT, 2 rounds of 20% global magnitude pruning =="
# The task of step 2 on the same file and split, with a small compression budget.
cat > "$out/compress.yaml" <<YAML
name: demo_compress
data: {path: "$data", split: {val: 0.1, test: 0.1, shuffle: false}, standardize: false}
train: {optimizer: rmsprop, lr: 0.0015, weight_decay: 2.2e-9, schedule: cosine, loss: mse,
        batch: 256, patience: 0, seed: 0}
metric: {kind: peak_distance, patch: 11}
compress: {precisions: [8], rounding: RND, overflow: SAT, epochs: 1, rounds: 2, fraction: 0.2}
YAML
"$nac" compress --model "$out/braggnn/model.json" --config "$out/compress.yaml" \
  --train-samples 8000 --out "$out/compress"
cat "$out/compress/front.csv"
model="$out/compress/points/8b_r2/model.json"

echo "== 4. eval: float and 8-bit 36%-sparse (emulator) models on 2,000 fresh patches =="
"$nac" data bragg --n 2000 --seed 2 --out "$out/fresh.h5"
"$nac" eval --model "$out/braggnn/model.json" --data "$out/fresh.h5"
"$nac" eval --model "$model" --data "$out/fresh.h5" --emulate

echo "== 5. firmware: Vitis HLS project, C simulation against the emulator's vectors =="
"$nac" synth hls --model "$model" --out "$out/hls" --vectors 200
make -C "$out/hls" csim
echo "== done: outputs in $out (HLS project: $out/hls, see its README.md) =="
