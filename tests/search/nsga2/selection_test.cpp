#include "nac/search/nsga2/selection.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace nac::nsga2 {
namespace {

TEST(Selection, WholeFrontsThenTheLeastCrowded) {
  // Front 0: 0, 1, 2. Front 1: 3 (extreme), 4 (crowded middle), 5 (extreme), 6 (middle).
  const std::vector<std::vector<double>> p = {{0, 3}, {1, 1}, {3, 0}, {1, 9},
                                              {2, 7}, {9, 1}, {6, 3}};
  const auto r = select_survivors(p, {}, 5);
  EXPECT_EQ(r.chosen.size(), 5u);
  std::vector<int> sorted = r.chosen;
  std::sort(sorted.begin(), sorted.end());
  EXPECT_EQ(sorted, (std::vector<int>{0, 1, 2, 3, 5}));  // front 1's extremes survive
  EXPECT_EQ(r.rank, (std::vector<int>{0, 0, 0, 1, 1}));
  const auto all = select_survivors(p, {}, 100);
  EXPECT_EQ(all.chosen.size(), p.size());
}

TEST(Selection, FeasibleFirst) {
  const std::vector<std::vector<double>> p = {{0, 0}, {5, 5}, {4, 6}};
  const auto r = select_survivors(p, {1.0, 0, 0}, 2);
  std::vector<int> sorted = r.chosen;
  std::sort(sorted.begin(), sorted.end());
  EXPECT_EQ(sorted, (std::vector<int>{1, 2}));
}

}  // namespace
}  // namespace nac::nsga2
