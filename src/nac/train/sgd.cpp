#include "nac/train/sgd.hpp"

namespace nac {

void Sgd::update(const ParamSlot& p, std::vector<std::vector<float>>& state, long long t) {
  const float lr = static_cast<float>(opt_.lr), wd = static_cast<float>(opt_.weight_decay);
  const float mu = static_cast<float>(opt_.momentum);
  const float keep = static_cast<float>(1.0 - opt_.dampening);
  for (std::size_t i = 0; i < p.size; ++i) {
    float g = p.grad[i];
    if (wd != 0) g = g + wd * p.value[i];
    if (mu != 0) {
      float& b = state[0][i];
      b = t == 1 ? g : mu * b + keep * g;  // PyTorch starts the buffer at the first gradient
      g = opt_.nesterov ? g + mu * b : b;
    }
    p.value[i] = p.value[i] + (-lr) * g;
  }
}

}  // namespace nac
