#include <gtest/gtest.h>

#include <cmath>

#include "../support/grad_check.hpp"
#include "../support/graphs.hpp"
#include "nac/core/error.hpp"

namespace nac {
namespace {

using testing::add_input;

Graph ln_graph(const Shape& in, const std::string& axes) {
  Graph g;
  const int x = add_input(g, in);
  g.add(OpKind::LayerNorm, "ln", {x}, {{"axes", axes}});
  return g;
}

TEST(LayerNorm, GradientLastAxis) {
  for (const Shape& s : {Shape{5}, Shape{3, 4}, Shape{2, 3, 4}}) {
    Graph g = ln_graph(s, "last");
    testing::randomize_params(g, 11);
    const auto r = testing::grad_check(g);
    EXPECT_LT(r.max_rel_error, 1e-6) << shape_str(s) << ": " << r.worst;
  }
}

TEST(LayerNorm, GradientAllAxes) {
  Graph g = ln_graph({3, 2, 4}, "all");
  testing::randomize_params(g, 12);
  const auto r = testing::grad_check(g);
  EXPECT_LT(r.max_rel_error, 1e-6) << r.worst;
  EXPECT_GT(r.checked, 60);
}

// Direct formula: normalise groups of `group` consecutive values, gamma/beta indexed within.
void expect_matches_direct(const Shape& in, const std::string& axes, std::size_t group) {
  Graph g = ln_graph(in, axes);
  testing::randomize_params(g, 13);
  Executor<double> ex(g);
  const auto x = testing::random_batch(in, 3, 14, 2.0);
  const auto& y = ex.forward(x, false);
  const auto& gamma = ex.params()[1][0];
  const auto& beta = ex.params()[1][1];
  ASSERT_EQ(gamma.size(), group);
  for (std::size_t start = 0; start < x.size(); start += group) {
    double mean = 0, var = 0;
    for (std::size_t j = 0; j < group; ++j) mean += x[start + j] / static_cast<double>(group);
    for (std::size_t j = 0; j < group; ++j)
      var += (x[start + j] - mean) * (x[start + j] - mean) / static_cast<double>(group);
    for (std::size_t j = 0; j < group; ++j)
      EXPECT_NEAR(y[start + j], gamma[j] * (x[start + j] - mean) / std::sqrt(var + 1e-5) + beta[j],
                  1e-12);
  }
}

TEST(LayerNorm, ForwardMatchesDirectFormula) {
  expect_matches_direct({4, 5}, "last", 5);
  expect_matches_direct({2, 3, 4}, "all", 24);
}

TEST(LayerNorm, ParamShapesAndErrors) {
  Graph a = ln_graph({9, 9, 8}, "all");
  a.finalize();
  EXPECT_EQ(a.node(1).param("gamma").value.shape, (Shape{9, 9, 8}));
  Graph l = ln_graph({9, 9, 8}, "last");
  l.finalize();
  EXPECT_EQ(l.node(1).param("beta").value.shape, (Shape{8}));
  try {
    ln_graph({4}, "first").finalize();
    FAIL() << "expected a GraphError";
  } catch (const GraphError& e) {
    EXPECT_NE(std::string(e.what()).find("'ln'"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("axes"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace nac
