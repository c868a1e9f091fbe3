#include "nac/graph/ops/dense.hpp"

#include "nac/core/eigen.hpp"
#include "nac/core/gemm.hpp"
#include "nac/graph/ops/reduce.hpp"

namespace nac {

Shape DenseOp::infer(const Node& n, const std::vector<Shape>& in) {
  if (in.size() != 1) shape_error(n, in, "expects exactly one input");
  if (in[0].empty() || in[0].size() > 2)
    shape_error(n, in, "expects a vector [F] or a set [n, F] (flatten images first)");
  const auto units = n.attr_int("units");
  if (units < 1) shape_error(n, in, "units must be >= 1");
  Shape out = in[0];
  out.back() = static_cast<int>(units);
  return out;
}

std::vector<ParamSpec> DenseOp::param_specs(const Node& n, const std::vector<Shape>& in) {
  const int f = in[0].back();
  const int units = static_cast<int>(n.attr_int("units"));
  std::vector<ParamSpec> specs{{"weight", {f, units}, ParamInit::FanInUniform, f}};
  if (n.attr_int("use_bias", 1)) specs.push_back({"bias", {units}, ParamInit::FanInUniform, f});
  return specs;
}

template <typename T>
void DenseOp::forward(OpForward<T>& f) {
  const Tensor<T>& x = *f.in[0];
  const Tensor<T>& w = f.params[0];
  const int fin = w.dim(0), units = w.dim(1);
  const auto rows = static_cast<std::ptrdiff_t>(x.size() / static_cast<std::size_t>(fin));
  gemm<T>(false, false, rows, units, fin, x.ptr(), fin, w.ptr(), units, f.out.ptr(), units, false);
  if (f.params.size() > 1) {
    MatMap<T> Y(f.out.ptr(), rows, units);
    ConstVecMap<T> b(f.params[1].ptr(), units);
    Y.rowwise() += b.transpose();
  }
}

template <typename T>
void DenseOp::backward(OpBackward<T>& b) {
  const Tensor<T>& x = *b.in[0];
  const Tensor<T>& w = b.params[0];
  const int fin = w.dim(0), units = w.dim(1);
  const auto rows = static_cast<std::ptrdiff_t>(x.size() / static_cast<std::size_t>(fin));
  // dW += X^T dY, db += column sums of dY, dX += dY W^T
  gemm<T>(true, false, fin, units, rows, x.ptr(), fin, b.dout.ptr(), units, b.dparams[0].ptr(),
          units, true);
  if (b.dparams.size() > 1)  // Eigen's colwise().sum() of a row-major map is slow for small widths
    add_column_sums(b.dout.ptr(), static_cast<std::size_t>(rows), static_cast<std::size_t>(units),
                    b.dparams[1].ptr());
  if (b.din[0])
    gemm<T>(false, true, rows, fin, units, b.dout.ptr(), units, w.ptr(), units, b.din[0]->ptr(),
            fin, true);
}

OpCost DenseOp::cost(const Node& n, const std::vector<Shape>& in) {
  const long long elements = in[0].size() == 2 ? in[0][0] : 1;
  const long long units = n.attr_int("units");
  return {{{"dense", elements * units, in[0].back(), "weight"}}, 0};
}

NAC_INSTANTIATE_OP(DenseOp);

}  // namespace nac
