// Gradient checks through whole models that chain every op.
#include <gtest/gtest.h>

#include "../support/grad_check.hpp"
#include "../support/graphs.hpp"
#include "nac/graph/model_file.hpp"

namespace nac {
namespace {

using testing::add_input;
using testing::int_attr;

Graph every_op_stack() {
  Graph g;
  int x = add_input(g, {5, 5, 1});
  x = g.add(OpKind::Conv2D, "stem", {x}, {{"filters", int_attr(4)}, {"kernel", int_attr(3)}});
  x = g.add(OpKind::ConvAttn, "attn", {x},
            {{"hidden", int_attr(2)}, {"activation", "leaky_relu"}, {"alpha", 0.01}});
  x = g.add(OpKind::BatchNorm, "bn", {x});
  x = g.add(OpKind::Conv2D, "conv", {x},
            {{"filters", int_attr(3)}, {"kernel", int_attr(3)}, {"padding", "same"}});
  const int skip = x;
  x = g.add(OpKind::Activation, "act", {x}, {{"fn", "gelu"}});
  x = g.add(OpKind::Add, "residual", {x, skip});
  x = g.add(OpKind::LayerNorm, "ln", {x}, {{"axes", "all"}});
  x = g.add(OpKind::Conv2D, "pointwise", {x}, {{"filters", int_attr(2)}, {"kernel", int_attr(1)}});
  x = g.add(OpKind::LayerNorm, "ln_last", {x});
  x = g.add(OpKind::Flatten, "flatten", {x});
  x = g.add(OpKind::Dense, "fc", {x}, {{"units", int_attr(4)}});
  g.add(OpKind::Softmax, "softmax", {x});
  return g;
}

TEST(WholeGraph, ConvAttnNormsDenseSoftmaxStack) {
  Graph g = every_op_stack();
  testing::randomize_params(g, 21);
  testing::GradCheckOptions opt;
  opt.max_entries_per_tensor = 15;
  const auto r = testing::grad_check(g, opt);
  EXPECT_LT(r.max_rel_error, 1e-6) << r.worst;
  EXPECT_GT(r.checked, 150);
}

// Every new op's attributes and parameters (running statistics included) survive the model file.
TEST(WholeGraph, ModelFileRoundTripOfEveryOp) {
  Model m;
  m.graph = every_op_stack();
  testing::randomize_params(m.graph, 23);
  const auto x = tensor_cast<float>(testing::random_batch({5, 5, 1}, 4, 24));
  {
    Executor<float> train(m.graph);
    train.forward(x, true);  // moves the running statistics
    train.store_params(m.graph);
  }
  const std::string text = model_to_string(m);
  const Model back = model_from_string(text, "memory");
  EXPECT_EQ(model_to_string(back), text);
  EXPECT_FALSE(back.graph.node(back.graph.find("bn")).param("running_mean").trainable);
  Executor<float> a(m.graph), b(back.graph);
  EXPECT_EQ(a.forward(x, false).data, b.forward(x, false).data);
}

TEST(WholeGraph, TinyDeepSets) {
  for (const char* fn : {"mean", "max", "sum"}) {
    Graph g;
    int x = add_input(g, {6, 3});
    x = g.add(OpKind::Dense, "phi0", {x}, {{"units", int_attr(5)}});
    x = g.add(OpKind::BatchNorm, "phi_bn", {x});
    x = g.add(OpKind::Activation, "phi_act", {x}, {{"fn", "tanh"}});
    x = g.add(OpKind::Dense, "phi1", {x}, {{"units", int_attr(4)}});
    x = g.add(OpKind::Aggregate, "pool", {x}, {{"fn", fn}});
    x = g.add(OpKind::Dense, "rho0", {x}, {{"units", int_attr(4)}});
    x = g.add(OpKind::Activation, "rho_act", {x}, {{"fn", "leaky_relu"}});
    x = g.add(OpKind::Dense, "rho1", {x}, {{"units", int_attr(3)}});
    g.add(OpKind::Softmax, "softmax", {x});
    testing::randomize_params(g, 22);
    const auto r = testing::grad_check(g);
    EXPECT_LT(r.max_rel_error, 1e-6) << fn << ": " << r.worst;
  }
}

}  // namespace
}  // namespace nac
