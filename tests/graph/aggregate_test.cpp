#include <gtest/gtest.h>

#include <algorithm>

#include "../support/grad_check.hpp"
#include "../support/graphs.hpp"
#include "nac/core/error.hpp"

namespace nac {
namespace {

using testing::add_input;

Graph agg_graph(const Shape& in, const std::string& fn) {
  Graph g;
  const int x = add_input(g, in);
  g.add(OpKind::Aggregate, "pool", {x}, {{"fn", fn}});
  return g;
}

TEST(Aggregate, GradientMeanMaxSum) {
  for (const char* fn : {"mean", "max", "sum"}) {
    const auto r = testing::grad_check(agg_graph({5, 3}, fn));
    EXPECT_LT(r.max_rel_error, 1e-6) << fn << ": " << r.worst;
    EXPECT_GT(r.checked, 30);
  }
}

TEST(Aggregate, ForwardMatchesDirectFormula) {
  const auto x = testing::random_batch({4, 3}, 2, 16);
  for (const char* fn : {"mean", "max", "sum"}) {
    Graph g = agg_graph({4, 3}, fn);
    g.finalize();
    EXPECT_EQ(g.output_shape(), Shape{3});
    Executor<double> ex(g);
    const auto& y = ex.forward(x, false);
    for (std::size_t s = 0; s < 2; ++s)
      for (std::size_t j = 0; j < 3; ++j) {
        double sum = 0, mx = -1e300;
        for (std::size_t e = 0; e < 4; ++e) {
          sum += x[(s * 4 + e) * 3 + j];
          mx = std::max(mx, x[(s * 4 + e) * 3 + j]);
        }
        const double want = fn == std::string("mean")  ? sum / 4
                            : fn == std::string("max") ? mx
                                                       : sum;
        EXPECT_NEAR(y[s * 3 + j], want, 1e-15) << fn;
      }
  }
}

TEST(Aggregate, MaxGradientGoesToTheFirstTiedElement) {
  Graph g = agg_graph({3, 2}, "max");
  g.finalize();
  Executor<double> ex(g);
  Tensor<double> x({1, 3, 2});
  x.data = {1.0, 5.0, 7.0, 2.0, 7.0, 5.0};  // feature 0: tie at elements 1, 2; feature 1: 0, 2
  ex.forward(x, true);
  Tensor<double> dy({1, 2});
  dy.data = {3.0, -2.0};
  ex.backward(dy);
  EXPECT_EQ(ex.input_grad().data, (std::vector<double>{0.0, -2.0, 3.0, 0.0, 0.0, 0.0}));
}

TEST(Aggregate, RejectsNonSetsAndUnknownFunctions) {
  EXPECT_THROW(agg_graph({4}, "mean").finalize(), GraphError);
  EXPECT_THROW(agg_graph({4, 3}, "median").finalize(), GraphError);
}

}  // namespace
}  // namespace nac
