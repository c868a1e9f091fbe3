#include "nac/train/trainer.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "nac/core/error.hpp"

namespace nac {
namespace {

Graph mlp(int in, const std::vector<int>& widths, std::uint64_t seed) {
  Graph g;
  int x = g.add(OpKind::Input, "x", {}, {{"shape", std::vector<std::int64_t>{in}}});
  for (std::size_t i = 0; i < widths.size(); ++i) {
    x = g.add(OpKind::Dense, "dense" + std::to_string(i), {x},
              {{"units", std::int64_t{widths[i]}}});
    if (i + 1 < widths.size())
      x = g.add(OpKind::Activation, "act" + std::to_string(i), {x}, {{"fn", std::string("tanh")}});
  }
  Rng rng(seed);
  g.finalize(&rng);
  return g;
}

// y = A x with a fixed A: 4 inputs, 2 targets.
Dataset linear_data(int n, std::uint64_t seed) {
  Rng rng(seed);
  Dataset d;
  d.x = Tensor<float>({n, 4});
  d.y = Tensor<float>({n, 2});
  for (auto& v : d.x.data) v = static_cast<float>(rng.normal());
  for (int i = 0; i < n; ++i) {
    const float* x = d.x.ptr() + 4 * i;
    d.y[2 * static_cast<std::size_t>(i)] = 0.5f * x[0] - x[1] + 0.25f * x[3];
    d.y[2 * static_cast<std::size_t>(i) + 1] = x[2] - 0.5f * x[3];
  }
  d.source = "linear";
  return d;
}

TrainOptions adam_options(int epochs) {
  TrainOptions o;
  o.optimizer = {.kind = OptimizerKind::Adam, .lr = 0.01};
  o.batch_size = 16;
  o.epochs = epochs;
  o.seed = 5;
  return o;
}

std::vector<float> flat_weights(const Graph& g) {
  std::vector<float> w;
  for (const auto& n : g.nodes())
    for (const auto& p : n.params) w.insert(w.end(), p.value.data.begin(), p.value.data.end());
  return w;
}

TEST(Trainer, LearnsALinearMap) {
  Trainer t(mlp(4, {2}, 1), adam_options(40));
  const auto train = linear_data(128, 2), val = linear_data(64, 3);
  const double before = t.evaluate(val).score;
  const auto r = t.fit(train, val);
  EXPECT_EQ(r.status, TrainStatus::Completed);
  EXPECT_EQ(r.epochs_run, 40);
  EXPECT_EQ(r.steps, 40 * 8);
  EXPECT_LT(r.best.score, 1e-3 * before);
  EXPECT_GT(r.samples_per_second, 0);
  ASSERT_EQ(r.history.size(), 40u);
  EXPECT_LT(r.history.back().train_loss, r.history.front().train_loss);
}

TEST(Trainer, SameSeedGivesBitIdenticalWeights) {
  const auto train = linear_data(100, 2), val = linear_data(30, 3);
  auto run = [&](std::uint64_t seed) {
    TrainOptions o = adam_options(3);
    o.seed = seed;
    o.batch_size = 7;  // a ragged last batch
    Trainer t(mlp(4, {8, 2}, 9), o);
    t.fit(train, val);
    return flat_weights(t.graph());
  };
  const auto a = run(11), b = run(11), c = run(12);
  EXPECT_EQ(a, b);  // bit-identical
  EXPECT_NE(a, c);  // the seed drives the shuffling
}

TEST(Trainer, EarlyStoppingKeepsTheBestWeights) {
  // A learning rate this large makes the validation loss worse after the first epochs.
  TrainOptions o;
  o.optimizer = {.kind = OptimizerKind::SGD, .lr = 0.9};
  o.batch_size = 8;
  o.epochs = 30;
  o.patience = 2;
  Trainer t(mlp(4, {16, 2}, 1), o);
  const auto train = linear_data(64, 2), val = linear_data(32, 3);
  const auto r = t.fit(train, val);
  ASSERT_NE(r.status, TrainStatus::Diverged) << r.message;
  ASSERT_EQ(r.status, TrainStatus::EarlyStopped);
  EXPECT_EQ(r.epochs_run, r.best_epoch + 2);
  EXPECT_LT(r.epochs_run, 30);
  // The final weights are those of the best epoch, not the last.
  EXPECT_EQ(t.evaluate(val).score, r.best.score);
  EXPECT_NE(r.history.back().val.score, r.best.score);
}

TEST(Trainer, DivergenceIsAResultNotACrash) {
  TrainOptions o;
  o.optimizer = {.kind = OptimizerKind::SGD, .lr = 1e6};
  o.batch_size = 8;
  o.epochs = 20;
  Trainer t(mlp(4, {16, 2}, 1), o);
  const auto r = t.fit(linear_data(64, 2), linear_data(32, 3));
  EXPECT_EQ(r.status, TrainStatus::Diverged);
  EXPECT_NE(r.message.find("loss became"), std::string::npos) << r.message;
}

TEST(Trainer, CallbackCanStopAndSeesEveryEpoch) {
  Trainer t(mlp(4, {2}, 1), adam_options(10));
  std::vector<int> seen;
  t.set_epoch_callback([&](const EpochStats& s) {
    seen.push_back(s.epoch);
    EXPECT_EQ(s.epochs, 10);
    EXPECT_EQ(s.val.score_name, "loss");
    return s.epoch < 3;
  });
  const auto r = t.fit(linear_data(32, 2), linear_data(16, 3));
  EXPECT_EQ(r.status, TrainStatus::StoppedByCallback);
  EXPECT_EQ(seen, (std::vector<int>{1, 2, 3}));
  EXPECT_EQ(r.epochs_run, 3);
}

TEST(Trainer, AugmentationSeesEveryTrainingBatch) {
  TrainOptions o = adam_options(2);
  o.batch_size = 10;
  Trainer t(mlp(4, {2}, 1), o);
  std::vector<int> sizes;
  t.set_augmentation([&](Tensor<float>& x, Tensor<float>& y, Rng& rng) {
    sizes.push_back(x.dim(0));
    EXPECT_EQ(y.dim(0), x.dim(0));
    for (auto& v : x.data) v += static_cast<float>(0.01 * rng.normal());
  });
  t.fit(linear_data(25, 2), linear_data(10, 3));
  EXPECT_EQ(sizes, (std::vector<int>{10, 10, 5, 10, 10, 5}));
}

TEST(Trainer, PrunedWeightsStayZero) {
  Graph g = mlp(4, {3}, 1);
  Param& w = g.node(g.find("dense0")).param("weight");
  w.mask.assign(w.value.size(), 1);
  w.mask[0] = w.mask[5] = 0;
  TrainOptions o = adam_options(3);
  o.optimizer.weight_decay = 0.1;
  Trainer t(g, o);
  Dataset train = linear_data(32, 2), val = linear_data(16, 3);
  // Three targets for three outputs.
  for (Dataset* d : {&train, &val}) {
    Tensor<float> y({d->size(), 3});
    for (int i = 0; i < d->size(); ++i)
      for (int j = 0; j < 3; ++j) y[static_cast<std::size_t>(3 * i + j)] = d->x[4 * i + j];
    d->y = y;
  }
  t.fit(train, val);
  const auto trained = t.graph().node(g.find("dense0")).param("weight").value;
  EXPECT_EQ(trained[0], 0.0f);
  EXPECT_EQ(trained[5], 0.0f);
  EXPECT_NE(trained[1], 0.0f);
}

TEST(Trainer, ClippingBoundsTheUpdate) {
  // One full batch, plain SGD with lr 1: the update is the clipped gradient, norm <= 0.01.
  TrainOptions o;
  o.optimizer = {.kind = OptimizerKind::SGD, .lr = 1.0};
  o.batch_size = 64;
  o.epochs = 1;
  o.clip_norm = 0.01;
  o.restore_best = false;
  const Graph g = mlp(4, {8, 2}, 1);
  Trainer t(g, o);
  t.fit(linear_data(64, 2), linear_data(16, 3));
  const auto before = flat_weights(g), after = flat_weights(t.graph());
  double sq = 0;
  for (std::size_t i = 0; i < before.size(); ++i) sq += std::pow(after[i] - before[i], 2);
  EXPECT_NEAR(std::sqrt(sq), 0.01, 1e-5);
}

TEST(Trainer, ClassificationWithCrossEntropy) {
  // Two Gaussian blobs; the score is accuracy (maximised).
  Rng rng(4);
  auto blobs = [&](int n) {
    Dataset d;
    d.task = TaskKind::Classification;
    d.num_classes = 2;
    d.x = Tensor<float>({n, 4});
    d.y = Tensor<float>({n});
    for (int i = 0; i < n; ++i) {
      const int c = i % 2;
      d.y[static_cast<std::size_t>(i)] = static_cast<float>(c);
      for (int j = 0; j < 4; ++j)
        d.x[static_cast<std::size_t>(4 * i + j)] =
            static_cast<float>(rng.normal() + (c ? 1.5 : -1.5));
    }
    return d;
  };
  TrainOptions o = adam_options(10);
  o.loss = LossKind::CrossEntropy;
  o.metric.kind = MetricKind::Classification;
  o.patience = 3;
  Trainer t(mlp(4, {8, 2}, 1), o);
  const auto r = t.fit(blobs(128), blobs(64));
  EXPECT_TRUE(r.best.maximize);
  EXPECT_GT(r.best.values.at("accuracy"), 0.95);
  EXPECT_GT(r.best.values.at("auc_0"), 0.95);
}

TEST(Trainer, RejectsMismatchedData) {
  Trainer t(mlp(4, {2}, 1), adam_options(1));
  Dataset bad = linear_data(8, 1);
  bad.x = Tensor<float>({8, 5});
  EXPECT_THROW(t.fit(bad, linear_data(8, 2)), InputError);
  EXPECT_THROW(t.fit(linear_data(8, 1), Dataset{}), InputError);
  TrainOptions o = adam_options(0);
  EXPECT_THROW(Trainer(mlp(4, {2}, 1), o), InputError);
}

}  // namespace
}  // namespace nac
