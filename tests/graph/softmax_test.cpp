#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "../support/grad_check.hpp"
#include "../support/graphs.hpp"
#include "nac/graph/ops/softmax.hpp"

namespace nac {
namespace {

using testing::add_input;

Graph softmax_graph(const Shape& in) {
  Graph g;
  const int x = add_input(g, in);
  g.add(OpKind::Softmax, "softmax", {x});
  return g;
}

TEST(Softmax, Gradient) {
  for (const Shape& s : {Shape{5}, Shape{3, 4}}) {
    testing::GradCheckOptions opt;
    opt.input_scale = 3.0;
    const auto r = testing::grad_check(softmax_graph(s), opt);
    EXPECT_LT(r.max_rel_error, 1e-6) << shape_str(s) << ": " << r.worst;
  }
}

TEST(Softmax, ForwardMatchesDirectFormulaAndIsStable) {
  Graph g = softmax_graph({2, 3});
  g.finalize();
  Executor<double> ex(g);
  auto x = testing::random_batch({2, 3}, 2, 15, 2.0);
  const auto& y = ex.forward(x, false);
  for (std::size_t r = 0; r < 4; ++r) {
    double z = 0;
    for (std::size_t c = 0; c < 3; ++c) z += std::exp(x[r * 3 + c]);
    for (std::size_t c = 0; c < 3; ++c)
      EXPECT_NEAR(y[r * 3 + c], std::exp(x[r * 3 + c]) / z, 1e-15);
  }
  // Huge logits would overflow exp without the max shift.
  Executor<float> exf(g);
  Tensor<float> big({1, 2, 3});
  big.data = {1000.f, 999.f, 998.f, -1000.f, -1001.f, -1002.f};
  const auto& yf = exf.forward(big, false);
  const double e1 = std::exp(-1.0), e2 = std::exp(-2.0);
  for (std::size_t r = 0; r < 2; ++r) {
    EXPECT_NEAR(yf[r * 3 + 0], 1 / (1 + e1 + e2), 1e-6);
    EXPECT_NEAR(yf[r * 3 + 2], e2 / (1 + e1 + e2), 1e-6);
  }
}

// The bits must not depend on where the rows lie in memory (vectorised code may treat the
// unaligned first elements differently).
TEST(Softmax, SameBitsAtEveryAlignment) {
  const std::size_t cols = 37;
  Rng rng(25);
  std::vector<float> row(cols);
  for (auto& v : row) v = static_cast<float>(rng.uniform(-8, 8));
  std::vector<float> reference;
  for (std::size_t offset = 0; offset < 16; ++offset) {
    std::vector<float> in(cols + 16), out(cols + 16);
    std::copy(row.begin(), row.end(), in.begin() + static_cast<std::ptrdiff_t>(offset));
    softmax_rows(in.data() + offset, out.data() + offset, 1, cols);
    const std::vector<float> got(out.begin() + static_cast<std::ptrdiff_t>(offset),
                                 out.begin() + static_cast<std::ptrdiff_t>(offset + cols));
    if (reference.empty()) reference = got;
    EXPECT_EQ(got, reference) << "offset " << offset;
  }
}

}  // namespace
}  // namespace nac
