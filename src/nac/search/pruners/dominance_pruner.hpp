#pragma once
// The multi-objective learning-curve pruner (docs/SEARCH.md, "Pruning"). A trial's point at
// epoch k is (its task metric after epoch k, its cost objectives), every objective turned to
// minimisation; cost objectives (parameters, BOPs, ...) are known before training and do not
// change. The trial is pruned at epoch k when
//   k >= warmup_epochs, and
//   at least min_trials COMPLETE trials reported a metric at epoch k, and
//   at least dominated_by of them have a point at epoch k that Pareto-dominates the trial's,
// i.e. enough finished trials were, at the same stage of training, at least as good in every
// objective and better in one. A trial that is cheaper than all of them is never pruned.
#include <optional>
#include <string>
#include <vector>

namespace nac {

struct DominanceRule {
  int warmup_epochs = 2;
  int min_trials = 5;
  int dominated_by = 3;
};

// `completed`: the points at `epoch` of the COMPLETE trials that reached it. Returns the reason
// when the trial should be pruned.
std::optional<std::string> dominance_prune(const DominanceRule& rule, int epoch,
                                           const std::vector<double>& point,
                                           const std::vector<std::vector<double>>& completed);

}  // namespace nac
