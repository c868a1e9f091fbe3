#include "nac/core/gemm.hpp"

#include <Eigen/Core>
#include <algorithm>
#include <cstring>
#include <type_traits>
#include <vector>

namespace nac {
namespace {

using Index = std::ptrdiff_t;

#if defined(__AVX512F__)
#define NAC_GEMM_KERNEL 1
constexpr int kLanes = 16;         // floats per register
constexpr int kAccumulators = 24;  // of 32 registers; the rest hold B and the broadcasts
#elif defined(__AVX2__) && defined(__FMA__)
#define NAC_GEMM_KERNEL 1
constexpr int kLanes = 8;
constexpr int kAccumulators = 12;  // of 16
#else
#define NAC_GEMM_KERNEL 0
#endif

#if NAC_GEMM_KERNEL
// kernel_gemm's reduction block: rows of B (at most 4 registers wide) that stay in the L2 cache
// while every row block of C passes over them. gemm_rows splits its runs at the same points, so
// its partial sums, and hence its bits, match gemm's on the im2col matrix.
constexpr Index kReductionBlock = std::max<Index>(64, (96 * 1024 / sizeof(float)) / (4 * kLanes));

// GCC/Clang vector extensions: one full register, and a half one for an n % kLanes remainder.
typedef float Vec __attribute__((vector_size(kLanes * sizeof(float))));
typedef float HalfVec __attribute__((vector_size(kLanes / 2 * sizeof(float))));

// Unaligned loads and stores through memcpy (no aliasing questions; one instruction).
template <typename V>
inline V load(const float* p) {
  V v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
template <typename V>
inline void store(float* p, const V& v) {
  std::memcpy(p, &v, sizeof v);
}

// C[0:MR, 0:NV*lanes] (+)= sum over r < k of a(i, r) B[r, :], a(i, r) = a[i * a_row + r * a_red].
// The MR x NV accumulators stay in registers for the whole reduction.
template <typename V, int MR, int NV>
void micro(Index k, const float* a, Index a_row, Index a_red, const float* b, Index ldb, float* c,
           Index ldc, bool accumulate) {
  constexpr int lanes = static_cast<int>(sizeof(V) / sizeof(float));
  V acc[MR][NV];
  for (int i = 0; i < MR; ++i)
    for (int j = 0; j < NV; ++j) acc[i][j] = accumulate ? load<V>(c + i * ldc + j * lanes) : V{};
  for (Index r = 0; r < k; ++r) {
    V bv[NV];
    for (int j = 0; j < NV; ++j) bv[j] = load<V>(b + r * ldb + j * lanes);
    for (int i = 0; i < MR; ++i) {
      const float s = a[i * a_row + r * a_red];
      for (int j = 0; j < NV; ++j) acc[i][j] += s * bv[j];
    }
  }
  for (int i = 0; i < MR; ++i)
    for (int j = 0; j < NV; ++j) store(c + i * ldc + j * lanes, acc[i][j]);
}

// All m rows of one column panel: blocks of MR rows, then the remainder in halving blocks.
template <typename V, int NV, int MR>
void panel_rows(Index m, Index k, const float* a, Index a_row, Index a_red, const float* b,
                Index ldb, float* c, Index ldc, bool accumulate) {
  Index i = 0;
  for (; i + MR <= m; i += MR)
    micro<V, MR, NV>(k, a + i * a_row, a_row, a_red, b, ldb, c + i * ldc, ldc, accumulate);
  if constexpr (MR > 1)
    if (i < m)
      panel_rows<V, NV, MR / 2>(m - i, k, a + i * a_row, a_row, a_red, b, ldb, c + i * ldc, ldc,
                                accumulate);
}

template <typename V, int NV>
void panel(Index m, Index k, const float* a, Index a_row, Index a_red, const float* b, Index ldb,
           float* c, Index ldc, bool accumulate) {
  constexpr int mr = std::min(12, kAccumulators / NV);
  panel_rows<V, NV, mr>(m, k, a, a_row, a_red, b, ldb, c, ldc, accumulate);
}

// C = op(A) B with op(A) = A^T and C only half a register wide (8 columns with AVX-512): rows of
// C are too narrow for the row kernel's full registers, but A^T's columns are contiguous rows of
// A, so here the registers run down the rows of C instead. acc[v][j] holds C[16v .. 16v+15, j]
// (with kLanes = 16), loaded and stored through a transposing copy, which the reduction over k
// amortises.
template <int MV>
void micro_cols(Index k, const float* a, Index lda, const float* b, Index ldb, float* c, Index ldc,
                bool accumulate) {
  constexpr int kN = kLanes / 2;
  alignas(64) float tile[MV * kLanes * kN];  // [MV * kLanes rows][kN columns], C's layout
  Vec acc[MV][kN];
  if (accumulate) {
    for (int i = 0; i < MV * kLanes; ++i)
      for (int j = 0; j < kN; ++j) tile[i * kN + j] = c[i * ldc + j];
    for (int v = 0; v < MV; ++v)
      for (int j = 0; j < kN; ++j)
        for (int l = 0; l < kLanes; ++l) acc[v][j][l] = tile[(v * kLanes + l) * kN + j];
  } else {
    for (int v = 0; v < MV; ++v)
      for (int j = 0; j < kN; ++j) acc[v][j] = Vec{};
  }
  for (Index r = 0; r < k; ++r) {
    Vec av[MV];
    for (int v = 0; v < MV; ++v) av[v] = load<Vec>(a + r * lda + v * kLanes);
    for (int j = 0; j < kN; ++j) {
      const float s = b[r * ldb + j];
      for (int v = 0; v < MV; ++v) acc[v][j] += av[v] * s;
    }
  }
  for (int v = 0; v < MV; ++v)
    for (int j = 0; j < kN; ++j)
      for (int l = 0; l < kLanes; ++l) tile[(v * kLanes + l) * kN + j] = acc[v][j][l];
  for (int i = 0; i < MV * kLanes; ++i)
    for (int j = 0; j < kN; ++j) c[i * ldc + j] = tile[i * kN + j];
}

// The half-register-wide A^T B: blocks of 3, then 1 register of rows; the last rows (fewer than
// kLanes) through the row kernel.
void kernel_gemm_tn_half(Index m, Index k, const float* a, Index lda, const float* b, Index ldb,
                         float* c, Index ldc, bool accumulate) {
  const Index kc = 1024;  // rows of A and B per pass: 3 x 16 + 8 floats each, in L1/L2
  for (Index r0 = 0; r0 < k; r0 += kc) {
    const Index kb = std::min(kc, k - r0);
    const float* ab = a + r0 * lda;
    const float* bb = b + r0 * ldb;
    const bool acc = accumulate || r0 > 0;
    Index i = 0;
    for (; i + 3 * kLanes <= m; i += 3 * kLanes)
      micro_cols<3>(kb, ab + i, lda, bb, ldb, c + i * ldc, ldc, acc);
    for (; i + kLanes <= m; i += kLanes)
      micro_cols<1>(kb, ab + i, lda, bb, ldb, c + i * ldc, ldc, acc);
    if (i < m) panel<HalfVec, 1>(m - i, kb, ab + i, 1, lda, bb, ldb, c + i * ldc, ldc, acc);
  }
}

// The last w < kLanes / 2 columns: through zero-padded copies of B's and C's columns, so that
// the half-register kernel computes them too (C's copy starts from C when accumulating).
void tail_panel(Index m, Index w, Index k, const float* a, Index a_row, Index a_red, const float* b,
                Index ldb, float* c, Index ldc, bool accumulate) {
  constexpr Index half = kLanes / 2;
  thread_local std::vector<float> bp, cp;
  bp.assign(static_cast<std::size_t>(k * half), 0.0f);
  cp.assign(static_cast<std::size_t>(m * half), 0.0f);
  for (Index r = 0; r < k; ++r) std::copy(b + r * ldb, b + r * ldb + w, bp.begin() + r * half);
  if (accumulate)
    for (Index i = 0; i < m; ++i) std::copy(c + i * ldc, c + i * ldc + w, cp.begin() + i * half);
  panel<HalfVec, 1>(m, k, a, a_row, a_red, bp.data(), half, cp.data(), half, true);
  for (Index i = 0; i < m; ++i)
    std::copy(cp.begin() + i * half, cp.begin() + i * half + w, c + i * ldc);
}

// Splits n columns into register panels, left to right: 4-register panels, then one of 3, 2 or 1
// registers, then half a register; calls run.template operator()<V, NV>(j) for the panel at
// column j and returns the first column left over (for a tail that is not a half register).
template <typename Run>
Index for_each_panel(Index n, Run&& run) {
  Index j = 0;
  for (; j + 4 * kLanes <= n; j += 4 * kLanes) run.template operator()<Vec, 4>(j);
  const Index rest = n - j;
  if (rest >= 3 * kLanes) {
    run.template operator()<Vec, 3>(j);
    j += 3 * kLanes;
  } else if (rest >= 2 * kLanes) {
    run.template operator()<Vec, 2>(j);
    j += 2 * kLanes;
  } else if (rest >= kLanes) {
    run.template operator()<Vec, 1>(j);
    j += kLanes;
  }
  if (n - j >= kLanes / 2) {
    run.template operator()<HalfVec, 1>(j);
    j += kLanes / 2;
  }
  return j;
}

// The columns in panels of up to 4 registers (then 3, 2, 1, a half register and a padded tail).
void kernel_gemm(Index m, Index n, Index k, const float* a, Index a_row, Index a_red,
                 const float* b, Index ldb, float* c, Index ldc, bool accumulate) {
  const Index kc = kReductionBlock;
  for (Index r0 = 0; r0 < k; r0 += kc) {
    const Index kb = std::min(kc, k - r0);
    const float* ab = a + r0 * a_red;
    const float* bb = b + r0 * ldb;
    const bool acc = accumulate || r0 > 0;
    const Index j = for_each_panel(n, [&]<typename V, int NV>(Index col) {
      panel<V, NV>(m, kb, ab, a_row, a_red, bb + col, ldb, c + col, ldc, acc);
    });
    if (j < n) tail_panel(m, n - j, kb, ab, a_row, a_red, bb + j, ldb, c + j, ldc, acc);
  }
}

// gemm_rows: the row kernel with one pointer per row of A (a(i, r) = a[i][a_off + r]) instead of
// a stride, so that the rows of an implicit im2col matrix can be read straight from the input.
template <typename V, int MR, int NV>
void micro_ptr(Index k, const float* const* a, Index a_off, const float* b, Index ldb, float* c,
               Index ldc, bool accumulate) {
  constexpr int lanes = static_cast<int>(sizeof(V) / sizeof(float));
  const float* ap[MR];
  for (int i = 0; i < MR; ++i) ap[i] = a[i] + a_off;
  V acc[MR][NV];
  for (int i = 0; i < MR; ++i)
    for (int j = 0; j < NV; ++j) acc[i][j] = accumulate ? load<V>(c + i * ldc + j * lanes) : V{};
  for (Index r = 0; r < k; ++r) {
    V bv[NV];
    for (int j = 0; j < NV; ++j) bv[j] = load<V>(b + r * ldb + j * lanes);
    for (int i = 0; i < MR; ++i) {
      const float s = ap[i][r];
      for (int j = 0; j < NV; ++j) acc[i][j] += s * bv[j];
    }
  }
  for (int i = 0; i < MR; ++i)
    for (int j = 0; j < NV; ++j) store(c + i * ldc + j * lanes, acc[i][j]);
}

template <typename V, int NV, int MR>
void panel_rows_ptr(Index m, Index k, const float* const* a, Index a_off, const float* b, Index ldb,
                    float* c, Index ldc, bool accumulate) {
  Index i = 0;
  for (; i + MR <= m; i += MR)
    micro_ptr<V, MR, NV>(k, a + i, a_off, b, ldb, c + i * ldc, ldc, accumulate);
  if constexpr (MR > 1)
    if (i < m)
      panel_rows_ptr<V, NV, MR / 2>(m - i, k, a + i, a_off, b, ldb, c + i * ldc, ldc, accumulate);
}

template <typename V, int NV>
void panel_ptr(Index m, Index k, const float* const* a, Index a_off, const float* b, Index ldb,
               float* c, Index ldc, bool accumulate) {
  constexpr int mr = std::min(12, kAccumulators / NV);
  panel_rows_ptr<V, NV, mr>(m, k, a, a_off, b, ldb, c, ldc, accumulate);
}

// The transposed form: a(i, r) = a[r][a_off + i], one pointer per reduction index.
template <typename V, int MR, int NV>
void micro_tptr(Index k, const float* const* a, Index a_off, const float* b, Index ldb, float* c,
                Index ldc, bool accumulate) {
  constexpr int lanes = static_cast<int>(sizeof(V) / sizeof(float));
  V acc[MR][NV];
  for (int i = 0; i < MR; ++i)
    for (int j = 0; j < NV; ++j) acc[i][j] = accumulate ? load<V>(c + i * ldc + j * lanes) : V{};
  for (Index r = 0; r < k; ++r) {
    V bv[NV];
    for (int j = 0; j < NV; ++j) bv[j] = load<V>(b + r * ldb + j * lanes);
    const float* ar = a[r] + a_off;
    for (int i = 0; i < MR; ++i) {
      const float s = ar[i];
      for (int j = 0; j < NV; ++j) acc[i][j] += s * bv[j];
    }
  }
  for (int i = 0; i < MR; ++i)
    for (int j = 0; j < NV; ++j) store(c + i * ldc + j * lanes, acc[i][j]);
}

template <typename V, int NV, int MR>
void panel_rows_tptr(Index m, Index k, const float* const* a, Index a_off, const float* b,
                     Index ldb, float* c, Index ldc, bool accumulate) {
  Index i = 0;
  for (; i + MR <= m; i += MR)
    micro_tptr<V, MR, NV>(k, a, a_off + i, b, ldb, c + i * ldc, ldc, accumulate);
  if constexpr (MR > 1)
    if (i < m)
      panel_rows_tptr<V, NV, MR / 2>(m - i, k, a, a_off + i, b, ldb, c + i * ldc, ldc, accumulate);
}

template <typename V, int NV>
void panel_tptr(Index m, Index k, const float* const* a, Index a_off, const float* b, Index ldb,
                float* c, Index ldc, bool accumulate) {
  constexpr int mr = std::min(12, kAccumulators / NV);
  panel_rows_tptr<V, NV, mr>(m, k, a, a_off, b, ldb, c, ldc, accumulate);
}

void kernel_gemm_tptr(Index m, Index n, Index k, const float* const* a, Index a_off, const float* b,
                      Index ldb, float* c, Index ldc, bool accumulate) {
  for_each_panel(n, [&]<typename V, int NV>(Index col) {
    panel_tptr<V, NV>(m, k, a, a_off, b + col, ldb, c + col, ldc, accumulate);
  });
}

// As kernel_gemm, for n a multiple of half a register (no padded tail) and k in one block.
void kernel_gemm_ptr(Index m, Index n, Index k, const float* const* a, Index a_off, const float* b,
                     Index ldb, float* c, Index ldc, bool accumulate) {
  for_each_panel(n, [&]<typename V, int NV>(Index col) {
    panel_ptr<V, NV>(m, k, a, a_off, b + col, ldb, c + col, ldc, accumulate);
  });
}

#endif

template <typename T>
using RowMajor = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
template <typename T>
using Strided = Eigen::Map<RowMajor<T>, 0, Eigen::OuterStride<>>;
template <typename T>
using ConstStrided = Eigen::Map<const RowMajor<T>, 0, Eigen::OuterStride<>>;

template <typename T, typename A, typename B>
void eigen_product(Strided<T>& c, const A& a, const B& b, bool accumulate) {
  if (accumulate)
    c.noalias() += a * b;
  else
    c.noalias() = a * b;
}

}  // namespace

bool gemm_uses_kernel(std::ptrdiff_t n) {
#if NAC_GEMM_KERNEL
  return n >= kLanes / 2;
#else
  (void)n;
  return false;
#endif
}

template <typename T>
void gemm_eigen(bool trans_a, bool trans_b, std::ptrdiff_t m, std::ptrdiff_t n, std::ptrdiff_t k,
                const T* a, std::ptrdiff_t lda, const T* b, std::ptrdiff_t ldb, T* c,
                std::ptrdiff_t ldc, bool accumulate) {
  using Outer = Eigen::OuterStride<>;
  Strided<T> C(c, m, n, Outer(ldc));
  if (k == 0) {
    if (!accumulate) C.setZero();
    return;
  }
  const ConstStrided<T> A(a, trans_a ? k : m, trans_a ? m : k, Outer(lda));
  const ConstStrided<T> B(b, trans_b ? n : k, trans_b ? k : n, Outer(ldb));
  if (!trans_a && !trans_b) eigen_product<T>(C, A, B, accumulate);
  if (!trans_a && trans_b) eigen_product<T>(C, A, B.transpose(), accumulate);
  if (trans_a && !trans_b) eigen_product<T>(C, A.transpose(), B, accumulate);
  if (trans_a && trans_b) eigen_product<T>(C, A.transpose(), B.transpose(), accumulate);
}

template <typename T>
void gemm(bool trans_a, bool trans_b, std::ptrdiff_t m, std::ptrdiff_t n, std::ptrdiff_t k,
          const T* a, std::ptrdiff_t lda, const T* b, std::ptrdiff_t ldb, T* c, std::ptrdiff_t ldc,
          bool accumulate) {
#if NAC_GEMM_KERNEL
  if constexpr (std::is_same_v<T, float>) {
    // With trans_b the kernel needs B transposed first, a strided copy that only pays off when
    // many rows of C reuse it (not for the per-sample 81 x 81 attention products).
    if (gemm_uses_kernel(n) && m > 0 && k > 0 && (!trans_b || m >= 256)) {
      if (trans_b) {  // the kernel reads rows of op(B): transpose the (small) B once
        thread_local std::vector<float> bt;
        bt.resize(static_cast<std::size_t>(k * n));
        for (Index j = 0; j < n; ++j)
          for (Index r = 0; r < k; ++r) bt[static_cast<std::size_t>(r * n + j)] = b[j * ldb + r];
        b = bt.data();
        ldb = n;
      }
      if (trans_a && n == kLanes / 2 && m >= kLanes)
        kernel_gemm_tn_half(m, k, a, lda, b, ldb, c, ldc, accumulate);
      else
        kernel_gemm(m, n, k, a, trans_a ? 1 : lda, trans_a ? lda : 1, b, ldb, c, ldc, accumulate);
      return;
    }
  }
#endif
  gemm_eigen(trans_a, trans_b, m, n, k, a, lda, b, ldb, c, ldc, accumulate);
}

bool gemm_rows_uses_kernel(std::ptrdiff_t n) {
#if NAC_GEMM_KERNEL
  return n >= kLanes / 2 && n % (kLanes / 2) == 0;
#else
  (void)n;
  return false;
#endif
}

template <typename T>
void gemm_rows(std::ptrdiff_t m, std::ptrdiff_t n, std::ptrdiff_t seg_len, std::ptrdiff_t segments,
               std::ptrdiff_t seg_stride, const T* const* rows, const T* b, std::ptrdiff_t ldb,
               T* c, std::ptrdiff_t ldc, bool accumulate) {
#if NAC_GEMM_KERNEL
  if constexpr (std::is_same_v<T, float>) {
    if (gemm_rows_uses_kernel(n) && m > 0) {
      // The reduction index r = s * seg_len + t runs in order, one pass per run (split further
      // at gemm's reduction blocks to keep B's rows in cache).
      const Index k = segments * seg_len;
      for (Index r0 = 0; r0 < k;) {
        const Index s = r0 / seg_len, t = r0 % seg_len;
        const Index block_end = (r0 / kReductionBlock + 1) * kReductionBlock;
        const Index kb = std::min({seg_len - t, block_end - r0, k - r0});
        kernel_gemm_ptr(m, n, kb, rows, s * seg_stride + t, b + r0 * ldb, ldb, c, ldc,
                        accumulate || r0 > 0);
        r0 += kb;
      }
      if (k == 0 && !accumulate)
        for (Index i = 0; i < m; ++i) std::fill(c + i * ldc, c + i * ldc + n, 0.0f);
      return;
    }
  }
#endif
  // Plain loops (double, narrow or odd widths): row i of C, one run of A at a time.
  for (Index i = 0; i < m; ++i) {
    T* ci = c + i * ldc;
    if (!accumulate) std::fill(ci, ci + n, T(0));
    for (Index s = 0; s < segments; ++s) {
      const T* a = rows[i] + s * seg_stride;
      const T* bs = b + s * seg_len * ldb;
      for (Index t = 0; t < seg_len; ++t)
        for (Index j = 0; j < n; ++j) ci[j] += a[t] * bs[t * ldb + j];
    }
  }
}

template <typename T>
void gemm_rows_tn(std::ptrdiff_t k, std::ptrdiff_t n, std::ptrdiff_t seg_len,
                  std::ptrdiff_t segments, std::ptrdiff_t seg_stride, const T* const* rows,
                  const T* b, std::ptrdiff_t ldb, T* c, std::ptrdiff_t ldc, bool accumulate) {
#if NAC_GEMM_KERNEL
  if constexpr (std::is_same_v<T, float>) {
    // Every kernel sums each element's products in order of r with one FMA each; passes over
    // blocks of r only store and reload the partial sums, so the bits do not depend on them.
    if (gemm_rows_uses_kernel(n) && k > 0) {
      for (Index r0 = 0; r0 < k; r0 += kReductionBlock) {
        const Index kb = std::min(kReductionBlock, k - r0);
        for (Index s = 0; s < segments; ++s)
          kernel_gemm_tptr(seg_len, n, kb, rows + r0, s * seg_stride, b + r0 * ldb, ldb,
                           c + s * seg_len * ldc, ldc, accumulate || r0 > 0);
      }
      return;
    }
  }
#endif
  for (Index s = 0; s < segments; ++s)
    for (Index t = 0; t < seg_len; ++t) {
      T* ci = c + (s * seg_len + t) * ldc;
      if (!accumulate) std::fill(ci, ci + n, T(0));
      for (Index r = 0; r < k; ++r) {
        const T a = rows[r][s * seg_stride + t];
        for (Index j = 0; j < n; ++j) ci[j] += a * b[r * ldb + j];
      }
    }
}

template void gemm_rows_tn<float>(std::ptrdiff_t, std::ptrdiff_t, std::ptrdiff_t, std::ptrdiff_t,
                                  std::ptrdiff_t, const float* const*, const float*, std::ptrdiff_t,
                                  float*, std::ptrdiff_t, bool);
template void gemm_rows_tn<double>(std::ptrdiff_t, std::ptrdiff_t, std::ptrdiff_t, std::ptrdiff_t,
                                   std::ptrdiff_t, const double* const*, const double*,
                                   std::ptrdiff_t, double*, std::ptrdiff_t, bool);

template void gemm_rows<float>(std::ptrdiff_t, std::ptrdiff_t, std::ptrdiff_t, std::ptrdiff_t,
                               std::ptrdiff_t, const float* const*, const float*, std::ptrdiff_t,
                               float*, std::ptrdiff_t, bool);
template void gemm_rows<double>(std::ptrdiff_t, std::ptrdiff_t, std::ptrdiff_t, std::ptrdiff_t,
                                std::ptrdiff_t, const double* const*, const double*, std::ptrdiff_t,
                                double*, std::ptrdiff_t, bool);

template void gemm<float>(bool, bool, std::ptrdiff_t, std::ptrdiff_t, std::ptrdiff_t, const float*,
                          std::ptrdiff_t, const float*, std::ptrdiff_t, float*, std::ptrdiff_t,
                          bool);
template void gemm<double>(bool, bool, std::ptrdiff_t, std::ptrdiff_t, std::ptrdiff_t,
                           const double*, std::ptrdiff_t, const double*, std::ptrdiff_t, double*,
                           std::ptrdiff_t, bool);
template void gemm_eigen<float>(bool, bool, std::ptrdiff_t, std::ptrdiff_t, std::ptrdiff_t,
                                const float*, std::ptrdiff_t, const float*, std::ptrdiff_t, float*,
                                std::ptrdiff_t, bool);
template void gemm_eigen<double>(bool, bool, std::ptrdiff_t, std::ptrdiff_t, std::ptrdiff_t,
                                 const double*, std::ptrdiff_t, const double*, std::ptrdiff_t,
                                 double*, std::ptrdiff_t, bool);

}  // namespace nac
