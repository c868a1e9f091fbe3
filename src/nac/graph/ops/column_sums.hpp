#pragma once
// Column sums of a row-major [rows, cols] array, shared by the ops' bias and norm gradients.
// Eigen's colwise().sum() on a row-major view is fast only for some widths and expressions (it
// is 10-20x slower for 8 columns or for a product of two arrays); this loop is vectorised along
// the columns for any width, and adds four rows per step so the accumulator is not a
// store-to-load chain on every row.
#include <cstddef>

namespace nac {

// out[j] += sum over r of f(r * cols + j), for a function f of the flat index.
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
