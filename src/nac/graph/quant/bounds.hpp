#pragma once
// Exact bounds of accumulations (docs/QUANTIZATION.md): for a sum  init + Σ_i t_i  whose terms lie
// in known ranges, the min and max over every partial sum, with each term's range widened to
// include 0 (so skipped terms, zero padding and any subset are covered). Values are Int128
// mantissas at a common fraction count; magnitudes saturate at 2^120, far beyond any format nac
// accepts. Used by infer_precision (accumulator widths) and by the emulator (kernel choice).
#include <cstdint>
#include <vector>

#include "nac/core/fixed.hpp"

namespace nac {

struct SumBound {
  Int128 lo = 0, hi = 0;  // over every partial sum and every single term (the init included)
  Int128 abs = 0;         // Σ |t_i| + |init| maximised: bounds any subset sum in any order
  int frac = 0;           // fraction bits of lo, hi, abs
};

// The signed width (>= 1) of the narrowest two's-complement integer holding [lo, hi].
int signed_width(Int128 lo, Int128 hi);

// The mantissa range [lo, hi] of values a format can hold.
Int128 format_lo(const FixedFormat& f);
Int128 format_hi(const FixedFormat& f);

// init_j + Σ_i x_i w_ij over all columns j of a k x n row-major weight matrix (mantissas in
// w_fmt), x_i mantissas in [x_lo, x_hi] of x_fmt, init_j the bias mantissas in b_fmt (null: 0).
// frac = max(F(x) + F(w), F(b)).
SumBound weighted_sum_bound(Int128 x_lo, Int128 x_hi, const FixedFormat& x_fmt,
                            const std::vector<std::int64_t>& w, const FixedFormat& w_fmt, int k,
                            int n, const std::vector<std::int64_t>* bias, const FixedFormat* b_fmt);

// Σ of k products a_i b_i, a in [a_lo, a_hi] of a_fmt, b in [b_lo, b_hi] of b_fmt, from 0.
// frac = F(a) + F(b).
SumBound product_sum_bound(Int128 a_lo, Int128 a_hi, const FixedFormat& a_fmt, Int128 b_lo,
                           Int128 b_hi, const FixedFormat& b_fmt, long long k);

// Σ of k terms in [lo, hi] (mantissas at `frac`), from 0.
SumBound repeated_sum_bound(Int128 lo, Int128 hi, int frac, long long k);

// The accumulator format that holds every partial sum of `b` exactly: signed, fraction bits
// b.frac, TRN/WRAP (it never rounds nor overflows).
FixedFormat exact_accumulator(const SumBound& b);

// Whether every partial sum of `b` (and each term alone) converts into `acc` without rounding or
// overflow, i.e. per-term conversions are no-ops.
bool holds_exactly(const SumBound& b, const FixedFormat& acc);

}  // namespace nac
