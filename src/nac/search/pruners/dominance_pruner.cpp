#include "nac/search/pruners/dominance_pruner.hpp"

#include "nac/search/nsga2/dominance.hpp"

namespace nac {

std::optional<std::string> dominance_prune(const DominanceRule& rule, int epoch,
                                           const std::vector<double>& point,
                                           const std::vector<std::vector<double>>& completed) {
  if (epoch < rule.warmup_epochs) return std::nullopt;
  if (static_cast<int>(completed.size()) < rule.min_trials) return std::nullopt;
  int dominators = 0;
  for (const auto& c : completed)
    if (nsga2::dominates(c, point)) ++dominators;
  if (dominators < rule.dominated_by) return std::nullopt;
  return "dominated at epoch " + std::to_string(epoch) + " by " + std::to_string(dominators) +
         " of " + std::to_string(completed.size()) + " completed trials";
}

}  // namespace nac
