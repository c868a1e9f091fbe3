#include "nac/graph/ops/softmax.hpp"

#include <Eigen/Core>

#include "nac/graph/ops/reduce.hpp"

namespace nac {

namespace {

template <typename T>
using RowArray = Eigen::Array<T, 1, Eigen::Dynamic>;

}  // namespace

// Eigen's array exp is vectorised (std::exp is not), which matters for ConvAttn's P x P scores.
// It runs on an aligned scratch row: on unaligned data Eigen would take std::exp for the first
// few elements and its own exp for the rest, so the bits would depend on the address.
template <typename T>
void softmax_rows(const T* x, T* y, std::size_t rows, std::size_t cols, std::size_t ld) {
  if (ld == 0) ld = cols;
  thread_local RowArray<T> scratch;
  const auto n = static_cast<Eigen::Index>(cols);
  if (scratch.size() < n) scratch.resize(n);
  Eigen::Map<RowArray<T>, Eigen::AlignedMax> e(scratch.data(), n);
  for (std::size_t r = 0; r < rows; ++r) {
    Eigen::Map<const RowArray<T>> xr(x + r * ld, n);
    e = (xr - xr.maxCoeff()).exp();
    const T inv = T(1) / sum_of<T>(cols, [&e](std::size_t i) {
                    return e.coeff(static_cast<Eigen::Index>(i));
                  });
    T* yr = y + r * ld;
    for (std::size_t c = 0; c < cols; ++c) yr[c] = e.coeff(static_cast<Eigen::Index>(c)) * inv;
  }
}

template <typename T>
void softmax_rows_backward(const T* y, const T* dy, T* dx, std::size_t rows, std::size_t cols,
                           bool accumulate, std::size_t ld) {
  if (ld == 0) ld = cols;
  for (std::size_t r = 0; r < rows; ++r, y += ld, dy += ld, dx += ld) {
    const T dot = sum_of<T>(cols, [y, dy](std::size_t i) { return dy[i] * y[i]; });
    if (accumulate)
      for (std::size_t c = 0; c < cols; ++c) dx[c] += y[c] * (dy[c] - dot);
    else
      for (std::size_t c = 0; c < cols; ++c) dx[c] = y[c] * (dy[c] - dot);
  }
}

template void softmax_rows<float>(const float*, float*, std::size_t, std::size_t, std::size_t);
template void softmax_rows<double>(const double*, double*, std::size_t, std::size_t, std::size_t);
template void softmax_rows_backward<float>(const float*, const float*, float*, std::size_t,
                                           std::size_t, bool, std::size_t);
template void softmax_rows_backward<double>(const double*, const double*, double*, std::size_t,
                                            std::size_t, bool, std::size_t);

Shape SoftmaxOp::infer(const Node& n, const std::vector<Shape>& in) {
  if (in.size() != 1) shape_error(n, in, "expects exactly one input");
  if (in[0].empty()) shape_error(n, in, "expects an input with at least one axis");
  return in[0];
}

template <typename T>
void SoftmaxOp::forward(OpForward<T>& f) {
  const auto cols = static_cast<std::size_t>(f.node.shape.back());
  softmax_rows(f.in[0]->ptr(), f.out.ptr(), f.out.size() / cols, cols);
}

template <typename T>
void SoftmaxOp::backward(OpBackward<T>& b) {
  if (!b.din[0]) return;
  const auto cols = static_cast<std::size_t>(b.node.shape.back());
  softmax_rows_backward(b.out.ptr(), b.dout.ptr(), b.din[0]->ptr(), b.out.size() / cols, cols,
                        true);
}

OpCost SoftmaxOp::cost(const Node&, const std::vector<Shape>& in) {
  // exp, sum and divide per element
  return {{}, 3 * static_cast<long long>(shape_size(in[0]))};
}

NAC_INSTANTIATE_OP(SoftmaxOp);

}  // namespace nac
