#include "nac/config/train_options.hpp"

#include <gtest/gtest.h>

#include "nac/core/error.hpp"

namespace nac {
namespace {

TrainOptions parse(const std::string& yaml) {
  const auto doc = config::YamlNode::load_string(yaml, "t.yaml");
  return parse_train_options(doc.find("train"), doc.find("metric"));
}

std::string error_of(const std::string& yaml) {
  try {
    parse(yaml);
  } catch (const InputError& e) {
    return e.what();
  }
  ADD_FAILURE() << "expected an InputError for:\n" << yaml;
  return "";
}

TEST(TrainOptionsConfig, NacBraggRecipe) {
  const auto o = parse(R"(
train:
  optimizer: rmsprop
  lr: 0.0015
  weight_decay: 2.2e-9
  schedule: cosine
  loss: mse
  batch: 256
  epochs: 50
  patience: 5
  seed: 3
metric: {kind: peak_distance, patch: 11}
)");
  EXPECT_EQ(o.optimizer.kind, OptimizerKind::RMSprop);
  EXPECT_DOUBLE_EQ(o.optimizer.lr, 0.0015);
  EXPECT_DOUBLE_EQ(o.optimizer.weight_decay, 2.2e-9);
  EXPECT_DOUBLE_EQ(o.optimizer.alpha, 0.99);
  EXPECT_EQ(o.schedule.kind, ScheduleKind::Cosine);
  EXPECT_EQ(o.loss, LossKind::MSE);
  EXPECT_EQ(o.batch_size, 256);
  EXPECT_EQ(o.epochs, 50);
  EXPECT_EQ(o.patience, 5);
  EXPECT_EQ(o.seed, 3u);
  EXPECT_EQ(o.metric.kind, MetricKind::PeakDistance);
  EXPECT_DOUBLE_EQ(o.metric.patch_size, 11);
}

TEST(TrainOptionsConfig, JetRecipeWithPlateauMapAndDefaultLoss) {
  const auto o = parse(R"(
train:
  optimizer: adam
  lr: 0.0032
  betas: [0.8, 0.99]
  schedule: {kind: plateau, factor: 0.1, patience: 3}
  batch: 4096
metric: {kind: classification}
)");
  EXPECT_EQ(o.loss, LossKind::CrossEntropy);  // the classification default
  EXPECT_EQ(o.schedule.kind, ScheduleKind::Plateau);
  EXPECT_EQ(o.schedule.patience, 3);
  EXPECT_DOUBLE_EQ(o.schedule.factor, 0.1);
  EXPECT_DOUBLE_EQ(o.optimizer.beta1, 0.8);
  EXPECT_DOUBLE_EQ(o.optimizer.beta2, 0.99);
}

TEST(TrainOptionsConfig, ErrorsNameLineKeyAndExpectation) {
  std::string m = error_of("train:\n  optimizer: adam\n  lr: fast\n");
  EXPECT_NE(m.find("t.yaml:3: train.lr: expected a number, found 'fast'"), std::string::npos) << m;
  m = error_of("train:\n  optimiser: adam\n");
  EXPECT_NE(m.find("t.yaml:2: train.optimiser: unknown key 'optimiser'"), std::string::npos) << m;
  m = error_of("train:\n  batch: 0\n");
  EXPECT_NE(m.find("train.batch: expected a batch size >= 1"), std::string::npos) << m;
  m = error_of("train:\n  schedule: {kind: cosine, etamin: 0}\n");
  EXPECT_NE(m.find("train.schedule.etamin"), std::string::npos) << m;
  m = error_of("train:\n  optimizer: lion\n");
  EXPECT_NE(m.find("unknown optimizer 'lion'"), std::string::npos) << m;
  m = error_of("train:\n  loss: mse\nmetric: {kind: classification}\n");
  EXPECT_NE(m.find("does not fit metric"), std::string::npos) << m;
  m = error_of("metric: {kind: peak_distance, patch: -1}\n");
  EXPECT_NE(m.find("metric.patch"), std::string::npos) << m;
  m = error_of("train:\n  optimizer: sgd\n  nesterov: true\n");
  EXPECT_NE(m.find("Nesterov"), std::string::npos) << m;
  m = error_of("train:\n  epochs: [1, 2]\n");
  EXPECT_NE(m.find("expected a single value"), std::string::npos) << m;
}

}  // namespace
}  // namespace nac
