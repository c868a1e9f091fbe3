#!/bin/sh
# Regenerates the golden HLS projects: tests/golden/hls/<name>/ from the model <name>.json with the
# `nac synth hls` arguments in <name>.args. tests/hls/golden_test.cpp fails when they drift.
#   scripts/update_hls_golden.sh [path/to/nac]     (make golden)
set -eu
nac=$(realpath "${1:-build/nac}")
cd "$(dirname "$0")/../tests/golden/hls"
for model in *.json; do
  name=$(basename "$model" .json)
  rm -rf "$name"
  # shellcheck disable=SC2046  # the .args file holds several arguments
  "$nac" synth hls --model "$model" --out "$name" $(cat "$name.args")
done
