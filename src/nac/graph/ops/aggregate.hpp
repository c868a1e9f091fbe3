#pragma once
// Set aggregation (the DeepSets pooling): a per-sample set [n, F] -> [F], over the elements
// (axis 0). Attribute fn: "mean" (default), "max" or "sum". No parameters. The max gradient goes
// to the first element holding the maximum.
#include "nac/graph/op.hpp"

namespace nac {

struct AggregateOp {
  static Shape infer(const Node& n, const std::vector<Shape>& in);
  static std::vector<ParamSpec> param_specs(const Node&, const std::vector<Shape>&) { return {}; }
  template <typename T>
  static void forward(OpForward<T>& f);
  template <typename T>
  static void backward(OpBackward<T>& b);
  static OpCost cost(const Node& n, const std::vector<Shape>& in);
};

}  // namespace nac
