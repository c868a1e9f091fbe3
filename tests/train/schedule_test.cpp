#include "nac/train/schedule.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "nac/core/error.hpp"

namespace nac {
namespace {

// Learning rates of epochs 0..n-1 (one step after each epoch) with a constant monitored value.
std::vector<double> lrs(const ScheduleOptions& o, double base, int total, int n) {
  LrSchedule s(o, base, total);
  std::vector<double> r;
  for (int e = 0; e < n; ++e) {
    r.push_back(s.lr());
    s.step(0.0);
  }
  return r;
}

void expect_lrs(const std::vector<double>& got, const std::vector<double>& want) {
  ASSERT_EQ(got.size(), want.size());
  for (std::size_t i = 0; i < got.size(); ++i) EXPECT_NEAR(got[i], want[i], 1e-12) << "epoch " << i;
}

TEST(Schedule, Constant) { expect_lrs(lrs({}, 0.3, 5, 3), {0.3, 0.3, 0.3}); }

TEST(Schedule, CosineAnnealsToZeroOverTheEpochs) {
  // eta = (1 + cos(pi e / 4)) / 2: 1, (2 + sqrt 2)/4, 1/2, (2 - sqrt 2)/4, 0.
  expect_lrs(lrs({.kind = ScheduleKind::Cosine}, 1.0, 4, 5),
             {1.0, (2 + std::sqrt(2.0)) / 4, 0.5, (2 - std::sqrt(2.0)) / 4, 0.0});
}

TEST(Schedule, CosineWithEtaMinAndExplicitPeriod) {
  // eta = 0.1 + 0.9 (1 + cos(pi e / 3)) / 2: 1, 0.775, 0.325, 0.1.
  expect_lrs(lrs({.kind = ScheduleKind::Cosine, .eta_min = 0.1, .t_max = 3}, 1.0, 50, 4),
             {1.0, 0.775, 0.325, 0.1});
}

TEST(Schedule, StepAndExponential) {
  expect_lrs(lrs({.kind = ScheduleKind::Step, .step_size = 2, .gamma = 0.5}, 1.0, 9, 5),
             {1, 1, 0.5, 0.5, 0.25});
  expect_lrs(lrs({.kind = ScheduleKind::Exponential, .gamma = 0.9}, 2.0, 9, 4),
             {2, 1.8, 1.62, 1.458});
}

TEST(Schedule, PlateauReducesAfterPatienceWithRelativeThreshold) {
  ScheduleOptions o{.kind = ScheduleKind::Plateau, .factor = 0.5, .patience = 2, .threshold = 0.1};
  LrSchedule s(o, 1.0, 100);
  // 9.5 and 9.2 are not 10% better than 10; after the third such epoch the rate halves. 8 is 10%
  // better than 10 (the new best), then three epochs without improvement halve it again.
  const std::vector<double> metric = {10, 9.5, 9.2, 9.1, 8, 8, 8, 8};
  const std::vector<double> after = {1, 1, 1, 0.5, 0.5, 0.5, 0.5, 0.25};
  for (std::size_t i = 0; i < metric.size(); ++i) {
    s.step(metric[i]);
    EXPECT_DOUBLE_EQ(s.lr(), after[i]) << "after epoch " << i;
  }
}

TEST(Schedule, PlateauCooldownMinLrAndMaximize) {
  ScheduleOptions o{.kind = ScheduleKind::Plateau,
                    .factor = 0.1,
                    .patience = 0,
                    .threshold = 0,
                    .cooldown = 1,
                    .min_lr = 0.005,
                    .maximize = true};
  LrSchedule s(o, 1.0, 100);
  // Accuracy-like: larger is better. Patience 0: every non-improving epoch reduces, except the
  // cooldown epoch right after a reduction; the rate never drops below min_lr.
  const std::vector<double> metric = {0.5, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6};
  const std::vector<double> after = {1, 1, 0.1, 0.1, 0.01, 0.01, 0.005};
  for (std::size_t i = 0; i < metric.size(); ++i) {
    s.step(metric[i]);
    EXPECT_NEAR(s.lr(), after[i], 1e-15) << "after epoch " << i;
  }
}

TEST(Schedule, RejectsBadOptions) {
  EXPECT_THROW(schedule_from_name("cosin", "train.schedule"), InputError);
  EXPECT_THROW(LrSchedule({.kind = ScheduleKind::Cosine}, 1.0, 0), InputError);
  EXPECT_THROW(LrSchedule({.kind = ScheduleKind::Step, .step_size = 0}, 1.0, 5), InputError);
  EXPECT_THROW(LrSchedule({.kind = ScheduleKind::Plateau, .factor = 1.5}, 1.0, 5), InputError);
}

}  // namespace
}  // namespace nac
