#include "nac/core/fixed.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <climits>
#include <cmath>
#include <cstddef>
#include <string>

#include "nac/core/error.hpp"

namespace nac {
namespace {

__extension__ typedef unsigned __int128 UInt128;

// Bits 0..n-1 set (n >= 128: all).
UInt128 low_mask(std::int64_t n) {
  return n >= 128 ? ~UInt128{0} : (UInt128{1} << static_cast<int>(n)) - 1;
}

Int128 range_lo(const FixedFormat& f) {
  return f.is_signed ? -(Int128{1} << (f.width - 1)) : Int128{0};
}
Int128 range_hi(const FixedFormat& f) {
  return f.is_signed ? (Int128{1} << (f.width - 1)) - 1 : (Int128{1} << f.width) - 1;
}
// SAT_SYM never produces the signed minimum, except for W = 1 where the Vitis header's
// saturation value 1..0|1 is the minimum itself (so SAT_SYM acts as SAT there).
Int128 sat_lo(const FixedFormat& f) {
  const bool sym = f.overflow == Overflow::SAT_SYM && f.is_signed && f.width > 1;
  return range_lo(f) + (sym ? 1 : 0);
}

bool round_up(Rounding mode, bool negative, bool floor_odd, bool qb, bool r) {
  switch (mode) {
    case Rounding::TRN:
      return false;
    case Rounding::TRN_ZERO:
      return negative && (qb || r);
    case Rounding::RND:
      return qb;
    case Rounding::RND_ZERO:
      return qb && (r || negative);
    case Rounding::RND_MIN_INF:
      return qb && r;
    case Rounding::RND_INF:
      return qb && (r || !negative);
    case Rounding::RND_CONV:
      return qb && (r || floor_odd);
  }
  return false;
}

// The mantissa of m * 2^-(shift + F) in `to` (shift = from_frac - F), see requantize.
std::int64_t convert(Int128 m, std::int64_t shift, const FixedFormat& to,
                     bool* overflowed = nullptr) {
  const bool negative = m < 0;
  Int128 q = 0;
  bool huge = false;  // the rounded value does not fit Int128: q holds its low 128 bits
  if (m == 0) {
    q = 0;
  } else if (shift <= 0) {  // exact left shift
    if (shift <= -128) {
      huge = true;
    } else {
      const int s = static_cast<int>(-shift);
      q = static_cast<Int128>(static_cast<UInt128>(m) << s);
      huge = (q >> s) != m;
    }
  } else {
    if (shift > 120) {
      // Keep 120 dropped bits and fold the rest into a sticky bit 0: floor, qb and r (hence
      // every rounding decision) are unchanged.
      const std::int64_t k = shift - 120;
      const bool sticky = k >= 128 || (static_cast<UInt128>(m) & low_mask(k)) != 0;
      const Int128 kept = k >= 128 ? (negative ? Int128{-1} : Int128{0}) : m >> k;
      m = kept | (sticky ? 1 : 0);
      shift = 120;
    }
    const int s = static_cast<int>(shift);
    const Int128 fl = m >> s;  // floor
    const bool qb = ((m >> (s - 1)) & 1) != 0;
    const bool r = (static_cast<UInt128>(m) & low_mask(s - 1)) != 0;
    q = fl + (round_up(to.rounding, negative, (fl & 1) != 0, qb, r) ? 1 : 0);
  }

  const Int128 lo = sat_lo(to);
  const Int128 hi = range_hi(to);
  const bool in_range = !huge && q >= range_lo(to) && q <= hi;
  if (overflowed) *overflowed = !in_range;
  if (in_range) return static_cast<std::int64_t>(q < lo ? lo : q);  // q < lo: the SAT_SYM minimum
  switch (to.overflow) {
    case Overflow::WRAP: {
      UInt128 bits = static_cast<UInt128>(q) & low_mask(to.width);
      if (to.is_signed && ((bits >> (to.width - 1)) & 1) != 0) bits |= ~low_mask(to.width);
      return static_cast<std::int64_t>(static_cast<Int128>(bits));
    }
    case Overflow::SAT:
    case Overflow::SAT_SYM:
      return static_cast<std::int64_t>(negative ? lo : hi);
    case Overflow::SAT_ZERO:
      return 0;
  }
  return 0;
}

// FixedFormat::problem()'s rule without building a string (requantize is the emulator's inner
// loop).
void assert_format(const FixedFormat& f) {
  NAC_ASSERT(f.width >= 1 && f.width <= (f.is_signed ? 64 : 63) && f.integer >= -1024 &&
             f.integer <= 1024);
}

// x = M * 2^-frac with |M| < 2^53 (x finite).
struct Decomposed {
  Int128 m;
  int frac;
};
Decomposed decompose(double x) {
  int e = 0;
  const double mant = std::frexp(x, &e);  // |mant| in [0.5, 1), or 0
  return {static_cast<Int128>(static_cast<std::int64_t>(std::ldexp(mant, 53))), 53 - e};
}

std::int64_t quantize_checked(double x, const FixedFormat& f) {
  if (std::isnan(x)) throw InputError("cannot quantize NaN into " + f.str());
  if (std::isinf(x)) return convert(x > 0 ? 1 : -1, -1024 - std::int64_t{f.frac()}, f);
  const Decomposed d = decompose(x);
  return convert(d.m, std::int64_t{d.frac} - f.frac(), f);
}

// The branch-free float path of the batch fake_quantize, for W <= 24 and |F| <= 100. Elements
// it cannot do exactly (|x * 2^F| >= 2^22, underflow, NaN) are flagged for the scalar path.
struct FastParams {
  float scale, inv_scale, lo, hi, sat_lo, modulus, inv_modulus;
};

// floor for |v| < 2^31 through an int conversion: std::floor does not vectorise unless
// -fno-trapping-math.
inline float floor_small(float v) {
  const float t = static_cast<float>(static_cast<std::int32_t>(v));  // toward zero
  return t > v ? t - 1.0f : t;
}

// Branch-free (bitwise & | on bools, float selects) so that the loop vectorises. Lanes outside
// the fast range compute on 0 (no out-of-range float-to-int conversion) and are flagged.
template <Rounding R, Overflow O>
void fast_chunk(const float* in, float* out, std::int32_t* slow, std::size_t n,
                const FastParams& p) {
  for (std::size_t i = 0; i < n; ++i) {
    const float x = in[i];
    const float y0 = x * p.scale;
    const float ay = std::fabs(y0);
    const bool ok = ay < 0x1p22f;  // false for NaN and infinities
    slow[i] = static_cast<std::int32_t>((!ok) | ((x != 0.0f) & (ay < 0x1p-100f)));
    // y0, or +0 in flagged lanes: a bit mask rather than a select, which the compiler would turn
    // into a branch around the (possibly trapping) float-to-int conversion.
    const float y = std::bit_cast<float>(std::bit_cast<std::uint32_t>(y0) &
                                         (0u - static_cast<std::uint32_t>(ok)));
    const float fl = floor_small(y);
    const float frac = y - fl;  // exact
    const bool above = frac > 0.5f;
    const bool tie = frac == 0.5f;
    const bool neg = y < 0.0f;
    bool up = false;
    if constexpr (R == Rounding::TRN_ZERO) up = neg & (frac != 0.0f);
    if constexpr (R == Rounding::RND) up = above | tie;
    if constexpr (R == Rounding::RND_ZERO) up = above | (tie & neg);
    if constexpr (R == Rounding::RND_MIN_INF) up = above;
    if constexpr (R == Rounding::RND_INF) up = above | (tie & !neg);
    if constexpr (R == Rounding::RND_CONV)
      up = above | (tie & (fl != 2.0f * floor_small(0.5f * fl)));  // floor odd
    float q = fl + (up ? 1.0f : 0.0f);
    if constexpr (O == Overflow::WRAP) q = q - p.modulus * floor_small((q - p.lo) * p.inv_modulus);
    if constexpr (O == Overflow::SAT || O == Overflow::SAT_SYM) {
      q = q < p.sat_lo ? p.sat_lo : q;
      q = q > p.hi ? p.hi : q;
    }
    if constexpr (O == Overflow::SAT_ZERO) q = ((q < p.lo) | (q > p.hi)) ? 0.0f : q;
    out[i] = q * p.inv_scale + 0.0f;  // + 0: no negative zero
  }
}

// The float path for formats wider than 24 bits (accumulators), where no float below 2^22 in
// magnitude can overflow: such values are rounded as above; a value of magnitude >= 2^23 is
// already an integer multiple of the LSB and is kept when it lies within the range (p.hi is
// 2^(W-1) signed, 2^W unsigned); everything else (2^22..2^23, out of range, negative in an
// unsigned format, underflow, NaN) is flagged for the scalar path.
template <Rounding R>
void fast_wide_chunk(const float* in, float* out, std::int32_t* slow, std::size_t n,
                     const FastParams& p) {
  for (std::size_t i = 0; i < n; ++i) {
    const float x = in[i];
    const float y0 = x * p.scale;
    const float ay = std::fabs(y0);
    const bool small = ay < 0x1p22f;
    const bool whole = (ay >= 0x1p23f) & (ay < p.hi);  // false for NaN and infinities
    const bool bad_sign = (p.lo == 0.0f) & (y0 < 0.0f);
    slow[i] =
        static_cast<std::int32_t>(!(small | whole) | bad_sign | ((x != 0.0f) & (ay < 0x1p-100f)));
    const float y = std::bit_cast<float>(std::bit_cast<std::uint32_t>(y0) &
                                         (0u - static_cast<std::uint32_t>(small)));
    const float fl = floor_small(y);
    const float frac = y - fl;
    const bool above = frac > 0.5f;
    const bool tie = frac == 0.5f;
    const bool neg = y < 0.0f;
    bool up = false;
    if constexpr (R == Rounding::TRN_ZERO) up = neg & (frac != 0.0f);
    if constexpr (R == Rounding::RND) up = above | tie;
    if constexpr (R == Rounding::RND_ZERO) up = above | (tie & neg);
    if constexpr (R == Rounding::RND_MIN_INF) up = above;
    if constexpr (R == Rounding::RND_INF) up = above | (tie & !neg);
    if constexpr (R == Rounding::RND_CONV)
      up = above | (tie & (fl != 2.0f * floor_small(0.5f * fl)));
    const float q = small ? fl + (up ? 1.0f : 0.0f) : y0;
    out[i] = q * p.inv_scale + 0.0f;
  }
}

using FastFn = void (*)(const float*, float*, std::int32_t*, std::size_t, const FastParams&);

template <Rounding R>
FastFn pick_overflow(Overflow o) {
  switch (o) {
    case Overflow::WRAP:
      return &fast_chunk<R, Overflow::WRAP>;
    case Overflow::SAT:
      return &fast_chunk<R, Overflow::SAT>;
    case Overflow::SAT_ZERO:
      return &fast_chunk<R, Overflow::SAT_ZERO>;
    case Overflow::SAT_SYM:
      return &fast_chunk<R, Overflow::SAT_SYM>;
  }
  return nullptr;
}

FastFn pick_fast(const FixedFormat& f) {
  switch (f.rounding) {
    case Rounding::TRN:
      return pick_overflow<Rounding::TRN>(f.overflow);
    case Rounding::TRN_ZERO:
      return pick_overflow<Rounding::TRN_ZERO>(f.overflow);
    case Rounding::RND:
      return pick_overflow<Rounding::RND>(f.overflow);
    case Rounding::RND_ZERO:
      return pick_overflow<Rounding::RND_ZERO>(f.overflow);
    case Rounding::RND_MIN_INF:
      return pick_overflow<Rounding::RND_MIN_INF>(f.overflow);
    case Rounding::RND_INF:
      return pick_overflow<Rounding::RND_INF>(f.overflow);
    case Rounding::RND_CONV:
      return pick_overflow<Rounding::RND_CONV>(f.overflow);
  }
  return nullptr;
}

FastFn pick_wide(Rounding r) {
  switch (r) {
    case Rounding::TRN:
      return &fast_wide_chunk<Rounding::TRN>;
    case Rounding::TRN_ZERO:
      return &fast_wide_chunk<Rounding::TRN_ZERO>;
    case Rounding::RND:
      return &fast_wide_chunk<Rounding::RND>;
    case Rounding::RND_ZERO:
      return &fast_wide_chunk<Rounding::RND_ZERO>;
    case Rounding::RND_MIN_INF:
      return &fast_wide_chunk<Rounding::RND_MIN_INF>;
    case Rounding::RND_INF:
      return &fast_wide_chunk<Rounding::RND_INF>;
    case Rounding::RND_CONV:
      return &fast_wide_chunk<Rounding::RND_CONV>;
  }
  return nullptr;
}

}  // namespace

void check_format(const FixedFormat& f) {
  if (const std::string why = f.problem(); !why.empty())
    throw InputError("fixed-point format " + f.str() + " is not supported: " + why);
}

std::int64_t requantize(Int128 m, int from_frac, const FixedFormat& to, bool* overflowed) {
  assert_format(to);
  return convert(m, std::int64_t{from_frac} - to.frac(), to, overflowed);
}

namespace {

// The batch requantize's int64 path: shift in -62..62, rounding TRN or RND, overflow WRAP or
// SAT (SAT_SYM through slo). Branch-free per element so that it vectorises; elements whose left
// shift would leave int64 are flagged and redone by the scalar path.
template <bool Round, bool Wrap, bool Right, bool Signed>
std::size_t requantize_fast(const std::int64_t* m, int shift, const FixedFormat& to,
                            std::int64_t* out, std::size_t n) {
  const auto lo = static_cast<std::int64_t>(range_lo(to));
  const auto hi = static_cast<std::int64_t>(range_hi(to));
  const auto slo = static_cast<std::int64_t>(sat_lo(to));
  const int keep = 64 - to.width;  // WRAP: shift the top bits out and back
  const std::uint64_t umask =
      to.width >= 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << to.width) - 1;
  const int ls = Right ? 0 : -shift;
  const std::int64_t lim_hi = INT64_MAX >> ls, lim_lo = INT64_MIN >> ls;
  std::size_t overflows = 0;
  constexpr std::size_t kChunk = 256;
  std::array<std::int64_t, kChunk> in{};  // out may alias m: the redo pass needs the inputs
  for (std::size_t start = 0; start < n; start += kChunk) {
    const std::size_t len = std::min(kChunk, n - start);
    std::copy_n(m + start, len, in.begin());
    std::int64_t* o = out + start;
    std::size_t redo = 0;
    for (std::size_t i = 0; i < len; ++i) {
      const std::int64_t v = in[i];
      std::int64_t q;
      if constexpr (Right) {
        q = v >> shift;
        if constexpr (Round) q += (v >> (shift - 1)) & 1;
      } else {
        redo += static_cast<std::size_t>((v > lim_hi) | (v < lim_lo));
        q = static_cast<std::int64_t>(static_cast<std::uint64_t>(v) << ls);
      }
      overflows += static_cast<std::size_t>((q < lo) | (q > hi));
      if constexpr (Wrap) {
        if constexpr (Signed)
          q = static_cast<std::int64_t>(static_cast<std::uint64_t>(q) << keep) >> keep;
        else
          q = static_cast<std::int64_t>(static_cast<std::uint64_t>(q) & umask);
      } else {
        q = q < slo ? slo : q;
        q = q > hi ? hi : q;
      }
      o[i] = q;
    }
    if (redo == 0) continue;
    for (std::size_t i = 0; i < len; ++i) {  // rare: shifts that left int64, done exactly
      const std::int64_t v = in[i];
      if (v <= lim_hi && v >= lim_lo) continue;
      const auto q = static_cast<std::int64_t>(static_cast<std::uint64_t>(v) << ls);
      overflows -= static_cast<std::size_t>((q < lo) | (q > hi));
      bool of = false;
      o[i] = convert(v, shift, to, &of);
      overflows += of ? 1 : 0;
    }
  }
  return overflows;
}

template <bool Round, bool Wrap>
std::size_t requantize_fast(const std::int64_t* m, int shift, const FixedFormat& to,
                            std::int64_t* out, std::size_t n) {
  if (shift > 0)
    return to.is_signed ? requantize_fast<Round, Wrap, true, true>(m, shift, to, out, n)
                        : requantize_fast<Round, Wrap, true, false>(m, shift, to, out, n);
  return to.is_signed ? requantize_fast<false, Wrap, false, true>(m, shift, to, out, n)
                      : requantize_fast<false, Wrap, false, false>(m, shift, to, out, n);
}

}  // namespace

