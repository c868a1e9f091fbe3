#include <gtest/gtest.h>

#include "../support/grad_check.hpp"
#include "nac/core/error.hpp"
#include "nac/graph/graph.hpp"

namespace nac {
namespace {

Graph mlp(const Shape& in, std::vector<int> widths, const std::string& act) {
  Graph g;
  int x =
      g.add(OpKind::Input, "x", {}, {{"shape", std::vector<std::int64_t>(in.begin(), in.end())}});
  for (std::size_t i = 0; i < widths.size(); ++i) {
    x = g.add(OpKind::Dense, "dense" + std::to_string(i), {x},
              {{"units", std::int64_t{widths[i]}}});
    if (i + 1 < widths.size())
      x = g.add(OpKind::Activation, "act" + std::to_string(i), {x}, {{"fn", act}});
  }
  return g;
}

TEST(Dense, GradientMatchesFiniteDifferences) {
  const auto r = testing::grad_check(mlp({5}, {4}, "identity"));
  EXPECT_LT(r.max_rel_error, 1e-7) << r.worst;
  EXPECT_GT(r.checked, 20);
}

TEST(Dense, AppliedPerSetElement) {
  const auto r = testing::grad_check(mlp({6, 3}, {4, 2}, "tanh"));
  EXPECT_LT(r.max_rel_error, 1e-7) << r.worst;
}

TEST(Dense, WholeMlpWithEveryActivation) {
  for (const char* act : {"relu", "leaky_relu", "gelu", "sigmoid", "tanh", "identity"}) {
    const auto r = testing::grad_check(mlp({7}, {6, 5, 3}, act));
    EXPECT_LT(r.max_rel_error, 1e-6) << act << ": " << r.worst;
  }
}

TEST(Dense, ParameterCountAndShapes) {
  Graph g = mlp({16}, {64, 32, 32, 5}, "relu");
  g.finalize();
  EXPECT_EQ(g.parameter_count(), 16 * 64 + 64 + 64 * 32 + 32 + 32 * 32 + 32 + 32 * 5 + 5);
  EXPECT_EQ(g.output_shape(), Shape{5});
}

TEST(Dense, RejectsImageInputNamingTheNode) {
  Graph g = mlp({4, 4, 2}, {3}, "relu");
  try {
    g.finalize();
    FAIL() << "expected a GraphError";
  } catch (const GraphError& e) {
    EXPECT_NE(std::string(e.what()).find("dense0"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("[4, 4, 2]"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace nac
