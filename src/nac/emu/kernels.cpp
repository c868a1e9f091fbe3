#include "nac/emu/kernels.hpp"

#include <algorithm>
#include <cmath>
#include <span>

#include "nac/core/eigen.hpp"
#include "nac/core/error.hpp"
#include "nac/graph/quant/bounds.hpp"

namespace nac::emu {
namespace {

constexpr Int128 kDoubleExact = Int128{1} << 53;
constexpr Int128 kInt64Safe = Int128{1} << 62;

using MatI = Eigen::Matrix<std::int64_t, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using MatD = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

// Chooses the kernel: exact sums are allowed when every product and the bias keep all their bits
// in the accumulator and the accumulator either cannot overflow or wraps (then the wrapped exact
// sum is the same in any order).
void choose_path(SumPlan& p, const SumBound& b, const EmuOptions& opt) {
  const bool exact_fracs = p.acc.frac() >= p.fe;
  const bool order_free = p.acc.overflow == Overflow::WRAP || holds_exactly(b, p.acc);
  if (opt.force_per_term || !exact_fracs || !order_free)
    p.path = SumPlan::Path::PerTerm;
  else if (opt.allow_double_gemm && b.abs < kDoubleExact)
    p.path = SumPlan::Path::Double;
  else if (b.abs < kInt64Safe)
    p.path = SumPlan::Path::Int64;
  else
    p.path = SumPlan::Path::PerTerm;
  p.identity = p.path != SumPlan::Path::PerTerm && p.acc.frac() == p.fe && holds_exactly(b, p.acc);
}

Int128 shl(std::int64_t v, int s) { return static_cast<Int128>(v) * (Int128{1} << s); }

// The contract's literal accumulation, one term at a time.
long long per_term(const SumPlan& p, const std::int64_t* x, int rows, const std::int64_t* w,
                   std::int64_t* acc) {
  const int fp = p.x.frac() + p.w.frac();
  const int fa = p.acc.frac();
  long long overflows = 0;
  bool of = false;
  std::vector<std::int64_t> init(static_cast<std::size_t>(p.n), 0);
  for (int j = 0; j < p.n; ++j)
    if (!p.b_m.empty()) {
      init[static_cast<std::size_t>(j)] =
          requantize(p.b_m[static_cast<std::size_t>(j)], p.b->frac(), p.acc, &of);
      overflows += of;
    }
  for (int r = 0; r < rows; ++r) {
    const std::int64_t* xr = x + static_cast<std::size_t>(r) * p.k;
    for (int j = 0; j < p.n; ++j) {
      std::int64_t a = init[static_cast<std::size_t>(j)];
      for (int i = 0; i < p.k; ++i) {
        const std::int64_t wv = w[static_cast<std::size_t>(i) * p.n + j];
        if (xr[i] == 0 || wv == 0) continue;  // ⟦0⟧ added changes nothing
        const std::int64_t t = requantize(Int128{xr[i]} * wv, fp, p.acc, &of);
        overflows += of;
        a = requantize(Int128{a} + t, fa, p.acc, &of);
        overflows += of;
      }
      acc[static_cast<std::size_t>(r) * p.n + j] = a;
    }
  }
  return overflows;
}

}  // namespace

SumPlan plan_weighted_sum(const FixedFormat& x, const FixedFormat& w, std::vector<std::int64_t> w_m,
                          int k, int n, std::vector<std::int64_t> b_m,
                          const std::optional<FixedFormat>& b, const FixedFormat& acc,
                          const EmuOptions& opt) {
  SumPlan p;
  p.x = x;
  p.w = w;
  p.acc = acc;
  p.k = k;
  p.n = n;
  p.w_m = std::move(w_m);
  p.b_m = std::move(b_m);
  if (!p.b_m.empty()) p.b = b;
  const SumBound bound =
      weighted_sum_bound(format_lo(x), format_hi(x), x, p.w_m, w, k, n,
                         p.b_m.empty() ? nullptr : &p.b_m, p.b_m.empty() ? nullptr : &*p.b);
  p.fe = bound.frac;
  choose_path(p, bound, opt);
  const int ps = p.fe - x.frac() - w.frac();
  if (p.path == SumPlan::Path::Double) {
    p.w_d.resize(p.w_m.size());
    for (std::size_t i = 0; i < p.w_m.size(); ++i)
      p.w_d[i] = std::ldexp(static_cast<double>(p.w_m[i]), ps);
  }
  if (p.path != SumPlan::Path::PerTerm) {
    // Exact paths: fe fits the bound's 62 bits, so these shifts stay in int64.
    p.b_e.resize(p.b_m.size());
    for (std::size_t j = 0; j < p.b_m.size(); ++j)
      p.b_e[j] = static_cast<std::int64_t>(shl(p.b_m[j], p.fe - p.b->frac()));
    if (p.path == SumPlan::Path::Int64)
      for (auto& v : p.w_m) v = static_cast<std::int64_t>(shl(v, ps));
  }
  return p;
}

SumPlan plan_product_sum(const FixedFormat& x, const FixedFormat& w, int k, int n,
                         const FixedFormat& acc, const EmuOptions& opt) {
  SumPlan p;
  p.x = x;
  p.w = w;
  p.acc = acc;
  p.k = k;
  p.n = n;
  const SumBound bound =
      product_sum_bound(format_lo(x), format_hi(x), x, format_lo(w), format_hi(w), w, k);
  p.fe = bound.frac;
  choose_path(p, bound, opt);
  return p;
}

long long run_sum(const SumPlan& p, const std::int64_t* x, int rows, const std::int64_t* w,
                  std::int64_t* acc) {
  const bool given = w != nullptr;
  if (p.path == SumPlan::Path::PerTerm) return per_term(p, x, rows, given ? w : p.w_m.data(), acc);
  const auto R = static_cast<Eigen::Index>(rows);
  const auto K = static_cast<Eigen::Index>(p.k), N = static_cast<Eigen::Index>(p.n);
  Eigen::Map<MatI> A(acc, R, N);
  if (p.path == SumPlan::Path::Double) {
    const MatD X = Eigen::Map<const MatI>(x, R, K).cast<double>();
    MatD Y;
    if (given)  // activation products: fe = F(x) + F(w), no shift
      Y.noalias() = X * Eigen::Map<const MatI>(w, K, N).cast<double>();
    else
      Y.noalias() = X * Eigen::Map<const MatD>(p.w_d.data(), K, N);
    A = Y.cast<std::int64_t>();
  } else {
    if (given)
      A.noalias() = Eigen::Map<const MatI>(x, R, K) * Eigen::Map<const MatI>(w, K, N);
    else
      A.noalias() = Eigen::Map<const MatI>(x, R, K) * Eigen::Map<const MatI>(p.w_m.data(), K, N);
  }
  if (!p.b_e.empty())
    A.rowwise() +=
        Eigen::Map<const Eigen::Matrix<std::int64_t, 1, Eigen::Dynamic>>(p.b_e.data(), N);
  if (p.identity) return 0;  // proven in range, same fraction bits: converting changes nothing
  return convert(acc, static_cast<std::size_t>(rows) * p.n, p.fe, p.acc, acc);
}

long long convert(const std::int64_t* v, std::size_t n, int from_frac, const FixedFormat& to,
                  std::int64_t* y) {
  return static_cast<long long>(requantize(std::span<const std::int64_t>(v, n), from_frac, to,
                                           std::span<std::int64_t>(y, n)));
}

SoftmaxPlan plan_softmax(const FixedFormat& x, const FixedFormat& exp, const FixedFormat& sum,
                         const FixedFormat& inv, const FixedFormat& out, const Table& exp_t,
                         const Table& inv_t, int n, const EmuOptions& opt) {
  SoftmaxPlan p{x, exp, sum, inv, out, &exp_t, &inv_t, false};
  const auto [lo, hi] = std::minmax_element(exp_t.entries.begin(), exp_t.entries.end());
  const SumBound b = repeated_sum_bound(*lo, *hi, exp.frac(), n);
  p.sum_exact = !opt.force_per_term && sum.frac() >= exp.frac() && b.abs < kInt64Safe &&
                (sum.overflow == Overflow::WRAP || holds_exactly(b, sum));
  return p;
}

long long softmax_rows(const SoftmaxPlan& p, const std::int64_t* x, std::size_t rows, int n,
                       std::int64_t* y) {
  const auto nn = static_cast<std::size_t>(n);
  std::vector<std::int64_t> e(nn);
  const int fe = p.exp.frac(), fs = p.sum.frac();
  const int fprod = fe + p.inv.frac();
  // e * inv fits int64 when the two widths do: then one batch conversion per row.
  const bool narrow = p.exp.width + p.inv.width <= 62;
  long long overflows = 0;
  bool of = false;
  for (std::size_t r = 0; r < rows; ++r) {
    const std::int64_t* xr = x + r * nn;
    std::int64_t* yr = y + r * nn;
    const std::int64_t m = *std::max_element(xr, xr + nn);
    for (std::size_t j = 0; j < nn; ++j) e[j] = p.exp_t->lookup(xr[j] - m);  // d in D, same F
    std::int64_t s = 0;
    if (p.sum_exact) {
      for (std::size_t j = 0; j < nn; ++j) s += e[j];
      s = requantize(s, fe, p.sum, &of);
      overflows += of;
    } else {
      for (std::size_t j = 0; j < nn; ++j) {
        if (e[j] == 0) continue;
        const std::int64_t t = requantize(e[j], fe, p.sum, &of);
        overflows += of;
        s = requantize(Int128{s} + t, fs, p.sum, &of);
        overflows += of;
      }
    }
    const std::int64_t inv = p.inv_t->lookup(s);
    if (narrow) {
      for (std::size_t j = 0; j < nn; ++j) yr[j] = e[j] * inv;
      overflows += convert(yr, nn, fprod, p.out, yr);
      continue;
    }
    for (std::size_t j = 0; j < nn; ++j) {
      yr[j] = requantize(Int128{e[j]} * inv, fprod, p.out, &of);
      overflows += of;
    }
  }
  return overflows;
}

long long activation(const ActPlan& p, const std::int64_t* x, std::size_t n, std::int64_t* y) {
  const int fx = p.x.frac();
  switch (p.fn) {
    case ActFn::Identity:
      return convert(x, n, fx, p.out, y);
    case ActFn::ReLU:  // 0 converts to 0 in every format, without overflow
      for (std::size_t i = 0; i < n; ++i) y[i] = x[i] > 0 ? x[i] : 0;
      return convert(y, n, fx, p.out, y);
    case ActFn::LeakyReLU: {
      const int fa = p.alpha_fmt.frac();
      // Both branches at F(x) + F(alpha): exact in int64 when the product's width fits.
      if (fa >= 0 && p.x.width + std::max(fa, p.alpha_fmt.width) <= 62) {
        for (std::size_t i = 0; i < n; ++i)
          y[i] = x[i] > 0 ? static_cast<std::int64_t>(static_cast<std::uint64_t>(x[i]) << fa)
                          : x[i] * p.alpha_m;
        return convert(y, n, fx + fa, p.out, y);
      }
      long long overflows = 0;
      bool of = false;
      for (std::size_t i = 0; i < n; ++i) {
        y[i] = x[i] > 0 ? requantize(x[i], fx, p.out, &of)
                        : requantize(Int128{x[i]} * p.alpha_m, fx + fa, p.out, &of);
        overflows += of;
      }
      return overflows;
    }
    case ActFn::GELU:
    case ActFn::Sigmoid:
    case ActFn::Tanh:
      for (std::size_t i = 0; i < n; ++i) y[i] = p.table->lookup(x[i]);
      return 0;
  }
  return 0;
}

long long add_exact(const std::int64_t* a, const FixedFormat& fa, const std::int64_t* b,
                    const FixedFormat& fb, std::size_t n, const FixedFormat& out, std::int64_t* y) {
  // The emulator refuses formats whose fraction counts differ by 60 or more (Int128 room).
  const int f = std::max(fa.frac(), fb.frac());
  const int sa = f - fa.frac(), sb = f - fb.frac();
  NAC_ASSERT(sa < 60 && sb < 60);
  if (std::max(fa.width + sa, fb.width + sb) <= 61) {  // the sum fits int64
    for (std::size_t i = 0; i < n; ++i)
      y[i] = static_cast<std::int64_t>(shl(a[i], sa) + shl(b[i], sb));
    return convert(y, n, f, out, y);
  }
  long long overflows = 0;
  bool of = false;
  for (std::size_t i = 0; i < n; ++i) {
    y[i] = requantize(shl(a[i], sa) + shl(b[i], sb), f, out, &of);
    overflows += of;
  }
  return overflows;
}

}  // namespace nac::emu
