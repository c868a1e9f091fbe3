// Hand-computed updates (the update equations of the PyTorch docs, worked in double precision)
// for three steps on a two-entry parameter vector.
#include "nac/train/optimizer.hpp"

#include <gtest/gtest.h>

#include "nac/core/error.hpp"

namespace nac {
namespace {

using Trajectory = std::vector<std::vector<double>>;

// Runs three steps from p = [1, -2] with fixed gradients and compares every step.
void expect_trajectory(const OptimizerOptions& opt, const Trajectory& expected) {
  const std::vector<std::vector<float>> grads = {{0.5f, 0.25f}, {-1.0f, 0.5f}, {0.2f, 0.2f}};
  std::vector<float> p = {1.0f, -2.0f};
  auto o = make_optimizer(opt);
  for (std::size_t s = 0; s < grads.size(); ++s) {
    o->step({ParamSlot{p.data(), grads[s].data(), p.size()}});
    for (std::size_t i = 0; i < p.size(); ++i)
      EXPECT_NEAR(p[i], expected[s][i], 2e-6) << optimizer_name(opt.kind) << " step " << s + 1;
  }
  EXPECT_EQ(o->steps(), 3);
}

TEST(Optimizer, PlainSgd) {
  OptimizerOptions o{.kind = OptimizerKind::SGD, .lr = 0.1};
  expect_trajectory(o, {{0.95, -2.025}, {1.05, -2.075}, {1.03, -2.095}});
}

TEST(Optimizer, SgdMomentumWithWeightDecay) {
  // Step 1: g = 0.5 + 0.1*1 = 0.6, b = g, p = 1 - 0.06 = 0.94.
  OptimizerOptions o{.kind = OptimizerKind::SGD, .lr = 0.1, .weight_decay = 0.1, .momentum = 0.9};
  expect_trajectory(o, {{0.94, -2.005}, {0.9766, -2.03945}, {0.979774, -2.0700605}});
}

TEST(Optimizer, SgdNesterov) {
  // Step 1: g = 0.6, b = 0.6, g + 0.9 b = 1.14, p = 1 - 0.114 = 0.886.
  OptimizerOptions o{.kind = OptimizerKind::SGD,
                     .lr = 0.1,
                     .weight_decay = 0.1,
                     .momentum = 0.9,
                     .nesterov = true};
  expect_trajectory(o, {{0.886, -2.0095}, {1.010566, -2.0703695}, {0.983448646, -2.0969005295}});
}

TEST(Optimizer, AdamWithL2WeightDecay) {
  // Step 1 of Adam moves every entry by lr against the sign of its (decayed) gradient.
  OptimizerOptions o{.kind = OptimizerKind::Adam, .lr = 0.01, .weight_decay = 0.1};
  expect_trajectory(o, {{0.99, -2.01},
                        {0.9924819887658624, -2.0184441687579735},
                        {0.9926279837468459, -2.0249325306803874}});
}

TEST(Optimizer, AdamWDecouplesTheDecay) {
  // Step 1: p = 1 * (1 - 0.01*0.1) = 0.999, then the Adam step of size lr: 0.989.
  OptimizerOptions o{.kind = OptimizerKind::AdamW, .lr = 0.01, .weight_decay = 0.1};
  expect_trajectory(o, {{0.989, -2.008},
                        {0.9916720354238566, -2.0156438196144806},
                        {0.9923405385380873, -2.0228055842163712}});
}

TEST(Optimizer, RmsPropWithWeightDecay) {
  // Step 1: g = 0.6, v = 0.01*0.36, sqrt(v) = 0.06, p = 1 - 0.01*0.6/0.06 = 0.9.
  OptimizerOptions o{.kind = OptimizerKind::RMSprop, .lr = 0.01, .weight_decay = 0.1};
  expect_trajectory(o, {{0.9, -2.0999998},
                        {0.9836130192905438, -2.1985600056615144},
                        {0.9570505284015067, -2.1917932394860045}});
}

TEST(Optimizer, RmsPropMomentum) {
  OptimizerOptions o{.kind = OptimizerKind::RMSprop, .lr = 0.01, .momentum = 0.5};
  expect_trajectory(o, {{0.9, -2.09999996},
                        {0.9395323181911317, -2.2395322201751315},
                        {0.9415863447919182, -2.3431647416004306}});
}

TEST(Optimizer, RmsPropCentered) {
  OptimizerOptions o{.kind = OptimizerKind::RMSprop, .lr = 0.01, .centered = true};
  expect_trajectory(o, {{0.899496238676095, -2.100503741121897},
                        {0.9891201823276711, -2.190848993132588},
                        {0.9714018073930879, -2.2251527513516267}});
}

TEST(Optimizer, ResetForgetsState) {
  OptimizerOptions opt{.kind = OptimizerKind::Adam, .lr = 0.01};
  auto o = make_optimizer(opt);
  std::vector<float> p = {1.0f}, g = {0.5f};
  o->step({ParamSlot{p.data(), g.data(), 1}});
  o->step({ParamSlot{p.data(), g.data(), 1}});
  o->reset();
  p = {1.0f};
  o->step({ParamSlot{p.data(), g.data(), 1}});
  EXPECT_NEAR(p[0], 0.99, 1e-7);  // a first step again
  EXPECT_EQ(o->steps(), 1);
}

TEST(Optimizer, RejectsBadOptionsAndNames) {
  EXPECT_THROW(optimizer_from_name("adamm", "train.optimizer"), InputError);
  EXPECT_EQ(optimizer_from_name("rmsprop", "x"), OptimizerKind::RMSprop);
  EXPECT_THROW(make_optimizer({.kind = OptimizerKind::SGD, .lr = -1}), InputError);
  EXPECT_THROW(make_optimizer({.kind = OptimizerKind::SGD, .nesterov = true}), InputError);
  EXPECT_THROW(make_optimizer({.kind = OptimizerKind::Adam, .beta1 = 1.0}), InputError);
}

}  // namespace
}  // namespace nac
