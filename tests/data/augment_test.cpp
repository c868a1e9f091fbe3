#include "nac/data/augment.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include "nac/core/error.hpp"

namespace nac {
namespace {

// Each image is dark but for one bright pixel at the labelled centre; after the shift the bright
// pixel and the label must still agree, the offsets cover [-2, 2]^2, and nothing else lights up.
TEST(Augment, ShiftMovesImageAndLabelTogether) {
  const int b = 400, p = 11, ch = 2;
  Tensor<float> x({b, p, p, ch});
  Tensor<float> y({b, 2});
  for (int i = 0; i < b; ++i) {
    const int r = 3 + i % 5, c = 4 + i % 3;
    for (int k = 0; k < ch; ++k)
      x.data[static_cast<std::size_t>(((i * p + r) * p + c) * ch + k)] = static_cast<float>(1 + k);
    y.data[static_cast<std::size_t>(2 * i)] = static_cast<float>((c + 0.5) / p);
    y.data[static_cast<std::size_t>(2 * i + 1)] = static_cast<float>((r + 0.5) / p);
  }
  const Tensor<float> y0 = y;
  Rng rng(4);
  random_shift(x, y, 2, rng);
  std::set<std::pair<int, int>> offsets;
  for (int i = 0; i < b; ++i) {
    int lit = 0, lr = -1, lc = -1;
    for (int r = 0; r < p; ++r)
      for (int c = 0; c < p; ++c)
        if (x.data[static_cast<std::size_t>(((i * p + r) * p + c) * ch)] != 0) {
          ++lit;
          lr = r;
          lc = c;
          EXPECT_EQ(x.data[static_cast<std::size_t>(((i * p + r) * p + c) * ch + 1)], 2.0f);
        }
    ASSERT_EQ(lit, 1) << "sample " << i;  // the pixel stays inside: at most 2 px from 3..7
    EXPECT_NEAR(y.data[static_cast<std::size_t>(2 * i)] * p, lc + 0.5, 1e-5);
    EXPECT_NEAR(y.data[static_cast<std::size_t>(2 * i + 1)] * p, lr + 0.5, 1e-5);
    const auto k = static_cast<std::size_t>(2 * i);
    offsets.insert({static_cast<int>(std::lround((y.data[k] - y0.data[k]) * p)),
                    static_cast<int>(std::lround((y.data[k + 1] - y0.data[k + 1]) * p))});
  }
  EXPECT_EQ(offsets.size(), 25u);
  for (const auto& [dx, dy] : offsets) {
    EXPECT_LE(std::abs(dx), 2);
    EXPECT_LE(std::abs(dy), 2);
  }
}

TEST(Augment, EdgesAreZeroFilled) {
  const int p = 5;
  Tensor<float> x({200, p, p}, 1.0f);
  Tensor<float> y({200, 2}, 0.5f);
  Rng rng(8);
  random_shift(x, y, 1, rng);
  for (int i = 0; i < 200; ++i) {
    const auto k = static_cast<std::size_t>(2 * i);
    const int dx = static_cast<int>(std::lround((y.data[k] - 0.5f) * p));
    const int dy = static_cast<int>(std::lround((y.data[k + 1] - 0.5f) * p));
    for (int r = 0; r < p; ++r)
      for (int c = 0; c < p; ++c) {
        const bool inside = r - dy >= 0 && r - dy < p && c - dx >= 0 && c - dx < p;
        EXPECT_EQ(x.data[static_cast<std::size_t>((i * p + r) * p + c)], inside ? 1.0f : 0.0f);
      }
  }
}

TEST(Augment, BadShapesThrow) {
  Rng rng(1);
  Tensor<float> x({2, 4, 4, 1}), y3({2, 3}), y({2, 2}), flat({2, 16});
  EXPECT_THROW(random_shift(x, y3, 1, rng), InputError);
  EXPECT_THROW(random_shift(flat, y, 1, rng), InputError);
  EXPECT_THROW(random_shift(x, y, -1, rng), InputError);
}

}  // namespace
}  // namespace nac
