#include "nac/graph/passes/fold_batchnorm.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "../../support/graphs.hpp"
#include "../../support/quant_graphs.hpp"
#include "nac/train/executor.hpp"

namespace nac {
namespace {

using testing::str_attr;

// Random BN statistics so folding is not the identity.
void randomize_bn(Graph& g, std::uint64_t seed) {
  Rng rng(seed);
  for (auto& n : g.nodes())
    if (n.op == OpKind::BatchNorm)
      for (auto& p : n.params)
        for (auto& v : p.value.data)
          v = static_cast<float>(p.name == "running_var" ? rng.uniform(0.3, 2.0)
                                                         : rng.uniform(-1.0, 1.0));
}

void expect_same_outputs(const Graph& a, const Graph& b, std::uint64_t seed) {
  const Tensor<float> x = testing::quant_inputs(a, 16, seed);
  Executor<float> ea(a), eb(b);
  const Tensor<float> ya = ea.forward(x, false), yb = eb.forward(x, false);
  ASSERT_EQ(ya.shape, yb.shape);
  for (std::size_t i = 0; i < ya.size(); ++i)
    EXPECT_NEAR(ya[i], yb[i], 1e-5 * (1 + std::fabs(ya[i]))) << i;
}

TEST(FoldBatchNorm, DenseAndConvWithAndWithoutBiasKeepTheirOutputs) {
  Graph g;
  int x = testing::add_input(g, {6, 6, 2});
  x = g.add(OpKind::Conv2D, "conv", {x},
            {{"filters", std::int64_t{3}}, {"kernel", std::int64_t{3}}});
  x = g.add(OpKind::BatchNorm, "bn1", {x});
  x = g.add(OpKind::Activation, "act", {x}, {{"fn", str_attr("relu")}});
  x = g.add(OpKind::BatchNorm, "bn_after_act", {x});  // not after dense/conv: stays
  x = g.add(OpKind::Flatten, "flat", {x});
  x = g.add(OpKind::Dense, "fc", {x}, {{"units", std::int64_t{4}}, {"use_bias", std::int64_t{0}}});
  x = g.add(OpKind::BatchNorm, "bn2", {x});
  g.add(OpKind::Dense, "out", {x}, {{"units", std::int64_t{2}}});
  Rng rng(3);
  g.finalize(&rng);
  randomize_bn(g, 4);
  g.node(g.find("conv")).params[0].mask.assign(g.node(1).params[0].value.size(), 1);
  g.node(g.find("conv")).params[0].mask[5] = 0;
  g.node(g.find("conv")).params[0].value[5] = 0;
  g.node(g.find("bn2")).quant.result = FixedFormat::parse("fixed<8,3>");

  Graph f = g;
  EXPECT_EQ(fold_batchnorm(f), 2);
  EXPECT_EQ(f.size(), g.size() - 2);
  EXPECT_LT(f.find("bn1"), 0);
  EXPECT_LT(f.find("bn2"), 0);
  EXPECT_GE(f.find("bn_after_act"), 0);
  const Node& fc = f.node(f.find("fc"));
  ASSERT_NE(fc.find_param("bias"), nullptr);  // gained a bias
  EXPECT_EQ(fc.quant.result, FixedFormat::parse("fixed<8,3>"));
  EXPECT_EQ(f.node(f.find("conv")).params[0].mask[5], 0);
  EXPECT_EQ(f.node(f.find("conv")).params[0].value[5], 0.0f);
  expect_same_outputs(g, f, 7);
  EXPECT_EQ(fold_batchnorm(f), 0);  // nothing left to fold
}

TEST(FoldBatchNorm, ALayerReadTwiceIsNotFolded) {
  Graph g;
  int x = testing::add_input(g, {4});
  const int d = g.add(OpKind::Dense, "fc", {x}, {{"units", std::int64_t{4}}});
  const int bn = g.add(OpKind::BatchNorm, "bn", {d});
  g.add(OpKind::Add, "sum", {d, bn});
  Rng rng(1);
  g.finalize(&rng);
  randomize_bn(g, 2);
  Graph f = g;
  EXPECT_EQ(fold_batchnorm(f), 0);
  EXPECT_EQ(f.size(), g.size());
}

}  // namespace
}  // namespace nac
