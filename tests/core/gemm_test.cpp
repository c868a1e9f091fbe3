#include "nac/core/gemm.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "nac/core/rng.hpp"

namespace nac {
namespace {

struct Case {
  bool trans_a, trans_b, accumulate;
  std::ptrdiff_t m, n, k;
};

// Runs gemm<T> on random operands stored with padded leading dimensions and compares every
// entry of C (and that the padding is untouched) with a double-precision sum.
template <typename T>
void check(const Case& t, double tol) {
  const std::ptrdiff_t pad = 3;
  const std::ptrdiff_t a_rows = t.trans_a ? t.k : t.m, a_cols = t.trans_a ? t.m : t.k;
  const std::ptrdiff_t b_rows = t.trans_b ? t.n : t.k, b_cols = t.trans_b ? t.k : t.n;
  const std::ptrdiff_t lda = a_cols + pad, ldb = b_cols + pad, ldc = t.n + pad;
  Rng rng(static_cast<std::uint64_t>(t.m * 1000 + t.n * 10 + t.k));
  const auto fill = [&rng](std::vector<T>& v) {
    for (auto& x : v) x = static_cast<T>(rng.uniform(-1, 1));
  };
  std::vector<T> a(static_cast<std::size_t>(a_rows * lda)),
      b(static_cast<std::size_t>(b_rows * ldb));
  std::vector<T> c(static_cast<std::size_t>(t.m * ldc));
  fill(a);
  fill(b);
  fill(c);
  const std::vector<T> c0 = c;
  gemm<T>(t.trans_a, t.trans_b, t.m, t.n, t.k, a.data(), lda, b.data(), ldb, c.data(), ldc,
          t.accumulate);
  const auto at = [&](std::ptrdiff_t i, std::ptrdiff_t r) {
    return static_cast<double>(t.trans_a ? a[static_cast<std::size_t>(r * lda + i)]
                                         : a[static_cast<std::size_t>(i * lda + r)]);
  };
  const auto bt = [&](std::ptrdiff_t r, std::ptrdiff_t j) {
    return static_cast<double>(t.trans_b ? b[static_cast<std::size_t>(j * ldb + r)]
                                         : b[static_cast<std::size_t>(r * ldb + j)]);
  };
  for (std::ptrdiff_t i = 0; i < t.m; ++i)
    for (std::ptrdiff_t j = 0; j < ldc; ++j) {
      const auto at_c = static_cast<std::size_t>(i * ldc + j);
      if (j >= t.n) {
        ASSERT_EQ(c[at_c], c0[at_c]) << "padding column " << j << " was written";
        continue;
      }
      double ref = t.accumulate ? static_cast<double>(c0[at_c]) : 0.0;
      for (std::ptrdiff_t r = 0; r < t.k; ++r) ref += at(i, r) * bt(r, j);
      ASSERT_NEAR(static_cast<double>(c[at_c]), ref, tol * std::sqrt(static_cast<double>(t.k + 1)))
          << "C[" << i << ", " << j << "] of m=" << t.m << " n=" << t.n << " k=" << t.k
          << " trans_a=" << t.trans_a << " trans_b=" << t.trans_b << " acc=" << t.accumulate;
    }
}

// Widths that take the kernel's full, partial, half-register and padded panels, one that goes to
// Eigen, row counts that leave every remainder block size, and reductions longer than one cache
// block.
TEST(Gemm, MatchesADoubleSumForEveryLayoutAndShape) {
  for (const bool ta : {false, true})
    for (const bool tb : {false, true})
      for (const bool acc : {false, true})
        for (const std::ptrdiff_t n : {8, 9, 12, 16, 24, 32, 40, 48, 64, 72, 81, 96, 100, 5})
          for (const std::ptrdiff_t m : {1, 7, 13, 50})
            for (const std::ptrdiff_t k : {1, 3, 33, 450})
              check<float>({ta, tb, acc, m, n, k}, 2e-6);
}

// A^T B with an 8-column C runs down C's rows (blocks of 48 and 16 rows, the rest by the row
// kernel) and splits reductions longer than 1024.
TEST(Gemm, TransposedAWithHalfRegisterWidth) {
  for (const bool acc : {false, true})
    for (const std::ptrdiff_t m : {16, 48, 70, 100})
      for (const std::ptrdiff_t k : {5, 1100}) check<float>({true, false, acc, m, 8, k}, 2e-6);
}

// With op(B) = B^T the kernel is used from 256 rows of C on (B transposed into a scratch first).
TEST(Gemm, TransposedBOnManyRows) {
  for (const bool ta : {false, true})
    for (const std::ptrdiff_t n : {8, 24, 81})
      for (const std::ptrdiff_t k : {3, 40}) check<float>({ta, true, true, 300, n, k}, 2e-6);
}

TEST(Gemm, DoubleGoesThroughEigenExactly) {
  for (const bool ta : {false, true})
    for (const bool tb : {false, true}) check<double>({ta, tb, true, 9, 16, 20}, 1e-14);
}

TEST(Gemm, KernelAndEigenAgree) {
  // Whatever path gemm takes, it computes the same product as the Eigen reference.
  const std::ptrdiff_t m = 37, n = 48, k = 129;
  Rng rng(9);
  std::vector<float> a(static_cast<std::size_t>(m * k)), b(static_cast<std::size_t>(k * n));
  for (auto& x : a) x = static_cast<float>(rng.normal());
  for (auto& x : b) x = static_cast<float>(rng.normal());
  std::vector<float> c1(static_cast<std::size_t>(m * n)), c2 = c1;
  gemm<float>(false, false, m, n, k, a.data(), k, b.data(), n, c1.data(), n, false);
  gemm_eigen<float>(false, false, m, n, k, a.data(), k, b.data(), n, c2.data(), n, false);
  for (std::size_t i = 0; i < c1.size(); ++i) EXPECT_NEAR(c1[i], c2[i], 1e-4) << i;
}

TEST(Gemm, EmptyReductionClearsOrKeeps) {
  std::vector<float> c = {1, 2, 3, 4, 5, 6, 7, 8};
  const float dummy = 0;
  gemm<float>(false, false, 1, 8, 0, &dummy, 1, &dummy, 8, c.data(), 8, true);
  EXPECT_EQ(c, (std::vector<float>{1, 2, 3, 4, 5, 6, 7, 8}));
  gemm<float>(false, false, 1, 8, 0, &dummy, 1, &dummy, 8, c.data(), 8, false);
  EXPECT_EQ(c, std::vector<float>(8, 0.0f));
}

}  // namespace
}  // namespace nac
