#pragma once
// torch.optim.Adam and AdamW (decoupled weight decay: p *= 1 - lr*wd before the Adam step; Adam
// instead adds wd*p to the gradient). m = lerp(m, g, 1-b1); v = b2*v + (1-b2)*g^2;
// p -= (lr / (1-b1^t)) * m / (sqrt(v) / sqrt(1-b2^t) + eps).
#include "nac/train/optimizer.hpp"

namespace nac {

class Adam : public Optimizer {
 public:
  using Optimizer::Optimizer;

 protected:
  void update(const ParamSlot& p, std::vector<std::vector<float>>& state, long long t) override;
  int state_size() const override { return 2; }
};

}  // namespace nac
