#include "nac/search/nsga2/non_dominated_sort.hpp"

#include <algorithm>

#include "nac/core/error.hpp"
#include "nac/search/nsga2/dominance.hpp"

namespace nac::nsga2 {

std::vector<std::vector<int>> non_dominated_sort(const std::vector<std::vector<double>>& points,
                                                 const std::vector<double>& violations) {
  const int n = static_cast<int>(points.size());
  NAC_ASSERT(violations.empty() || violations.size() == points.size());
  auto viol = [&](int i) {
    return violations.empty() ? 0.0 : violations[static_cast<std::size_t>(i)];
  };
  auto at = [&](int i) -> const std::vector<double>& {
    return points[static_cast<std::size_t>(i)];
  };
  std::vector<std::vector<int>> dominated(static_cast<std::size_t>(n));  // S_p
  std::vector<int> count(static_cast<std::size_t>(n), 0);                // n_p
  std::vector<std::vector<int>> fronts(1);
  for (int p = 0; p < n; ++p) {
    for (int q = p + 1; q < n; ++q) {
      if (constrained_dominates(at(p), viol(p), at(q), viol(q))) {
        dominated[static_cast<std::size_t>(p)].push_back(q);
        ++count[static_cast<std::size_t>(q)];
      } else if (constrained_dominates(at(q), viol(q), at(p), viol(p))) {
        dominated[static_cast<std::size_t>(q)].push_back(p);
        ++count[static_cast<std::size_t>(p)];
      }
    }
    // Every pair involving p has been compared by now, so count[p] is final.
    if (count[static_cast<std::size_t>(p)] == 0) fronts[0].push_back(p);
  }
  while (!fronts.back().empty()) {
    std::vector<int> next;
    for (int p : fronts.back())
      for (int q : dominated[static_cast<std::size_t>(p)])
        if (--count[static_cast<std::size_t>(q)] == 0) next.push_back(q);
    std::sort(next.begin(), next.end());
    fronts.push_back(std::move(next));
  }
  fronts.pop_back();
  return fronts;
}

std::vector<int> front_ranks(const std::vector<std::vector<int>>& fronts, std::size_t n) {
  std::vector<int> rank(n, -1);
  for (std::size_t f = 0; f < fronts.size(); ++f)
    for (int i : fronts[f]) rank[static_cast<std::size_t>(i)] = static_cast<int>(f);
  return rank;
}

}  // namespace nac::nsga2
