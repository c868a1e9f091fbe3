#pragma once
// Dense (fully connected) layer on the last axis: y = x W + b. On a [n, F] input (a set) it is
// applied to every element with shared weights: the DeepSets phi layer.
// Attributes: units (int), use_bias (int, default 1). Params: weight [F, units], bias [units].
#include "nac/graph/op.hpp"

namespace nac {

struct DenseOp {
  static Shape infer(const Node& n, const std::vector<Shape>& in);
  static std::vector<ParamSpec> param_specs(const Node& n, const std::vector<Shape>& in);
  template <typename T>
  static void forward(OpForward<T>& f);
  template <typename T>
  static void backward(OpBackward<T>& b);
  static OpCost cost(const Node& n, const std::vector<Shape>& in);
};

}  // namespace nac
