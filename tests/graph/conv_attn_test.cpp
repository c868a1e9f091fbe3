#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "../support/grad_check.hpp"
#include "../support/graphs.hpp"
#include "nac/core/eigen.hpp"
#include "nac/core/error.hpp"
#include "nac/graph/op.hpp"

namespace nac {
namespace {

using testing::add_input;
using testing::int_attr;

Graph attn_graph(const Shape& in, int hidden, const std::string& act) {
  Graph g;
  const int x = add_input(g, in);
  g.add(OpKind::ConvAttn, "attn", {x}, {{"hidden", int_attr(hidden)}, {"activation", act}});
  return g;
}

TEST(ConvAttn, GradientWithEveryActivation) {
  for (const char* act : {"identity", "leaky_relu", "relu", "gelu", "tanh"}) {
    Graph g = attn_graph({3, 2, 4}, 2, act);
    testing::randomize_params(g, 17);
    const auto r = testing::grad_check(g);
    EXPECT_LT(r.max_rel_error, 1e-6) << act << ": " << r.worst;
    EXPECT_GT(r.checked, 60);
  }
}

// The block written out with plain matrices, one sample at a time.
TEST(ConvAttn, ForwardMatchesDirectFormula) {
  const int H = 2, W = 3, C = 4, h = 3, P = H * W, N = 2;
  Graph g = attn_graph({H, W, C}, h, "leaky_relu");
  testing::randomize_params(g, 18);
  Executor<double> ex(g);
  const auto x = testing::random_batch({H, W, C}, N, 19, 2.0);
  const auto& y = ex.forward(x, false);
  const auto& p = ex.params()[1];
  using M = MatrixRM<double>;
  auto mat = [](const Tensor<double>& t, int r, int c, std::size_t off = 0) {
    return M(ConstMatMap<double>(t.ptr() + off, r, c));
  };
  auto bias = [&](std::size_t k, int c) { return M(mat(p[k], 1, c).replicate(P, 1)); };
  for (int n = 0; n < N; ++n) {
    const M X = mat(x, P, C, static_cast<std::size_t>(n * P * C));
    const M Q = X * mat(p[0], C, h) + bias(1, h);
    const M K = X * mat(p[2], C, h) + bias(3, h);
    const M V = X * mat(p[4], C, h) + bias(5, h);
    M S = Q * K.transpose();
    for (int i = 0; i < P; ++i) {
      double z = 0;
      for (int j = 0; j < P; ++j) z += std::exp(S(i, j));
      for (int j = 0; j < P; ++j) S(i, j) = std::exp(S(i, j)) / z;
    }
    const M Z = X + S * V * mat(p[6], h, C) + bias(7, C);
    for (int i = 0; i < P; ++i)
      for (int c = 0; c < C; ++c) {
        const double z = Z(i, c);
        EXPECT_NEAR(y[static_cast<std::size_t>((n * P + i) * C + c)], z > 0 ? z : 0.01 * z, 1e-12);
      }
  }
}

// BraggNN's block in float (the padded attention rows through core/gemm's kernel) against the
// double executor (Eigen): outputs and parameter gradients equal to float rounding (large random
// weights make the scores sharp, so that is about 1e-4 relative here; a layout error is O(1)).
TEST(ConvAttn, FloatKernelPathMatchesDouble) {
  Graph g = attn_graph({9, 9, 64}, 32, "leaky_relu");
  testing::randomize_params(g, 21);
  const auto xd = testing::random_batch({9, 9, 64}, 3, 22);
  const auto xf = tensor_cast<float>(xd);
  Executor<double> ed(g);
  Executor<float> ef(g);
  const auto yd = ed.forward(xd, true);
  const auto& yf = ef.forward(xf, true);
  ASSERT_EQ(yd.size(), yf.size());
  for (std::size_t i = 0; i < yd.size(); ++i)
    ASSERT_NEAR(yf[i], yd[i], 1e-3 * (1 + std::abs(yd[i]))) << "output " << i;
  Tensor<double> dyd(yd.shape);
  for (std::size_t i = 0; i < dyd.size(); ++i) dyd[i] = std::sin(0.37 * static_cast<double>(i));
  ed.backward(dyd);
  ef.backward(tensor_cast<float>(dyd));
  const auto& gd = ed.grads()[1];
  const auto& gf = ef.grads()[1];
  ASSERT_EQ(gd.size(), 8u);
  for (std::size_t p = 0; p < gd.size(); ++p) {
    if (p == 3) continue;  // k_bias: exactly 0 (softmax ignores a per-row shift), float noise
    double scale = 0;
    for (std::size_t i = 0; i < gd[p].size(); ++i) scale = std::max(scale, std::abs(gd[p][i]));
    ASSERT_GT(scale, 0.0) << "parameter " << p;
    for (std::size_t i = 0; i < gd[p].size(); ++i)
      ASSERT_NEAR(gf[p][i], gd[p][i], 1e-3 * scale) << "parameter " << p << " entry " << i;
  }
}

TEST(ConvAttn, ParamsCostAndErrors) {
  Graph g = attn_graph({9, 9, 64}, 32, "leaky_relu");
  g.finalize();
  EXPECT_EQ(g.output_shape(), (Shape{9, 9, 64}));
  const std::vector<std::string> names{"q_weight", "q_bias", "k_weight",    "k_bias",
                                       "v_weight", "v_bias", "proj_weight", "proj_bias"};
  ASSERT_EQ(g.node(1).params.size(), names.size());
  for (std::size_t i = 0; i < names.size(); ++i) EXPECT_EQ(g.node(1).params[i].name, names[i]);
  EXPECT_EQ(g.node(1).param("proj_weight").value.shape, (Shape{32, 64}));
  EXPECT_EQ(g.parameter_count(), 3 * (64 * 32 + 32) + 32 * 64 + 64);
  const OpCost c = op_cost(g.node(1), g.input_shapes(1));
  long long weight_macs = 0, attn_macs = 0;
  for (const auto& m : c.macs) (m.weight.empty() ? attn_macs : weight_macs) += m.outputs * m.fan_in;
  EXPECT_EQ(weight_macs, 81LL * 64 * 32 * 4);
  EXPECT_EQ(attn_macs, 81LL * 81 * 32 * 2);
  EXPECT_THROW(attn_graph({9, 9, 64}, 0, "relu").finalize(), GraphError);
  EXPECT_THROW(attn_graph({81, 64}, 8, "relu").finalize(), GraphError);
  EXPECT_THROW(attn_graph({9, 9, 64}, 8, "swish").finalize(), InputError);
}

}  // namespace
}  // namespace nac
