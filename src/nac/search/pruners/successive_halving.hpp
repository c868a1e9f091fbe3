#pragma once
// Successive halving for multi-objective studies (docs/SEARCH.md, "Pruning"), asynchronous as
// ASHA / Optuna's SuccessiveHalvingPruner: rungs sit at epochs min_epochs * eta^i (i = 0, 1, ...).
// At a rung, the trial competes with every trial (any state) that reported that epoch: their
// points (metric at the rung, cost objectives; minimised) are sorted into non-dominated fronts,
// and the trial goes on only if fewer than max(1, floor(n / eta)) competitors lie in strictly
// better fronts (n counts the trial too), i.e. it is in the best 1/eta by front. Nothing is
// pruned while fewer than min_trials competitors (the trial included) reached the rung.
#include <optional>
#include <string>
#include <vector>

namespace nac {

struct HalvingRule {
  int min_epochs = 1;
  int eta = 3;
  int min_trials = 4;
};

// Whether `epoch` (1-based) is a rung.
bool is_rung(const HalvingRule& rule, int epoch);

// `others`: the points at `epoch` of the other trials that reached it. Returns the reason when
// the trial should be pruned.
std::optional<std::string> halving_prune(const HalvingRule& rule, int epoch,
                                         const std::vector<double>& point,
                                         const std::vector<std::vector<double>>& others);

}  // namespace nac
