#pragma once
// Straightforward reference loops for the emulator tests: docs/QUANTIZATION.md's rules written
// element by element with core/fixed's requantize, independent of the emulator's kernels.
#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "nac/core/fixed.hpp"
#include "nac/core/rng.hpp"
#include "nac/core/table.hpp"
#include "nac/graph/graph.hpp"

namespace nac::testing {

using Mantissas = std::vector<std::int64_t>;

inline FixedFormat fmt(const char* s) { return FixedFormat::parse(s); }

// The contract's accumulation of one output: acc <- [[init]]A, then acc <- [[acc + [[t]]A]]A.
struct RefAcc {
  FixedFormat a;
  std::int64_t acc = 0;
  RefAcc(const FixedFormat& acc_fmt, Int128 init, int init_frac)
      : a(acc_fmt), acc(requantize(init, init_frac, acc_fmt)) {}
  void add(Int128 term, int frac) {
    const std::int64_t t = requantize(term, frac, a);
    acc = requantize(Int128{acc} + t, a.frac(), a);
  }
};

// Dense on rows x fin mantissas; w fin x units; b may be empty.
inline Mantissas ref_dense(const Mantissas& x, int fin, const Mantissas& w, int units,
                           const Mantissas& b, const FixedFormat& X, const FixedFormat& W,
                           const FixedFormat& B, const FixedFormat& A, const FixedFormat& R) {
  const std::size_t rows = x.size() / static_cast<std::size_t>(fin);
  Mantissas y(rows * static_cast<std::size_t>(units));
  for (std::size_t r = 0; r < rows; ++r)
    for (int j = 0; j < units; ++j) {
      RefAcc acc(A, b.empty() ? 0 : b[static_cast<std::size_t>(j)], b.empty() ? 0 : B.frac());
      for (int i = 0; i < fin; ++i)
        acc.add(Int128{x[r * fin + i]} * w[static_cast<std::size_t>(i) * units + j],
                X.frac() + W.frac());
      y[r * units + j] = requantize(acc.acc, A.frac(), R);
    }
  return y;
}

// Random mantissas uniform over a format's range.
inline Mantissas random_mantissas(const FixedFormat& f, std::size_t n, std::uint64_t seed) {
  Rng rng(seed);
  const std::int64_t lo = min_mantissa(f), hi = max_mantissa(f);
  // The span in unsigned arithmetic: hi - lo + 1 overflows int64 from 63-bit formats on.
  const std::uint64_t span = static_cast<std::uint64_t>(hi) - static_cast<std::uint64_t>(lo) + 1;
  Mantissas m(n);
  for (auto& v : m) v = static_cast<std::int64_t>(static_cast<std::uint64_t>(lo) + rng.below(span));
  return m;
}

inline Tensor<std::int64_t> mantissa_tensor(Shape s, Mantissas m) {
  Tensor<std::int64_t> t;
  t.shape = std::move(s);
  t.data = std::move(m);
  return t;
}

// Sets every parameter of g to uniform values in [-scale, scale).
inline void fill_params(Graph& g, std::uint64_t seed, double scale = 1.0) {
  Rng rng(seed);
  for (auto& n : g.nodes())
    for (auto& p : n.params)
      for (auto& v : p.value.data)
        v = static_cast<float>(p.name == "running_var" ? rng.uniform(0.5, 2.0)
                                                       : rng.uniform(-scale, scale));
}

}  // namespace nac::testing
