#pragma once
// Parameter counts of a graph: what `parameters` means as a search objective.
#include "nac/graph/graph.hpp"

namespace nac {

struct ParamCount {
  long long trainable = 0;  // weights, biases, norm scales and shifts
  long long total = 0;      // also running statistics
  long long nonzero = 0;    // trainable ones a pruning mask keeps
};

ParamCount count_params(const Graph& g);

}  // namespace nac
