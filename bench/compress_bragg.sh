#!/usr/bin/env bash
# Compression fronts on built-in Bragg data (docs/COMPRESSION.md): trains BraggNN (the NAC
# baseline, 45,274 parameters) and a small model found by a short global search (or OpenHLS,
# 3,016 parameters) in float, then runs `nac compress` on each: QAT at 8, 6 and 4 bits, then
# ROUNDS rounds of global magnitude pruning removing 20% of the remaining weights, re-training
# EPOCHS epochs after each; every point is judged by the fixed-point emulator. Prints the mean
# pixel error and BOPs per (bits, round) and both fronts. The models compress side by side.
# Usage: bench/compress_bragg.sh [build-dir]
# Sizes (environment): SAMPLES (generated patches, split 80/10/10), FLOAT_EPOCHS, EPOCHS,
# ROUNDS, PRECISIONS, OUT (kept: a model whose OUT/<m>-float/model.json exists is not retrained),
# MODELS (any of braggnn, searched, openhls).
# The searched model: SEARCHED_MODEL=path/model.json takes its architecture from a model file;
# otherwise `nac search` (examples/bragg_search.yaml, SEARCH_TRIALS trials of SEARCH_EPOCHS
# epochs on SEARCH_SAMPLES training patches, one worker) runs first and the pick is the cheapest
# (BOPs) front trial that is not a seed (BraggNN, OpenHLS) and whose validation error is at most
# PICK_RATIO times the best non-seed front trial's. Its architecture is then trained in float
# with BraggNN's recipe (examples/braggnn.yaml's data, train and metric) like the others.
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
MODELS=${MODELS:-"braggnn searched"}
SEARCH_TRIALS=${SEARCH_TRIALS:-24}
SEARCH_EPOCHS=${SEARCH_EPOCHS:-3}
SEARCH_SAMPLES=${SEARCH_SAMPLES:-5000}
PICK_RATIO=${PICK_RATIO:-1.25}
SEARCHED_MODEL=${SEARCHED_MODEL:-}
mkdir -p "$OUT"

compress_section() {
  cat <<YAML
compress:
  precisions: [$PRECISIONS]
  epochs: $EPOCHS
  rounds: $ROUNDS
  fraction: 0.2
  scope: global
YAML
}

config() {  # $1 = example model config
  sed -e "s/^  samples: .*/  samples: $SAMPLES/" -e "s/^  epochs: .*/  epochs: $FLOAT_EPOCHS/" \
      -e "s/^  patience: .*/  patience: 0/" "examples/$1.yaml"
  compress_section
}

# The searched model's config: braggnn's task with the picked architecture as `model:`.
searched_config() {
  local model=$SEARCHED_MODEL
  if [ -z "$model" ]; then
    if [ ! -f "$OUT/search/pareto.json" ]; then
      "$NAC" search --config examples/bragg_search.yaml --study "$OUT/search.db" \
        --out "$OUT/search" --trials "$SEARCH_TRIALS" --workers 1 --epochs "$SEARCH_EPOCHS" \
        --train-samples "$SEARCH_SAMPLES" 2> "$OUT/search.log"
    fi
    model=$(/usr/bin/python3 - "$OUT/search" "$PICK_RATIO" "$SEARCH_EPOCHS" <<'PYEOF'
import json, os, sys
d, ratio, epochs = sys.argv[1], float(sys.argv[2]), sys.argv[3]
front = [t for t in json.load(open(os.path.join(d, "pareto.json")))["front"] if "seed" not in t]
if not front:
    sys.exit("no searched (non-seed) trial on the front of " + d)
best = min(t["values"]["val_mean_px"] for t in front)
ok = [t for t in front if t["values"]["val_mean_px"] <= ratio * best]
pick = min(ok, key=lambda t: (t["values"]["bops"], t["number"]))
sys.stderr.write("searched: picked trial %d (val %.4f px at %d search epochs, BOPs %.4g; best "
                 "non-seed front %.4f px)\n" % (pick["number"], pick["values"]["val_mean_px"],
                 int(epochs), pick["values"]["bops"], best))
print(os.path.join(d, pick["model"]))
PYEOF
)
  fi
  config braggnn | /usr/bin/python3 -c '
import json, sys
model = json.load(open(sys.argv[1]))
nodes = model["nodes"]
out, prev = [], None
for n in nodes:
    if n["op"] == "input":
        shape = n["attrs"]["shape"]
    else:
        e = {"op": n["op"], "name": n["name"]}
        if n["inputs"] != [prev]:
            e["inputs"] = n["inputs"]
        e.update(n.get("attrs", {}))
        out.append(e)
    prev = n["name"]
skip = False
print("# The searched model (bench/compress_bragg.sh): its architecture from " + sys.argv[1])
print("# with the task and training recipe of examples/braggnn.yaml.")
for line in sys.stdin.read().splitlines():
    if line.startswith("#"):
        continue
    if line.startswith("name:"):
        print("name: searched")
        continue
    if line.startswith("model:"):
        skip = True
        print("model:")
        print("  input: " + json.dumps(shape))
        print("  layers:")
        for e in out:
            print("    - " + json.dumps(e))
        continue
    if skip and (line.startswith(" ") or not line):
        continue
    skip = False
    print(line)
' "$model"
}

run_model() {  # $1 = braggnn | openhls | searched
  local m=$1
  local t0=$SECONDS
  if [ "$m" = searched ]; then
    searched_config > "$OUT/$m.yaml" 2>> "$OUT/$m-pick.log"
  else
    config "$m" > "$OUT/$m.yaml"
  fi
  local t1=$SECONDS
  if [ ! -f "$OUT/$m-float/model.json" ]; then
    "$NAC" train --config "$OUT/$m.yaml" --out "$OUT/$m-float" 2> "$OUT/$m-train.log"
  fi
  local t2=$SECONDS
  "$NAC" compress --model "$OUT/$m-float/model.json" --config "$OUT/$m.yaml" \
    --out "$OUT/$m-compress" 2> "$OUT/$m-compress.log"
  echo "$m: search $((t1 - t0)) s, float training $((t2 - t1)) s, compression" \
       "$((SECONDS - t2)) s (wall)" > "$OUT/$m-time.txt"
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
for m in $MODELS; do cat "$OUT/$m-time.txt"; done
[ -f "$OUT/searched-pick.log" ] && cat "$OUT/searched-pick.log"

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
    print("%-6s %5s %9s %10s %9s %10s %11s %7s %6s" %
          ("bits", "round", "sparsity", "mean px", "vs float", "PTQ px", "BOPs", "nonzero",
           "front"))
    for r in rows:
        if r["precision"] == "float":
            continue
        px = float(r["val_mean_px"])
        ptq = r.get("ptq_val_mean_px", "")
        print("%-6s %5s %8.1f%% %10.4f %+8.1f%% %10s %11.4g %7d %6s" %
              (r["precision"], r["round"], 100 * float(r["sparsity"]), px,
               100 * (px / f_px - 1), "%.4f" % float(ptq) if ptq else "", float(r["bops"]),
               float(r["nonzero_params"]), "*" if r["on_front"] == "1" else ""))
PYEOF
