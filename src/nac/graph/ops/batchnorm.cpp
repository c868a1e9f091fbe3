#include "nac/graph/ops/batchnorm.hpp"

#include <cmath>

namespace nac {
namespace {

enum Saved { kXhat, kInvStd, kMode, kSum, kSumXhat, kSavedCount };

}  // namespace

Shape BatchNormOp::infer(const Node& n, const std::vector<Shape>& in) {
  if (in.size() != 1) shape_error(n, in, "expects exactly one input");
  if (in[0].empty()) shape_error(n, in, "expects an input with at least one axis");
  if (n.attr_float("eps", 1e-5) <= 0) shape_error(n, in, "eps must be > 0");
  const double m = n.attr_float("momentum", 0.1);
  if (m < 0 || m > 1) shape_error(n, in, "momentum must be in [0, 1]");
  return in[0];
}

std::vector<ParamSpec> BatchNormOp::param_specs(const Node&, const std::vector<Shape>& in) {
  const int f = in[0].back();
  return {{"gamma", {f}, ParamInit::Ones},
          {"beta", {f}, ParamInit::Zeros},
          {"running_mean", {f}, ParamInit::Zeros, 1, false},
          {"running_var", {f}, ParamInit::Ones, 1, false}};
}

// saved: xhat [rows, F], inv_std [F], mode [1] (1 = batch statistics), and two [F] scratch sums.
template <typename T>
void BatchNormOp::forward(OpForward<T>& f) {
  const auto F = static_cast<std::size_t>(f.node.shape.back());
  const std::size_t rows = f.out.size() / F;
  const T eps = static_cast<T>(f.node.attr_float("eps", 1e-5));
  const T* x = f.in[0]->ptr();
  T* y = f.out.ptr();
  const T* gamma = f.params[0].ptr();
  const T* beta = f.params[1].ptr();
  T* rmean = f.params[2].ptr();
  T* rvar = f.params[3].ptr();
  if (f.saved.size() < kSavedCount) f.saved.resize(kSavedCount);
  Tensor<T>& xhat = f.saved[kXhat];
  Tensor<T>& inv_std = f.saved[kInvStd];
  Tensor<T>& mean = f.saved[kSum];  // scratch here; backward reuses it for its own sums
  xhat.resize({static_cast<int>(rows), static_cast<int>(F)});
  inv_std.resize({static_cast<int>(F)});
  mean.resize({static_cast<int>(F)});
  f.saved[kMode].resize({1});
  f.saved[kMode][0] = f.training ? T(1) : T(0);

  if (f.training) {
    mean.zero();
    inv_std.zero();  // first the sum of squared deviations
    for (std::size_t r = 0; r < rows; ++r)
      for (std::size_t j = 0; j < F; ++j) mean[j] += x[r * F + j];
    for (std::size_t j = 0; j < F; ++j) mean[j] /= static_cast<T>(rows);
    for (std::size_t r = 0; r < rows; ++r)
      for (std::size_t j = 0; j < F; ++j) {
        const T d = x[r * F + j] - mean[j];
        inv_std[j] += d * d;
      }
    const T m = static_cast<T>(f.node.attr_float("momentum", 0.1));
    const T unbias = rows > 1 ? static_cast<T>(rows) / static_cast<T>(rows - 1) : T(1);
    for (std::size_t j = 0; j < F; ++j) {
      const T var = inv_std[j] / static_cast<T>(rows);
      rmean[j] = (T(1) - m) * rmean[j] + m * mean[j];
      rvar[j] = (T(1) - m) * rvar[j] + m * var * unbias;
      inv_std[j] = T(1) / std::sqrt(var + eps);
    }
  } else {
    for (std::size_t j = 0; j < F; ++j) {
      mean[j] = rmean[j];
      inv_std[j] = T(1) / std::sqrt(rvar[j] + eps);
    }
  }
  T* xh = xhat.ptr();
  for (std::size_t r = 0; r < rows; ++r)
    for (std::size_t j = 0; j < F; ++j) {
      const std::size_t i = r * F + j;
      xh[i] = (x[i] - mean[j]) * inv_std[j];
      y[i] = gamma[j] * xh[i] + beta[j];
    }
}

template <typename T>
void BatchNormOp::backward(OpBackward<T>& b) {
  const auto F = static_cast<std::size_t>(b.node.shape.back());
  const std::size_t rows = b.dout.size() / F;
  NAC_ASSERT(b.saved.size() == kSavedCount && b.saved[kXhat].size() == rows * F);
  const T* xh = b.saved[kXhat].ptr();
  const T* inv_std = b.saved[kInvStd].ptr();
  const bool batch_stats = b.saved[kMode][0] != T(0);
  const T* dy = b.dout.ptr();
  const T* gamma = b.params[0].ptr();
  Tensor<T>& sum = b.saved[kSum];
  Tensor<T>& sum_xhat = b.saved[kSumXhat];
  sum.resize({static_cast<int>(F)});
  sum_xhat.resize({static_cast<int>(F)});
  sum.zero();
  sum_xhat.zero();
  for (std::size_t r = 0; r < rows; ++r)
    for (std::size_t j = 0; j < F; ++j) {
      sum[j] += dy[r * F + j];
      sum_xhat[j] += dy[r * F + j] * xh[r * F + j];
    }
  for (std::size_t j = 0; j < F; ++j) {
    b.dparams[0][j] += sum_xhat[j];
    b.dparams[1][j] += sum[j];
  }
  if (!b.din[0]) return;
  T* dx = b.din[0]->ptr();
  if (!batch_stats) {  // the statistics are constants
    for (std::size_t r = 0; r < rows; ++r)
      for (std::size_t j = 0; j < F; ++j) dx[r * F + j] += dy[r * F + j] * gamma[j] * inv_std[j];
    return;
  }
  // dx = gamma * inv_std * (dy - mean(dy) - xhat * mean(dy * xhat)), means over the rows.
  const T inv_rows = T(1) / static_cast<T>(rows);
  for (std::size_t j = 0; j < F; ++j) {
    sum[j] *= inv_rows;
    sum_xhat[j] *= inv_rows;
  }
  for (std::size_t r = 0; r < rows; ++r)
    for (std::size_t j = 0; j < F; ++j) {
      const std::size_t i = r * F + j;
      dx[i] += gamma[j] * inv_std[j] * (dy[i] - sum[j] - xh[i] * sum_xhat[j]);
    }
}

OpCost BatchNormOp::cost(const Node&, const std::vector<Shape>& in) {
  // in inference a per-feature scale and shift (foldable into the previous layer)
  return {{}, static_cast<long long>(shape_size(in[0]))};
}

NAC_INSTANTIATE_OP(BatchNormOp);

}  // namespace nac
