#pragma once
// Optimisers with exactly PyTorch's update equations (torch.optim, single-tensor path, float32
// arithmetic with the scalar hyper-parameters rounded to float), so that a run here and the same
// run in PyTorch follow the same trajectory up to summation-order rounding.
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

namespace nac {

enum class OptimizerKind { SGD, Adam, AdamW, RMSprop };

const char* optimizer_name(OptimizerKind k);
// Throws InputError naming `where` for an unknown spelling (sgd, adam, adamw, rmsprop).
OptimizerKind optimizer_from_name(const std::string& name, const std::string& where);

// Hyper-parameters; each optimiser reads the ones it uses. Defaults are PyTorch's, except
// weight_decay, which make_optimizer() leaves at 0 for AdamW too (the config sets it explicitly).
struct OptimizerOptions {
  OptimizerKind kind = OptimizerKind::Adam;
  double lr = 1e-3;
  double weight_decay = 0;  // SGD/Adam/RMSprop: L2 added to the gradient; AdamW: decoupled
  double momentum = 0;      // SGD, RMSprop
  double dampening = 0;     // SGD
  bool nesterov = false;    // SGD
  double beta1 = 0.9;       // Adam, AdamW
  double beta2 = 0.999;     // Adam, AdamW
  double eps = 1e-8;        // Adam, AdamW, RMSprop
  double alpha = 0.99;      // RMSprop smoothing constant
  bool centered = false;    // RMSprop
};

// One parameter tensor: its values (updated in place) and its gradient.
struct ParamSlot {
  float* value;
  const float* grad;
  std::size_t size;
};

class Optimizer {
 public:
  explicit Optimizer(const OptimizerOptions& opt) : opt_(opt) {}
  virtual ~Optimizer() = default;
  // One update of every slot. Pass the same slots (same order and sizes) on every call; the
  // per-slot state (moments, buffers) is created on the first call.
  void step(const std::vector<ParamSlot>& slots);
  // Forgets all state (as a freshly constructed optimiser).
  void reset();
  double lr() const { return opt_.lr; }
  void set_lr(double lr) { opt_.lr = lr; }
  const OptimizerOptions& options() const { return opt_; }
  long long steps() const { return steps_; }

 protected:
  // Updates slot `i` at step t (1-based); `state` holds state_size() vectors of the slot's size.
  virtual void update(const ParamSlot& p, std::vector<std::vector<float>>& state, long long t) = 0;
  virtual int state_size() const = 0;
  OptimizerOptions opt_;

 private:
  std::vector<std::vector<std::vector<float>>> state_;
  long long steps_ = 0;
};

std::unique_ptr<Optimizer> make_optimizer(const OptimizerOptions& opt);

}  // namespace nac