std::size_t requantize(std::span<const std::int64_t> m, int from_frac, const FixedFormat& to,
                       std::span<std::int64_t> out) {
  assert_format(to);
  NAC_ASSERT(m.size() == out.size());
  const std::int64_t shift = std::int64_t{from_frac} - to.frac();
  const bool trn = to.rounding == Rounding::TRN || shift <= 0;
  const bool rnd = to.rounding == Rounding::RND;
  const bool wrap = to.overflow == Overflow::WRAP;
  const bool sat = to.overflow == Overflow::SAT || to.overflow == Overflow::SAT_SYM;
  if (shift >= -62 && shift <= 62 && (trn || rnd) && (wrap || sat)) {
    const int s = static_cast<int>(shift);
    if (trn) {
      return wrap ? requantize_fast<false, true>(m.data(), s, to, out.data(), m.size())
                  : requantize_fast<false, false>(m.data(), s, to, out.data(), m.size());
    }
    return wrap ? requantize_fast<true, true>(m.data(), s, to, out.data(), m.size())
                : requantize_fast<true, false>(m.data(), s, to, out.data(), m.size());
  }
  std::size_t overflows = 0;
  for (std::size_t i = 0; i < m.size(); ++i) {
    bool of = false;
    out[i] = convert(m[i], shift, to, &of);
    overflows += of ? 1 : 0;
  }
  return overflows;
}

