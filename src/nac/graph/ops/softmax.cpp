#include "nac/graph/ops/softmax.hpp"

#include <Eigen/Core>

namespace nac {

namespace {

template <typename T>
using RowArray = Eigen::Array<T, 1, Eigen::Dynamic>;

}  // namespace

// Eigen's array exp is vectorised (std::exp is not), which matters for ConvAttn's P x P scores.
template <typename T>
void softmax_rows(const T* x, T* y, std::size_t rows, std::size_t cols) {
  const auto n = static_cast<Eigen::Index>(cols);
  for (std::size_t r = 0; r < rows; ++r) {
    Eigen::Map<const RowArray<T>> xr(x + r * cols, n);
    Eigen::Map<RowArray<T>> yr(y + r * cols, n);
    const T m = xr.maxCoeff();
    yr = (xr - m).exp();
    yr *= T(1) / yr.sum();
  }
}

template <typename T>
void softmax_rows_backward(const T* y, const T* dy, T* dx, std::size_t rows, std::size_t cols,
                           bool accumulate) {
  const auto n = static_cast<Eigen::Index>(cols);
  for (std::size_t r = 0; r < rows; ++r) {
    Eigen::Map<const RowArray<T>> yr(y + r * cols, n), dyr(dy + r * cols, n);
    Eigen::Map<RowArray<T>> dxr(dx + r * cols, n);
    const T dot = (dyr * yr).sum();
    if (accumulate)
      dxr += yr * (dyr - dot);
    else
      dxr = yr * (dyr - dot);
  }
}

template void softmax_rows<float>(const float*, float*, std::size_t, std::size_t);
template void softmax_rows<double>(const double*, double*, std::size_t, std::size_t);
template void softmax_rows_backward<float>(const float*, const float*, float*, std::size_t,
                                           std::size_t, bool);
template void softmax_rows_backward<double>(const double*, const double*, double*, std::size_t,
                                            std::size_t, bool);

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
