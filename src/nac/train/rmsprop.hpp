#pragma once
// torch.optim.RMSprop: g += wd*p; v = alpha*v + (1-alpha)*g^2; (centered: a = alpha*a +
// (1-alpha)*g, v~ = v - a^2); d = sqrt(v~) + eps; with momentum b = mu*b + g/d, p -= lr*b;
// else p -= lr*g/d.
#include "nac/train/optimizer.hpp"

namespace nac {

class RmsProp : public Optimizer {
 public:
  using Optimizer::Optimizer;

 protected:
  void update(const ParamSlot& p, std::vector<std::vector<float>>& state, long long t) override;
  int state_size() const override { return 3; }
};

}  // namespace nac