std::int64_t quantize(double x, const FixedFormat& f) {
  assert_format(f);
  return quantize_checked(x, f);
}

namespace {

// The batch quantize's fast path for TRN/RND with WRAP/SAT and |F| <= 60: x * 2^F is exact in
// double (unless it leaves the normal range, which takes the exact path), floor and the first
// dropped bit come from it exactly, then the int64 range rules of requantize_fast.
template <typename T>
void quantize_batch(std::span<const T> x, std::span<std::int64_t> out, const FixedFormat& f) {
  NAC_ASSERT(x.size() == out.size());
  const bool trn = f.rounding == Rounding::TRN, rnd = f.rounding == Rounding::RND;
  const bool wrap = f.overflow == Overflow::WRAP;
  const bool sat = f.overflow == Overflow::SAT || f.overflow == Overflow::SAT_SYM;
  if (!(trn || rnd) || !(wrap || sat) || f.frac() < -60 || f.frac() > 60) {
    for (std::size_t i = 0; i < x.size(); ++i) out[i] = quantize_checked(x[i], f);
    return;
  }
  const double scale = std::ldexp(1.0, f.frac());
  const auto lo = static_cast<std::int64_t>(range_lo(f));
  const auto hi = static_cast<std::int64_t>(range_hi(f));
  const auto slo = static_cast<std::int64_t>(sat_lo(f));
  const int keep = 64 - f.width;
  const std::uint64_t umask = f.width >= 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << f.width) - 1;
  for (std::size_t i = 0; i < x.size(); ++i) {
    const double d = static_cast<double>(x[i]) * scale;
    const double ad = std::fabs(d);
    if (!(ad < 0x1p62) || (ad < 0x1p-60 && d != 0)) {  // NaN, huge, or near subnormal
      out[i] = quantize_checked(x[i], f);
      continue;
    }
    const double fl = std::floor(d);
    auto q = static_cast<std::int64_t>(fl);
    if (rnd && d - fl >= 0.5) ++q;
    if (wrap) {
      out[i] = f.is_signed
                   ? static_cast<std::int64_t>(static_cast<std::uint64_t>(q) << keep) >> keep
                   : static_cast<std::int64_t>(static_cast<std::uint64_t>(q) & umask);
    } else {
      out[i] = q < lo ? slo : (q > hi ? hi : (q < slo ? slo : q));
    }
  }
}

}  // namespace

