#pragma once
// calibrate: runs the float model (inference mode) on a data sample and records the observed
// range of every node's output ("result") and of conv_attn's intermediates ("q", "k", "v",
// "score", "attn", "attend", "proj", "residual"), for quantize_graph's integer bits.
#include <limits>
#include <map>
#include <string>

#include "nac/core/tensor.hpp"
#include "nac/graph/graph.hpp"

namespace nac {

struct ValueRange {
  double min = std::numeric_limits<double>::infinity();
  double max = -std::numeric_limits<double>::infinity();
  bool empty() const { return min > max; }
  void add(double v) {
    min = v < min ? v : min;
    max = v > max ? v : max;
  }
  double max_abs() const { return empty() ? 0.0 : (-min > max ? -min : max); }
};

struct CalibrationStats {
  std::map<std::string, std::map<std::string, ValueRange>> ranges;  // node -> key -> range
  int samples = 0;
  // nullptr when absent.
  const ValueRange* find(const std::string& node, const std::string& key) const;
};

// x [N, ...input shape] in model space. Throws InputError for a wrong shape or an empty sample.
CalibrationStats calibrate(const Graph& g, const Tensor<float>& x, int batch_size = 512);

}  // namespace nac
