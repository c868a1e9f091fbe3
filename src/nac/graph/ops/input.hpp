#pragma once
// The graph's input. Attribute "shape": the per-sample shape (e.g. [11, 11, 1] or [16, 3]).
#include "nac/graph/op.hpp"

namespace nac {

struct InputOp {
  static Shape infer(const Node& n, const std::vector<Shape>& in);
  static std::vector<ParamSpec> param_specs(const Node&, const std::vector<Shape>&) { return {}; }
  template <typename T>
  static void forward(OpForward<T>&) {}  // the executor writes the input directly
  template <typename T>
  static void backward(OpBackward<T>&) {}
  static OpCost cost(const Node&, const std::vector<Shape>&) { return {}; }
};

}  // namespace nac
