#pragma once
// 2-D convolution, stride 1, on channels-last maps: input [H, W, Cin] -> output [Ho, Wo, filters].
// Attributes: filters (int >= 1), kernel (int: 1, 3 or 5), padding ("valid", the default: Ho =
// H - kernel + 1; or "same": zero padding of (kernel - 1) / 2 on each side, Ho = H), use_bias
// (int, default 1). Params: weight [kernel, kernel, Cin, filters] (row-major, so it is the
// (kernel*kernel*Cin) x filters matrix that multiplies im2col rows), bias [filters]; both
// fan-in uniform with fan_in = kernel*kernel*Cin. A kernel larger than the unpadded input is
// rejected. Computed as im2col rows x weight GEMMs over cache-sized chunks of the batch; a 1x1
// kernel is one GEMM over the whole batch, with no im2col.
#include "nac/graph/op.hpp"

namespace nac {

struct Conv2DOp {
  static Shape infer(const Node& n, const std::vector<Shape>& in);
  static std::vector<ParamSpec> param_specs(const Node& n, const std::vector<Shape>& in);
  template <typename T>
  static void forward(OpForward<T>& f);
  template <typename T>
  static void backward(OpBackward<T>& b);
  static OpCost cost(const Node& n, const std::vector<Shape>& in);
};

}  // namespace nac
