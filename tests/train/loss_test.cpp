#include "nac/train/loss.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "nac/core/error.hpp"
#include "nac/core/rng.hpp"

namespace nac {
namespace {

// Central finite differences of the loss w.r.t. every output entry, in double precision.
void expect_gradient_matches(LossKind kind, const Tensor<double>& out,
                             const Tensor<float>& target) {
  Tensor<double> grad;
  compute_loss(kind, out, target, &grad);
  ASSERT_EQ(grad.shape, out.shape);
  const double h = 1e-6;
  for (std::size_t i = 0; i < out.size(); ++i) {
    Tensor<double> plus = out, minus = out;
    plus[i] += h;
    minus[i] -= h;
    const double fd = (compute_loss<double>(kind, plus, target, nullptr) -
                       compute_loss<double>(kind, minus, target, nullptr)) /
                      (2 * h);
    EXPECT_NEAR(grad[i], fd, 1e-8) << loss_name(kind) << " entry " << i;
  }
}

Tensor<double> random_outputs(Shape s, unsigned seed, double scale) {
  Rng rng(seed);
  Tensor<double> t(std::move(s));
  for (auto& v : t.data) v = rng.normal() * scale;
  return t;
}

TEST(Loss, MseAndL1HandValues) {
  Tensor<float> out({2, 2});
  out.data = {1, 2, 3, 4};
  Tensor<float> target({2, 2});
  target.data = {0, 2, 5, 3};
  // Differences 1, 0, -2, 1: MSE = (1 + 0 + 4 + 1) / 4, L1 = (1 + 0 + 2 + 1) / 4.
  Tensor<float> g;
  EXPECT_DOUBLE_EQ(compute_loss(LossKind::MSE, out, target, &g), 1.5);
  EXPECT_EQ(g.data, (std::vector<float>{0.5f, 0.0f, -1.0f, 0.5f}));
  EXPECT_DOUBLE_EQ(compute_loss(LossKind::L1, out, target, &g), 1.0);
  EXPECT_EQ(g.data, (std::vector<float>{0.25f, 0.0f, -0.25f, 0.25f}));
}

TEST(Loss, CrossEntropyHandValues) {
  Tensor<float> out({2, 3});
  out.data = {0, 0, 0, 1, 2, 3};
  Tensor<float> target({2});
  target.data = {1, 2};
  // Sample 0: log 3. Sample 1: log(e + e^2 + e^3) - 3.
  const double l1 = std::log(std::exp(1.0) + std::exp(2.0) + std::exp(3.0)) - 3.0;
  Tensor<float> g;
  EXPECT_NEAR(compute_loss(LossKind::CrossEntropy, out, target, &g), (std::log(3.0) + l1) / 2,
              1e-12);
  EXPECT_NEAR(g[0], (1.0 / 3) / 2, 1e-7);
  EXPECT_NEAR(g[1], (1.0 / 3 - 1) / 2, 1e-7);
}

TEST(Loss, CrossEntropyIsStableForHugeLogits) {
  Tensor<float> out({1, 2});
  out.data = {1000.0f, -1000.0f};
  Tensor<float> target({1});
  target.data = {1};
  Tensor<float> g;
  EXPECT_NEAR(compute_loss(LossKind::CrossEntropy, out, target, &g), 2000.0, 1e-9);
  EXPECT_FLOAT_EQ(g[0], 1.0f);
  EXPECT_FLOAT_EQ(g[1], -1.0f);
}

TEST(Loss, GradientsMatchFiniteDifferences) {
  const Tensor<double> out = random_outputs({4, 3}, 7, 1.5);
  Tensor<float> reg({4, 3});
  Rng rng(3);
  for (auto& v : reg.data) v = static_cast<float>(rng.normal());
  expect_gradient_matches(LossKind::MSE, out, reg);
  expect_gradient_matches(LossKind::L1, out, reg);  // no difference is within h of zero
  Tensor<float> labels({4});
  labels.data = {0, 2, 1, 2};
  expect_gradient_matches(LossKind::CrossEntropy, out, labels);
}

TEST(Loss, RejectsBadTargets) {
  Tensor<float> out({2, 3});
  Tensor<float> labels({2});
  labels.data = {0, 3};
  EXPECT_THROW(compute_loss<float>(LossKind::CrossEntropy, out, labels, nullptr), DataError);
  labels.data = {0, 0.5f};
  EXPECT_THROW(compute_loss<float>(LossKind::CrossEntropy, out, labels, nullptr), DataError);
  EXPECT_THROW(compute_loss<float>(LossKind::MSE, out, labels, nullptr), InputError);
  EXPECT_THROW(loss_from_name("crossentropy", "train.loss"), InputError);
}

}  // namespace
}  // namespace nac
