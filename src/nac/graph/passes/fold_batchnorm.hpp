#pragma once
// fold_batchnorm: a batchnorm whose input is a dense or conv2d read by nothing else is folded
// into that layer (inference semantics, running statistics): per output channel j with
// s_j = gamma_j / sqrt(var_j + eps), w'_ij = w_ij s_j and b'_j = (b_j - mean_j) s_j + beta_j
// (a layer without bias gains one), computed in double and stored as float. Masks are kept; the
// batchnorm's consumers read the folded layer, which takes the batchnorm's name-independent
// annotations (its result format, when it had one).
#include "nac/graph/graph.hpp"

namespace nac {

// Returns the number of batchnorms folded. The graph is rebuilt and finalized.
int fold_batchnorm(Graph& g);

}  // namespace nac
