#include "nac/core/fixed.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <string>
#include <vector>

#include "nac/core/error.hpp"
#include "nac/core/rng.hpp"

namespace nac {
namespace {

constexpr Rounding kRoundings[] = {Rounding::TRN,      Rounding::TRN_ZERO,    Rounding::RND,
                                   Rounding::RND_ZERO, Rounding::RND_MIN_INF, Rounding::RND_INF,
                                   Rounding::RND_CONV};
constexpr Overflow kOverflows[] = {Overflow::WRAP, Overflow::SAT, Overflow::SAT_ZERO,
                                   Overflow::SAT_SYM};

bool small_scale() {
  const char* s = std::getenv("NAC_TEST_SCALE");
  return s != nullptr && std::string(s) == "small";
}

FixedFormat fmt(int w, int i, bool s, Rounding r = Rounding::TRN, Overflow o = Overflow::WRAP) {
  FixedFormat f;
  f.width = w;
  f.integer = i;
  f.is_signed = s;
  f.rounding = r;
  f.overflow = o;
  return f;
}

// ---------------------------------------------------------------------------------------------
// The reference: written from FIXED_POINT.md in the most literal way, sharing no code with
// fixed.cpp. The value k * 2^-g becomes the rational n / d in units of the target's LSB; floor
// comes from integer division corrected by an exact comparison, the tie rules are spelled out
// one by one, and overflow is an explicit range check. Int128 is only used as a wide integer:
// callers keep |n| and d below 2^125.
Int128 pow2(int e) { return Int128{1} << e; }

Int128 reference(Int128 k, int g, const FixedFormat& f) {
  const int frac = f.width - f.integer;
  Int128 n = k;
  Int128 d = 1;
  if (g >= frac) {
    d = pow2(g - frac);
  } else {
    n = k * pow2(frac - g);
  }
  // floor(n / d): C++ division truncates toward zero, so step down once when it rounded up.
  Int128 fl = n / d;
  if (fl * d > n) fl = fl - 1;
  const Int128 rem = n - fl * d;  // 0 <= rem < d
  const bool exact = rem == 0;
  const bool below_half = 2 * rem < d;
  const bool tie = 2 * rem == d;
  const bool above_half = 2 * rem > d;
  const bool positive = n > 0;
  const bool fl_even = fl % 2 == 0;
  Int128 q = fl;
  switch (f.rounding) {
    case Rounding::TRN:  // floor
      q = fl;
      break;
    case Rounding::TRN_ZERO:  // toward zero: negative inexact values go up
      q = (!positive && !exact) ? fl + 1 : fl;
      break;
    case Rounding::RND:  // nearest, ties toward +inf
      q = (tie || above_half) ? fl + 1 : fl;
      break;
    case Rounding::RND_ZERO:  // nearest, ties toward zero
      if (above_half) q = fl + 1;
      if (below_half) q = fl;
      if (tie) q = positive ? fl : fl + 1;
      break;
    case Rounding::RND_MIN_INF:  // nearest, ties toward -inf
      q = above_half ? fl + 1 : fl;
      break;
    case Rounding::RND_INF:  // nearest, ties away from zero
      if (above_half) q = fl + 1;
      if (below_half) q = fl;
      if (tie) q = positive ? fl + 1 : fl;
      break;
    case Rounding::RND_CONV:  // nearest, ties to even
      if (above_half) q = fl + 1;
      if (below_half) q = fl;
      if (tie) q = fl_even ? fl : fl + 1;
      break;
  }
  const Int128 lo = f.is_signed ? -pow2(f.width - 1) : Int128{0};
  const Int128 hi = f.is_signed ? pow2(f.width - 1) - 1 : pow2(f.width) - 1;
  // SAT_SYM's smallest result is lo + 1, except W = 1 where the Vitis header saturates to lo.
  const Int128 sym_lo = (f.is_signed && f.width > 1) ? lo + 1 : lo;
  const bool in_range = q >= lo && q <= hi;
  switch (f.overflow) {
    case Overflow::WRAP:
      if (!in_range) {
        const Int128 modulus = pow2(f.width);
        Int128 offset = (q - lo) % modulus;
        if (offset < 0) offset += modulus;
        q = lo + offset;
      }
      break;
    case Overflow::SAT:
      if (q < lo) q = lo;
      if (q > hi) q = hi;
      break;
    case Overflow::SAT_SYM:
      if (q < sym_lo) q = sym_lo;
      if (q > hi) q = hi;
      break;
    case Overflow::SAT_ZERO:
      if (!in_range) q = 0;
      break;
  }
  return q;
}

// True when k * 2^-g is a multiple of 2^-frac inside the reference's result range.
bool reference_fits(Int128 k, int g, const FixedFormat& f) {
  const int frac = f.width - f.integer;
  if (g > frac && k % pow2(g - frac) != 0) return false;
  const Int128 q = g > frac ? k / pow2(g - frac) : k * pow2(frac - g);
  const Int128 lo = f.is_signed ? -pow2(f.width - 1) : Int128{0};
  const Int128 hi = f.is_signed ? pow2(f.width - 1) - 1 : pow2(f.width) - 1;
  const bool sym = f.overflow == Overflow::SAT_SYM && f.is_signed && f.width > 1;
  return q >= (sym ? lo + 1 : lo) && q <= hi;
}

std::string describe(Int128 k, int g, const FixedFormat& f) {
  return f.str() + " value " + std::to_string(static_cast<long long>(k)) + " * 2^-" +
         std::to_string(g);
}

// ---------------------------------------------------------------------------------------------

TEST(Fixed, ExhaustiveSmallFormatsMatchReference) {
  const int max_w = small_scale() ? 5 : 8;
  long long checked = 0;
  for (bool s : {true, false})
    for (int w = 1; w <= max_w; ++w)
      for (int i = -2; i <= w + 2; ++i)
        for (Rounding r : kRoundings)
          for (Overflow o : kOverflows) {
            const FixedFormat f = fmt(w, i, s, r, o);
            const int frac = w - i;
            for (int extra : {-2, 0, 1, 3}) {  // input grid: multiples of 2^-(F + extra)
              const int g = frac + extra;
              // Four times the format's range on each side, in grid units.
              const long long span = 1LL << (w + 2 + std::max(extra, 0));
              for (long long k = -span; k <= span; ++k) {
                const Int128 want = reference(k, g, f);
                const std::int64_t got = requantize(k, g, f);
                if (got != want) {
                  ADD_FAILURE() << describe(k, g, f) << ": requantize " << got << ", reference "
                                << static_cast<long long>(want);
                  return;
                }
                const double x = std::ldexp(static_cast<double>(k), -g);  // exact
                if (quantize(x, f) != got) {
                  ADD_FAILURE() << describe(k, g, f) << ": quantize " << quantize(x, f);
                  return;
                }
                if (fits(k, g, f) != reference_fits(k, g, f) || fits(x, f) != fits(k, g, f)) {
                  ADD_FAILURE() << describe(k, g, f) << ": fits " << fits(k, g, f);
                  return;
                }
                ++checked;
              }
            }
          }
  EXPECT_GT(checked, small_scale() ? 100000 : 1000000);
}

TEST(Fixed, WideFormatsAndLargeAccumulatorsMatchReference) {
  Rng rng(7);
  const int cases = small_scale() ? 20000 : 200000;
  for (int c = 0; c < cases; ++c) {
    const bool s = rng.below(2) == 0;
    const int w = 1 + static_cast<int>(rng.below(s ? 64 : 63));
    const int i = static_cast<int>(rng.below(static_cast<std::uint64_t>(w) + 41)) - 20;
    const FixedFormat f = fmt(w, i, s, kRoundings[rng.below(7)], kOverflows[rng.below(4)]);
    // An accumulator of up to 100 bits with a fraction count around the target's.
    const int bits = 1 + static_cast<int>(rng.below(100));
    Int128 k = (Int128{static_cast<std::int64_t>(rng.next_u64() >> 1)} << 64) |
               static_cast<Int128>(rng.next_u64());
    k >>= (127 - bits);
    if (rng.below(2) == 0) k = -k;
    const int frac = w - i;
    const int g = frac + static_cast<int>(rng.below(41)) - 20;  // |n| < 2^120, d <= 2^20
    const Int128 want = reference(k, g, f);
    ASSERT_EQ(requantize(k, g, f), want) << describe(k, g, f);
    ASSERT_EQ(fits(k, g, f), reference_fits(k, g, f)) << describe(k, g, f);
  }
}

TEST(Fixed, RandomDoublesMatchReference) {
  Rng rng(11);
  const int cases = small_scale() ? 20000 : 200000;
  for (int c = 0; c < cases; ++c) {
    const bool s = rng.below(2) == 0;
    const int w = 1 + static_cast<int>(rng.below(s ? 64 : 63));
    const int i = static_cast<int>(rng.below(static_cast<std::uint64_t>(w) + 41)) - 20;
    const FixedFormat f = fmt(w, i, s, kRoundings[rng.below(7)], kOverflows[rng.below(4)]);
    const std::int64_t k =
        static_cast<std::int64_t>(rng.next_u64() >> 11) * (rng.below(2) == 0 ? 1 : -1);  // 53 bits
    const int g = (w - i) + static_cast<int>(rng.below(121)) - 60;
    const double x = std::ldexp(static_cast<double>(k), -g);
    ASSERT_EQ(quantize(x, f), reference(k, g, f)) << describe(k, g, f);
  }
}

// ---------------------------------------------------------------------------------------------
// Hand-checked cases.

TEST(Fixed, RoundingTiesHandChecked) {
  struct Case {
    Rounding r;
    double x;
    std::int64_t want;
  };
  const Case cases[] = {
      {Rounding::TRN, 2.5, 2},           {Rounding::TRN, -2.5, -3},
      {Rounding::TRN_ZERO, 2.5, 2},      {Rounding::TRN_ZERO, -2.5, -2},
      {Rounding::TRN_ZERO, -2.01, -2},   {Rounding::RND, 2.5, 3},
      {Rounding::RND, -2.5, -2},         {Rounding::RND, -2.51, -3},
      {Rounding::RND_ZERO, 2.5, 2},      {Rounding::RND_ZERO, -2.5, -2},
      {Rounding::RND_ZERO, 2.51, 3},     {Rounding::RND_MIN_INF, 2.5, 2},
      {Rounding::RND_MIN_INF, -2.5, -3}, {Rounding::RND_INF, 2.5, 3},
      {Rounding::RND_INF, -2.5, -3},     {Rounding::RND_INF, 2.49, 2},
      {Rounding::RND_CONV, 0.5, 0},      {Rounding::RND_CONV, 1.5, 2},
      {Rounding::RND_CONV, 2.5, 2},      {Rounding::RND_CONV, -0.5, 0},
      {Rounding::RND_CONV, -1.5, -2},    {Rounding::RND_CONV, -2.5, -2},
  };
  for (const Case& c : cases)
    EXPECT_EQ(quantize(c.x, fmt(8, 8, true, c.r)), c.want) << rounding_name(c.r) << " of " << c.x;
}

TEST(Fixed, OverflowHandChecked) {
  // fixed<4,2>: F = 2, mantissas -8..7, values -2.0..1.75.
  // 1.9 * 4 = 7.6 rounds up to 8: the rounding carry overflows.
  EXPECT_EQ(quantize(1.9, fmt(4, 2, true, Rounding::RND, Overflow::SAT)), 7);
  EXPECT_EQ(quantize(1.9, fmt(4, 2, true, Rounding::RND, Overflow::WRAP)), -8);
  EXPECT_EQ(quantize(1.9, fmt(4, 2, true, Rounding::RND, Overflow::SAT_ZERO)), 0);
  EXPECT_EQ(quantize(1.9, fmt(4, 2, true, Rounding::TRN, Overflow::SAT)), 7);
  // 1.875 * 4 = 7.5: a tie, RND carries into overflow, RND_CONV goes to 8 (even) too.
  EXPECT_EQ(quantize(1.875, fmt(4, 2, true, Rounding::RND, Overflow::WRAP)), -8);
  EXPECT_EQ(quantize(1.875, fmt(4, 2, true, Rounding::RND_ZERO, Overflow::WRAP)), 7);
  EXPECT_EQ(quantize(1.875, fmt(4, 2, true, Rounding::RND_CONV, Overflow::SAT)), 7);
  // SAT_SYM: the signed minimum -8 is never produced.
  EXPECT_EQ(quantize(-5.0, fmt(4, 2, true, Rounding::TRN, Overflow::SAT_SYM)), -7);
  EXPECT_EQ(quantize(-2.0, fmt(4, 2, true, Rounding::TRN, Overflow::SAT_SYM)), -7);
  EXPECT_EQ(quantize(-2.0, fmt(4, 2, true, Rounding::TRN, Overflow::SAT)), -8);
  EXPECT_EQ(quantize(5.0, fmt(4, 2, true, Rounding::TRN, Overflow::SAT_SYM)), 7);
  // SAT_ZERO: any overflow gives 0, in range stays.
  EXPECT_EQ(quantize(2.5, fmt(4, 2, true, Rounding::TRN, Overflow::SAT_ZERO)), 0);
  EXPECT_EQ(quantize(-2.25, fmt(4, 2, true, Rounding::TRN, Overflow::SAT_ZERO)), 0);
  EXPECT_EQ(quantize(1.75, fmt(4, 2, true, Rounding::TRN, Overflow::SAT_ZERO)), 7);
  // WRAP keeps the low W bits: 2.5 -> 10 -> 0b1010 -> -6.
  EXPECT_EQ(quantize(2.5, fmt(4, 2, true)), -6);
  // Unsigned: negative values saturate to 0 or wrap modulo 2^W.
  EXPECT_EQ(quantize(-1.0, fmt(8, 4, false, Rounding::TRN, Overflow::SAT)), 0);
  EXPECT_EQ(quantize(-1.0, fmt(8, 4, false)), 240);
  EXPECT_EQ(quantize(-0.01, fmt(8, 4, false, Rounding::RND, Overflow::SAT)), 0);
  EXPECT_EQ(quantize(16.0, fmt(8, 4, false, Rounding::TRN, Overflow::SAT_SYM)), 255);
  // 2^20 + 3 into fixed<16,6>: mantissa 2^30 + 3072, low 16 bits 3072.
  EXPECT_EQ(quantize(1048579.0, fmt(16, 6, true)), 3072);
}

TEST(Fixed, UnusualIntegerBits) {
  // I < 0: fixed<4,-2> has F = 6, values -8/64..7/64.
  EXPECT_EQ(quantize(0.1, fmt(4, -2, true)), 6);
  EXPECT_EQ(quantize(0.2, fmt(4, -2, true, Rounding::TRN, Overflow::SAT)), 7);
  // I > W: fixed<4,6> has F = -2, a step of 4.
  EXPECT_EQ(quantize(13.0, fmt(4, 6, true)), 3);
  EXPECT_EQ(quantize(-13.0, fmt(4, 6, true, Rounding::TRN_ZERO)), -3);
  EXPECT_EQ(quantize(14.0, fmt(4, 6, true, Rounding::RND_CONV)), 4);  // 3.5 -> 4
  EXPECT_DOUBLE_EQ(to_double(3, fmt(4, 6, true)), 12.0);
}

TEST(Fixed, SpecialDoubles) {
  const FixedFormat f = fmt(16, 6, true);  // F = 10
  EXPECT_EQ(quantize(0.1, f), 102);        // 102.4
  EXPECT_EQ(quantize(-0.1, f), -103);      // floor
  EXPECT_EQ(quantize(0.1, fmt(16, 6, true, Rounding::RND)), 102);
  EXPECT_EQ(quantize(-0.0, f), 0);
  EXPECT_EQ(quantize(1e-300, f), 0);
  EXPECT_EQ(quantize(-1e-300, f), -1);  // floor of a tiny negative value is -1 LSB
  EXPECT_EQ(quantize(-1e-300, fmt(16, 6, true, Rounding::TRN_ZERO)), 0);
  EXPECT_EQ(quantize(-1e-300, fmt(16, 6, true, Rounding::RND)), 0);
  EXPECT_EQ(quantize(-5e-324, f), -1);  // the smallest subnormal
  // Subnormals are exact: fixed<8,-1024> has F = 1032.
  EXPECT_EQ(quantize(std::ldexp(1.0, -1030), fmt(8, -1024, true)), 4);
  EXPECT_EQ(quantize(std::ldexp(7.0, -1033), fmt(8, -1024, true, Rounding::RND_CONV)), 4);  // 3.5
  EXPECT_EQ(quantize(std::ldexp(5.0, -1033), fmt(8, -1024, true, Rounding::RND_CONV)), 2);  // 2.5
  // Huge values: every kept bit is zero (WRAP) or the format saturates.
  EXPECT_EQ(quantize(1e300, f), 0);
  EXPECT_EQ(quantize(1e300, fmt(16, 6, true, Rounding::TRN, Overflow::SAT)), 32767);
  EXPECT_EQ(quantize(-1e300, fmt(16, 6, true, Rounding::TRN, Overflow::SAT)), -32768);
  EXPECT_EQ(quantize(-1e300, fmt(16, 6, true, Rounding::TRN, Overflow::SAT_SYM)), -32767);
  const double inf = std::numeric_limits<double>::infinity();
  EXPECT_EQ(quantize(inf, f), 0);
  EXPECT_EQ(quantize(inf, fmt(16, 6, true, Rounding::TRN, Overflow::SAT)), 32767);
  EXPECT_EQ(quantize(-inf, fmt(16, 6, false, Rounding::RND, Overflow::SAT)), 0);
  EXPECT_EQ(quantize(inf, fmt(16, 6, true, Rounding::TRN, Overflow::SAT_ZERO)), 0);
  EXPECT_THROW(quantize(std::nan(""), f), InputError);
  EXPECT_FALSE(fits(inf, f));
  EXPECT_FALSE(fits(std::nan(""), f));
}

TEST(Fixed, RequantizeExtremeShifts) {
  const FixedFormat i8 = fmt(8, 8, true);
  // Left shifts (from_frac below the target's fraction count), negative from_frac included.
  EXPECT_EQ(requantize(3, -4, i8), 48);
  EXPECT_EQ(requantize(3, -4, fmt(8, 6, true)), -64);  // 192 wraps
  EXPECT_EQ(requantize(3, -4, fmt(8, 6, true, Rounding::TRN, Overflow::SAT)), 127);
  EXPECT_EQ(requantize(1, -200, i8), 0);
  EXPECT_EQ(requantize(3, -126, i8), 0);  // 3 * 2^126 does not fit Int128
  EXPECT_EQ(requantize(-1, -200, fmt(8, 8, true, Rounding::TRN, Overflow::SAT)), -128);
  EXPECT_EQ(requantize(1, -200, fmt(8, 8, true, Rounding::TRN, Overflow::SAT)), 127);
  EXPECT_EQ(requantize(5, -1, fmt(64, 64, true)), 10);
  // (2^100 + 7) * 2^28 = 2^128 + 7 * 2^28: its low 128 bits look small, the value is not.
  const Int128 wide = (Int128{1} << 100) + 7;
  EXPECT_EQ(requantize(wide, -28, fmt(64, 64, true)), std::int64_t{7} << 28);
  EXPECT_EQ(requantize(wide, -28, fmt(64, 64, true, Rounding::TRN, Overflow::SAT)),
            std::numeric_limits<std::int64_t>::max());
  EXPECT_EQ(requantize(-wide, -28, fmt(64, 64, true, Rounding::TRN, Overflow::SAT)),
            std::numeric_limits<std::int64_t>::min());
  EXPECT_EQ(requantize(wide, -28, fmt(64, 64, true, Rounding::TRN, Overflow::SAT_ZERO)), 0);
  EXPECT_FALSE(fits(wide, -28, fmt(64, 64, true)));
  // Right shifts far past 128 bits: the value is a tiny fraction of an LSB.
  EXPECT_EQ(requantize(1, 10000, i8), 0);
  EXPECT_EQ(requantize(-1, 10000, i8), -1);
  EXPECT_EQ(requantize(-1, 10000, fmt(8, 8, true, Rounding::RND)), 0);
  EXPECT_EQ(requantize(1, 10000, fmt(8, 8, true, Rounding::RND_INF)), 0);
  const Int128 min128 = -(Int128{1} << 126) * 2;
  // -2^127 * 2^-128 = -0.5 exactly: a tie, decided per mode.
  EXPECT_EQ(requantize(min128, 128, fmt(8, 8, true, Rounding::RND)), 0);
  EXPECT_EQ(requantize(min128, 128, fmt(8, 8, true, Rounding::RND_INF)), -1);
  EXPECT_EQ(requantize(min128, 128, fmt(8, 8, true, Rounding::RND_MIN_INF)), -1);
  EXPECT_EQ(requantize(min128, 128, fmt(8, 8, true, Rounding::RND_CONV)), 0);
  EXPECT_EQ(requantize(min128, 128, fmt(8, 8, true, Rounding::RND_ZERO)), 0);
  EXPECT_EQ(requantize(min128 + 1, 128, fmt(8, 8, true, Rounding::RND_INF)), 0);  // above -0.5
  // -2^126 * 2^-200: far below a tie.
  EXPECT_EQ(requantize(min128 / 2, 200, fmt(8, 8, true, Rounding::RND_MIN_INF)), 0);
}

TEST(Fixed, LargeAccumulatorTies) {
  const Int128 base = Int128{1} << 100;  // 2^10 with from_frac 90
  const Int128 half = Int128{1} << 73;   // 2^-17: half an LSB of fixed<32,16>
  auto q = [](Int128 m, Rounding r) { return requantize(m, 90, fmt(32, 16, true, r)); };
  const std::int64_t two26 = std::int64_t{1} << 26;
  EXPECT_EQ(q(base + half, Rounding::TRN), two26);
  EXPECT_EQ(q(base + half, Rounding::RND), two26 + 1);
  EXPECT_EQ(q(base + half, Rounding::RND_CONV), two26);  // even
  EXPECT_EQ(q(base + half, Rounding::RND_ZERO), two26);
  EXPECT_EQ(q(base + half + 1, Rounding::RND_CONV), two26 + 1);  // just above the tie
  EXPECT_EQ(q(-(base + half), Rounding::RND), -two26);
  EXPECT_EQ(q(-(base + half), Rounding::RND_INF), -two26 - 1);
  EXPECT_EQ(q(-(base + half + 1), Rounding::TRN_ZERO), -two26);
}

TEST(Fixed, RangesAndValues) {
  EXPECT_EQ(min_mantissa(fmt(8, 3, true)), -128);
  EXPECT_EQ(max_mantissa(fmt(8, 3, true)), 127);
  EXPECT_EQ(min_mantissa(fmt(8, 3, true, Rounding::TRN, Overflow::SAT_SYM)), -127);
  EXPECT_EQ(min_mantissa(fmt(8, 3, false)), 0);
  EXPECT_EQ(max_mantissa(fmt(8, 3, false)), 255);
  EXPECT_EQ(min_mantissa(fmt(64, 0, true)), std::numeric_limits<std::int64_t>::min());
  EXPECT_EQ(max_mantissa(fmt(63, 0, false)), std::numeric_limits<std::int64_t>::max());
  EXPECT_DOUBLE_EQ(min_value(fmt(8, 3, true)), -4.0);
  EXPECT_DOUBLE_EQ(max_value(fmt(8, 3, true)), 3.96875);
  EXPECT_DOUBLE_EQ(min_value(fmt(8, 3, true, Rounding::RND, Overflow::SAT_SYM)), -3.96875);
  EXPECT_DOUBLE_EQ(max_value(fmt(8, 3, false)), 7.96875);
  EXPECT_DOUBLE_EQ(lsb_value(fmt(8, 3, false)), 0.03125);
  EXPECT_DOUBLE_EQ(lsb_value(fmt(4, 6, true)), 4.0);
  EXPECT_TRUE(fits(0.5, fmt(8, 3, true)));
  EXPECT_FALSE(fits(0.1, fmt(8, 3, true)));
  EXPECT_FALSE(fits(4.0, fmt(8, 3, true)));
  EXPECT_TRUE(fits(-4.0, fmt(8, 3, true)));
  EXPECT_FALSE(fits(-4.0, fmt(8, 3, true, Rounding::TRN, Overflow::SAT_SYM)));
  EXPECT_TRUE(fits(Int128{1} << 100, 100, fmt(2, 2, true)));  // the value 1
  EXPECT_FALSE(fits(Int128{1} << 100, 0, fmt(64, 64, true)));
}

TEST(Fixed, ToDoubleIsExactUpTo53Bits) {
  const FixedFormat f = fmt(53, 3, true);
  const std::int64_t m = (std::int64_t{1} << 52) - 12345;
  EXPECT_EQ(to_double(m, f), std::ldexp(static_cast<double>(m), -50));
  EXPECT_EQ(quantize(to_double(m, f), f), m);
  EXPECT_EQ(quantize(to_double(-m - 1, f), f), -m - 1);
  // 64 bits: correctly rounded (the int64 -> double conversion rounds to nearest even).
  const FixedFormat g = fmt(64, 64, true);
  EXPECT_EQ(to_double(std::numeric_limits<std::int64_t>::max(), g), std::ldexp(1.0, 63));
}

TEST(Fixed, OperatorFormats) {
  const FixedFormat a = fmt(8, 3, true), b = fmt(6, 2, false);
  const FixedFormat p = product_format(a, b);
  EXPECT_EQ(p.str(), "fixed<14,5>");
  const FixedFormat s = sum_format(a, b);  // I = max(3, 2 + 1) + 1, F = max(5, 4)
  EXPECT_EQ(s.str(), "fixed<9,4>");
  EXPECT_EQ(sum_format(b, b).str(), "ufixed<7,3>");
  EXPECT_EQ(difference_format(b, b).str(), "fixed<7,3>");
  EXPECT_EQ(product_format(fmt(64, 10, true), fmt(64, 1, true)).width, 128);
  // a / b with F2 >= 0: W = S2 + W1 + F2, I = S2 + I1 + F2, F = F1.
  const FixedFormat q = quotient_format(a, fmt(6, 2, true));
  EXPECT_EQ(q.str(), "fixed<13,8>");
  EXPECT_EQ(quotient_format(b, fmt(32, 32, true)).str(), "fixed<7,3>");  // divided by an int
}

// Every exact sum, difference and product of two small formats fits the operator's format.
TEST(Fixed, OperatorFormatsHoldEveryExactResult) {
  for (bool sa : {true, false})
    for (bool sb : {true, false})
      for (int ia : {-1, 0, 2, 5})
        for (int ib : {-2, 1, 3, 7}) {
          const FixedFormat a = fmt(4, ia, sa), b = fmt(3, ib, sb);
          const FixedFormat sum = sum_format(a, b), diff = difference_format(a, b);
          const FixedFormat prod = product_format(a, b);
          const int fa = a.frac(), fb = b.frac();
          for (std::int64_t ma = min_mantissa(a); ma <= max_mantissa(a); ++ma)
            for (std::int64_t mb = min_mantissa(b); mb <= max_mantissa(b); ++mb) {
              // Align both to the finer fraction count.
              const int ff = std::max(fa, fb);
              const Int128 xa = Int128{ma} << (ff - fa), xb = Int128{mb} << (ff - fb);
              ASSERT_TRUE(fits(xa + xb, ff, sum)) << a.str() << " + " << b.str();
              ASSERT_TRUE(fits(xa - xb, ff, diff)) << a.str() << " - " << b.str();
              ASSERT_TRUE(fits(Int128{ma} * mb, fa + fb, prod)) << a.str() << " * " << b.str();
            }
        }
}

TEST(Fixed, FakeQuantizeEqualsQuantizeAndBatchEqualsScalar) {
  std::vector<float> xs;
  for (int k = -3000; k <= 3000; ++k) xs.push_back(std::ldexp(static_cast<float>(k), -7));
  Rng rng(3);
  for (int k = 0; k < 2000; ++k) xs.push_back(static_cast<float>(rng.normal() * 40.0));
  const float inf = std::numeric_limits<float>::infinity();
  for (float v : {0.0f, -0.0f, 1e-40f, -1e-40f, 1e30f, -1e30f, inf, -inf, 4194304.0f, -4194305.0f})
    xs.push_back(v);
  std::vector<float> out(xs.size());
  const int max_w = small_scale() ? 10 : 24;
  for (bool s : {true, false})
    for (int w = 1; w <= max_w; w += (w < 10 ? 1 : 7))
      for (int i : {-3, 0, 2, w, w + 3})
        for (Rounding r : kRoundings)
          for (Overflow o : kOverflows) {
            const FixedFormat f = fmt(w, i, s, r, o);
            fake_quantize(xs, out, f);
            for (std::size_t j = 0; j < xs.size(); ++j) {
              const float want = static_cast<float>(to_double(quantize(xs[j], f), f));
              const float one = fake_quantize(xs[j], f);
              // Bit-identical, so +0 and -0 are told apart.
              ASSERT_EQ(std::signbit(one), std::signbit(want)) << f.str() << " x=" << xs[j];
              ASSERT_EQ(one, want) << f.str() << " x=" << xs[j];
              ASSERT_EQ(std::signbit(out[j]), std::signbit(one)) << f.str() << " x=" << xs[j];
              ASSERT_EQ(out[j], one) << f.str() << " x=" << xs[j];
            }
          }
  // In place.
  std::vector<float> v = {0.3f, -1.7f, 2.5f};
  fake_quantize(v, v, fmt(8, 4, true, Rounding::RND_CONV));
  EXPECT_EQ(v, (std::vector<float>{0.3125f, -1.6875f, 2.5f}));
  // NaN propagates.
  EXPECT_TRUE(std::isnan(fake_quantize(std::nanf(""), fmt(8, 4, true))));
  std::vector<float> n = {std::nanf(""), 1.0f};
  fake_quantize(n, n, fmt(8, 4, true));
  EXPECT_TRUE(std::isnan(n[0]));
  EXPECT_EQ(n[1], 1.0f);
}

TEST(Fixed, FakeQuantizeWideFormats) {
  // W > 24: the float nearest the exact value (one rounding).
  const FixedFormat f = fmt(40, 10, true, Rounding::RND);
  const float x = 123.456f;
  EXPECT_EQ(fake_quantize(x, f), static_cast<float>(to_double(quantize(x, f), f)));
  std::vector<float> in = {x, -x}, out(2);
  fake_quantize(in, out, f);
  EXPECT_EQ(out[0], fake_quantize(x, f));
  EXPECT_EQ(out[1], fake_quantize(-x, f));
}

TEST(Fixed, BatchQuantize) {
  const FixedFormat f = fmt(8, 4, true, Rounding::RND, Overflow::SAT);
  const std::vector<float> xf = {0.3f, -9.0f, 7.99f};
  const std::vector<double> xd = {0.3, -9.0, 7.99};
  std::vector<std::int64_t> a(3), b(3);
  quantize(xf, a, f);
  quantize(xd, b, f);
  EXPECT_EQ(a, (std::vector<std::int64_t>{5, -128, 127}));
  EXPECT_EQ(b, a);
  const std::vector<double> bad = {1.0, std::nan("")};
  std::vector<std::int64_t> c(2);
  EXPECT_THROW(quantize(bad, c, f), InputError);
}

TEST(Fixed, FormatLimits) {
  EXPECT_NO_THROW(FixedFormat::parse("fixed<64,10>"));
  EXPECT_NO_THROW(FixedFormat::parse("ufixed<63,0>"));
  EXPECT_THROW(FixedFormat::parse("ufixed<64,0>"), InputError);
  EXPECT_THROW(FixedFormat::parse("fixed<65,0>"), InputError);
  EXPECT_THROW(FixedFormat::parse("fixed<8,2000>"), InputError);
  EXPECT_NO_THROW(check_format(fmt(64, -1024, true)));
  try {
    check_format(fmt(64, 3, false));
    FAIL() << "expected an InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("ufixed<64,3>"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("1..63"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace nac
