// The published Bragg baselines built from the ops, checked against their parameter counts
// (PAPER_FACTS.md: BraggNN 45,274, OpenHLS 3,016).
#include <gtest/gtest.h>

#include <cmath>

#include "../support/graphs.hpp"

namespace nac {
namespace {

using testing::add_input;
using testing::int_attr;

struct BraggSpec {
  int stem;
  int hidden;
  std::vector<int> convs;
  std::vector<int> mlp;
  std::string act;
};

Graph bragg_graph(const BraggSpec& s) {
  Graph g;
  int x = add_input(g, {11, 11, 1});
  x = g.add(OpKind::Conv2D, "stem", {x}, {{"filters", int_attr(s.stem)}, {"kernel", int_attr(3)}});
  x = g.add(OpKind::ConvAttn, "attn", {x},
            {{"hidden", int_attr(s.hidden)}, {"activation", s.act}, {"alpha", 0.01}});
  for (std::size_t i = 0; i < s.convs.size(); ++i) {
    const std::string id = std::to_string(i);
    x = g.add(OpKind::Conv2D, "conv" + id, {x},
              {{"filters", int_attr(s.convs[i])}, {"kernel", int_attr(3)}, {"padding", "valid"}});
    x = g.add(OpKind::Activation, "conv_act" + id, {x}, {{"fn", s.act}, {"alpha", 0.01}});
  }
  x = g.add(OpKind::Flatten, "flatten", {x});
  for (std::size_t i = 0; i < s.mlp.size(); ++i) {
    const std::string id = std::to_string(i);
    x = g.add(OpKind::Dense, "fc" + id, {x}, {{"units", int_attr(s.mlp[i])}});
    if (i + 1 < s.mlp.size())
      x = g.add(OpKind::Activation, "fc_act" + id, {x}, {{"fn", s.act}, {"alpha", 0.01}});
  }
  g.finalize();
  return g;
}

TEST(Baselines, BraggNNHas45274Parameters) {
  const Graph g = bragg_graph({64, 32, {32, 8}, {64, 32, 16, 2}, "leaky_relu"});
  EXPECT_EQ(g.node(g.find("flatten")).shape, Shape{200});
  EXPECT_EQ(g.output_shape(), Shape{2});
  EXPECT_EQ(g.parameter_count(), 45274);
}

TEST(Baselines, OpenHLSHas3016Parameters) {
  const Graph g = bragg_graph({16, 8, {8, 2}, {16, 8, 4, 2}, "relu"});
  EXPECT_EQ(g.node(g.find("flatten")).shape, Shape{50});
  EXPECT_EQ(g.parameter_count(), 3016);
}

TEST(Baselines, BraggNNRunsForwardAndBackward) {
  Graph g = bragg_graph({64, 32, {32, 8}, {64, 32, 16, 2}, "leaky_relu"});
  Rng rng(20);
  g.init_params(rng);
  Executor<float> ex(g);
  Tensor<float> x({4, 11, 11, 1});
  for (auto& v : x.data) v = static_cast<float>(rng.uniform());
  const auto& y = ex.forward(x, true);
  ASSERT_EQ(y.shape, (Shape{4, 2}));
  for (float v : y.data) EXPECT_TRUE(std::isfinite(v));
  ex.backward(Tensor<float>({4, 2}, 1.0f));
  double norm = 0;
  for (const auto& gs : ex.grads())
    for (const auto& t : gs)
      for (float v : t.data) norm += static_cast<double>(v) * v;
  EXPECT_TRUE(std::isfinite(norm));
  EXPECT_GT(norm, 0);
}

}  // namespace
}  // namespace nac
