#pragma once
// Lottery-ticket rewinding (Frankle et al.; docs/COMPRESSION.md): the weights of an early epoch
// are kept, and after a pruning step the surviving entries go back to those values (pruned ones
// stay 0) before re-training.
#include <vector>

#include "nac/core/tensor.hpp"
#include "nac/graph/graph.hpp"

namespace nac {

// Every parameter's values, per node id and parameter index (the executor's layout).
struct WeightSnapshot {
  std::vector<std::vector<Tensor<float>>> values;
  bool empty() const { return values.empty(); }
};

WeightSnapshot snapshot_weights(const Graph& g);

// Sets every parameter of `g` to the snapshot's value, then 0 where `g`'s masks prune it.
// Throws GraphError when the snapshot does not fit the graph (another structure).
void rewind_weights(Graph& g, const WeightSnapshot& s);

}  // namespace nac
