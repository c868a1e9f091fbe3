#!/usr/bin/env bash
# Training throughput, nac vs PyTorch (bench/README.md): the four reference models, single
# thread, batch 256, RMSprop, full training step, median of 5 timed windows on each side. Builds
# nothing: runs BUILD_DIR/bench/train_throughput and bench/train_torch.py, alternating per model so
# both sides see the same machine load, and prints a table with the target ratios.
#
#   bench/train_throughput.sh [BUILD_DIR] [--seconds S] [--check] [model ...]
#
# --seconds: timed seconds per model and side (default 5). --check: exit 1 when a model misses
# its target (off by default: on a loaded machine the ratio is noisy).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
build="build"
if [[ $# -gt 0 && "$1" != --* ]]; then build="$1"; shift; fi
seconds=5 check=0 models=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --seconds) seconds="$2"; shift 2 ;;
    --check) check=1; shift ;;
    --*) echo "train_throughput.sh: unknown option $1" >&2; exit 2 ;;
    *) models+=("$1"); shift ;;
  esac
done
[[ ${#models[@]} -gt 0 ]] || models=(jet_mlp deepsets openhls braggnn)
bin="$build/bench/train_throughput"
[[ -x "$bin" ]] || { echo "train_throughput.sh: $bin not found (build first: make build)" >&2; exit 2; }
# Debian's interpreter: the first python3 on PATH may be another installation without python3-torch.
py=/usr/bin/python3
"$py" -c "import torch" 2>/dev/null ||
  { echo "train_throughput.sh: $py cannot import torch (make deps-bench)" >&2; exit 2; }

# Both sides single-threaded: torch.set_num_threads(1) in the script, and no BLAS threads either.
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1

out="$(mktemp)"
trap 'rm -f "$out"' EXIT
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)  ($(nproc --all) CPUs)" >&2
"$bin" --sgemm-only | sed 's/^/nac /' >> "$out"
torch_head=0
for m in "${models[@]}"; do
  echo "  $m: nac ..." >&2
  "$bin" --no-sgemm --seconds "$seconds" "$m" | tail -n +2 | sed 's/^/nac /' >> "$out"
  echo "  $m: torch ..." >&2
  if [[ $torch_head -eq 0 ]]; then
    "$py" "$here/train_torch.py" "$seconds" "$m" | sed 's/^/torch /' >> "$out"
    torch_head=1
  else
    "$py" "$here/train_torch.py" "$seconds" "$m" | tail -n +2 | sed 's/^/torch /' >> "$out"
  fi
done
echo "load after:  $(cut -d' ' -f1-3 /proc/loadavg)" >&2

"$py" - "$out" "$check" <<'EOF'
import json, sys
TARGET = {"jet_mlp": 4.0, "deepsets": 4.0, "openhls": 3.0, "braggnn": 2.0}
nac, torch, nac_head, torch_head = {}, {}, {}, {}
for line in open(sys.argv[1]):
    side, text = line.split(" ", 1)
    j = json.loads(text)
    if "model" not in j:
        (nac_head if side == "nac" else torch_head).update(j)
    else:
        (nac if side == "nac" else torch)[j["model"]] = j
peak = nac_head.get("sgemm_peak_gflops", 0)
print(f"nac BLAS:   {nac_head['blas']}")
print(f"torch BLAS: torch {torch_head.get('torch')}, {torch_head.get('threads')} thread, loaded "
      + (", ".join(torch_head.get("blas", [])) or "no BLAS library (built-in kernels)"))
print("sgemm single core (Eigen, GFLOP/s): " +
      ", ".join(f"{k} {v:.1f}" for k, v in nac_head.get("sgemm_gflops", {}).items()))
print()
hdr = (f"{'model':9} {'nac samples/s':>14} {'torch samples/s':>16} {'ratio':>7} {'target':>7} "
       f"{'':5} {'nac GFLOP/s':>11} {'of peak':>8}")
print(hdr)
print("-" * len(hdr))
failed = []
for m in nac:
    a, b = nac[m]["samples_per_s"], torch[m]["samples_per_s"]
    ratio = a / b
    ok = ratio >= TARGET[m]
    if not ok:
        failed.append(m)
    print(f"{m:9} {a:14.0f} {b:16.0f} {ratio:6.2f}x {TARGET[m]:6.1f}x {'pass' if ok else 'FAIL':5} "
          f"{nac[m]['gflops']:11.2f} {100 * nac[m]['gflops'] / peak if peak else 0:7.1f}%")
print()
print("GFLOP/s: 2 FLOPs per multiply-accumulate, forward MACs (op_cost) x 3 for forward, input "
      "gradient and weight gradient; peak = best sgemm rate above.")
if failed:
    print("below target: " + ", ".join(failed))
sys.exit(1 if failed and sys.argv[2] == "1" else 0)
EOF
