#pragma once
// The emulator's integer kernels, one per rule of docs/QUANTIZATION.md. Every kernel returns the
// number of conversions that overflowed.
#include <cstdint>
#include <optional>
#include <vector>

#include "nac/core/fixed.hpp"
#include "nac/core/table.hpp"
#include "nac/emu/emulator.hpp"
#include "nac/graph/ops/activation.hpp"

namespace nac::emu {

// One accumulation site: acc[r, j] = init_j + Σ_i x[r, i] w[i, j] in the accumulator format,
// bias first, then i in order (the contract's accumulation).
struct SumPlan {
  enum class Path { Double, Int64, PerTerm };
  FixedFormat x, w, acc;
  std::optional<FixedFormat> b;
  int k = 0, n = 0;
  std::vector<std::int64_t> w_m;  // constant weights k x n (empty: given at run time)
  std::vector<double> w_d;        // w_m * 2^(fe - F(x) - F(w)) (double path)
  std::vector<std::int64_t> b_m;  // bias mantissas in b (empty: no bias)
  std::vector<std::int64_t> b_e;  // bias at fe
  int fe = 0;                     // fraction bits of the exact sums
  Path path = Path::PerTerm;
  bool identity = false;  // the exact sums are already the accumulator's mantissas
};

// A site with constant weights (dense, conv, projections); bias may be empty.
SumPlan plan_weighted_sum(const FixedFormat& x, const FixedFormat& w, std::vector<std::int64_t> w_m,
                          int k, int n, std::vector<std::int64_t> b_m,
                          const std::optional<FixedFormat>& b, const FixedFormat& acc,
                          const EmuOptions& opt);
// A site whose "weights" are activations given at run time (attention scores, A·V), no bias.
SumPlan plan_product_sum(const FixedFormat& x, const FixedFormat& w, int k, int n,
                         const FixedFormat& acc, const EmuOptions& opt);

// acc (rows x n) from x (rows x k); w (k x n) overrides the plan's weights when given.
long long run_sum(const SumPlan& p, const std::int64_t* x, int rows, const std::int64_t* w,
                  std::int64_t* acc);

// y = ⟦v⟧to for n values at from_frac (in place allowed).
long long convert(const std::int64_t* v, std::size_t n, int from_frac, const FixedFormat& to,
                  std::int64_t* y);

// The softmax rule over rows of n.
struct SoftmaxPlan {
  FixedFormat x, exp, sum, inv, out;
  const Table* exp_t = nullptr;
  const Table* inv_t = nullptr;
  bool sum_exact = false;  // plain int64 sums equal the per-term accumulation
};
SoftmaxPlan plan_softmax(const FixedFormat& x, const FixedFormat& exp, const FixedFormat& sum,
                         const FixedFormat& inv, const FixedFormat& out, const Table& exp_t,
                         const Table& inv_t, int n, const EmuOptions& opt);
long long softmax_rows(const SoftmaxPlan& p, const std::int64_t* x, std::size_t rows, int n,
                       std::int64_t* y);

// The activation rules (identity, relu, leaky_relu exact; sigmoid, tanh, gelu by table).
struct ActPlan {
  ActFn fn = ActFn::Identity;
  FixedFormat x, out;
  FixedFormat alpha_fmt;
  std::int64_t alpha_m = 0;
  const Table* table = nullptr;
};
long long activation(const ActPlan& p, const std::int64_t* x, std::size_t n, std::int64_t* y);

// y = ⟦a + b⟧out element-wise (exact sum of two formats).
long long add_exact(const std::int64_t* a, const FixedFormat& fa, const std::int64_t* b,
                    const FixedFormat& fb, std::size_t n, const FixedFormat& out, std::int64_t* y);

}  // namespace nac::emu
