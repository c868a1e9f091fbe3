#include "nac/search/nsga2/tournament.hpp"

#include <gtest/gtest.h>

#include "nac/core/rng.hpp"

namespace nac::nsga2 {
namespace {

TEST(Tournament, CrowdedComparison) {
  EXPECT_TRUE(crowded_less(0, 0.1, 1, 9.0));  // rank first
  EXPECT_TRUE(crowded_less(1, 2.0, 1, 1.0));  // then crowding
  EXPECT_FALSE(crowded_less(1, 1.0, 1, 1.0));
}

TEST(Tournament, BetterMemberWinsEveryDuelItEnters) {
  // Member 0 (rank 0) wins unless both draws pick member 1: P = 3/4.
  Rng rng(5);
  int wins = 0;
  const int n = 20000;
  for (int i = 0; i < n; ++i) wins += binary_tournament({0, 1}, {0.0, 0.0}, rng) == 0;
  EXPECT_NEAR(static_cast<double>(wins) / n, 0.75, 0.015);
  // Equal rank: the less crowded (larger distance) member 1 wins with P = 3/4.
  wins = 0;
  for (int i = 0; i < n; ++i) wins += binary_tournament({2, 2}, {0.5, 3.0}, rng) == 1;
  EXPECT_NEAR(static_cast<double>(wins) / n, 0.75, 0.015);
  // Identical members: a fair coin.
  wins = 0;
  for (int i = 0; i < n; ++i) wins += binary_tournament({0, 0}, {1.0, 1.0}, rng) == 0;
  EXPECT_NEAR(static_cast<double>(wins) / n, 0.5, 0.015);
}

}  // namespace
}  // namespace nac::nsga2
