#pragma once
// Bit operations (DESIGN.md §3, docs/COST.md), nac's standard count: for every MacGroup of every
// node (m outputs, each a sum of n products),
//   BOPs = m * n * ((1 - s) * b_w * b_a + b_w + b_a + log2(n))
// with b_w the weight bits (the node's weight format, else 32), b_a the activation bits (the
// format the node sees its input in: its `input` cast, else the producer's result format, a
// flatten passing its input's through; else 32) and s the fraction of the weight its pruning
// mask removes. Products of two activations (attention) count as a dense group of their two
// operands: conv_attn's scores q.k (widths of extra q and k), attend attn.v (attn and v), and
// its projection reads `attend`; without those formats, b_w = b_a. Norms, activations and adds
// cost nothing (norms fold into the previous layer).
#include <string>
#include <vector>

#include "nac/graph/graph.hpp"

namespace nac {

struct LayerBops {
  std::string node;   // node name
  std::string group;  // MacGroup label ("dense", "conv2d", "query", "scores", ...)
  long long outputs = 0, fan_in = 0;
  int weight_bits = 32, activation_bits = 32;
  double sparsity = 0;
  double bops = 0;
};

// One group's BOPs by the formula above.
double group_bops(long long outputs, long long fan_in, int weight_bits, int activation_bits,
                  double sparsity);

std::vector<LayerBops> bops_by_layer(const Graph& g);
double count_bops(const Graph& g);

}  // namespace nac
