#include "nac/config/train_options.hpp"

#include "nac/core/error.hpp"

namespace nac {
namespace {

ScheduleOptions parse_schedule(const config::YamlNode& n) {
  ScheduleOptions s;
  if (n.is_scalar()) {
    s.kind = schedule_from_name(n.as_string(), n.where());
    return s;
  }
  n.expect_keys({"kind", "eta_min", "t_max", "step_size", "gamma", "factor", "patience",
                 "threshold", "cooldown", "min_lr"});
  const auto kind = n["kind"];
  s.kind = schedule_from_name(kind.as_string(), kind.where());
  s.eta_min = n.get("eta_min", s.eta_min);
  s.t_max = n.get("t_max", s.t_max);
  s.step_size = n.get("step_size", s.step_size);
  s.gamma = n.get("gamma", s.gamma);
  s.factor = n.get("factor", s.factor);
  s.patience = n.get("patience", s.patience);
  s.threshold = n.get("threshold", s.threshold);
  s.cooldown = n.get("cooldown", s.cooldown);
  s.min_lr = n.get("min_lr", s.min_lr);
  return s;
}

void parse_metric(const config::YamlNode& n, MetricOptions& m) {
  n.expect_keys({"kind", "patch", "signal_efficiency"});
  const auto kind = n["kind"];
  m.kind = metric_from_name(kind.as_string(), kind.where());
  m.patch_size = n.get("patch", m.patch_size);
  m.signal_efficiency = n.get("signal_efficiency", m.signal_efficiency);
  if (auto p = n.find("patch"); p && !(m.patch_size > 0)) p->fail("expected a positive size");
  if (auto e = n.find("signal_efficiency");
      e && !(m.signal_efficiency > 0 && m.signal_efficiency <= 1))
    e->fail("expected a fraction in (0, 1]");
}

// Runs `f`, re-throwing its InputError with the node's location in front.
template <typename F>
void at(const config::YamlNode& n, F&& f) {
  try {
    f();
  } catch (const InputError& e) {
    n.fail(e.what());
  }
}

}  // namespace

TrainOptions parse_train_options(const std::optional<config::YamlNode>& train,
                                 const std::optional<config::YamlNode>& metric) {
  TrainOptions o;
  if (metric) parse_metric(*metric, o.metric);
  o.loss = o.metric.kind == MetricKind::Classification ? LossKind::CrossEntropy : LossKind::MSE;
  if (!train) return o;
  const auto& t = *train;
  t.expect_keys({"optimizer", "lr", "weight_decay", "momentum", "dampening", "nesterov", "betas",
                 "eps", "alpha", "centered", "schedule", "loss", "batch", "eval_batch", "epochs",
                 "patience", "clip_norm", "seed"});
  auto& opt = o.optimizer;
  if (auto k = t.find("optimizer")) opt.kind = optimizer_from_name(k->as_string(), k->where());
  opt.lr = t.get("lr", opt.lr);
  opt.weight_decay = t.get("weight_decay", opt.weight_decay);
  opt.momentum = t.get("momentum", opt.momentum);
  opt.dampening = t.get("dampening", opt.dampening);
  opt.nesterov = t.get("nesterov", opt.nesterov);
  opt.eps = t.get("eps", opt.eps);
  opt.alpha = t.get("alpha", opt.alpha);
  opt.centered = t.get("centered", opt.centered);
  if (auto b = t.find("betas")) {
    const auto items = b->items();
    if (items.size() != 2) b->fail("expected two numbers [beta1, beta2]");
    opt.beta1 = items[0].as_double();
    opt.beta2 = items[1].as_double();
  }
  if (auto s = t.find("schedule")) o.schedule = parse_schedule(*s);
  if (auto l = t.find("loss")) o.loss = loss_from_name(l->as_string(), l->where());
  o.batch_size = t.get("batch", o.batch_size);
  o.eval_batch_size = t.get("eval_batch", o.eval_batch_size);
  o.epochs = t.get("epochs", o.epochs);
  o.patience = t.get("patience", o.patience);
  o.clip_norm = t.get("clip_norm", o.clip_norm);
  o.seed = t.get_seed("seed", o.seed);

  auto check = [&](const char* key, bool ok, const char* expected) {
    if (auto v = t.find(key); v && !ok) v->fail(std::string("expected ") + expected);
  };
  check("lr", opt.lr >= 0, "a learning rate >= 0");
  check("weight_decay", opt.weight_decay >= 0, "a weight decay >= 0");
  check("momentum", opt.momentum >= 0, "a momentum >= 0");
  check("batch", o.batch_size >= 1, "a batch size >= 1");
  check("eval_batch", o.eval_batch_size >= 1, "a batch size >= 1");
  check("epochs", o.epochs >= 1, "a number of epochs >= 1");
  check("patience", o.patience >= 0, "a patience >= 0 (0 = no early stopping)");
  check("clip_norm", o.clip_norm >= 0, "a norm >= 0 (0 = no clipping)");

  // The loss must fit the metric: classification scores logits, peak distance coordinates.
  const bool ce = o.loss == LossKind::CrossEntropy;
  const bool cls = o.metric.kind == MetricKind::Classification;
  if (ce != cls && o.metric.kind != MetricKind::Loss) {
    const auto where = t.find("loss") ? *t.find("loss") : t;
    where.fail(std::string("loss '") + loss_name(o.loss) + "' does not fit metric '" +
               metric_name(o.metric.kind) + "' (classification needs cross_entropy; " +
               "peak_distance needs mse or l1)");
  }
  at(t, [&] { validate(o); });
  return o;
}

}  // namespace nac
