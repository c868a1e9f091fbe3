#include "nac/search/hypervolume.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "nac/core/rng.hpp"

namespace nac {
namespace {

// An independent exact method: inclusion-exclusion over the boxes [p, ref].
double inclusion_exclusion(const std::vector<std::vector<double>>& pts,
                           const std::vector<double>& ref) {
  const std::size_t n = pts.size(), d = ref.size();
  double total = 0;
  for (std::size_t mask = 1; mask < (std::size_t{1} << n); ++mask) {
    std::vector<double> corner(d, -1e300);
    int bits = 0;
    for (std::size_t i = 0; i < n; ++i)
      if (mask >> i & 1) {
        ++bits;
        for (std::size_t k = 0; k < d; ++k) corner[k] = std::max(corner[k], pts[i][k]);
      }
    double vol = 1;
    for (std::size_t k = 0; k < d; ++k) vol *= std::max(0.0, ref[k] - corner[k]);
    total += bits % 2 ? vol : -vol;
  }
  return total;
}

TEST(Hypervolume, TwoObjectivesByHand) {
  EXPECT_DOUBLE_EQ(hypervolume({{1, 3}, {2, 2}, {3, 1}}, {4, 4}), 6.0);
  EXPECT_DOUBLE_EQ(hypervolume({{1, 3}, {2, 2}, {3, 1}, {3, 3}}, {4, 4}), 6.0);  // dominated
  EXPECT_DOUBLE_EQ(hypervolume({{5, 0}, {0, 4}}, {4, 4}), 0.0);  // not strictly inside
  EXPECT_DOUBLE_EQ(hypervolume({}, {1, 1}), 0.0);
}

TEST(Hypervolume, ThreeObjectivesByHand) {
  EXPECT_DOUBLE_EQ(hypervolume({{0, 0, 0}}, {1, 1, 1}), 1.0);
  // Two unit-volume boxes overlapping in [0.5,1]^3: 1 + 1 - 1/8... as boxes from the points.
  EXPECT_DOUBLE_EQ(hypervolume({{0, 0, 0.5}, {0, 0.5, 0}}, {1, 1, 1}), 0.5 + 0.5 - 0.25);
}

TEST(Hypervolume, MatchesInclusionExclusionOnRandomSets) {
  Rng rng(23);
  for (int d = 2; d <= 4; ++d)
    for (int trial = 0; trial < 40; ++trial) {
      const int n = 1 + static_cast<int>(rng.below(9));
      std::vector<std::vector<double>> pts(static_cast<std::size_t>(n));
      for (auto& p : pts)
        for (int k = 0; k < d; ++k) p.push_back(static_cast<double>(rng.below(8)) / 8.0);
      const std::vector<double> ref(static_cast<std::size_t>(d), 1.1);
      EXPECT_NEAR(hypervolume(pts, ref), inclusion_exclusion(pts, ref), 1e-12) << d;
    }
}

}  // namespace
}  // namespace nac
