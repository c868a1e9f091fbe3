#pragma once
// Layer normalisation of each sample, with the sample's own statistics (same in training and
// inference). Attributes: axes ("last", the default: every vector along the last axis is
// normalised on its own, like nn.LayerNorm(F); or "all": the whole per-sample tensor at once,
// like nn.LayerNorm([C, H, W])), eps (default 1e-5). Params: gamma (ones) and beta (zeros) of
// the normalised shape: [last dim] for "last", the full per-sample shape for "all".
// Biased variance, as PyTorch.
#include "nac/graph/op.hpp"

namespace nac {

struct LayerNormOp {
  static Shape infer(const Node& n, const std::vector<Shape>& in);
  static std::vector<ParamSpec> param_specs(const Node& n, const std::vector<Shape>& in);
  template <typename T>
  static void forward(OpForward<T>& f);
  template <typename T>
  static void backward(OpBackward<T>& b);
  static OpCost cost(const Node& n, const std::vector<Shape>& in);
};

}  // namespace nac
