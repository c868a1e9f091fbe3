#include "nac/train/schedule.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>

#include "nac/core/error.hpp"

namespace nac {

const char* schedule_name(ScheduleKind k) {
  switch (k) {
    case ScheduleKind::Constant:
      return "constant";
    case ScheduleKind::Cosine:
      return "cosine";
    case ScheduleKind::Step:
      return "step";
    case ScheduleKind::Exponential:
      return "exponential";
    case ScheduleKind::Plateau:
      return "plateau";
  }
  return "?";
}

ScheduleKind schedule_from_name(const std::string& name, const std::string& where) {
  for (auto k : {ScheduleKind::Constant, ScheduleKind::Cosine, ScheduleKind::Step,
                 ScheduleKind::Exponential, ScheduleKind::Plateau})
    if (name == schedule_name(k)) return k;
  throw InputError(where + ": unknown schedule '" + name +
                   "' (expected one of constant, cosine, step, exponential, plateau)");
}

LrSchedule::LrSchedule(const ScheduleOptions& opt, double base_lr, int total_epochs)
    : opt_(opt),
      base_lr_(base_lr),
      lr_(base_lr),
      t_max_(opt.t_max > 0 ? opt.t_max : total_epochs),
      best_(opt.maximize ? -std::numeric_limits<double>::infinity()
                         : std::numeric_limits<double>::infinity()) {
  if (opt.kind == ScheduleKind::Cosine && t_max_ < 1)
    throw InputError("schedule cosine: t_max (or the number of epochs) must be >= 1");
  if (opt.kind == ScheduleKind::Step && opt.step_size < 1)
    throw InputError("schedule step: step_size must be >= 1");
  if ((opt.kind == ScheduleKind::Step || opt.kind == ScheduleKind::Exponential) && !(opt.gamma > 0))
    throw InputError("schedule: gamma must be > 0");
  if (opt.kind == ScheduleKind::Plateau) {
    if (!(opt.factor > 0 && opt.factor < 1))
      throw InputError("schedule plateau: factor must be in (0, 1)");
    if (opt.patience < 0 || opt.cooldown < 0)
      throw InputError("schedule plateau: patience and cooldown must be >= 0");
    if (!(opt.threshold >= 0)) throw InputError("schedule plateau: threshold must be >= 0");
  }
}

bool LrSchedule::better(double a) const {
  // torch's rel threshold mode.
  return opt_.maximize ? a > best_ * (1.0 + opt_.threshold) : a < best_ * (1.0 - opt_.threshold);
}

void LrSchedule::step(double monitored) {
  ++epoch_;
  const double e = epoch_;
  switch (opt_.kind) {
    case ScheduleKind::Constant:
      break;
    case ScheduleKind::Cosine:
      lr_ = opt_.eta_min +
            (base_lr_ - opt_.eta_min) * (1.0 + std::cos(std::numbers::pi * e / t_max_)) / 2.0;
      break;
    case ScheduleKind::Step:
      lr_ = base_lr_ * std::pow(opt_.gamma, std::floor(e / opt_.step_size));
      break;
    case ScheduleKind::Exponential:
      lr_ = base_lr_ * std::pow(opt_.gamma, e);
      break;
    case ScheduleKind::Plateau: {
      if (better(monitored)) {
        best_ = monitored;
        bad_epochs_ = 0;
      } else {
        ++bad_epochs_;  // a NaN is never better, so it counts as a bad epoch (as in torch)
      }
      if (cooldown_left_ > 0) {
        --cooldown_left_;
        bad_epochs_ = 0;
      }
      if (bad_epochs_ > opt_.patience) {
        const double reduced = std::max(lr_ * opt_.factor, opt_.min_lr);
        if (lr_ - reduced > 1e-8) lr_ = reduced;
        cooldown_left_ = opt_.cooldown;
        bad_epochs_ = 0;
      }
      break;
    }
  }
}

}  // namespace nac
