#include "nac/search/nsga2/dominance.hpp"

#include <gtest/gtest.h>

namespace nac::nsga2 {
namespace {

TEST(Dominance, ParetoDominance) {
  EXPECT_TRUE(dominates({1, 2}, {2, 2}));
  EXPECT_TRUE(dominates({1, 1}, {2, 2}));
  EXPECT_FALSE(dominates({1, 2}, {1, 2}));  // equal: neither dominates
  EXPECT_FALSE(dominates({1, 3}, {2, 2}));  // a trade-off
  EXPECT_FALSE(dominates({2, 2}, {1, 2}));
  EXPECT_TRUE(dominates({0, 0, 0}, {0, 0, 1}));
}

TEST(Dominance, ConstrainedDominanceFollowsDeb) {
  // Feasible beats infeasible whatever the objectives.
  EXPECT_TRUE(constrained_dominates({9, 9}, 0, {1, 1}, 0.5));
  EXPECT_FALSE(constrained_dominates({1, 1}, 0.5, {9, 9}, 0));
  // Two infeasible: the smaller violation wins, objectives ignored.
  EXPECT_TRUE(constrained_dominates({9, 9}, 1, {1, 1}, 2));
  EXPECT_FALSE(constrained_dominates({1, 1}, 2, {9, 9}, 1));
  EXPECT_FALSE(constrained_dominates({1, 1}, 2, {9, 9}, 2));
  // Two feasible: ordinary dominance.
  EXPECT_TRUE(constrained_dominates({1, 1}, 0, {2, 2}, 0));
  EXPECT_FALSE(constrained_dominates({1, 3}, 0, {2, 2}, 0));
}

}  // namespace
}  // namespace nac::nsga2
