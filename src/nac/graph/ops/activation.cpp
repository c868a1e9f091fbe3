#include "nac/graph/ops/activation.hpp"

#include <array>
#include <cmath>
#include <numbers>

#include "nac/core/error.hpp"

namespace nac {
namespace {

constexpr std::array<const char*, 6> kActNames = {"identity", "relu",    "leaky_relu",
                                                  "gelu",     "sigmoid", "tanh"};

}  // namespace

ActFn act_from_name(const std::string& name, const std::string& where) {
  for (std::size_t i = 0; i < kActNames.size(); ++i)
    if (name == kActNames[i]) return static_cast<ActFn>(i);
  if (name == "none" || name.empty()) return ActFn::Identity;
  throw InputError(where + ": unknown activation '" + name +
                   "' (known: identity/none, relu, leaky_relu, gelu, sigmoid, tanh)");
}

const char* act_name(ActFn fn) { return kActNames[static_cast<std::size_t>(fn)]; }

Activation activation_of(const Node& n, const std::string& fn_key) {
  Activation a;
  a.fn = act_from_name(n.attr_str(fn_key, "identity"), "node '" + n.name + "'");
  a.alpha = n.attr_float("alpha", 0.01);
  return a;
}

template <typename T>
void act_forward(const Activation& a, const T* x, T* y, std::size_t n) {
  const T alpha = static_cast<T>(a.alpha);
  switch (a.fn) {
    case ActFn::Identity:
      if (x != y) std::copy(x, x + n, y);
      break;
    case ActFn::ReLU:
      for (std::size_t i = 0; i < n; ++i) y[i] = x[i] > T(0) ? x[i] : T(0);
      break;
    case ActFn::LeakyReLU:
      for (std::size_t i = 0; i < n; ++i) y[i] = x[i] > T(0) ? x[i] : alpha * x[i];
      break;
    case ActFn::GELU: {
      const T inv_sqrt2 = static_cast<T>(1.0 / std::numbers::sqrt2);
      for (std::size_t i = 0; i < n; ++i)
        y[i] = T(0.5) * x[i] * (T(1) + std::erf(x[i] * inv_sqrt2));
      break;
    }
    case ActFn::Sigmoid:
      for (std::size_t i = 0; i < n; ++i) y[i] = T(1) / (T(1) + std::exp(-x[i]));
      break;
    case ActFn::Tanh:
      for (std::size_t i = 0; i < n; ++i) y[i] = std::tanh(x[i]);
      break;
  }
}

namespace {

// The derivative loops, written once for both modes (Acc: dx +=, else dx =).
template <bool Acc, typename T>
void act_backward_into(const Activation& a, const T* x, const T* y, const T* dy, T* dx,
                       std::size_t n) {
  const auto put = [dx](std::size_t i, T v) {
    if constexpr (Acc)
      dx[i] += v;
    else
      dx[i] = v;
  };
  const T alpha = static_cast<T>(a.alpha);
  switch (a.fn) {
    case ActFn::Identity:
      for (std::size_t i = 0; i < n; ++i) put(i, dy[i]);
      break;
    case ActFn::ReLU:
      for (std::size_t i = 0; i < n; ++i) put(i, x[i] > T(0) ? dy[i] : T(0));
      break;
    case ActFn::LeakyReLU:
      for (std::size_t i = 0; i < n; ++i) put(i, x[i] > T(0) ? dy[i] : alpha * dy[i]);
      break;
    case ActFn::GELU: {
      const T inv_sqrt2 = static_cast<T>(1.0 / std::numbers::sqrt2);
      const T inv_sqrt2pi = static_cast<T>(1.0 / std::sqrt(2.0 * std::numbers::pi));
      for (std::size_t i = 0; i < n; ++i) {
        const T cdf = T(0.5) * (T(1) + std::erf(x[i] * inv_sqrt2));
        const T pdf = inv_sqrt2pi * std::exp(T(-0.5) * x[i] * x[i]);
        put(i, dy[i] * (cdf + x[i] * pdf));
      }
      break;
    }
    case ActFn::Sigmoid:
      for (std::size_t i = 0; i < n; ++i) put(i, dy[i] * y[i] * (T(1) - y[i]));
      break;
    case ActFn::Tanh:
      for (std::size_t i = 0; i < n; ++i) put(i, dy[i] * (T(1) - y[i] * y[i]));
      break;
  }
}

}  // namespace

template <typename T>
void act_backward(const Activation& a, const T* x, const T* y, const T* dy, T* dx, std::size_t n,
                  bool accumulate) {
  if (accumulate)
    act_backward_into<true>(a, x, y, dy, dx, n);
  else
    act_backward_into<false>(a, x, y, dy, dx, n);
}

template void act_forward<float>(const Activation&, const float*, float*, std::size_t);
template void act_forward<double>(const Activation&, const double*, double*, std::size_t);
template void act_backward<float>(const Activation&, const float*, const float*, const float*,
                                  float*, std::size_t, bool);
template void act_backward<double>(const Activation&, const double*, const double*, const double*,
                                   double*, std::size_t, bool);

Shape ActivationOp::infer(const Node& n, const std::vector<Shape>& in) {
  if (in.size() != 1) shape_error(n, in, "expects exactly one input");
  activation_of(n);  // validates the name
  return in[0];
}

template <typename T>
void ActivationOp::forward(OpForward<T>& f) {
  act_forward(activation_of(f.node), f.in[0]->ptr(), f.out.ptr(), f.out.size());
}

template <typename T>
void ActivationOp::backward(OpBackward<T>& b) {
  if (!b.din[0]) return;
  act_backward(activation_of(b.node), b.in[0]->ptr(), b.out.ptr(), b.dout.ptr(), b.din[0]->ptr(),
               b.dout.size());
}

OpCost ActivationOp::cost(const Node& n, const std::vector<Shape>& in) {
  (void)n;
  return {{}, static_cast<long long>(shape_size(in[0]))};
}

NAC_INSTANTIATE_OP(ActivationOp);

}  // namespace nac
