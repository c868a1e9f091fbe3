#pragma once
// torch.optim.SGD: g += wd*p; b = g (first step) or mu*b + (1-dampening)*g; g = g + mu*b
// (Nesterov) or b; p -= lr*g.
#include "nac/train/optimizer.hpp"

namespace nac {

class Sgd : public Optimizer {
 public:
  using Optimizer::Optimizer;

 protected:
  void update(const ParamSlot& p, std::vector<std::vector<float>>& state, long long t) override;
  int state_size() const override { return opt_.momentum != 0 ? 1 : 0; }
};

}  // namespace nac
