#pragma once
// Element-wise sum of two or more inputs of the same shape (residual connections).
#include "nac/graph/op.hpp"

namespace nac {

struct AddOp {
  static Shape infer(const Node& n, const std::vector<Shape>& in);
  static std::vector<ParamSpec> param_specs(const Node&, const std::vector<Shape>&) { return {}; }
  template <typename T>
  static void forward(OpForward<T>& f);
  template <typename T>
  static void backward(OpBackward<T>& b);
  static OpCost cost(const Node& n, const std::vector<Shape>& in);
};

}  // namespace nac
