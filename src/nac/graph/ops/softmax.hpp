#pragma once
// Softmax over the last axis, numerically stable (the row maximum is subtracted before exp).
// No attributes, no parameters; any input shape. The row kernels are shared with ConvAttn.
#include <cstddef>

#include "nac/graph/op.hpp"

namespace nac {

// y[r, :] = softmax(x[r, :]) for `rows` rows of `cols` values, rows ld apart (0: cols) in both x
// and y; x may equal y.
template <typename T>
void softmax_rows(const T* x, T* y, std::size_t rows, std::size_t cols, std::size_t ld = 0);
// dx[r, :] (+)= y[r, :] * (dy[r, :] - <dy[r, :], y[r, :]>); `accumulate` false overwrites dx
// (which may then equal dy). Rows are ld apart (0: cols) in all three.
template <typename T>
void softmax_rows_backward(const T* y, const T* dy, T* dx, std::size_t rows, std::size_t cols,
                           bool accumulate, std::size_t ld = 0);

struct SoftmaxOp {
  static Shape infer(const Node& n, const std::vector<Shape>& in);
  static std::vector<ParamSpec> param_specs(const Node&, const std::vector<Shape>&) { return {}; }
  template <typename T>
  static void forward(OpForward<T>& f);
  template <typename T>
  static void backward(OpBackward<T>& b);
  static OpCost cost(const Node& n, const std::vector<Shape>& in);
};

}  // namespace nac
