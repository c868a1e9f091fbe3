#include <gtest/gtest.h>

#include "nac/search/pruners/dominance_pruner.hpp"
#include "nac/search/pruners/successive_halving.hpp"

namespace nac {
namespace {

using Points = std::vector<std::vector<double>>;

TEST(DominancePruner, NeedsWarmupEnoughTrialsAndEnoughDominators) {
  const DominanceRule rule{2, 3, 2};
  const std::vector<double> me{0.5, 100};
  // Two of three completed trials dominate (better metric, no more cost).
  const Points done{{0.4, 100}, {0.3, 50}, {0.6, 10}};
  EXPECT_FALSE(dominance_prune(rule, 1, me, done));  // before the warmup epoch
  const auto why = dominance_prune(rule, 2, me, done);
  ASSERT_TRUE(why);
  EXPECT_EQ(*why, "dominated at epoch 2 by 2 of 3 completed trials");
  EXPECT_FALSE(dominance_prune(rule, 2, me, {{0.4, 100}, {0.3, 50}}));             // too few trials
  EXPECT_FALSE(dominance_prune(rule, 2, me, {{0.4, 100}, {0.6, 50}, {0.6, 10}}));  // 1 dominator
  // Equal points do not dominate; a cheaper trial is never dominated by costlier ones.
  EXPECT_FALSE(dominance_prune(rule, 2, me, {{0.5, 100}, {0.5, 100}, {0.5, 100}}));
  EXPECT_FALSE(dominance_prune(rule, 5, {0.9, 1}, done));
}

TEST(SuccessiveHalving, RungsAreGeometric) {
  const HalvingRule rule{2, 3, 4};
  std::vector<int> rungs;
  for (int e = 1; e <= 60; ++e)
    if (is_rung(rule, e)) rungs.push_back(e);
  EXPECT_EQ(rungs, (std::vector<int>{2, 6, 18, 54}));
}

TEST(SuccessiveHalving, KeepsTheBestThirdByFront) {
  const HalvingRule rule{1, 3, 4};
  // Six competitors and the trial: n = 7, keep floor(7/3) = 2.
  const Points others{{0.1, 1}, {0.2, 2}, {0.3, 3}, {0.4, 4}, {0.5, 5}, {0.6, 6}};
  EXPECT_FALSE(halving_prune(rule, 1, {0.05, 0.5}, others));  // alone in front 1
  EXPECT_FALSE(halving_prune(rule, 1, {0.15, 1.5}, others));  // 1 better point < 2
  const auto why = halving_prune(rule, 1, {0.25, 2.5}, others);
  ASSERT_TRUE(why);
  EXPECT_EQ(*why, "successive halving at epoch 1: 2 of 7 trials in better fronts, 2 go on");
  EXPECT_FALSE(halving_prune(rule, 2, {0.9, 9}, others));                // not a rung
  EXPECT_FALSE(halving_prune(rule, 1, {0.9, 9}, {{0.1, 1}, {0.2, 2}}));  // n = 3 < min_trials
  // A trade-off point shares the first front with everyone: never pruned.
  EXPECT_FALSE(halving_prune(rule, 3, {0.9, 0.1}, others));
}

}  // namespace
}  // namespace nac
