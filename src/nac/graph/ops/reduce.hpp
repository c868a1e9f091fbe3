#pragma once
// Sums shared by the ops, vectorised and in an order fixed by the sizes alone. Eigen's own
// reductions (sum(), mean()) peel scalar steps until the data is aligned, so their rounding
// depends on where the data happens to lie in memory, and the same model would give different
// bits in two executors; these do not. Eigen's colwise().sum() on a row-major view is also 10-20x
// slower for some widths (8 columns) or expressions (a product of two arrays).
#include <cstddef>

namespace nac {

// The sum over i < n of f(i): 16 interleaved partial sums (the loop the compiler vectorises),
// then added in order.
template <typename T, typename F>
inline T sum_of(std::size_t n, F f) {
  constexpr std::size_t kLanes = 16;
  T acc[kLanes] = {};
  std::size_t i = 0;
  for (; i + kLanes <= n; i += kLanes)
    for (std::size_t l = 0; l < kLanes; ++l) acc[l] += f(i + l);
  for (std::size_t l = 0; i + l < n; ++l) acc[l] += f(i + l);
  T s = 0;
  for (std::size_t l = 0; l < kLanes; ++l) s += acc[l];
  return s;
}

// Column sums of a row-major [rows, cols] array given by f of the flat index:
// out[j] += sum over r of f(r * cols + j). Vectorised along the columns; four rows per step so
// the accumulator is not a store-to-load chain on every row.
template <typename T, typename F>
inline void add_column_sums(std::size_t rows, std::size_t cols, T* __restrict out, F f) {
  std::size_t r = 0;
  for (; r + 4 <= rows; r += 4) {
    const std::size_t i = r * cols;
    for (std::size_t j = 0; j < cols; ++j)
      out[j] += (f(i + j) + f(i + cols + j)) + (f(i + 2 * cols + j) + f(i + 3 * cols + j));
  }
  for (; r < rows; ++r)
    for (std::size_t j = 0; j < cols; ++j) out[j] += f(r * cols + j);
}

// out[j] += sum over r of m[r * cols + j].
template <typename T>
inline void add_column_sums(const T* __restrict m, std::size_t rows, std::size_t cols, T* out) {
  add_column_sums(rows, cols, out, [m](std::size_t i) { return m[i]; });
}

}  // namespace nac
