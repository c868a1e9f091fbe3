#include "nac/train/rmsprop.hpp"

#include <cmath>

namespace nac {

void RmsProp::update(const ParamSlot& p, std::vector<std::vector<float>>& state, long long t) {
  (void)t;
  const float lr = static_cast<float>(opt_.lr), wd = static_cast<float>(opt_.weight_decay);
  const float alpha = static_cast<float>(opt_.alpha), w = static_cast<float>(1.0 - opt_.alpha);
  const float mu = static_cast<float>(opt_.momentum), eps = static_cast<float>(opt_.eps);
  auto& v = state[0];
  auto& avg = state[1];
  auto& buf = state[2];
  for (std::size_t i = 0; i < p.size; ++i) {
    float g = p.grad[i];
    if (wd != 0) g = g + wd * p.value[i];
    v[i] = v[i] * alpha + w * g * g;
    float var = v[i];
    if (opt_.centered) {
      avg[i] = avg[i] + w * (g - avg[i]);
      var = v[i] - avg[i] * avg[i];
    }
    const float denom = std::sqrt(var) + eps;
    if (mu > 0) {
      buf[i] = buf[i] * mu + g / denom;
      p.value[i] = p.value[i] + (-lr) * buf[i];
    } else {
      p.value[i] = p.value[i] + (-lr) * g / denom;  // addcdiv's order
    }
  }
}

}  // namespace nac
