#include "nac/graph/graph.hpp"

#include <gtest/gtest.h>

#include "../support/graphs.hpp"
#include "nac/core/error.hpp"

namespace nac {
namespace {

TEST(Graph, MisnamedParameterIsRejectedEvenWhenTheCountMatches) {
  Graph g;
  const int x = testing::add_input(g, {3});
  g.add(OpKind::Dense, "fc", {x}, {{"units", testing::int_attr(2)}});
  Rng rng(1);
  g.finalize(&rng);
  g.node(1).param("bias").name = "bais";  // as a hand-edited model file might have it
  try {
    g.finalize();
    FAIL() << "expected a GraphError";
  } catch (const GraphError& e) {
    EXPECT_NE(std::string(e.what()).find("'fc'"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("'bais'"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace nac
