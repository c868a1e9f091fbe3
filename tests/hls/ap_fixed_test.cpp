// The standalone ap_types headers against nac's one fixed-point implementation (core/fixed.hpp),
// bit for bit: conversions from double, from other ap_fixed/ap_int types and C integers, the
// full-precision operators and accumulation chains. Mantissas are read back through the public
// part-select API (x.range(hi, lo)), never through internals.
#include "nac/hls/lib/ap_types/ap_fixed.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <type_traits>
#include <vector>

#include "nac/core/fixed.hpp"
#include "nac/core/rng.hpp"

namespace nac {
namespace {

Rounding to_rounding(ap_q_mode q) {
  switch (q) {
    case AP_TRN:
      return Rounding::TRN;
    case AP_TRN_ZERO:
      return Rounding::TRN_ZERO;
    case AP_RND:
      return Rounding::RND;
    case AP_RND_ZERO:
      return Rounding::RND_ZERO;
    case AP_RND_MIN_INF:
      return Rounding::RND_MIN_INF;
    case AP_RND_INF:
      return Rounding::RND_INF;
    case AP_RND_CONV:
      return Rounding::RND_CONV;
  }
  return Rounding::TRN;
}

Overflow to_overflow(ap_o_mode o) {
  switch (o) {
    case AP_WRAP:
      return Overflow::WRAP;
    case AP_SAT:
      return Overflow::SAT;
    case AP_SAT_ZERO:
      return Overflow::SAT_ZERO;
    case AP_SAT_SYM:
      return Overflow::SAT_SYM;
    default:
      break;
  }
  ADD_FAILURE() << "unexpected overflow mode";
  return Overflow::WRAP;
}

__extension__ typedef unsigned __int128 UInt128;

// The nac format of an ap_fixed / ap_int type (an ap_int<W> is an ap_fixed<W, W>).
template <int W, int I, bool S, ap_q_mode Q, ap_o_mode O, int N>
FixedFormat format_of_type(const ap_fixed_base<W, I, S, Q, O, N>*) {
  FixedFormat f;
  f.width = W;
  f.integer = I;
  f.is_signed = S;
  f.rounding = to_rounding(Q);
  f.overflow = to_overflow(O);
  return f;
}
template <int W, bool S>
FixedFormat format_of_type(const ap_int_base<W, S>*) {
  FixedFormat f;
  f.width = W;
  f.integer = W;
  f.is_signed = S;
  return f;
}
template <typename T>
FixedFormat format_of() {
  return format_of_type(static_cast<const T*>(nullptr));
}

// The mantissa of an ap_fixed / ap_int of up to 128 bits, from its raw bits.
template <typename T>
Int128 mantissa(const T& v) {
  const int w = v.length();
  Int128 bits = static_cast<Int128>(v.range(std::min(w, 64) - 1, 0).to_uint64());
  if (w > 64) bits |= static_cast<Int128>(v.range(w - 1, 64).to_uint64()) << 64;
  if (format_of<T>().is_signed && ((bits >> (w - 1)) & 1) != 0 && w < 128) bits -= Int128{1} << w;
  return bits;
}

std::string str(Int128 v) {
  const bool neg = v < 0;
  UInt128 u = neg ? -static_cast<UInt128>(v) : static_cast<UInt128>(v);
  std::string s;
  do {
    s.insert(s.begin(), static_cast<char>('0' + static_cast<int>(u % 10)));
    u /= 10;
  } while (u != 0);
  return neg ? "-" + s : s;
}

// ---------------------------------------------------------------------------------------------
// Conversions into every mode of a grid of formats.

using Wide = ap_fixed<44, 14>;    // F = 30: a source with more fraction bits than most targets
using UWide = ap_ufixed<30, -2>;  // F = 32, unsigned
using SrcInt = ap_int<20>;

struct Case {
  FixedFormat f;
  std::int64_t (*from_double)(double);
  std::int64_t (*from_wide)(const Wide&);
  std::int64_t (*from_uwide)(const UWide&);
  std::int64_t (*from_long)(long long);
  std::int64_t (*from_ap_int)(const SrcInt&);
  double (*to_double)(double);
  float (*to_float)(double);
  long long (*to_int64)(double);
  int (*to_int)(double);
};

template <int W, int I, bool S, ap_q_mode Q, ap_o_mode O>
Case make_case() {
  using T = ap_fixed_base<W, I, S, Q, O, 0>;
  Case c;
  c.f = format_of<T>();
  c.from_double = [](double x) { return static_cast<std::int64_t>(mantissa(T(x))); };
  c.from_wide = [](const Wide& x) {
    const T t = x;
    return static_cast<std::int64_t>(mantissa(t));
  };
  c.from_uwide = [](const UWide& x) {
    T t;
    t = x;
    return static_cast<std::int64_t>(mantissa(t));
  };
  c.from_long = [](long long x) { return static_cast<std::int64_t>(mantissa(T(x))); };
  c.from_ap_int = [](const SrcInt& x) { return static_cast<std::int64_t>(mantissa(T(x))); };
  c.to_double = [](double x) { return T(x).to_double(); };
  c.to_float = [](double x) { return T(x).to_float(); };
  c.to_int64 = [](double x) { return T(x).to_int64(); };
  c.to_int = [](double x) { return T(x).to_int(); };
  return c;
}

template <int W, int I, bool S, ap_q_mode Q>
void add_overflows(std::vector<Case>& out) {
  out.push_back(make_case<W, I, S, Q, AP_WRAP>());
  out.push_back(make_case<W, I, S, Q, AP_SAT>());
  out.push_back(make_case<W, I, S, Q, AP_SAT_ZERO>());
  out.push_back(make_case<W, I, S, Q, AP_SAT_SYM>());
}

template <int W, int I, bool S>
void add_modes(std::vector<Case>& out) {
  add_overflows<W, I, S, AP_TRN>(out);
  add_overflows<W, I, S, AP_TRN_ZERO>(out);
  add_overflows<W, I, S, AP_RND>(out);
  add_overflows<W, I, S, AP_RND_ZERO>(out);
  add_overflows<W, I, S, AP_RND_MIN_INF>(out);
  add_overflows<W, I, S, AP_RND_INF>(out);
  add_overflows<W, I, S, AP_RND_CONV>(out);
}

template <int W, int I>
void add_signs(std::vector<Case>& out) {
  add_modes<W, I, true>(out);
  add_modes<W, I, false>(out);
}

const std::vector<Case>& cases() {
  static const std::vector<Case> all = [] {
    std::vector<Case> v;
    add_signs<1, 0>(v);
    add_signs<1, 1>(v);
    add_signs<2, 3>(v);
    add_signs<3, -2>(v);
    add_signs<4, 2>(v);
    add_signs<5, 7>(v);
    add_signs<8, 3>(v);
    add_signs<8, 8>(v);
    add_signs<13, 5>(v);
    add_signs<24, 10>(v);
    add_signs<40, -3>(v);
    add_signs<63, 30>(v);
    return v;
  }();
  return all;
}

// Inputs for a format: a fine grid over three times its range (small W), random doubles around
// its range, and special values.
std::vector<double> inputs(const FixedFormat& f, Rng& rng) {
  std::vector<double> xs;
  const int frac = f.frac();
  if (f.width <= 8) {
    const long long span = 3LL << (f.width + 2);
    for (long long k = -span; k <= span; ++k)
      xs.push_back(std::ldexp(static_cast<double>(k), -(frac + 2)));
  }
  for (int k = 0; k < 400; ++k) {
    const int e =
        f.integer + 3 - static_cast<int>(rng.below(static_cast<std::uint64_t>(f.width) + 8));
    xs.push_back(std::ldexp(rng.uniform(-1.0, 1.0), e));
  }
  const double inf = std::numeric_limits<double>::infinity();
  for (double x : {0.0, -0.0, 1e-300, -1e-300, 1e300, -1e300, inf, -inf, 0.1, -0.1, 7.5, -7.5})
    xs.push_back(x);
  return xs;
}

TEST(ApFixed, ConversionFromDoubleEqualsQuantize) {
  Rng rng(5);
  for (const Case& c : cases())
    for (double x : inputs(c.f, rng))
      ASSERT_EQ(c.from_double(x), quantize(x, c.f)) << c.f.str() << " x=" << x;
}

TEST(ApFixed, ConversionFromFloatWidensExactly) {
  const ap_fixed<40, 4> a(0.1f);
  const FixedFormat f = format_of<ap_fixed<40, 4>>();
  EXPECT_EQ(mantissa(a), quantize(static_cast<double>(0.1f), f));
  EXPECT_NE(mantissa(a), quantize(0.1, f));  // 0.1f and 0.1 differ by far more than 2^-36
}

TEST(ApFixed, ConversionBetweenTypesEqualsRequantize) {
  Rng rng(9);
  for (const Case& c : cases()) {
    for (int k = 0; k < 300; ++k) {
      // Random raw bits for the sources, written through the part-select API.
      Wide w;
      w.range(43, 0) = static_cast<long long>(rng.next_u64() >> (20 + rng.below(40)));
      if (rng.below(2) == 0) w = -w;
      const Int128 wm = mantissa(w);
      ASSERT_EQ(c.from_wide(w), requantize(wm, 30, c.f)) << c.f.str() << " from " << str(wm);
      UWide u;
      u.range(29, 0) = static_cast<long long>(rng.next_u64() >> (34 + rng.below(30)));
      const Int128 um = mantissa(u);
      ASSERT_EQ(c.from_uwide(u), requantize(um, 32, c.f)) << c.f.str() << " from " << str(um);
      const long long n = static_cast<long long>(rng.next_u64()) >> rng.below(64);
      ASSERT_EQ(c.from_long(n), requantize(n, 0, c.f)) << c.f.str() << " from " << n;
      const SrcInt i = static_cast<int>(rng.next_u64() >> 40) - (1 << 23);  // wraps into 20 bits
      const Int128 im = mantissa(i);
      ASSERT_EQ(c.from_ap_int(i), requantize(im, 0, c.f)) << c.f.str() << " from " << str(im);
    }
  }
}

TEST(ApFixed, ToDoubleFloatAndInt) {
  Rng rng(13);
  for (const Case& c : cases())
    for (double x : inputs(c.f, rng)) {
      const std::int64_t m = quantize(x, c.f);
      ASSERT_EQ(c.to_double(x), to_double(m, c.f)) << c.f.str() << " x=" << x;
      ASSERT_EQ(c.to_float(x), std::ldexp(static_cast<float>(m), -c.f.frac())) << c.f.str();
      // Truncation toward zero of the exact value, then the low 64 / 32 bits.
      const Int128 t = c.f.frac() >= 0
                           ? (m >= 0 ? Int128{m} >> c.f.frac() : -((-Int128{m}) >> c.f.frac()))
                           : Int128{m} << -c.f.frac();
      ASSERT_EQ(c.to_int64(x), static_cast<long long>(t)) << c.f.str() << " x=" << x;
      ASSERT_EQ(c.to_int(x), static_cast<int>(static_cast<long long>(t))) << c.f.str();
    }
}

TEST(ApFixed, HandCheckedConversions) {
  // To int truncates toward zero, assignment from double floors (AP_TRN).
  const ap_fixed<8, 4> a = -7.5;
  EXPECT_EQ(a.to_int(), -7);
  EXPECT_EQ(a.to_double(), -7.5);
  EXPECT_EQ((ap_fixed<8, 4>(-7.45).to_double()), -7.5);
  EXPECT_EQ((ap_fixed<8, 4>(-0.5).to_int()), 0);
  EXPECT_EQ((ap_fixed<8, 4>(7.9).to_int()), 7);
  // Rounding carry overflow.
  EXPECT_EQ((ap_fixed<4, 2, AP_RND, AP_SAT>(1.9).to_double()), 1.75);
  EXPECT_EQ((ap_fixed<4, 2, AP_RND, AP_WRAP>(1.9).to_double()), -2.0);
  EXPECT_EQ((ap_fixed<4, 2, AP_TRN, AP_SAT_SYM>(-5.0).to_double()), -1.75);
  EXPECT_EQ((ap_fixed<4, 2, AP_TRN, AP_SAT_ZERO>(2.5).to_double()), 0.0);
  EXPECT_EQ((ap_ufixed<8, 4, AP_TRN, AP_SAT>(-1.0).to_double()), 0.0);
  EXPECT_EQ((ap_ufixed<8, 4>(-1.0).to_double()), 15.0);
  // ap_int: from double truncates toward zero and wraps; from ap_fixed likewise.
  EXPECT_EQ(ap_int<8>(300).to_int(), 44);
  EXPECT_EQ(ap_int<8>(-7.9).to_int(), -7);
  EXPECT_EQ(ap_int<8>(-7.9f).to_int(), -7);
  EXPECT_EQ(ap_uint<4>(ap_fixed<8, 6>(-3.5)).to_int(), 13);  // -3 in 4 unsigned bits
  EXPECT_EQ(ap_uint<4>(-1).to_uint64(), 15u);
  EXPECT_EQ(ap_int<70>(-1).to_uint64(), ~0ull);
  // Default construction gives zero.
  EXPECT_TRUE((ap_fixed<8, 3>().is_zero()));
  EXPECT_TRUE(ap_int<8>().is_zero());
}

// ---------------------------------------------------------------------------------------------
// Operators: exact results and the documented result types.

template <typename A, typename B>
void check_operators(Rng& rng, int rounds) {
  const FixedFormat fa = format_of<A>(), fb = format_of<B>();
  using Prod = decltype(A() * B());
  using Sum = decltype(A() + B());
  using Diff = decltype(A() - B());
  using Quot = decltype(A() / B());
  const FixedFormat fp = product_format(fa, fb), fs = sum_format(fa, fb);
  const FixedFormat fd = difference_format(fa, fb), fq = quotient_format(fa, fb);
  EXPECT_EQ(Prod::width, fp.width);
  EXPECT_EQ(Prod::iwidth, fp.integer);
  EXPECT_EQ(Sum::width, fs.width);
  EXPECT_EQ(Sum::iwidth, fs.integer);
  EXPECT_EQ(Diff::width, fd.width);
  EXPECT_EQ(Diff::iwidth, fd.integer);
  EXPECT_EQ(Quot::width, fq.width);
  EXPECT_EQ(Quot::iwidth, fq.integer);
  EXPECT_EQ((std::is_same<Prod, ap_fixed_base<Prod::width, Prod::iwidth, true>>::value),
            fp.is_signed);
  EXPECT_EQ((std::is_same<Diff, ap_fixed<Diff::width, Diff::iwidth>>::value), true);
  for (int k = 0; k < rounds; ++k) {
    A a;
    B b;
    a.range() = static_cast<long long>(rng.next_u64());
    b.range() = static_cast<long long>(rng.next_u64());
    if (k == 0) a.range() = 0;  // zero and extremes too
    if (k == 1) {
      a.range() = 0;
      b.range() = 0;
      a.range(A::width - 1, A::width - 1) = 1;  // signed minimum / unsigned top bit
      b.range(B::width - 1, B::width - 1) = 1;
    }
    const Int128 ma = mantissa(a), mb = mantissa(b);
    const int fra = fa.frac(), frb = fb.frac();
    const int f = std::max(fra, frb);
    const Int128 xa = ma * (Int128{1} << (f - fra)), xb = mb * (Int128{1} << (f - frb));
    const std::string what = fa.str() + " and " + fb.str() + ": " + str(ma) + ", " + str(mb);
    ASSERT_EQ(mantissa(a * b), ma * mb) << what;
    ASSERT_EQ(mantissa(a + b), xa + xb) << what;
    ASSERT_EQ(mantissa(a - b), xa - xb) << what;
    if (mb != 0) {
      ASSERT_EQ(mantissa(a / b), (ma * (Int128{1} << std::max(frb, 0))) / mb) << what;
    }
    // Exact comparisons.
    ASSERT_EQ(a < b, xa < xb) << what;
    ASSERT_EQ(a == b, xa == xb) << what;
    ASSERT_EQ(a >= b, xa >= xb) << what;
    ASSERT_EQ(b > a, xb > xa) << what;
  }
}

TEST(ApFixed, OperatorsAreExact) {
  Rng rng(21);
  const int n = 3000;
  check_operators<ap_fixed<8, 3>, ap_fixed<6, -1>>(rng, n);
  check_operators<ap_fixed<16, 6>, ap_ufixed<10, 2>>(rng, n);
  check_operators<ap_ufixed<10, 2>, ap_fixed<16, 6>>(rng, n);
  check_operators<ap_ufixed<12, 12>, ap_ufixed<5, 8>>(rng, n);
  check_operators<ap_fixed<32, 10>, ap_fixed<32, 2>>(rng, n);
  check_operators<ap_fixed<64, 20>, ap_fixed<64, 40>>(rng, n);
  check_operators<ap_fixed<12, 4, AP_RND, AP_SAT>, ap_int<9>>(rng, n);
  check_operators<ap_uint<7>, ap_fixed<5, 9, AP_RND_CONV>>(rng, n);
}

TEST(ApFixed, OperatorsWithCIntegers) {
  const ap_fixed<8, 4> a = -3.5;
  // An int is an ap_fixed<32, 32>.
  const auto s = a + 1;
  EXPECT_EQ(decltype(s)::width, 37);
  EXPECT_EQ(decltype(s)::iwidth, 33);
  EXPECT_EQ(s.to_double(), -2.5);
  EXPECT_EQ((2 * a).to_double(), -7.0);
  EXPECT_EQ(decltype(2 * a)::width, 40);
  EXPECT_EQ((1u - a).to_double(), 4.5);
  // Division by an int: (m << 0) / 3 truncated toward zero, keeping a's 4 fraction bits.
  EXPECT_EQ((a / 3).to_double(), -1.125);  // -56 / 3 = -18
  EXPECT_EQ((a / 2).to_double(), -1.75);
  EXPECT_EQ(decltype(a / 2)::width, 9);
  EXPECT_TRUE(a < 0);
  EXPECT_TRUE(-4 < a);
  EXPECT_TRUE(a == -3.5);
  EXPECT_TRUE(0.0 > a);
  EXPECT_TRUE(a != 3);
  // Unary minus widens: -(-2.0) in ap_fixed<4, 2> is 2.0 in ap_fixed<5, 3>.
  const ap_fixed<4, 2> m = -2.0;
  EXPECT_EQ((-m).to_double(), 2.0);
  EXPECT_EQ(decltype(-m)::width, 5);
  EXPECT_EQ((-ap_ufixed<4, 4>(15)).to_double(), -15.0);
}

TEST(ApFixed, ApIntOperators) {
  const ap_int<8> a = 100;
  const ap_uint<8> b = 200;
  EXPECT_EQ((a * a).to_int(), 10000);
  EXPECT_EQ(decltype(a * a)::width, 16);
  EXPECT_EQ((b + ap_int<8>(-100)).to_int(), 100);
  EXPECT_EQ(decltype(b + a)::width, 10);  // max(8 + 1, 8) + 1
  EXPECT_EQ((b - b - b).to_int(), -200);
  EXPECT_EQ((a / 7).to_int(), 14);
  EXPECT_EQ((ap_int<8>(-100) / 7).to_int(), -14);
  EXPECT_EQ((ap_int<8>(-100) % 7).to_int(), -2);
  EXPECT_EQ((b & 0x0f).to_int(), 8);
  EXPECT_EQ((b | 1).to_int(), 201);
  EXPECT_EQ((b ^ b).to_int(), 0);
  EXPECT_EQ((~ap_uint<4>(5)).to_int(), 10);
  EXPECT_EQ((ap_uint<8>(3) << 7).to_int(), 128);
  EXPECT_EQ((ap_uint<8>(3) << 8).to_int(), 0);
  EXPECT_EQ((ap_int<8>(-64) >> 3).to_int(), -8);
  EXPECT_EQ((ap_int<8>(5) << -1).to_int(), 2);
  EXPECT_EQ((-ap_int<8>(-128)).to_int(), 128);
  EXPECT_TRUE(ap_int<8>(-1) < ap_uint<8>(1));  // exact values
  EXPECT_TRUE(b > 199);
  EXPECT_TRUE(ap_int<4>(-8) == -8);
  ap_int<8> c = 120;
  c += 10;  // 130 wraps to -126
  EXPECT_EQ(c.to_int(), -126);
  c *= 2;
  EXPECT_EQ(c.to_int(), 4);
  ap_int<8> d = -1;
  d += ap_fixed<8, 4>(0.5);  // Vitis truncates the ap_fixed to its integer part first
  EXPECT_EQ(d.to_int(), -1);
  // An ap_int in fixed-point arithmetic is an ap_fixed<W, W>.
  const auto e = ap_fixed<8, 4>(0.5) + ap_int<6>(-3);
  EXPECT_EQ(e.to_double(), -2.5);
  EXPECT_EQ(decltype(e)::iwidth, 7);
}

TEST(ApFixed, PartSelects) {
  ap_fixed<8, 3> x;
  x.range(7, 0) = 0x81;  // mantissa -127
  EXPECT_EQ(x.to_double(), -127.0 / 32);
  EXPECT_EQ(x(3, 0).to_uint(), 1u);
  EXPECT_EQ(x.range(7, 4).to_uint(), 8u);
  EXPECT_EQ(x.range().length(), 8);
  EXPECT_TRUE(x[7]);
  EXPECT_FALSE(x[6]);
  x.range(6, 4) = 7;  // 0xf1 = -15
  EXPECT_EQ(x.to_double(), -15.0 / 32);
  ap_uint<4> idx = x.range(5, 2);  // bits 1100
  EXPECT_EQ(idx.to_int(), 12);
  ap_int<12> y = -1;
  y.range(11, 8) = x.range(3, 0);
  EXPECT_EQ(y.to_int(), 0x1ff);
  y.set_bit(11, true);
  EXPECT_EQ(y.to_int(), 0x1ff - 2048);
  EXPECT_TRUE(y.get_bit(0));
  ap_ufixed<70, 10> wide;
  wide.range(69, 64) = 0x3f;
  EXPECT_EQ(wide.range(69, 60).to_uint(), 0x3f0u);
}

// ---------------------------------------------------------------------------------------------
// Accumulation chains: each step's conversion equals requantize of the exact value.

template <typename Acc>
void check_chain(Rng& rng) {
  using X = ap_fixed<8, 3>;
  using Wt = ap_fixed<6, 1>;
  const FixedFormat fx = format_of<X>(), fw = format_of<Wt>();
  const FixedFormat fa = format_of<Acc>();
  const int fp = fx.frac() + fw.frac();
  Acc acc1 = 0.25, acc2 = 0.25, acc3 = 0.25, acc4 = 0.25;
  std::int64_t m1 = quantize(0.25, fa), m2 = m1, m3 = m1, m4 = m1;
  for (int step = 0; step < 400; ++step) {
    X x;
    Wt w;
    x.range() = static_cast<long long>(rng.next_u64());
    w.range() = static_cast<long long>(rng.next_u64());
    const Int128 prod = mantissa(x) * mantissa(w);
    auto add = [&](std::int64_t acc_m, Int128 p, int p_frac) {  // exact acc + p, converted
      const int f = std::max(fa.frac(), p_frac);
      const Int128 exact =
          Int128{acc_m} * (Int128{1} << (f - fa.frac())) + p * (Int128{1} << (f - p_frac));
      return requantize(exact, f, fa);
    };
    acc1 += x * w;
    m1 = add(m1, prod, fp);
    acc2 = acc2 + x * w;
    m2 = add(m2, prod, fp);
    // hls4ml's form: the product converted to the accumulator type first.
    acc3 += Acc(x * w);
    m3 = add(m3, requantize(prod, fp, fa), fa.frac());
    acc4 *= w;
    m4 = requantize(Int128{m4} * mantissa(w), fa.frac() + fw.frac(), fa);
    if (step % 16 == 0) {
      acc4 = x;
      m4 = requantize(mantissa(x), fx.frac(), fa);
    }
    ASSERT_EQ(mantissa(acc1), m1) << fa.str() << " step " << step;
    ASSERT_EQ(mantissa(acc2), m2) << fa.str() << " step " << step;
    ASSERT_EQ(mantissa(acc3), m3) << fa.str() << " step " << step;
    ASSERT_EQ(mantissa(acc4), m4) << fa.str() << " step " << step;
  }
}

TEST(ApFixed, AccumulationChainsEqualRequantize) {
  Rng rng(17);
  check_chain<ap_fixed<12, 6>>(rng);  // wraps often
  check_chain<ap_fixed<12, 6, AP_RND, AP_SAT>>(rng);
  check_chain<ap_fixed<14, 5, AP_RND_CONV, AP_SAT_SYM>>(rng);
  check_chain<ap_fixed<24, 10, AP_RND_ZERO, AP_WRAP>>(rng);
  check_chain<ap_ufixed<10, 5, AP_TRN_ZERO, AP_SAT_ZERO>>(rng);
  check_chain<ap_ufixed<10, 5, AP_RND_INF, AP_SAT>>(rng);
  check_chain<ap_fixed<9, 2, AP_RND_MIN_INF, AP_SAT>>(rng);
}

}  // namespace
}  // namespace nac
