#include "nac/train/adam.hpp"

#include <cmath>

namespace nac {

void Adam::update(const ParamSlot& p, std::vector<std::vector<float>>& state, long long t) {
  const bool decoupled = opt_.kind == OptimizerKind::AdamW;
  const float wd = static_cast<float>(opt_.weight_decay);
  const float decay = static_cast<float>(1.0 - opt_.lr * opt_.weight_decay);
  const float w1 = static_cast<float>(1.0 - opt_.beta1);
  const float b2 = static_cast<float>(opt_.beta2), w2 = static_cast<float>(1.0 - opt_.beta2);
  // Bias corrections in double, as PyTorch computes them in Python floats.
  const double bc1 = 1.0 - std::pow(opt_.beta1, static_cast<double>(t));
  const double bc2 = 1.0 - std::pow(opt_.beta2, static_cast<double>(t));
  const float step_size = static_cast<float>(opt_.lr / bc1);
  const float bc2_sqrt = static_cast<float>(std::sqrt(bc2));
  const float eps = static_cast<float>(opt_.eps);
  auto& m = state[0];
  auto& v = state[1];
  for (std::size_t i = 0; i < p.size; ++i) {
    float g = p.grad[i];
    if (wd != 0) {
      if (decoupled)
        p.value[i] = p.value[i] * decay;
      else
        g = g + wd * p.value[i];
    }
    m[i] = m[i] + w1 * (g - m[i]);
    v[i] = v[i] * b2 + w2 * g * g;
    const float denom = std::sqrt(v[i]) / bc2_sqrt + eps;
    p.value[i] = p.value[i] + (-step_size) * m[i] / denom;  // addcdiv's order
  }
}

}  // namespace nac
