#include "nac/compress/layer_search.hpp"

#include <algorithm>
#include <cmath>

#include "nac/compress/sampled_study.hpp"
#include "nac/cost/summary.hpp"
#include "nac/search/study_summary.hpp"

namespace nac {

SearchSpace layer_width_space(const Graph& g, const std::vector<int>& widths) {
  SearchSpace s;
  s.name = "layer_widths";
  const std::vector<std::int64_t> w(widths.begin(), widths.end());
  for (const auto& layer : weighted_layers(g)) s.add(int_list_choice("bits." + layer, w));
  return s;
}

PrecisionSpec layer_width_spec(const Graph& g, const Genotype& genotype, const std::string& label) {
  PrecisionSpec p;
  p.label = label;
  const auto layers = weighted_layers(g);
  for (const auto& layer : layers)
    p.layers[layer].bits = static_cast<int>(genotype.get_int("bits." + layer));
  p.bits = layers.empty() ? 8 : p.layers[layers.front()].bits;
  return p;
}

std::vector<int> spread_indices(int front_size, int keep) {
  std::vector<int> out;
  if (front_size <= 0 || keep <= 0) return out;
  if (keep >= front_size) {
    for (int i = 0; i < front_size; ++i) out.push_back(i);
    return out;
  }
  if (keep == 1) return {front_size - 1};  // the most accurate
  for (int i = 0; i < keep; ++i) {
    const int k = static_cast<int>(
        std::lround(static_cast<double>(i) * (front_size - 1) / static_cast<double>(keep - 1)));
    if (out.empty() || out.back() != k) out.push_back(k);
  }
  return out;
}

LayerSearchResult run_layer_search(Storage& storage, const std::string& study,
                                   const CompressContext& ctx, const LayerSearchOptions& opt,
                                   const TrainOptions& train,
                                   const std::function<void(const std::string&)>& log) {
  const Graph& g = ctx.float_graph;
  const SearchSpace space = layer_width_space(g, opt.widths);
  SampledStudyOptions so;
  so.name = study + ".layers";
  so.objectives = {score_objective(train.metric.kind), {"bops", Direction::Minimize}};
  so.sampler = opt.sampler;
  so.population = opt.population;
  so.trials = opt.trials;
  so.seed = opt.seed;
  const auto [lo, hi] = std::minmax_element(opt.widths.begin(), opt.widths.end());
  for (int b : {*hi, *lo}) {
    Genotype u;
    for (const auto& c : space.choices) u.set(c.name, std::int64_t{b});
    so.seeds.emplace_back("uniform" + std::to_string(b), u);
  }
  const std::string key = score_key(train.metric.kind);
  auto evaluate = [&](const Trial& t) -> std::optional<TrialOutcome> {
    const PrecisionSpec spec =
        layer_width_spec(g, t.genotype, "mixed_t" + std::to_string(t.number));
    const Candidate c = evaluate_candidate(ctx, spec, train);
    if (c.interrupted) return std::nullopt;
    TrialOutcome out;
    const auto costs = cost_summary(c.graph);
    for (const auto& [k, v] : costs) out.attrs[k] = attr_num(v);
    out.attrs["epochs_run"] = std::to_string(c.train.epochs_run);
    out.attrs["training_status"] = train_status_name(c.train.status);
    for (const auto& [k, v] : c.metrics.values) out.attrs["val_" + k] = attr_num(v);
    out.values = {c.metrics.values.at(key), costs.at("bops")};
    char buf[512];
    std::snprintf(buf, sizeof buf, "layer search trial %d/%d: %s -> val %s %.5g, BOPs %.4g",
                  t.number + 1, std::max(opt.trials, t.number + 1), t.genotype.to_string().c_str(),
                  key.c_str(), out.values[0], out.values[1]);
    log(buf);
    return out;
  };
  const SampledStudyResult r = run_sampled_study(storage, space, so, evaluate, ctx.stop);
  LayerSearchResult res;
  res.interrupted = r.interrupted;
  const auto feasible = feasible_complete(r.trials, so.objectives);
  res.trials = static_cast<int>(feasible.size());
  auto front = pareto_front(feasible, so.objectives);
  std::sort(front.begin(), front.end(), [](const Trial* a, const Trial* b) {
    return a->values[1] != b->values[1] ? a->values[1] < b->values[1] : a->number < b->number;
  });
  res.front = static_cast<int>(front.size());
  for (int i : spread_indices(res.front, opt.keep)) {
    const Trial* t = front[static_cast<std::size_t>(i)];
    res.chosen.push_back(layer_width_spec(g, t->genotype, "mixed_t" + std::to_string(t->number)));
  }
  return res;
}

}  // namespace nac
