#include <gtest/gtest.h>

#include "../support/grad_check.hpp"
#include "../support/graphs.hpp"
#include "nac/core/error.hpp"
#include "nac/graph/op.hpp"

namespace nac {
namespace {

using testing::add_input;
using testing::int_attr;

Graph conv_graph(const Shape& in, int filters, int kernel, const std::string& padding,
                 bool bias = true) {
  Graph g;
  const int x = add_input(g, in);
  g.add(OpKind::Conv2D, "conv", {x},
        {{"filters", int_attr(filters)},
         {"kernel", int_attr(kernel)},
         {"padding", padding},
         {"use_bias", int_attr(bias ? 1 : 0)}});
  return g;
}

TEST(Conv2D, GradientValid3x3) {
  const auto r = testing::grad_check(conv_graph({5, 4, 2}, 3, 3, "valid"));
  EXPECT_LT(r.max_rel_error, 1e-6) << r.worst;
  EXPECT_GT(r.checked, 50);
}

TEST(Conv2D, GradientSamePadding3x3And5x5) {
  for (int k : {3, 5}) {
    const auto r = testing::grad_check(conv_graph({5, 6, 2}, 3, k, "same"));
    EXPECT_LT(r.max_rel_error, 1e-6) << "k=" << k << ": " << r.worst;
  }
}

TEST(Conv2D, Gradient1x1AndWithoutBias) {
  auto r = testing::grad_check(conv_graph({3, 4, 5}, 2, 1, "valid"));
  EXPECT_LT(r.max_rel_error, 1e-6) << r.worst;
  r = testing::grad_check(conv_graph({4, 4, 2}, 3, 3, "same", false));
  EXPECT_LT(r.max_rel_error, 1e-6) << r.worst;
}

// The op against the textbook sum: y[n,oy,ox,o] = b[o] + sum w[ky,kx,c,o] x[n,oy+ky-p,ox+kx-p,c].
void expect_matches_direct(const Shape& in, int filters, int k, const std::string& padding) {
  Graph g = conv_graph(in, filters, k, padding);
  testing::randomize_params(g, 3);
  Executor<double> ex(g);
  const int N = 3;
  const auto x = testing::random_batch(in, N, 4);
  const auto& y = ex.forward(x, false);
  const auto& w = ex.params()[1][0];
  const auto& b = ex.params()[1][1];
  const int H = in[0], W = in[1], C = in[2];
  const int pad = padding == "same" ? (k - 1) / 2 : 0;
  const int ho = H + 2 * pad - k + 1, wo = W + 2 * pad - k + 1;
  ASSERT_EQ(y.shape, (Shape{N, ho, wo, filters}));
  double worst = 0;
  for (int n = 0; n < N; ++n)
    for (int oy = 0; oy < ho; ++oy)
      for (int ox = 0; ox < wo; ++ox)
        for (int o = 0; o < filters; ++o) {
          double s = b[static_cast<std::size_t>(o)];
          for (int ky = 0; ky < k; ++ky)
            for (int kx = 0; kx < k; ++kx)
              for (int c = 0; c < C; ++c) {
                const int iy = oy + ky - pad, ix = ox + kx - pad;
                if (iy < 0 || iy >= H || ix < 0 || ix >= W) continue;
                s += w[static_cast<std::size_t>(((ky * k + kx) * C + c) * filters + o)] *
                     x[static_cast<std::size_t>(((n * H + iy) * W + ix) * C + c)];
              }
          const double got = y[static_cast<std::size_t>(((n * ho + oy) * wo + ox) * filters + o)];
          worst = std::max(worst, std::abs(got - s));
        }
  EXPECT_LT(worst, 1e-12) << "k=" << k << " " << padding;
}

TEST(Conv2D, ForwardMatchesDirectSum) {
  expect_matches_direct({6, 5, 3}, 4, 3, "valid");
  expect_matches_direct({6, 5, 3}, 4, 3, "same");
  expect_matches_direct({5, 7, 2}, 3, 5, "same");
  expect_matches_direct({5, 5, 2}, 3, 5, "valid");
  expect_matches_direct({3, 2, 4}, 5, 1, "same");
  // 144 positions x 400 patch values in double: two samples per ~1 MiB chunk, so three samples
  // run as a full chunk and a remainder.
  expect_matches_direct({12, 12, 16}, 2, 5, "same");
}

TEST(Conv2D, GradientAcrossBatchChunks) {
  const auto r = testing::grad_check(conv_graph({12, 12, 16}, 2, 5, "same"));
  EXPECT_LT(r.max_rel_error, 1e-6) << r.worst;
}

TEST(Conv2D, ShapesParamsAndCost) {
  Graph g = conv_graph({11, 11, 1}, 64, 3, "valid");
  g.finalize();
  EXPECT_EQ(g.output_shape(), (Shape{9, 9, 64}));
  EXPECT_EQ(g.node(1).param("weight").value.shape, (Shape{3, 3, 1, 64}));
  EXPECT_EQ(g.parameter_count(), 9 * 64 + 64);
  const OpCost c = op_cost(g.node(1), g.input_shapes(1));
  ASSERT_EQ(c.macs.size(), 1u);
  EXPECT_EQ(c.macs[0].outputs, 81 * 64);
  EXPECT_EQ(c.macs[0].fan_in, 9);
  EXPECT_EQ(c.macs[0].weight, "weight");
  Graph same = conv_graph({9, 9, 8}, 4, 5, "same");
  same.finalize();
  EXPECT_EQ(same.output_shape(), (Shape{9, 9, 4}));
}

void expect_graph_error(Graph g, const std::vector<std::string>& needles) {
  try {
    g.finalize();
    FAIL() << "expected a GraphError";
  } catch (const GraphError& e) {
    for (const auto& s : needles)
      EXPECT_NE(std::string(e.what()).find(s), std::string::npos) << e.what();
  }
}

TEST(Conv2D, RejectsBadKernelsPaddingAndInputs) {
  expect_graph_error(conv_graph({8, 8, 1}, 2, 2, "valid"), {"conv", "kernel must be 1, 3 or 5"});
  expect_graph_error(conv_graph({4, 3, 2}, 2, 5, "same"), {"conv", "[4, 3, 2]", "larger"});
  expect_graph_error(conv_graph({2, 5, 1}, 2, 3, "valid"), {"conv", "[2, 5, 1]", "larger"});
  expect_graph_error(conv_graph({8, 8, 1}, 2, 3, "full"), {"conv", "padding"});
  expect_graph_error(conv_graph({8, 8}, 2, 3, "valid"), {"conv", "[8, 8]"});
  expect_graph_error(conv_graph({8, 8, 1}, 0, 3, "valid"), {"conv", "filters"});
}

}  // namespace
}  // namespace nac
