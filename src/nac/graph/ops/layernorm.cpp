#include "nac/graph/ops/layernorm.hpp"

#include <cmath>

#include "nac/graph/ops/reduce.hpp"

namespace nac {
namespace {

bool over_all_axes(const Node& n, const std::vector<Shape>& in) {
  const std::string axes = n.attr_str("axes", "last");
  if (axes == "last") return false;
  if (axes == "all") return true;
  shape_error(n, in, "attribute 'axes' must be \"last\" or \"all\", not \"" + axes + "\"");
}

Shape normalized_shape(const Node& n, const std::vector<Shape>& in) {
  return over_all_axes(n, in) ? in[0] : Shape{in[0].back()};
}

// Number of values normalised together: the size of gamma.
std::size_t group_size(const Node& n) {
  return over_all_axes(n, {n.shape}) ? shape_size(n.shape)
                                     : static_cast<std::size_t>(n.shape.back());
}

enum Saved { kXhat, kInvStd, kSavedCount };

}  // namespace

Shape LayerNormOp::infer(const Node& n, const std::vector<Shape>& in) {
  if (in.size() != 1) shape_error(n, in, "expects exactly one input");
  if (in[0].empty()) shape_error(n, in, "expects an input with at least one axis");
  if (n.attr_float("eps", 1e-5) <= 0) shape_error(n, in, "eps must be > 0");
  over_all_axes(n, in);
  return in[0];
}

std::vector<ParamSpec> LayerNormOp::param_specs(const Node& n, const std::vector<Shape>& in) {
  const Shape s = normalized_shape(n, in);
  return {{"gamma", s, ParamInit::Ones}, {"beta", s, ParamInit::Zeros}};
}

// saved: xhat (the input's size) and inv_std [groups].
template <typename T>
void LayerNormOp::forward(OpForward<T>& f) {
  const std::size_t G = group_size(f.node);
  const std::size_t groups = f.out.size() / G;
  const T eps = static_cast<T>(f.node.attr_float("eps", 1e-5));
  if (f.saved.size() < kSavedCount) f.saved.resize(kSavedCount);
  f.saved[kXhat].resize(f.out.shape);
  f.saved[kInvStd].resize({static_cast<int>(groups)});
  const T* __restrict gamma = f.params[0].ptr();
  const T* __restrict beta = f.params[1].ptr();
  for (std::size_t g = 0; g < groups; ++g) {
    const T* __restrict x = f.in[0]->ptr() + g * G;
    T* __restrict xh = f.saved[kXhat].ptr() + g * G;
    T* __restrict y = f.out.ptr() + g * G;
    const T mean = sum_of<T>(G, [x](std::size_t j) { return x[j]; }) / static_cast<T>(G);
    for (std::size_t j = 0; j < G; ++j) xh[j] = x[j] - mean;
    const T var = sum_of<T>(G, [xh](std::size_t j) { return xh[j] * xh[j]; }) / static_cast<T>(G);
    const T inv_std = T(1) / std::sqrt(var + eps);
    f.saved[kInvStd][g] = inv_std;
    for (std::size_t j = 0; j < G; ++j) {
      xh[j] *= inv_std;
      y[j] = gamma[j] * xh[j] + beta[j];
    }
  }
}

template <typename T>
void LayerNormOp::backward(OpBackward<T>& b) {
  const std::size_t G = group_size(b.node);
  const std::size_t groups = b.dout.size() / G;
  NAC_ASSERT(b.saved.size() == kSavedCount && b.saved[kInvStd].size() == groups);
  const T* __restrict gamma = b.params[0].ptr();
  T* __restrict dgamma = b.dparams[0].ptr();
  T* __restrict dbeta = b.dparams[1].ptr();
  for (std::size_t g = 0; g < groups; ++g) {
    const T* __restrict dy = b.dout.ptr() + g * G;
    const T* __restrict xh = b.saved[kXhat].ptr() + g * G;
    for (std::size_t j = 0; j < G; ++j) {
      dgamma[j] += dy[j] * xh[j];
      dbeta[j] += dy[j];
    }
    if (!b.din[0]) continue;
    // dx = inv_std * (dxhat - mean(dxhat) - xhat * mean(dxhat * xhat)), dxhat = dy * gamma
    const T mean_d =
        sum_of<T>(G, [dy, gamma](std::size_t j) { return dy[j] * gamma[j]; }) / static_cast<T>(G);
    const T mean_dx =
        sum_of<T>(G, [dy, gamma, xh](std::size_t j) { return dy[j] * gamma[j] * xh[j]; }) /
        static_cast<T>(G);
    const T inv_std = b.saved[kInvStd][g];
    T* __restrict dx = b.din[0]->ptr() + g * G;
    for (std::size_t j = 0; j < G; ++j)
      dx[j] += inv_std * (dy[j] * gamma[j] - mean_d - xh[j] * mean_dx);
  }
}

OpCost LayerNormOp::cost(const Node&, const std::vector<Shape>& in) {
  // mean, variance, normalise, scale and shift per element
  return {{}, 4 * static_cast<long long>(shape_size(in[0]))};
}

NAC_INSTANTIATE_OP(LayerNormOp);

}  // namespace nac
