#include "nac/compress/recipe_search.hpp"

#include <cmath>

#include "nac/compress/sampled_study.hpp"
#include "nac/train/schedule.hpp"

namespace nac {

SearchSpace recipe_space(const RecipeSearchOptions& opt, const TrainOptions& base) {
  SearchSpace s;
  s.name = "recipe";
  const double lo = opt.lr_low > 0 ? opt.lr_low : base.optimizer.lr / 10;
  const double hi = opt.lr_high > 0 ? opt.lr_high : base.optimizer.lr * 10;
  s.add(float_range_choice("lr", lo, hi, true));
  ChoiceSpec wd;
  wd.name = "weight_decay";
  wd.kind = ChoiceKind::Float;
  for (double v : opt.weight_decay) wd.values.emplace_back(v);
  s.add(wd);
  s.add(categorical_choice("schedule", opt.schedule));
  s.add(int_list_choice("batch", opt.batch));
  return s;
}

TrainOptions apply_recipe(const TrainOptions& base, const Genotype& g) {
  TrainOptions o = base;
  o.optimizer.lr = g.get_float("lr");
  o.optimizer.weight_decay = g.get_float("weight_decay");
  o.schedule = ScheduleOptions{};
  o.schedule.kind = schedule_from_name(g.get_str("schedule"), "recipe genotype");
  o.batch_size = static_cast<int>(g.get_int("batch"));
  return o;
}

RecipeSearchResult run_recipe_search(Storage& storage, const std::string& study,
                                     const CompressContext& ctx, const RecipeSearchOptions& opt,
                                     const TrainOptions& base,
                                     const std::function<void(const std::string&)>& log) {
  const SearchSpace space = recipe_space(opt, base);
  PrecisionSpec spec;
  spec.bits = opt.bits;
  spec.label = uniform_label(opt.bits);
  SampledStudyOptions so;
  so.name = study + ".recipe";
  so.objectives = {score_objective(base.metric.kind)};
  so.sampler = opt.sampler;
  so.population = opt.population;
  so.trials = opt.trials;
  so.seed = opt.seed;
  const std::string key = score_key(base.metric.kind);
  auto evaluate = [&](const Trial& t) -> std::optional<TrialOutcome> {
    const TrainOptions o = apply_recipe(base, t.genotype);
    const Candidate c = evaluate_candidate(ctx, spec, o);
    if (c.interrupted) return std::nullopt;
    TrialOutcome out;
    out.attrs["epochs_run"] = std::to_string(c.train.epochs_run);
    out.attrs["training_status"] = train_status_name(c.train.status);
    if (c.train.status == TrainStatus::Diverged) {
      out.state = TrialState::Failed;
      out.reason = "training diverged: " + c.train.message;
    } else {
      out.values = {c.metrics.values.at(key)};
      for (const auto& [k, v] : c.metrics.values) out.attrs["val_" + k] = attr_num(v);
    }
    char buf[256];
    std::snprintf(buf, sizeof buf, "recipe trial %d/%d: %s -> val %s %s", t.number + 1, opt.trials,
                  t.genotype.to_string().c_str(), key.c_str(),
                  out.values.empty() ? "diverged" : attr_num(out.values[0]).c_str());
    log(buf);
    return out;
  };
  const SampledStudyResult r = run_sampled_study(storage, space, so, evaluate, ctx.stop);
  RecipeSearchResult res;
  res.best = base;
  res.interrupted = r.interrupted;
  const bool maximize = so.objectives[0].direction == Direction::Maximize;
  for (const Trial& t : r.trials) {
    if (t.state != TrialState::Complete || t.values.empty() || std::isnan(t.values[0])) continue;
    ++res.trials;
    if (res.best_trial < 0 || score_better(t.values[0], res.best_score, maximize)) {
      res.best_trial = t.number;
      res.best_score = t.values[0];
      res.best = apply_recipe(base, t.genotype);
    }
  }
  return res;
}

}  // namespace nac
