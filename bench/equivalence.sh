#!/usr/bin/env bash
# Model-level equivalence of nac's training engine and PyTorch (bench/README.md): BraggNN trained
# by `nac train` (bench/equivalence.yaml) and by bench/equivalence_torch.py on the same generated
# data, split, initial weights, batch order and recipe; both mean pixel errors (validation and
# test, best epoch's weights) must be within TOL (5%) of each other.
#
#   bench/equivalence.sh [BUILD_DIR] [--samples N] [--epochs E] [--tol T] [--keep DIR]
#
# Defaults: build, 25000 generated samples (20000 train / 2500 val / 2500 test), 10 epochs.
# Exit status 1 when the errors differ by more than TOL.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
build="build"
if [[ $# -gt 0 && "$1" != --* ]]; then build="$1"; shift; fi
samples=25000 epochs=10 tol=0.05 keep=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --samples) samples="$2"; shift 2 ;;
    --epochs) epochs="$2"; shift 2 ;;
    --tol) tol="$2"; shift 2 ;;
    --keep) keep="$2"; shift 2 ;;
    *) echo "equivalence.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
nac="$build/nac"
[[ -x "$nac" ]] || { echo "equivalence.sh: $nac not found (build first: make build)" >&2; exit 2; }
py=/usr/bin/python3  # Debian's interpreter: python3-torch and python3-h5py live there
"$py" -c "import torch, h5py" 2>/dev/null ||
  { echo "equivalence.sh: $py lacks torch or h5py (make deps-bench)" >&2; exit 2; }

if [[ -n "$keep" ]]; then work="$keep"; mkdir -p "$work"; else
  work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT; fi

echo "== data: nac data bragg --n $samples --seed 1"
"$nac" data bragg --n "$samples" --seed 1 --out "$work/bragg.h5"

echo "== nac train ($epochs epochs)"
t0=$(date +%s.%N)
"$nac" train --config "$here/equivalence.yaml" --data "$work/bragg.h5" --epochs "$epochs" \
  --save-init "$work/init.json" --out "$work/nac" 2> "$work/nac.log" ||
  { cat "$work/nac.log" >&2; exit 1; }
t1=$(date +%s.%N)
grep '^epoch' "$work/nac.log" | sed 's/^/nac /' >&2 || true

echo "== PyTorch ($epochs epochs, same init, same batches)"
"$py" "$here/equivalence_torch.py" --data "$work/bragg.h5" --init "$work/init.json" \
  --epochs "$epochs" --seed 0 > "$work/torch.json"
t2=$(date +%s.%N)

"$py" - "$work/nac/metrics.json" "$work/torch.json" "$tol" "$t0" "$t1" "$t2" <<'EOF'
import json, sys
nac, torch = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
tol, t0, t1, t2 = map(float, sys.argv[3:7])
rows = [("val mean px", nac["val_mean_px"], torch["val_mean_px"]),
        ("test mean px", nac["test_mean_px"], torch["test_mean_px"])]
print(f"train samples {torch['train_samples']}, best epoch nac {nac['best_epoch']} / torch "
      f"{torch['best_epoch']}; wall nac {t1 - t0:.0f} s, torch {t2 - t1:.0f} s")
print("epoch-1 train loss: nac %.6g, torch %.6g" % (nac["history"][0]["train_loss"],
                                                   torch["history"][0]["train_loss"]))
print(f"{'':14} {'nac':>9} {'torch':>9} {'rel diff':>9}")
ok = True
for name, a, b in rows:
    rel = abs(a - b) / b
    ok &= rel <= tol
    print(f"{name:14} {a:9.4f} {b:9.4f} {100 * rel:8.2f}%")
print(f"equivalence: {'PASS' if ok else 'FAIL'} (tolerance {100 * tol:.0f}%)")
sys.exit(0 if ok else 1)
EOF
