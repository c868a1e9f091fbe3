#include "nac/data/poisson.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace nac {
namespace {

// Sample mean and variance within 5 standard errors of lambda, for means on both sides of the
// switch from inversion to PTRS.
TEST(Poisson, MeanAndVarianceMatchLambda) {
  const int n = 100000;
  for (double lambda : {0.3, 2.5, 9.99, 10.0, 37.0, 1500.0}) {
    Rng rng(static_cast<std::uint64_t>(lambda * 1000));
    double sum = 0, sq = 0;
    for (int i = 0; i < n; ++i) {
      const auto k = static_cast<double>(poisson(rng, lambda));
      ASSERT_GE(k, 0);
      sum += k;
      sq += k * k;
    }
    const double mean = sum / n, var = sq / n - mean * mean;
    EXPECT_NEAR(mean, lambda, 5 * std::sqrt(lambda / n)) << lambda;
    EXPECT_NEAR(var, lambda, 5 * std::sqrt((lambda + 2 * lambda * lambda) / n)) << lambda;
  }
}

TEST(Poisson, FrequenciesMatchTheMassFunction) {
  const int n = 200000;
  for (double lambda : {4.0, 20.0}) {
    Rng rng(99);
    std::vector<int> count(200, 0);
    for (int i = 0; i < n; ++i) ++count[static_cast<std::size_t>(poisson(rng, lambda))];
    for (int k = 0; k < 40; ++k) {
      const double pmf = std::exp(k * std::log(lambda) - lambda - std::lgamma(k + 1.0));
      EXPECT_NEAR(count[static_cast<std::size_t>(k)] / double(n), pmf,
                  5 * std::sqrt(pmf * (1 - pmf) / n) + 1e-6)
          << "lambda " << lambda << " k " << k;
    }
  }
}

TEST(Poisson, NonPositiveMeanGivesZero) {
  Rng rng(1);
  EXPECT_EQ(poisson(rng, 0.0), 0);
  EXPECT_EQ(poisson(rng, -3.0), 0);
}

}  // namespace
}  // namespace nac
