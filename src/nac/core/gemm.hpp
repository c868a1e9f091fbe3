#pragma once
// Matrix products of the training engine: C = op(A) op(B) or C += op(A) op(B), row-major, with
// leading dimensions (BLAS's sgemm interface restricted to alpha = 1, beta in {0, 1}).
//
// The layers of the searched models are narrow (8 to 96 outputs) and tall (a batch of 256 images
// has 10^4 to 10^5 pixel rows). Eigen's GEMM packs both operands and works along the output's
// leading dimension, which here is the narrow one, so it reaches about 60% of its large-matrix
// rate. For float products with C at least half a SIMD register wide (8 columns with AVX-512, 4
// with AVX2), a register-blocked kernel without packing is used instead: each step broadcasts
// one element of op(A) per row of a row block and multiplies it into whole vector rows of B held
// in registers (the last columns of an odd width through a zero-padded copy). bench/gemm_bench.cpp
// compares the two on the models' shapes (the kernel is 1.3-2x faster there). Every other case
// (double, narrower results, builds without AVX2/AVX-512) goes to Eigen. Results are deterministic:
// the summation order depends only on the shapes, never on addresses.
#include <cstddef>

namespace nac {

// op(A) is [m, k]: A itself (row-major, row stride lda) or, with trans_a, the transpose of a
// row-major [k, m] array. Likewise op(B) is [k, n]. C is [m, n] with row stride ldc.
template <typename T>
void gemm(bool trans_a, bool trans_b, std::ptrdiff_t m, std::ptrdiff_t n, std::ptrdiff_t k,
          const T* a, std::ptrdiff_t lda, const T* b, std::ptrdiff_t ldb, T* c, std::ptrdiff_t ldc,
          bool accumulate);

// A convolution's product without im2col: C (+)= A B where row i of A is the concatenation of
// `segments` runs of seg_len contiguous values, run s starting at rows[i] + s * seg_stride (for a
// valid k x k convolution over a channels-last map: rows[i] points at the top-left input pixel of
// output position i, seg_len = k * C_in, seg_stride = W * C_in, segments = k). B is
// [segments * seg_len, n] with row stride ldb. The runs are summed in order, so the result is
// bit-identical to gemm on the explicit im2col matrix whenever gemm_rows_uses_kernel(n).
template <typename T>
void gemm_rows(std::ptrdiff_t m, std::ptrdiff_t n, std::ptrdiff_t seg_len, std::ptrdiff_t segments,
               std::ptrdiff_t seg_stride, const T* const* rows, const T* b, std::ptrdiff_t ldb,
               T* c, std::ptrdiff_t ldc, bool accumulate);

// The weight gradient of the same convolution without im2col: C (+)= A^T B with A as in
// gemm_rows ([k, segments * seg_len], row r starting at rows[r]), C [segments * seg_len, n], B
// [k, n]. Bit-identical to gemm(true, false, ...) on the im2col matrix when
// gemm_rows_uses_kernel(n).
template <typename T>
void gemm_rows_tn(std::ptrdiff_t k, std::ptrdiff_t n, std::ptrdiff_t seg_len,
                  std::ptrdiff_t segments, std::ptrdiff_t seg_stride, const T* const* rows,
                  const T* b, std::ptrdiff_t ldb, T* c, std::ptrdiff_t ldc, bool accumulate);

// Whether gemm_rows<float> and gemm_rows_tn<float> take the register kernel for an n-column result
// (else plain loops).
bool gemm_rows_uses_kernel(std::ptrdiff_t n);

// Whether gemm<float> takes the register-blocked kernel for an n-column result (for tests and
// benchmarks).
bool gemm_uses_kernel(std::ptrdiff_t n);

// The same products through Eigen only (the reference of tests and benchmarks).
template <typename T>
void gemm_eigen(bool trans_a, bool trans_b, std::ptrdiff_t m, std::ptrdiff_t n, std::ptrdiff_t k,
                const T* a, std::ptrdiff_t lda, const T* b, std::ptrdiff_t ldb, T* c,
                std::ptrdiff_t ldc, bool accumulate);

}  // namespace nac
