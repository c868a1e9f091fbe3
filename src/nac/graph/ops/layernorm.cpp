#include "nac/graph/ops/layernorm.hpp"

#include <Eigen/Core>
#include <cmath>
#include <type_traits>

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

template <typename T>
using RowMap =
    Eigen::Map<std::conditional_t<std::is_const_v<T>,
                                  const Eigen::Array<std::remove_const_t<T>, 1, Eigen::Dynamic>,
                                  Eigen::Array<T, 1, Eigen::Dynamic>>>;

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

// saved: xhat (the input's size) and inv_std [groups]. Row reductions use Eigen, which
// vectorises them (a plain loop sum is not, without reassociation).
template <typename T>
void LayerNormOp::forward(OpForward<T>& f) {
  const auto G = static_cast<Eigen::Index>(group_size(f.node));
  const std::size_t groups = f.out.size() / static_cast<std::size_t>(G);
  const T eps = static_cast<T>(f.node.attr_float("eps", 1e-5));
  if (f.saved.size() < kSavedCount) f.saved.resize(kSavedCount);
  f.saved[kXhat].resize(f.out.shape);
  f.saved[kInvStd].resize({static_cast<int>(groups)});
  RowMap<const T> gamma(f.params[0].ptr(), G), beta(f.params[1].ptr(), G);
  for (std::size_t g = 0; g < groups; ++g) {
    const std::size_t at = g * static_cast<std::size_t>(G);
    RowMap<const T> x(f.in[0]->ptr() + at, G);
    RowMap<T> xh(f.saved[kXhat].ptr() + at, G), y(f.out.ptr() + at, G);
    xh = x - x.mean();
    const T inv_std = T(1) / std::sqrt(xh.square().mean() + eps);
    f.saved[kInvStd][g] = inv_std;
    xh *= inv_std;
    y = gamma * xh + beta;
  }
}

template <typename T>
void LayerNormOp::backward(OpBackward<T>& b) {
  const auto G = static_cast<Eigen::Index>(group_size(b.node));
  const std::size_t groups = b.dout.size() / static_cast<std::size_t>(G);
  NAC_ASSERT(b.saved.size() == kSavedCount && b.saved[kInvStd].size() == groups);
  RowMap<const T> gamma(b.params[0].ptr(), G);
  RowMap<T> dgamma(b.dparams[0].ptr(), G), dbeta(b.dparams[1].ptr(), G);
  for (std::size_t g = 0; g < groups; ++g) {
    const std::size_t at = g * static_cast<std::size_t>(G);
    RowMap<const T> dy(b.dout.ptr() + at, G), xh(b.saved[kXhat].ptr() + at, G);
    dgamma += dy * xh;
    dbeta += dy;
    if (!b.din[0]) continue;
    // dx = inv_std * (dxhat - mean(dxhat) - xhat * mean(dxhat * xhat)), dxhat = dy * gamma
    const T mean_d = (dy * gamma).mean();
    const T mean_dx = (dy * gamma * xh).mean();
    RowMap<T>(b.din[0]->ptr() + at, G) +=
        b.saved[kInvStd][g] * (dy * gamma - mean_d - xh * mean_dx);
  }
}

OpCost LayerNormOp::cost(const Node&, const std::vector<Shape>& in) {
  // mean, variance, normalise, scale and shift per element
  return {{}, 4 * static_cast<long long>(shape_size(in[0]))};
}

NAC_INSTANTIATE_OP(LayerNormOp);

}  // namespace nac
