#include "nac/search/study_summary.hpp"

#include <cmath>

#include "nac/search/hypervolume.hpp"
#include "nac/search/nsga2/non_dominated_sort.hpp"
#include "nac/search/sampler.hpp"

namespace nac {

std::vector<const Trial*> feasible_complete(const std::vector<Trial>& trials,
                                            const std::vector<Objective>& objectives,
                                            const std::vector<Constraint>& constraints) {
  std::vector<const Trial*> out;
  for (const auto& t : trials) {
    if (t.state != TrialState::Complete || t.values.size() != objectives.size()) continue;
    bool finite = true;
    for (double v : t.values) finite = finite && std::isfinite(v);
    if (!finite) continue;
    if (!constraints.empty() && total_violation(t, objectives, constraints) > 0) continue;
    out.push_back(&t);
  }
  return out;
}

namespace {

std::vector<std::vector<double>> minimized(const std::vector<const Trial*>& c,
                                           const std::vector<Objective>& objectives) {
  std::vector<std::vector<double>> pts;
  for (const Trial* t : c) pts.push_back(as_minimization(t->values, objectives));
  return pts;
}

}  // namespace

std::vector<const Trial*> pareto_front(const std::vector<const Trial*>& candidates,
                                       const std::vector<Objective>& objectives) {
  if (candidates.empty()) return {};
  const auto fronts = nsga2::non_dominated_sort(minimized(candidates, objectives));
  std::vector<const Trial*> out;
  for (int i : fronts.front()) out.push_back(candidates[static_cast<std::size_t>(i)]);
  return out;
}

std::vector<double> auto_reference(const std::vector<const Trial*>& candidates,
                                   const std::vector<Objective>& objectives) {
  if (candidates.empty()) return {};
  const auto pts = minimized(candidates, objectives);
  std::vector<double> ref(objectives.size());
  for (std::size_t j = 0; j < objectives.size(); ++j) {
    double lo = pts[0][j], hi = pts[0][j];
    for (const auto& p : pts) {
      lo = std::min(lo, p[j]);
      hi = std::max(hi, p[j]);
    }
    const double margin = hi > lo ? 0.1 * (hi - lo) : std::max(0.1 * std::fabs(hi), 1e-12);
    const double worst = hi + margin;
    ref[j] = objectives[j].direction == Direction::Maximize ? -worst : worst;
  }
  return ref;
}

double front_hypervolume(const std::vector<const Trial*>& candidates,
                         const std::vector<Objective>& objectives,
                         const std::vector<double>& reference) {
  if (candidates.empty() || reference.size() != objectives.size()) return 0;
  return hypervolume(minimized(candidates, objectives), as_minimization(reference, objectives));
}

std::vector<std::pair<int, double>> hypervolume_history(const std::vector<const Trial*>& candidates,
                                                        const std::vector<Objective>& objectives,
                                                        const std::vector<double>& reference) {
  std::vector<std::pair<int, double>> out;
  std::vector<const Trial*> so_far;
  for (const Trial* t : candidates) {
    so_far.push_back(t);
    // Only the front matters; recomputing on it keeps each step cheap.
    so_far = pareto_front(so_far, objectives);
    out.emplace_back(t->number, front_hypervolume(so_far, objectives, reference));
  }
  return out;
}

std::vector<int> best_per_objective(const std::vector<const Trial*>& candidates,
                                    const std::vector<Objective>& objectives) {
  std::vector<int> best(objectives.size(), -1);
  for (std::size_t i = 0; i < candidates.size(); ++i)
    for (std::size_t j = 0; j < objectives.size(); ++j) {
      const double v = candidates[i]->values[j];
      const int b = best[j];
      if (b < 0) {
        best[j] = static_cast<int>(i);
        continue;
      }
      const double w = candidates[static_cast<std::size_t>(b)]->values[j];
      if (objectives[j].direction == Direction::Maximize ? v > w : v < w)
        best[j] = static_cast<int>(i);
    }
  return best;
}

}  // namespace nac
