#include "nac/graph/quant/bounds.hpp"

#include <algorithm>

#include "nac/core/error.hpp"

namespace nac {
namespace {

constexpr Int128 kLimit = Int128{1} << 120;

Int128 clamp_limit(Int128 v) { return std::clamp(v, -kLimit, kLimit); }
Int128 sat_add(Int128 a, Int128 b) { return clamp_limit(clamp_limit(a) + clamp_limit(b)); }
Int128 sat_mul(Int128 a, Int128 b) {
  a = clamp_limit(a);
  b = clamp_limit(b);
  if (a == 0 || b == 0) return 0;
  const Int128 aa = a < 0 ? -a : a, bb = b < 0 ? -b : b;
  if (aa > kLimit / bb) return (a < 0) != (b < 0) ? -kLimit : kLimit;
  return a * b;
}
Int128 sat_shl(Int128 v, int s) {
  NAC_ASSERT(s >= 0);
  if (v == 0) return 0;
  if (s >= 120) return v < 0 ? -kLimit : kLimit;
  return sat_mul(v, Int128{1} << s);
}

// Accumulates terms [lo_i, hi_i] (already widened to include 0).
struct Acc {
  Int128 lo, hi, run_lo, run_hi, abs;
  explicit Acc(Int128 init)
      : lo(init), hi(init), run_lo(init), run_hi(init), abs(init < 0 ? -init : init) {}
  void add(Int128 t_lo, Int128 t_hi) {
    t_lo = std::min<Int128>(t_lo, 0);
    t_hi = std::max<Int128>(t_hi, 0);
    run_lo = sat_add(run_lo, t_lo);
    run_hi = sat_add(run_hi, t_hi);
    lo = std::min({lo, run_lo, t_lo});
    hi = std::max({hi, run_hi, t_hi});
    abs = sat_add(abs, std::max(-t_lo, t_hi));
  }
};

void merge(SumBound& b, const Acc& a, bool first) {
  b.lo = first ? a.lo : std::min(b.lo, a.lo);
  b.hi = first ? a.hi : std::max(b.hi, a.hi);
  b.abs = first ? a.abs : std::max(b.abs, a.abs);
}

}  // namespace

int signed_width(Int128 lo, Int128 hi) {
  int w = 1;
  while (w < 127 && (lo < -(Int128{1} << (w - 1)) || hi > (Int128{1} << (w - 1)) - 1)) ++w;
  return w;
}

Int128 format_lo(const FixedFormat& f) { return min_mantissa(f); }
Int128 format_hi(const FixedFormat& f) { return max_mantissa(f); }

SumBound weighted_sum_bound(Int128 x_lo, Int128 x_hi, const FixedFormat& x_fmt,
                            const std::vector<std::int64_t>& w, const FixedFormat& w_fmt, int k,
                            int n, const std::vector<std::int64_t>* bias,
                            const FixedFormat* b_fmt) {
  NAC_ASSERT(w.size() == static_cast<std::size_t>(k) * static_cast<std::size_t>(n));
  const int fp = x_fmt.frac() + w_fmt.frac();
  SumBound b;
  b.frac = bias && b_fmt ? std::max(fp, b_fmt->frac()) : fp;
  const int ps = b.frac - fp;
  for (int j = 0; j < n; ++j) {
    Int128 init = 0;
    if (bias && b_fmt) init = sat_shl((*bias)[static_cast<std::size_t>(j)], b.frac - b_fmt->frac());
    Acc a(init);
    for (int i = 0; i < k; ++i) {
      const Int128 wv = w[static_cast<std::size_t>(i) * n + j];
      const Int128 p1 = sat_mul(x_lo, wv), p2 = sat_mul(x_hi, wv);
      a.add(sat_shl(std::min(p1, p2), ps), sat_shl(std::max(p1, p2), ps));
    }
    merge(b, a, j == 0);
  }
  return b;
}

SumBound product_sum_bound(Int128 a_lo, Int128 a_hi, const FixedFormat& a_fmt, Int128 b_lo,
                           Int128 b_hi, const FixedFormat& b_fmt, long long k) {
  const Int128 c[4] = {sat_mul(a_lo, b_lo), sat_mul(a_lo, b_hi), sat_mul(a_hi, b_lo),
                       sat_mul(a_hi, b_hi)};
  return repeated_sum_bound(*std::min_element(c, c + 4), *std::max_element(c, c + 4),
                            a_fmt.frac() + b_fmt.frac(), k);
}

SumBound repeated_sum_bound(Int128 lo, Int128 hi, int frac, long long k) {
  lo = std::min<Int128>(lo, 0);
  hi = std::max<Int128>(hi, 0);
  SumBound b;
  b.frac = frac;
  b.lo = sat_mul(lo, k);
  b.hi = sat_mul(hi, k);
  b.abs = sat_mul(std::max(-lo, hi), k);
  return b;
}

FixedFormat exact_accumulator(const SumBound& b) {
  const int w = signed_width(b.lo, b.hi);
  return FixedFormat{w, w - b.frac, true, Rounding::TRN, Overflow::WRAP};
}

bool holds_exactly(const SumBound& b, const FixedFormat& acc) {
  if (acc.frac() < b.frac) return false;
  const int s = acc.frac() - b.frac;
  return sat_shl(b.lo, s) >= format_lo(acc) && sat_shl(b.hi, s) <= format_hi(acc);
}

}  // namespace nac
