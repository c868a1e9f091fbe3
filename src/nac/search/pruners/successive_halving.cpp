#include "nac/search/pruners/successive_halving.hpp"

#include <algorithm>

#include "nac/search/nsga2/non_dominated_sort.hpp"

namespace nac {

bool is_rung(const HalvingRule& rule, int epoch) {
  for (long long r = rule.min_epochs; r <= epoch; r *= rule.eta)
    if (r == epoch) return true;
  return false;
}

std::optional<std::string> halving_prune(const HalvingRule& rule, int epoch,
                                         const std::vector<double>& point,
                                         const std::vector<std::vector<double>>& others) {
  if (!is_rung(rule, epoch)) return std::nullopt;
  const int n = static_cast<int>(others.size()) + 1;
  if (n < rule.min_trials) return std::nullopt;
  std::vector<std::vector<double>> points = others;
  points.push_back(point);
  const auto ranks = nsga2::front_ranks(nsga2::non_dominated_sort(points), points.size());
  const int mine = ranks.back();
  const int better = static_cast<int>(
      std::count_if(ranks.begin(), ranks.end() - 1, [&](int r) { return r < mine; }));
  const int keep = std::max(1, n / rule.eta);
  if (better < keep) return std::nullopt;
  return "successive halving at epoch " + std::to_string(epoch) + ": " + std::to_string(better) +
         " of " + std::to_string(n) + " trials in better fronts, " + std::to_string(keep) +
         " go on";
}

}  // namespace nac