void quantize(std::span<const float> x, std::span<std::int64_t> out, const FixedFormat& f) {
  assert_format(f);
  quantize_batch(x, out, f);
}

void quantize(std::span<const double> x, std::span<std::int64_t> out, const FixedFormat& f) {
  assert_format(f);
  quantize_batch(x, out, f);
}

double to_double(std::int64_t m, const FixedFormat& f) {
  return std::ldexp(static_cast<double>(m), -f.frac());
}

float fake_quantize(float x, const FixedFormat& f) {
  assert_format(f);
  if (std::isnan(x)) return x;
  return std::ldexp(static_cast<float>(quantize_checked(x, f)), -f.frac());
}

void fake_quantize(std::span<const float> x, std::span<float> out, const FixedFormat& f) {
  assert_format(f);
  NAC_ASSERT(x.size() == out.size());
  const int frac = f.frac();
  if (frac < -100 || frac > 100) {
    for (std::size_t i = 0; i < x.size(); ++i) out[i] = fake_quantize(x[i], f);
    return;
  }
  const bool wide = f.width > 24;
  const FastParams p =
      wide ? FastParams{std::ldexp(1.0f, frac),
                        std::ldexp(1.0f, -frac),
                        f.is_signed ? -1.0f : 0.0f,
                        std::ldexp(1.0f, f.is_signed ? f.width - 1 : f.width),
                        0.0f,
                        0.0f,
                        0.0f}
           : FastParams{std::ldexp(1.0f, frac),          std::ldexp(1.0f, -frac),
                        static_cast<float>(range_lo(f)), static_cast<float>(range_hi(f)),
                        static_cast<float>(sat_lo(f)),   std::ldexp(1.0f, f.width),
                        std::ldexp(1.0f, -f.width)};
  const FastFn fast = wide ? pick_wide(f.rounding) : pick_fast(f);
  constexpr std::size_t kChunk = 256;
  std::array<float, kChunk> in{};
  std::array<std::int32_t, kChunk> slow{};
  for (std::size_t start = 0; start < x.size(); start += kChunk) {
    const std::size_t n = std::min(kChunk, x.size() - start);
    std::copy_n(x.begin() + static_cast<std::ptrdiff_t>(start), n, in.begin());
    fast(in.data(), out.data() + start, slow.data(), n, p);
    for (std::size_t i = 0; i < n; ++i)
      if (slow[i]) out[start + i] = fake_quantize(in[i], f);
  }
}

