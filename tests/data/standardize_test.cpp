#include "nac/data/standardize.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "nac/core/error.hpp"

namespace nac {
namespace {

// Two 1x2x2 images: channel 0 holds 1, 3, 5, 7 and channel 1 holds 10 everywhere.
Dataset two_channel() {
  Dataset d;
  d.x = Tensor<float>({2, 1, 2, 2});
  d.x.data = {1, 10, 3, 10, 5, 10, 7, 10};
  d.y = Tensor<float>({2, 1});
  return d;
}

TEST(Standardize, PerChannelMeanAndStd) {
  Dataset d = two_channel();
  const InputNormalization n = fit_standardization(d);
  EXPECT_EQ(n.mean, std::vector<float>({4, 10}));
  ASSERT_EQ(n.scale.size(), 2u);
  EXPECT_FLOAT_EQ(n.scale[0], std::sqrt(5.0f));  // population std of 1, 3, 5, 7
  EXPECT_EQ(n.scale[1], 1.0f);                   // constant feature passes unscaled
  apply_normalization(n, d);
  EXPECT_FLOAT_EQ(d.x.data[0], -3 / std::sqrt(5.0f));
  EXPECT_FLOAT_EQ(d.x.data[6], 3 / std::sqrt(5.0f));
  EXPECT_EQ(d.x.data[1], 0.0f);
}

TEST(Standardize, PerElement) {
  Dataset d = two_channel();
  const InputNormalization n = fit_standardization(d, false);
  EXPECT_EQ(n.mean, std::vector<float>({3, 10, 5, 10}));
  EXPECT_EQ(n.scale, std::vector<float>({2, 1, 2, 1}));
  apply_normalization(n, d);
  EXPECT_EQ(d.x.data, std::vector<float>({-1, 0, -1, 0, 1, 0, 1, 0}));
}

TEST(Standardize, MismatchedNormalizationThrows) {
  Dataset d = two_channel();
  const InputNormalization n{{1, 2, 3}, {1, 1, 1}};
  EXPECT_THROW(apply_normalization(n, d), InputError);
  EXPECT_THROW(fit_standardization(Dataset{}), InputError);
}

}  // namespace
}  // namespace nac
