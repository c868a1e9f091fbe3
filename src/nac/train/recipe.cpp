#include "nac/train/recipe.hpp"

#include <cmath>

namespace nac {

nlohmann::ordered_json recipe_json(const TrainOptions& o) {
  nlohmann::ordered_json j;
  const auto& p = o.optimizer;
  j["optimizer"] = optimizer_name(p.kind);
  j["lr"] = p.lr;
  j["weight_decay"] = p.weight_decay;
  switch (p.kind) {
    case OptimizerKind::SGD:
      j["momentum"] = p.momentum;
      j["dampening"] = p.dampening;
      j["nesterov"] = p.nesterov;
      break;
    case OptimizerKind::Adam:
    case OptimizerKind::AdamW:
      j["betas"] = {p.beta1, p.beta2};
      j["eps"] = p.eps;
      break;
    case OptimizerKind::RMSprop:
      j["alpha"] = p.alpha;
      j["eps"] = p.eps;
      j["momentum"] = p.momentum;
      j["centered"] = p.centered;
      break;
  }
  const auto& s = o.schedule;
  nlohmann::ordered_json sj;
  sj["kind"] = schedule_name(s.kind);
  switch (s.kind) {
    case ScheduleKind::Constant:
      break;
    case ScheduleKind::Cosine:
      sj["eta_min"] = s.eta_min;
      sj["t_max"] = s.t_max > 0 ? s.t_max : o.epochs;
      break;
    case ScheduleKind::Step:
      sj["step_size"] = s.step_size;
      sj["gamma"] = s.gamma;
      break;
    case ScheduleKind::Exponential:
      sj["gamma"] = s.gamma;
      break;
    case ScheduleKind::Plateau:
      sj["factor"] = s.factor;
      sj["patience"] = s.patience;
      sj["threshold"] = s.threshold;
      sj["cooldown"] = s.cooldown;
      sj["min_lr"] = s.min_lr;
      break;
  }
  j["schedule"] = sj;
  j["loss"] = loss_name(o.loss);
  j["batch"] = o.batch_size;
  j["epochs"] = o.epochs;
  j["patience"] = o.patience;
  j["clip_norm"] = o.clip_norm;
  j["seed"] = o.seed;
  j["metric"] = metric_name(o.metric.kind);
  return j;
}

nlohmann::ordered_json metrics_json(const MetricValues& m) {
  nlohmann::ordered_json j = nlohmann::ordered_json::object();
  for (const auto& [k, v] : m.values) j[k] = std::isfinite(v) ? nlohmann::ordered_json(v) : nullptr;
  return j;
}

}  // namespace nac
