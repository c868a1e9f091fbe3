#pragma once
// Gradient check against central finite differences in double precision. The loss is
// sum(output * R) for a fixed random R, so the output gradient is R.
#include <string>

#include "nac/core/tensor.hpp"
#include "nac/graph/graph.hpp"

namespace nac::testing {

struct GradCheckResult {
  double max_rel_error = 0;  // over every checked entry: |a - n| / max(1e-3, |a| + |n|)
  std::string worst;         // which entry
  int checked = 0;
};

struct GradCheckOptions {
  int batch = 3;
  double eps = 1e-5;
  int max_entries_per_tensor = 40;  // random subset of entries for large tensors
  bool training = true;
  unsigned seed = 1;
  double input_scale = 1.0;
};

// Finalizes `g` (initialising parameters from the seed) and checks every parameter gradient and
// the input gradient.
GradCheckResult grad_check(Graph g, const GradCheckOptions& opt = {});

}  // namespace nac::testing
