#include "nac/graph/ops/batchnorm.hpp"

#include <algorithm>
#include <cmath>

#include "nac/graph/ops/column_sums.hpp"

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

// saved: xhat [rows, F], inv_std [F], mode [1] (1 = batch statistics), and two [F] scratch rows.
template <typename T>
void BatchNormOp::forward(OpForward<T>& f) {
  const auto F = static_cast<std::size_t>(f.node.shape.back());
  const std::size_t rows = f.out.size() / F;
  const T eps = static_cast<T>(f.node.attr_float("eps", 1e-5));
  if (f.saved.size() < kSavedCount) f.saved.resize(kSavedCount);
  f.saved[kXhat].resize(f.out.shape);
  for (int k : {kInvStd, kSum, kSumXhat})
    f.saved[static_cast<std::size_t>(k)].resize({static_cast<int>(F)});
  f.saved[kMode].resize({1});
  f.saved[kMode][0] = f.training ? T(1) : T(0);

  const T* __restrict x = f.in[0]->ptr();
  T* __restrict xh = f.saved[kXhat].ptr();
  T* __restrict y = f.out.ptr();
  T* __restrict mean = f.saved[kSum].ptr();
  T* __restrict var = f.saved[kSumXhat].ptr();
  T* __restrict inv_std = f.saved[kInvStd].ptr();
  const T* __restrict gamma = f.params[0].ptr();
  const T* __restrict beta = f.params[1].ptr();
  T* __restrict rmean = f.params[2].ptr();
  T* __restrict rvar = f.params[3].ptr();
  if (f.training) {
    std::fill(mean, mean + F, T(0));
    std::fill(var, var + F, T(0));
    add_column_sums(x, rows, F, mean);
    for (std::size_t j = 0; j < F; ++j) mean[j] /= static_cast<T>(rows);
    for (std::size_t i = 0; i < rows * F; i += F)
      for (std::size_t j = 0; j < F; ++j) xh[i + j] = x[i + j] - mean[j];  // scaled below
    add_column_sums(rows, F, var, [xh](std::size_t i) { return xh[i] * xh[i]; });
    const T m = static_cast<T>(f.node.attr_float("momentum", 0.1));
    const T unbias = rows > 1 ? static_cast<T>(rows) / static_cast<T>(rows - 1) : T(1);
    for (std::size_t j = 0; j < F; ++j) {
      var[j] /= static_cast<T>(rows);
      rmean[j] = (T(1) - m) * rmean[j] + m * mean[j];
      rvar[j] = (T(1) - m) * rvar[j] + m * unbias * var[j];
      inv_std[j] = T(1) / std::sqrt(var[j] + eps);
    }
  } else {
    for (std::size_t j = 0; j < F; ++j) inv_std[j] = T(1) / std::sqrt(rvar[j] + eps);
    for (std::size_t i = 0; i < rows * F; i += F)
      for (std::size_t j = 0; j < F; ++j) xh[i + j] = x[i + j] - rmean[j];
  }
  for (std::size_t i = 0; i < rows * F; i += F)
    for (std::size_t j = 0; j < F; ++j) {
      xh[i + j] *= inv_std[j];
      y[i + j] = gamma[j] * xh[i + j] + beta[j];
    }
}

template <typename T>
void BatchNormOp::backward(OpBackward<T>& b) {
  const auto F = static_cast<std::size_t>(b.node.shape.back());
  const std::size_t rows = b.dout.size() / F;
  NAC_ASSERT(b.saved.size() == kSavedCount && b.saved[kXhat].size() == rows * F);
  const bool batch_stats = b.saved[kMode][0] != T(0);
  const T* __restrict xh = b.saved[kXhat].ptr();
  const T* __restrict dy = b.dout.ptr();
  const T* __restrict inv_std = b.saved[kInvStd].ptr();
  const T* __restrict gamma = b.params[0].ptr();
  T* __restrict sum = b.saved[kSum].ptr();
  T* __restrict sum_xhat = b.saved[kSumXhat].ptr();
  std::fill(sum, sum + F, T(0));
  std::fill(sum_xhat, sum_xhat + F, T(0));
  add_column_sums(dy, rows, F, sum);
  add_column_sums(rows, F, sum_xhat, [dy, xh](std::size_t i) { return dy[i] * xh[i]; });
  for (std::size_t j = 0; j < F; ++j) {
    b.dparams[0][j] += sum_xhat[j];
    b.dparams[1][j] += sum[j];
  }
  if (!b.din[0]) return;
  T* __restrict dx = b.din[0]->ptr();
  if (!batch_stats) {  // the statistics are constants
    for (std::size_t i = 0; i < rows * F; i += F)
      for (std::size_t j = 0; j < F; ++j) dx[i + j] += dy[i + j] * gamma[j] * inv_std[j];
    return;
  }
  // dx = gamma * inv_std * (dy - mean(dy) - xhat * mean(dy * xhat)), means over the rows.
  for (std::size_t j = 0; j < F; ++j) {
    sum[j] /= static_cast<T>(rows);
    sum_xhat[j] /= static_cast<T>(rows);
  }
  for (std::size_t i = 0; i < rows * F; i += F)
    for (std::size_t j = 0; j < F; ++j)
      dx[i + j] += gamma[j] * inv_std[j] * (dy[i + j] - sum[j] - xh[i + j] * sum_xhat[j]);
}

OpCost BatchNormOp::cost(const Node&, const std::vector<Shape>& in) {
  // in inference a per-feature scale and shift (foldable into the previous layer)
  return {{}, static_cast<long long>(shape_size(in[0]))};
}

NAC_INSTANTIATE_OP(BatchNormOp);

}  // namespace nac
