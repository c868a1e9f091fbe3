#pragma once
// Flatten: any per-sample shape to a vector, in row-major (channels-last) order.
#include "nac/graph/op.hpp"

namespace nac {

struct FlattenOp {
  static Shape infer(const Node& n, const std::vector<Shape>& in);
  static std::vector<ParamSpec> param_specs(const Node&, const std::vector<Shape>&) { return {}; }
  template <typename T>
  static void forward(OpForward<T>& f);
  template <typename T>
  static void backward(OpBackward<T>& b);
  static OpCost cost(const Node&, const std::vector<Shape>&) { return {}; }
};

}  // namespace nac
