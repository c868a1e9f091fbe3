#include "nac/core/gemm.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <type_traits>
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

namespace nac {
namespace {

// gemm_rows / gemm_rows_tn against gemm on the explicit im2col matrix of a valid k x k
// convolution over a channels-last batch: bit-identical where the kernel takes the width, else
// equal to rounding (plain loops).
template <typename T>
void check_rows(int batch, int h, int w, int cin, int k, int n, bool accumulate) {
  const int ho = h - k + 1, wo = w - k + 1;
  const std::ptrdiff_t m = static_cast<std::ptrdiff_t>(batch) * ho * wo;
  const std::ptrdiff_t seg = static_cast<std::ptrdiff_t>(k) * cin, patch = seg * k;
  Rng rng(static_cast<std::uint64_t>(batch * 7 + h * 11 + cin * 13 + n));
  const auto fill = [&rng](std::vector<T>& v) {
    for (auto& x : v) x = static_cast<T>(rng.uniform(-1, 1));
  };
  std::vector<T> x(static_cast<std::size_t>(batch) * h * w * cin);
  std::vector<T> wt(static_cast<std::size_t>(patch * n)), dy(static_cast<std::size_t>(m * n));
  fill(x);
  fill(wt);
  fill(dy);
  std::vector<const T*> rows(static_cast<std::size_t>(m));
  std::vector<T> cols(static_cast<std::size_t>(m * patch));
  for (int b = 0, i = 0; b < batch; ++b)
    for (int oy = 0; oy < ho; ++oy)
      for (int ox = 0; ox < wo; ++ox, ++i) {
        const T* p = x.data() + ((static_cast<std::size_t>(b) * h + oy) * w + ox) * cin;
        rows[static_cast<std::size_t>(i)] = p;
        for (int ky = 0; ky < k; ++ky)
          for (std::ptrdiff_t t = 0; t < seg; ++t)
            cols[static_cast<std::size_t>(i * patch + ky * seg + t)] = p[ky * w * cin + t];
      }
  const bool exact = std::is_same_v<T, float> && gemm_rows_uses_kernel(n);
  const auto compare = [&](const std::vector<T>& got, const std::vector<T>& want, const char* f) {
    for (std::size_t i = 0; i < got.size(); ++i) {
      if (exact)
        ASSERT_EQ(got[i], want[i]) << f << " entry " << i << " n=" << n << " cin=" << cin;
      else
        ASSERT_NEAR(got[i], want[i], 1e-9) << f << " entry " << i << " n=" << n;
    }
  };
  // Forward: out = cols W.
  std::vector<T> out(static_cast<std::size_t>(m * n)), ref(out.size());
  fill(out);
  ref = out;
  gemm_rows<T>(m, n, seg, k, static_cast<std::ptrdiff_t>(w) * cin, rows.data(), wt.data(), n,
               out.data(), n, accumulate);
  gemm<T>(false, false, m, n, patch, cols.data(), patch, wt.data(), n, ref.data(), n, accumulate);
  compare(out, ref, "gemm_rows");
  // Weight gradient: dW = cols^T dY.
  std::vector<T> dw(static_cast<std::size_t>(patch * n)), dref(dw.size());
  fill(dw);
  dref = dw;
  gemm_rows_tn<T>(m, n, seg, k, static_cast<std::ptrdiff_t>(w) * cin, rows.data(), dy.data(), n,
                  dw.data(), n, accumulate);
  gemm<T>(true, false, patch, n, m, cols.data(), patch, dy.data(), n, dref.data(), n, accumulate);
  compare(dw, dref, "gemm_rows_tn");
}

TEST(GemmRows, MatchesGemmOnTheIm2colMatrix) {
  for (const bool acc : {false, true}) {
    check_rows<float>(3, 9, 9, 64, 3, 32, acc);  // BraggNN's second convolution
    check_rows<float>(2, 7, 7, 32, 3, 8, acc);   // its third (half-register width)
    check_rows<float>(2, 11, 11, 1, 3, 64, acc);
    check_rows<float>(1, 6, 5, 3, 5, 96, acc);   // 5x5 kernel, 2 x 1 positions
    check_rows<float>(4, 9, 9, 48, 3, 40, acc);  // runs of 144 across reduction blocks
    check_rows<float>(2, 5, 5, 4, 3, 12, acc);   // width the kernel does not take whole
    check_rows<double>(2, 5, 6, 3, 3, 16, acc);
  }
}

}  // namespace
}  // namespace nac
