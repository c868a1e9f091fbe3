#include "nac/search/nsga2/non_dominated_sort.hpp"

#include <gtest/gtest.h>

#include "nac/core/rng.hpp"
#include "nac/search/nsga2/dominance.hpp"

namespace nac::nsga2 {
namespace {

using Fronts = std::vector<std::vector<int>>;

TEST(NonDominatedSort, HandWorkedExample) {
  const std::vector<std::vector<double>> p = {{1, 5}, {2, 5}, {2, 3}, {4, 3}, {3, 1}, {5, 5}};
  EXPECT_EQ(non_dominated_sort(p), (Fronts{{0, 2, 4}, {1, 3}, {5}}));
  EXPECT_EQ(front_ranks(non_dominated_sort(p), p.size()), (std::vector<int>{0, 1, 0, 1, 0, 2}));
}

TEST(NonDominatedSort, DuplicatesShareAFront) {
  const std::vector<std::vector<double>> p = {{1, 1}, {1, 1}, {2, 2}};
  EXPECT_EQ(non_dominated_sort(p), (Fronts{{0, 1}, {2}}));
}

TEST(NonDominatedSort, ViolationsComeAfterEveryFeasiblePoint) {
  const std::vector<std::vector<double>> p = {{0, 0}, {5, 5}, {1, 9}, {0, 0}};
  // Points 0 and 3 violate a budget: they rank behind the feasible ones, the smaller violation
  // first.
  EXPECT_EQ(non_dominated_sort(p, {2.0, 0, 0, 1.0}), (Fronts{{1, 2}, {3}, {0}}));
}

// The defining properties, checked by brute force on random sets with ties.
TEST(NonDominatedSort, MatchesTheDefinitionOnRandomSets) {
  Rng rng(17);
  for (int trial = 0; trial < 30; ++trial) {
    const int n = 1 + static_cast<int>(rng.below(40));
    const int m = 2 + static_cast<int>(rng.below(2));
    std::vector<std::vector<double>> p(static_cast<std::size_t>(n));
    for (auto& x : p)
      for (int k = 0; k < m; ++k) x.push_back(static_cast<double>(rng.below(6)));
    const auto fronts = non_dominated_sort(p);
    const auto rank = front_ranks(fronts, p.size());
    std::size_t total = 0;
    for (const auto& f : fronts) total += f.size();
    ASSERT_EQ(total, p.size());
    for (int i = 0; i < n; ++i) {
      const auto ri = rank[static_cast<std::size_t>(i)];
      bool dominated_by_previous = ri == 0;
      for (int j = 0; j < n; ++j) {
        const auto rj = rank[static_cast<std::size_t>(j)];
        if (dominates(p[static_cast<std::size_t>(j)], p[static_cast<std::size_t>(i)])) {
          EXPECT_LT(rj, ri);  // no point is dominated by one of its own or a later front
          dominated_by_previous = dominated_by_previous || rj == ri - 1;
        }
      }
      EXPECT_TRUE(dominated_by_previous);  // front k > 0: dominated by someone in front k-1
    }
  }
}

}  // namespace
}  // namespace nac::nsga2
