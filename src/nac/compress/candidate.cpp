#include "nac/compress/candidate.hpp"

#include <cstdio>

#include "nac/compress/evaluate.hpp"

namespace nac {

Candidate evaluate_candidate(const CompressContext& ctx, const PrecisionSpec& spec,
                             const TrainOptions& opt, const Trainer::EpochCallback& progress) {
  Candidate c;
  c.graph = ctx.float_graph;
  quantize_for(c.graph, spec, ctx.quant, ctx.stats);
  QatTrainHooks hooks;
  hooks.augmentation = ctx.augmentation;
  hooks.on_epoch = [&](const EpochStats& s) {
    if (progress && !progress(s)) return false;
    return !ctx.stop.load();
  };
  c.train = qat_train(c.graph, spec, opt, ctx.data, hooks);
  c.interrupted = ctx.stop.load();
  if (!c.interrupted) c.metrics = evaluate_emulated(c.graph, ctx.data.val, opt);
  return c;
}

std::string score_key(MetricKind kind) {
  switch (kind) {
    case MetricKind::PeakDistance:
      return "mean_px";
    case MetricKind::Classification:
      return "accuracy";
    case MetricKind::Loss:
      return "loss";
  }
  return "loss";
}

Objective score_objective(MetricKind kind) {
  return {"val_" + score_key(kind),
          metric_maximizes(kind) ? Direction::Maximize : Direction::Minimize};
}

std::string attr_num(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

}  // namespace nac
