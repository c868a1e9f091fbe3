#pragma once
// Multiply-accumulates per sample, from the ops' MacGroups (graph/op.hpp): every product of a
// weight or of two activations counts once; norms, activations and adds are not MACs.
#include "nac/graph/graph.hpp"

namespace nac {

struct MacCount {
  long long dense = 0;   // all products
  double effective = 0;  // products with a kept weight (pruned weights cost nothing)
};

MacCount count_macs(const Graph& g);

// The fraction of a node's parameter `weight` that its pruning mask removes (0 without a mask;
// 0 for an empty name, i.e. activation x activation products).
double mask_sparsity(const Node& n, const std::string& weight);

}  // namespace nac
