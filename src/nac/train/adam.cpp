#include "nac/train/adam.hpp"

#include <cmath>

namespace nac {
namespace {

struct AdamScalars {
  float wd, decay, w1, b2, w2, step_size, bc2_sqrt, eps;
};

// One branch-free loop per option combination so the compiler vectorises it (the scalar update up
// to which multiply-adds the compiler fuses: SIMD sqrt and division are correctly rounded).
// PyTorch's operation order.
template <bool kDecay, bool kDecoupled>
void adam_kernel(const AdamScalars& s, std::size_t n, float* __restrict value,
                 const float* __restrict grad, float* __restrict m, float* __restrict v) {
  for (std::size_t i = 0; i < n; ++i) {
    float g = grad[i];
    if constexpr (kDecay && kDecoupled) value[i] = value[i] * s.decay;
    if constexpr (kDecay && !kDecoupled) g = g + s.wd * value[i];
    m[i] = m[i] + s.w1 * (g - m[i]);
    v[i] = v[i] * s.b2 + s.w2 * g * g;
    const float denom = std::sqrt(v[i]) / s.bc2_sqrt + s.eps;
    value[i] = value[i] + (-s.step_size) * m[i] / denom;  // addcdiv's order
  }
}

}  // namespace

void Adam::update(const ParamSlot& p, std::vector<std::vector<float>>& state, long long t) {
  // Bias corrections in double, as PyTorch computes them in Python floats.
  const double bc1 = 1.0 - std::pow(opt_.beta1, static_cast<double>(t));
  const double bc2 = 1.0 - std::pow(opt_.beta2, static_cast<double>(t));
  const AdamScalars s{
      static_cast<float>(opt_.weight_decay), static_cast<float>(1.0 - opt_.lr * opt_.weight_decay),
      static_cast<float>(1.0 - opt_.beta1),  static_cast<float>(opt_.beta2),
      static_cast<float>(1.0 - opt_.beta2),  static_cast<float>(opt_.lr / bc1),
      static_cast<float>(std::sqrt(bc2)),    static_cast<float>(opt_.eps)};
  float* m = state[0].data();
  float* v = state[1].data();
  if (s.wd == 0)
    adam_kernel<false, false>(s, p.size, p.value, p.grad, m, v);
  else if (opt_.kind == OptimizerKind::AdamW)
    adam_kernel<true, true>(s, p.size, p.value, p.grad, m, v);
  else
    adam_kernel<true, false>(s, p.size, p.value, p.grad, m, v);
}

}  // namespace nac
