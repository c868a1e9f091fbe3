#include <gtest/gtest.h>

#include <cmath>

#include "../support/grad_check.hpp"
#include "../support/graphs.hpp"
#include "nac/core/error.hpp"

namespace nac {
namespace {

using testing::add_input;

Graph bn_graph(const Shape& in, Attrs attrs = {}) {
  Graph g;
  const int x = add_input(g, in);
  g.add(OpKind::BatchNorm, "bn", {x}, std::move(attrs));
  return g;
}

TEST(BatchNorm, GradientTrainingModeOnVectorsSetsAndMaps) {
  for (const Shape& s : {Shape{4}, Shape{3, 5}, Shape{3, 2, 4}}) {
    Graph g = bn_graph(s);
    testing::randomize_params(g, 5);
    const auto r = testing::grad_check(g);
    EXPECT_LT(r.max_rel_error, 1e-6) << shape_str(s) << ": " << r.worst;
    EXPECT_GT(r.checked, 8);
  }
}

TEST(BatchNorm, GradientWithBatchOfOneVectorOnAMap) {
  Graph g = bn_graph({3, 3, 2});
  testing::randomize_params(g, 6);
  testing::GradCheckOptions opt;
  opt.batch = 1;
  const auto r = testing::grad_check(g, opt);
  EXPECT_LT(r.max_rel_error, 1e-6) << r.worst;
}

TEST(BatchNorm, GradientInferenceMode) {
  Graph g = bn_graph({3, 4});
  testing::randomize_params(g, 7);
  testing::GradCheckOptions opt;
  opt.training = false;
  const auto r = testing::grad_check(g, opt);
  EXPECT_LT(r.max_rel_error, 1e-6) << r.worst;
}

TEST(BatchNorm, InferenceUsesRunningStatistics) {
  Graph g = bn_graph({2, 3}, {{"eps", 1e-3}});
  testing::randomize_params(g, 8);
  Executor<double> ex(g);
  const auto x = testing::random_batch({2, 3}, 4, 9, 3.0);
  const auto& y = ex.forward(x, false);
  const auto& p = ex.params()[1];  // gamma, beta, running_mean, running_var
  for (std::size_t i = 0; i < x.size(); ++i) {
    const std::size_t j = i % 3;
    const double want = p[0][j] * (x[i] - p[2][j]) / std::sqrt(p[3][j] + 1e-3) + p[1][j];
    EXPECT_NEAR(y[i], want, 1e-12) << i;
  }
}

TEST(BatchNorm, TrainingNormalisesWithBatchStatsAndUpdatesRunningStatsLikePyTorch) {
  // Batch of 2 samples, each a set of 2 elements with 2 features: 4 rows per feature.
  Graph g = bn_graph({2, 2}, {{"momentum", 0.25}});
  testing::randomize_params(g, 10);
  Executor<double> ex(g);
  Tensor<double> x({2, 2, 2});
  x.data = {1.0, 10.0, 2.0, 20.0, 4.0, 30.0, 9.0, 60.0};
  const std::vector<double> rm0{ex.params()[1][2][0], ex.params()[1][2][1]};
  const std::vector<double> rv0{ex.params()[1][3][0], ex.params()[1][3][1]};
  const auto& y = ex.forward(x, true);
  // feature 0: 1, 2, 4, 9 -> mean 4, squared deviations 9+4+0+25 = 38
  // feature 1: 10, 20, 30, 60 -> mean 30, squared deviations 400+100+0+900 = 1400
  const double mean[2] = {4.0, 30.0}, ss[2] = {38.0, 1400.0};
  const auto& p = ex.params()[1];
  for (std::size_t j = 0; j < 2; ++j) {
    EXPECT_NEAR(p[2][j], 0.75 * rm0[j] + 0.25 * mean[j], 1e-12);
    EXPECT_NEAR(p[3][j], 0.75 * rv0[j] + 0.25 * ss[j] / 3.0, 1e-12);  // unbiased
    for (std::size_t r = 0; r < 4; ++r) {
      const double want =
          p[0][j] * (x[r * 2 + j] - mean[j]) / std::sqrt(ss[j] / 4.0 + 1e-5) + p[1][j];
      EXPECT_NEAR(y[r * 2 + j], want, 1e-12);
    }
  }
  // Inference leaves the running statistics alone.
  const std::vector<double> rm1{p[2][0], p[2][1]};
  ex.forward(x, false);
  EXPECT_EQ(p[2][0], rm1[0]);
  EXPECT_EQ(p[2][1], rm1[1]);
}

TEST(BatchNorm, ParamsAndErrors) {
  Graph g = bn_graph({9, 9, 16});
  g.finalize();
  const Node& n = g.node(1);
  ASSERT_EQ(n.params.size(), 4u);
  EXPECT_EQ(n.params[0].name, "gamma");
  EXPECT_EQ(n.params[3].name, "running_var");
  EXPECT_FALSE(n.params[2].trainable);
  EXPECT_FALSE(n.params[3].trainable);
  EXPECT_EQ(g.parameter_count(), 32);
  EXPECT_EQ(g.parameter_count(false), 64);
  EXPECT_THROW(bn_graph({4}, {{"momentum", 1.5}}).finalize(), GraphError);
  EXPECT_THROW(bn_graph({4}, {{"eps", 0.0}}).finalize(), GraphError);
}

}  // namespace
}  // namespace nac
