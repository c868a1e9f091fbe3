#include "nac/graph/ops/aggregate.hpp"

#include <algorithm>

namespace nac {
namespace {

enum class AggFn { Mean, Max, Sum };

AggFn agg_fn(const Node& n, const std::vector<Shape>& in) {
  const std::string fn = n.attr_str("fn", "mean");
  if (fn == "mean") return AggFn::Mean;
  if (fn == "max") return AggFn::Max;
  if (fn == "sum") return AggFn::Sum;
  shape_error(n, in, "attribute 'fn' must be \"mean\", \"max\" or \"sum\", not \"" + fn + "\"");
}

}  // namespace

Shape AggregateOp::infer(const Node& n, const std::vector<Shape>& in) {
  if (in.size() != 1) shape_error(n, in, "expects exactly one input");
  if (in[0].size() != 2) shape_error(n, in, "expects a set [n, F]");
  agg_fn(n, in);
  return {in[0][1]};
}

template <typename T>
void AggregateOp::forward(OpForward<T>& f) {
  const AggFn fn = agg_fn(f.node, {});
  const auto elems = static_cast<std::size_t>(f.in[0]->dim(1));
  const auto F = static_cast<std::size_t>(f.node.shape[0]);
  for (int s = 0; s < f.batch; ++s) {
    const T* x = f.in[0]->ptr() + static_cast<std::size_t>(s) * elems * F;
    T* y = f.out.ptr() + static_cast<std::size_t>(s) * F;
    std::copy(x, x + F, y);
    for (std::size_t e = 1; e < elems; ++e) {
      const T* xe = x + e * F;
      if (fn == AggFn::Max)
        for (std::size_t j = 0; j < F; ++j) y[j] = std::max(y[j], xe[j]);
      else
        for (std::size_t j = 0; j < F; ++j) y[j] += xe[j];
    }
    if (fn == AggFn::Mean)
      for (std::size_t j = 0; j < F; ++j) y[j] /= static_cast<T>(elems);
  }
}

template <typename T>
void AggregateOp::backward(OpBackward<T>& b) {
  if (!b.din[0]) return;
  const AggFn fn = agg_fn(b.node, {});
  const auto elems = static_cast<std::size_t>(b.in[0]->dim(1));
  const auto F = static_cast<std::size_t>(b.node.shape[0]);
  const T scale = fn == AggFn::Mean ? T(1) / static_cast<T>(elems) : T(1);
  for (int s = 0; s < b.batch; ++s) {
    const T* x = b.in[0]->ptr() + static_cast<std::size_t>(s) * elems * F;
    const T* y = b.out.ptr() + static_cast<std::size_t>(s) * F;
    const T* dy = b.dout.ptr() + static_cast<std::size_t>(s) * F;
    T* dx = b.din[0]->ptr() + static_cast<std::size_t>(s) * elems * F;
    if (fn != AggFn::Max) {
      for (std::size_t e = 0; e < elems; ++e)
        for (std::size_t j = 0; j < F; ++j) dx[e * F + j] += scale * dy[j];
      continue;
    }
    // The output is an exact copy of the winning input, so the first equal element is the argmax.
    for (std::size_t j = 0; j < F; ++j) {
      std::size_t e = 0;
      while (e + 1 < elems && x[e * F + j] != y[j]) ++e;
      dx[e * F + j] += dy[j];
    }
  }
}

OpCost AggregateOp::cost(const Node&, const std::vector<Shape>& in) {
  return {{}, static_cast<long long>(shape_size(in[0]))};
}

NAC_INSTANTIATE_OP(AggregateOp);

}  // namespace nac
