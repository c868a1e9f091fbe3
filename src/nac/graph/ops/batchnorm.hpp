#pragma once
// Batch normalisation of each feature of the LAST axis over the batch and every other axis, so it
// serves vectors [F], sets [n, F] and maps [H, W, C] (PyTorch BatchNorm1d / BatchNorm2d).
// Attributes: momentum (default 0.1, PyTorch convention: running = (1 - m) running + m batch),
// eps (default 1e-5). Params (all [F]): gamma (ones), beta (zeros), running_mean (zeros, not
// trainable), running_var (ones, not trainable).
// Training: normalises with the batch mean and biased variance, and updates the running stats with
// the batch mean and the unbiased variance (a single value per feature, which PyTorch rejects,
// updates with the biased variance 0). Inference: normalises with the running stats.
#include "nac/graph/op.hpp"

namespace nac {

struct BatchNormOp {
  static Shape infer(const Node& n, const std::vector<Shape>& in);
  static std::vector<ParamSpec> param_specs(const Node& n, const std::vector<Shape>& in);
  template <typename T>
  static void forward(OpForward<T>& f);
  template <typename T>
  static void backward(OpBackward<T>& b);
  static OpCost cost(const Node& n, const std::vector<Shape>& in);
};

}  // namespace nac
