#include "nac/train/optimizer.hpp"

#include "nac/core/error.hpp"
#include "nac/train/adam.hpp"
#include "nac/train/rmsprop.hpp"
#include "nac/train/sgd.hpp"

namespace nac {

const char* optimizer_name(OptimizerKind k) {
  switch (k) {
    case OptimizerKind::SGD:
      return "sgd";
    case OptimizerKind::Adam:
      return "adam";
    case OptimizerKind::AdamW:
      return "adamw";
    case OptimizerKind::RMSprop:
      return "rmsprop";
  }
  return "?";
}

OptimizerKind optimizer_from_name(const std::string& name, const std::string& where) {
  for (auto k :
       {OptimizerKind::SGD, OptimizerKind::Adam, OptimizerKind::AdamW, OptimizerKind::RMSprop})
    if (name == optimizer_name(k)) return k;
  throw InputError(where + ": unknown optimizer '" + name +
                   "' (expected one of sgd, adam, adamw, rmsprop)");
}

void Optimizer::step(const std::vector<ParamSlot>& slots) {
  if (state_.empty()) {
    state_.resize(slots.size());
    for (std::size_t i = 0; i < slots.size(); ++i)
      state_[i].assign(static_cast<std::size_t>(state_size()), std::vector<float>(slots[i].size));
  }
  NAC_ASSERT(state_.size() == slots.size());
  ++steps_;
  for (std::size_t i = 0; i < slots.size(); ++i) {
    NAC_ASSERT(state_[i].empty() || state_[i][0].size() == slots[i].size);
    update(slots[i], state_[i], steps_);
  }
}

void Optimizer::reset() {
  state_.clear();
  steps_ = 0;
}

std::unique_ptr<Optimizer> make_optimizer(const OptimizerOptions& opt) {
  if (!(opt.lr >= 0)) throw InputError("optimizer: lr must be >= 0");
  if (!(opt.weight_decay >= 0)) throw InputError("optimizer: weight_decay must be >= 0");
  if (!(opt.momentum >= 0)) throw InputError("optimizer: momentum must be >= 0");
  if (!(opt.eps >= 0)) throw InputError("optimizer: eps must be >= 0");
  switch (opt.kind) {
    case OptimizerKind::SGD:
      if (opt.nesterov && (opt.momentum <= 0 || opt.dampening != 0))
        throw InputError("optimizer: Nesterov momentum requires momentum > 0 and dampening 0");
      return std::make_unique<Sgd>(opt);
    case OptimizerKind::Adam:
    case OptimizerKind::AdamW:
      if (!(opt.beta1 >= 0 && opt.beta1 < 1 && opt.beta2 >= 0 && opt.beta2 < 1))
        throw InputError("optimizer: betas must be in [0, 1)");
      return std::make_unique<Adam>(opt);
    case OptimizerKind::RMSprop:
      if (!(opt.alpha >= 0)) throw InputError("optimizer: alpha must be >= 0");
      return std::make_unique<RmsProp>(opt);
  }
  NAC_ASSERT(false);
}

}  // namespace nac
