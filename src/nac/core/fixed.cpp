#include "nac/core/fixed.hpp"

#include <algorithm>
#include <array>
#include <bit>
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
std::int64_t convert(Int128 m, std::int64_t shift, const FixedFormat& to) {
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
  if (!huge && q >= range_lo(to) && q <= hi)
    return static_cast<std::int64_t>(q < lo ? lo : q);  // q < lo: the SAT_SYM minimum
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

void assert_format(const FixedFormat& f) { NAC_ASSERT(f.problem().empty()); }

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

}  // namespace

void check_format(const FixedFormat& f) {
  if (const std::string why = f.problem(); !why.empty())
    throw InputError("fixed-point format " + f.str() + " is not supported: " + why);
}

std::int64_t requantize(Int128 m, int from_frac, const FixedFormat& to) {
  assert_format(to);
  return convert(m, std::int64_t{from_frac} - to.frac(), to);
}

std::int64_t quantize(double x, const FixedFormat& f) {
  assert_format(f);
  return quantize_checked(x, f);
}

void quantize(std::span<const float> x, std::span<std::int64_t> out, const FixedFormat& f) {
  assert_format(f);
  NAC_ASSERT(x.size() == out.size());
  for (std::size_t i = 0; i < x.size(); ++i) out[i] = quantize_checked(x[i], f);
}

void quantize(std::span<const double> x, std::span<std::int64_t> out, const FixedFormat& f) {
  assert_format(f);
  NAC_ASSERT(x.size() == out.size());
  for (std::size_t i = 0; i < x.size(); ++i) out[i] = quantize_checked(x[i], f);
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
  if (f.width > 24 || frac < -100 || frac > 100) {
    for (std::size_t i = 0; i < x.size(); ++i) out[i] = fake_quantize(x[i], f);
    return;
  }
  const FastParams p{std::ldexp(1.0f, frac),          std::ldexp(1.0f, -frac),
                     static_cast<float>(range_lo(f)), static_cast<float>(range_hi(f)),
                     static_cast<float>(sat_lo(f)),   std::ldexp(1.0f, f.width),
                     std::ldexp(1.0f, -f.width)};
  const FastFn fast = pick_fast(f);
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
