#!/usr/bin/env bash
# The main job on built-in data: generate Bragg peak patches, train the BraggNN baseline briefly,
# and print its pixel errors. Usage: scripts/demo.sh path/to/nac OUT_DIR
set -euo pipefail
nac="$1"
out="$2"
mkdir -p "$out"
echo "== nac demo: Bragg peak finding with the BraggNN baseline =="
"$nac" data bragg --n 20000 --seed 1 --out "$out/bragg.h5"
"$nac" train --config examples/braggnn.yaml --data "$out/bragg.h5" --epochs 8 --out "$out/braggnn"
"$nac" info --model "$out/braggnn/model.json" | tail -n 1
echo "== results (validation and test, pixels) =="
python_free_summary() {
  # Print the metrics JSON's headline numbers without needing Python.
  grep -o '"\(val\|test\)_[a-z0-9_]*": *[0-9.eE+-]*' "$1" || cat "$1"
}
python_free_summary "$out/braggnn/metrics.json"