std::int64_t min_mantissa(const FixedFormat& f) {
  assert_format(f);
  return static_cast<std::int64_t>(sat_lo(f));
}

std::int64_t max_mantissa(const FixedFormat& f) {
  assert_format(f);
  return static_cast<std::int64_t>(range_hi(f));
}

double min_value(const FixedFormat& f) { return to_double(min_mantissa(f), f); }
double max_value(const FixedFormat& f) { return to_double(max_mantissa(f), f); }
double lsb_value(const FixedFormat& f) { return std::ldexp(1.0, -f.frac()); }

bool fits(Int128 m, int from_frac, const FixedFormat& f) {
  assert_format(f);
  const std::int64_t shift = std::int64_t{from_frac} - f.frac();
  Int128 q = 0;
  if (m == 0) return true;
  if (shift > 0) {  // the dropped bits must be zero
    if (shift >= 128 || (static_cast<UInt128>(m) & low_mask(shift)) != 0) return false;
    q = m >> shift;
  } else {
    if (shift <= -64) return false;  // |m| * 2^64 exceeds every int64 mantissa
    const int s = static_cast<int>(-shift);
    q = static_cast<Int128>(static_cast<UInt128>(m) << s);
    if ((q >> s) != m) return false;
  }
  return q >= sat_lo(f) && q <= range_hi(f);
}

