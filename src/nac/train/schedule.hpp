#pragma once
// Learning-rate schedules, stepped once per epoch like torch.optim.lr_scheduler: the closed forms
// of ConstantLR(factor 1), CosineAnnealingLR, StepLR, ExponentialLR, and ReduceLROnPlateau with
// PyTorch's defaults (relative threshold, cooldown 0, min_lr 0, eps 1e-8).
#include <string>

namespace nac {

enum class ScheduleKind { Constant, Cosine, Step, Exponential, Plateau };

const char* schedule_name(ScheduleKind k);
// Throws InputError naming `where` (constant, cosine, step, exponential, plateau).
ScheduleKind schedule_from_name(const std::string& name, const std::string& where);

struct ScheduleOptions {
  ScheduleKind kind = ScheduleKind::Constant;
  double eta_min = 0;  // cosine: the final learning rate
  int t_max = 0;       // cosine: epochs of one half period; 0 = the run's total epochs
  int step_size = 10;  // step: epochs between decays
  double gamma = 0.1;  // step, exponential: decay factor
  // plateau: multiply by `factor` after more than `patience` epochs without a relative improvement
  // of `threshold`; then wait `cooldown` epochs; never below min_lr.
  double factor = 0.1;
  int patience = 10;
  double threshold = 1e-4;
  int cooldown = 0;
  double min_lr = 0;
  bool maximize = false;  // plateau: the monitored value is better when larger (e.g. accuracy)
};

class LrSchedule {
 public:
  // Throws InputError for out-of-range options.
  LrSchedule(const ScheduleOptions& opt, double base_lr, int total_epochs);
  // The learning rate for the current epoch (0-based; epoch 0 uses base_lr).
  double lr() const { return lr_; }
  int epoch() const { return epoch_; }
  // Ends an epoch. `monitored` is the validation value that plateau watches (ignored otherwise).
  void step(double monitored);

 private:
  bool better(double a) const;
  ScheduleOptions opt_;
  double base_lr_, lr_;
  int t_max_;
  int epoch_ = 0;
  // plateau state
  double best_;
  int bad_epochs_ = 0, cooldown_left_ = 0;
};

}  // namespace nac
