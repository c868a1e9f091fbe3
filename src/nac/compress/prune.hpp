#pragma once
// Magnitude pruning (docs/COMPRESSION.md): one step removes a fraction of the weights that are
// still kept, writing the result into the IR's pruning masks (Param::mask, 1 = kept) and zeroing
// the removed values, so every later stage (trainer, QAT, emulator, costs, infer_precision)
// sees them as exact zeros.
//   - unstructured: the smallest |w| among the kept entries, over all layers at once (global) or
//     per weight tensor (layer); prunable tensors are dense and conv2d `weight` and conv_attn's
//     q/k/v/proj weights;
//   - structured: whole output units (dense neurons = columns of [in, out], conv2d output
//     channels = the last axis of [k, k, C_in, C_out]) with the smallest L1 or L2 norm, their
//     bias entry with them; per layer, or globally by the norm per weight (L1 / fan-in,
//     L2 / sqrt(fan-in)) so layers of different fan-in compare. The graph's output layer is never
//     structurally pruned and every layer keeps at least one unit. conv_attn is left alone.
// A step removes round(fraction x kept) (half away from zero) entries or units: k steps of p
// leave (1 - p)^k of the prunable weights, up to rounding. Ties break by layer order and index,
// so a step is deterministic.
#include <string>
#include <vector>

#include "nac/graph/graph.hpp"

namespace nac {

enum class PruneKind { Unstructured, Structured };
enum class PruneScope { Global, Layer };
enum class PruneNorm { L1, L2 };

const char* prune_kind_name(PruneKind k);    // "unstructured" / "structured"
const char* prune_scope_name(PruneScope s);  // "global" / "layer"
const char* prune_norm_name(PruneNorm n);    // "l1" / "l2"

struct PruneOptions {
  PruneKind kind = PruneKind::Unstructured;
  PruneScope scope = PruneScope::Global;
  PruneNorm norm = PruneNorm::L1;  // structured only
  double fraction = 0.2;           // of the kept entries (units), in [0, 1]
};

// One prunable weight tensor.
struct PrunableWeight {
  int node = 0;             // node id
  int param = 0;            // index into the node's params
  bool structured = false;  // whether whole output units of it may be removed
};

// The graph's prunable weights in graph order (structured marks the ones whose units may go).
std::vector<PrunableWeight> prunable_weights(const Graph& g);

struct PruneStep {
  long long before = 0;         // kept prunable weights before the step
  long long removed = 0;        // weights removed
  long long units_removed = 0;  // structured: units removed
  long long after() const { return before - removed; }
};

// Throws InputError for a fraction outside [0, 1].
PruneStep prune_step(Graph& g, const PruneOptions& opt);

struct Sparsity {
  long long total = 0;  // prunable weights
  long long kept = 0;   // of them kept by their masks
  double fraction() const {
    return total > 0 ? 1.0 - static_cast<double>(kept) / static_cast<double>(total) : 0.0;
  }
};

// The sparsity of the prunable weights (masked entries).
Sparsity weight_sparsity(const Graph& g);

// Sets every masked entry of every parameter to 0 (a mask read from a file may hide values).
void zero_masked(Graph& g);

}  // namespace nac