bool fits(double x, const FixedFormat& f) {
  if (!std::isfinite(x)) return false;
  const Decomposed d = decompose(x);
  return fits(d.m, d.frac, f);
}

FixedFormat product_format(const FixedFormat& a, const FixedFormat& b) {
  FixedFormat r;
  r.width = a.width + b.width;
  r.integer = a.integer + b.integer;
  r.is_signed = a.is_signed || b.is_signed;
  return r;
}

FixedFormat sum_format(const FixedFormat& a, const FixedFormat& b) {
  FixedFormat r;
  r.integer = std::max(a.integer + (b.is_signed && !a.is_signed ? 1 : 0),
                       b.integer + (a.is_signed && !b.is_signed ? 1 : 0)) +
              1;
  r.width = r.integer + std::max(a.frac(), b.frac());
  r.is_signed = a.is_signed || b.is_signed;
  return r;
}

FixedFormat difference_format(const FixedFormat& a, const FixedFormat& b) {
  FixedFormat r = sum_format(a, b);
  r.is_signed = true;
  return r;
}

FixedFormat quotient_format(const FixedFormat& a, const FixedFormat& b) {
  const int s2 = b.is_signed ? 1 : 0;
  FixedFormat r;
  r.width = s2 + a.width + std::max(b.frac(), 0);
  r.integer = s2 + a.integer + b.frac();
  r.is_signed = a.is_signed || b.is_signed;
  return r;
}

}  // namespace nac
