#include "nac/search/nsga2/crowding.hpp"

#include <gtest/gtest.h>

#include <limits>

namespace nac::nsga2 {
namespace {

const double kInf = std::numeric_limits<double>::infinity();

TEST(Crowding, HandWorkedFront) {
  // Objective ranges are both 4. (1,2): f1 gap (3-0)/4, f2 gap (4-1)/4 -> 1.5.
  // (3,1): f1 gap (4-1)/4, f2 gap (2-0)/4 -> 1.25. The extremes are infinite.
  const std::vector<std::vector<double>> p = {{9, 9}, {1, 2}, {0, 4}, {4, 0}, {3, 1}};
  const auto d = crowding_distance(p, {1, 2, 3, 4});
  EXPECT_DOUBLE_EQ(d[0], 1.5);
  EXPECT_EQ(d[1], kInf);
  EXPECT_EQ(d[2], kInf);
  EXPECT_DOUBLE_EQ(d[3], 1.25);
}

TEST(Crowding, SmallAndFlatFronts) {
  const std::vector<std::vector<double>> p = {{1, 1}, {2, 1}, {3, 1}};
  EXPECT_EQ(crowding_distance(p, {0, 1}), (std::vector<double>{kInf, kInf}));
  EXPECT_TRUE(crowding_distance(p, {}).empty());
  // The second objective is flat and adds nothing; the first gives the middle point 2/2.
  const auto d = crowding_distance(p, {0, 1, 2});
  EXPECT_EQ(d[0], kInf);
  EXPECT_DOUBLE_EQ(d[1], 1.0);
  EXPECT_EQ(d[2], kInf);
}

}  // namespace
}  // namespace nac::nsga2
