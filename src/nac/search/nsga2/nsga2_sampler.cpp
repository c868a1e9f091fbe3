#include "nac/search/nsga2/nsga2_sampler.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "nac/core/error.hpp"
#include "nac/core/rng.hpp"
#include "nac/search/nsga2/crossover.hpp"
#include "nac/search/nsga2/mutation.hpp"
#include "nac/search/nsga2/selection.hpp"
#include "nac/search/nsga2/tournament.hpp"

namespace nac {

Nsga2Sampler::Nsga2Sampler(Nsga2Options options) : options_(options) {
  if (options_.population_size < 2) throw InputError("NSGA-II needs a population size >= 2");
  if (options_.crossover_prob < 0 || options_.crossover_prob > 1 || options_.swap_prob < 0 ||
      options_.swap_prob > 1)
    throw InputError("NSGA-II crossover and swap probabilities must lie in [0, 1]");
}

void Nsga2Sampler::update_info(const SamplerContext& ctx) {
  if (info_.size() < ctx.trials.size()) info_.resize(ctx.trials.size());
  for (std::size_t i = 0; i < ctx.trials.size(); ++i) {
    Info& in = info_[i];
    if (in.final) continue;
    const Trial& t = ctx.trials[i];
    in = Info{};
    const auto it = t.attrs.find(kGenerationAttr);
    if (it != t.attrs.end()) in.generation = std::atoi(it->second.c_str());
    in.hash = t.genotype.hash();
    in.complete = t.state == TrialState::Complete && t.values.size() == ctx.objectives.size();
    if (in.complete) {
      in.minimized = as_minimization(t.values, ctx.objectives);
      for (auto& v : in.minimized)  // a NaN objective is the worst value, not incomparable
        if (std::isnan(v)) v = std::numeric_limits<double>::infinity();
      in.violation = total_violation(t, ctx.objectives, ctx.constraints);
    }
    in.final = is_finished(t.state);
    if (in.final) seen_hashes_.insert(in.hash);
  }
}

Nsga2Sampler::Parents Nsga2Sampler::parents(const SamplerContext& ctx) {
  update_info(ctx);
  std::map<int, std::vector<int>> by_gen;
  for (std::size_t i = 0; i < ctx.trials.size(); ++i)
    if (info_[i].complete) by_gen[info_[i].generation].push_back(static_cast<int>(i));
  const auto pop = static_cast<std::size_t>(options_.population_size);
  Parents parents;
  for (int g = 0;; ++g) {
    const auto it = by_gen.find(g);
    if (it == by_gen.end() || it->second.size() < pop) break;
    std::vector<int> candidates = it->second;
    for (int n : parents.numbers)
      if (std::find(candidates.begin(), candidates.end(), n) == candidates.end())
        candidates.push_back(n);
    auto& slot = cache_[g];
    if (slot.first != candidates || slot.second.generation != g) {
      std::vector<std::vector<double>> points;
      std::vector<double> violations;
      for (int n : candidates) {
        points.push_back(info_[static_cast<std::size_t>(n)].minimized);
        violations.push_back(info_[static_cast<std::size_t>(n)].violation);
      }
      const auto ranked = nsga2::select_survivors(points, violations, pop);
      Parents p;
      p.generation = g;
      for (int idx : ranked.chosen) p.numbers.push_back(candidates[static_cast<std::size_t>(idx)]);
      p.rank = ranked.rank;
      p.crowding = ranked.crowding;
      slot = {candidates, p};
    }
    parents = slot.second;
  }
  return parents;
}

Proposal Nsga2Sampler::propose(const SamplerContext& ctx, Rng& rng) {
  const Parents p = parents(ctx);
  for (std::size_t i = 0; i < ctx.trials.size(); ++i)
    if (!info_[i].final) seen_hashes_.insert(info_[i].hash);  // running and waiting ones too
  Proposal out;
  out.attrs[kGenerationAttr] = std::to_string(p.generation + 1);
  for (int attempt = 0;; ++attempt) {
    if (p.generation < 0) {
      out.genotype = sample(ctx.space, rng);
    } else {
      const int a = nsga2::binary_tournament(p.rank, p.crowding, rng);
      const int b = nsga2::binary_tournament(p.rank, p.crowding, rng);
      const Genotype& ga =
          ctx.trials[static_cast<std::size_t>(p.numbers[static_cast<std::size_t>(a)])].genotype;
      const Genotype& gb =
          ctx.trials[static_cast<std::size_t>(p.numbers[static_cast<std::size_t>(b)])].genotype;
      Genotype child = rng.uniform() < options_.crossover_prob
                           ? nsga2::uniform_crossover(ctx.space, ga, gb, options_.swap_prob, rng)
                           : repair(ctx.space, ga, rng);
      out.genotype = nsga2::mutate(ctx.space, child, options_.mutation_rate, options_.eta, rng);
    }
    if (attempt >= options_.duplicate_retries || !seen_hashes_.count(out.genotype.hash())) break;
  }
  return out;
}

}  // namespace nac
