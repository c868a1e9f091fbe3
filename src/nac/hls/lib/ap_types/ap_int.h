// nac's stand-in for the Vitis HLS arbitrary-precision integer header (ap_int.h), for C simulation
// with g++ where the Vitis headers are not installed. With Vitis, its own headers are used instead,
// so this file implements a SUBSET of the documented Vitis API with the same results bit for bit
// (nac/../shared/FIXED_POINT.md); code that compiles against it compiles against Vitis too.
//
// Deliberate differences (all of them compile errors here, never different numbers):
// - no implicit conversion to C types: use to_int(), to_uint(), to_int64(), to_uint64(),
//   to_double() (Vitis has operator RetType() on ap_int and operator double()/int() on ap_fixed);
// - no string constructors, stream operators, concatenation, ++/--, bit references (x[i] is read
//   only), reversed ranges (range(hi, lo) needs hi >= lo);
// - widths: W <= 128 signed, W <= 127 unsigned (values live in one 128-bit integer; an operator
//   whose full-precision result type is wider fails a static_assert);
// - ap_fixed's N (saturation bits) must be 0 and AP_WRAP_SM is not supported (static_assert).
// Default-constructed values are 0 (Vitis leaves them uninitialised). A NaN converted to a fixed
// or integer type, a division by zero and an out-of-range bit index abort with a message.
//
// Self-contained and C++14 (Vitis compilers are older); clean under -Wall -Wextra -Wpedantic
// -Wconversion -Wshadow.
#ifndef NAC_AP_TYPES_AP_INT_H
#define NAC_AP_TYPES_AP_INT_H

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <type_traits>

enum ap_q_mode {
  AP_RND,
  AP_RND_ZERO,
  AP_RND_MIN_INF,
  AP_RND_INF,
  AP_RND_CONV,
  AP_TRN,
  AP_TRN_ZERO
};
enum ap_o_mode { AP_SAT, AP_SAT_ZERO, AP_SAT_SYM, AP_WRAP, AP_WRAP_SM };

template <int W, bool S>
struct ap_int_base;
template <int W, int I, bool S, ap_q_mode Q, ap_o_mode O, int N>
struct ap_fixed_base;

template <int W>
using ap_int = ap_int_base<W, true>;
template <int W>
using ap_uint = ap_int_base<W, false>;

namespace ap_detail {

__extension__ typedef __int128 i128;
__extension__ typedef unsigned __int128 u128;

[[noreturn]] inline void fail(const char* what) {
  std::fprintf(stderr, "ap_types: %s\n", what);
  std::abort();
}

constexpr int max_int(int a, int b) { return a > b ? a : b; }
constexpr int min_int(int a, int b) { return a < b ? a : b; }

// Bits 0..n-1 set (n >= 128: all, n <= 0: none).
inline u128 low_mask(long long n) {
  if (n <= 0) return 0;
  return n >= 128 ? ~u128(0) : (u128(1) << static_cast<int>(n)) - 1;
}

// The low w bits of v, sign-extended (s) or zero-extended.
inline i128 wrap(i128 v, int w, bool s) {
  u128 bits = static_cast<u128>(v) & low_mask(w);
  if (s && ((bits >> (w - 1)) & 1) != 0) bits |= ~low_mask(w);
  return static_cast<i128>(bits);
}

inline i128 range_lo(int w, bool s) { return s ? -(i128(1) << (w - 1)) : i128(0); }
inline i128 range_hi(int w, bool s) { return s ? (i128(1) << (w - 1)) - 1 : (i128(1) << w) - 1; }

inline bool round_up(ap_q_mode q, bool negative, bool floor_odd, bool qb, bool r) {
  switch (q) {
    case AP_TRN:
      return false;
    case AP_TRN_ZERO:
      return negative && (qb || r);
    case AP_RND:
      return qb;
    case AP_RND_ZERO:
      return qb && (r || negative);
    case AP_RND_MIN_INF:
      return qb && r;
    case AP_RND_INF:
      return qb && (r || !negative);
    case AP_RND_CONV:
      return qb && (r || floor_odd);
  }
  return false;
}

// The mantissa, in a W-bit format with F fraction bits, of the exact value m * 2^-(shift + F):
// the dropped fraction bits are rounded by q, then the rounded integer overflows by o.
inline i128 convert(i128 m, long long shift, int w, bool s, ap_q_mode q, ap_o_mode o) {
  const bool negative = m < 0;
  i128 r = 0;
  bool huge = false;  // the rounded value does not fit i128: r holds its low 128 bits
  if (m == 0) {
    r = 0;
  } else if (shift <= 0) {
    if (shift <= -128) {
      huge = true;
    } else {
      const int sh = static_cast<int>(-shift);
      r = static_cast<i128>(static_cast<u128>(m) << sh);
      huge = (r >> sh) != m;
    }
  } else {
    if (shift > 120) {  // fold all but 120 dropped bits into a sticky bit: rounding unchanged
      const long long k = shift - 120;
      const bool sticky = k >= 128 || (static_cast<u128>(m) & low_mask(k)) != 0;
      const i128 kept = k >= 128 ? (negative ? i128(-1) : i128(0)) : m >> k;
      m = kept | (sticky ? 1 : 0);
      shift = 120;
    }
    const int sh = static_cast<int>(shift);
    const i128 fl = m >> sh;
    const bool qb = ((m >> (sh - 1)) & 1) != 0;
    const bool rest = (static_cast<u128>(m) & low_mask(sh - 1)) != 0;
    r = fl + (round_up(q, negative, (fl & 1) != 0, qb, rest) ? 1 : 0);
  }
  const i128 lo = range_lo(w, s);
  const i128 hi = range_hi(w, s);
  // AP_SAT_SYM never produces the signed minimum (W = 1: its saturation value is the minimum).
  const i128 sat_lo = (o == AP_SAT_SYM && s && w > 1) ? lo + 1 : lo;
  if (!huge && r >= lo && r <= hi) return r < sat_lo ? sat_lo : r;
  switch (o) {
    case AP_SAT:
    case AP_SAT_SYM:
      return negative ? sat_lo : hi;
    case AP_SAT_ZERO:
      return 0;
    default:
      return wrap(r, w, s);
  }
}

// x = m * 2^-frac exactly, |m| < 2^53; infinities are +-2^1024 (the Vitis bit decoding).
inline void decompose(double x, i128* m, long long* frac) {
  if (x != x) fail("NaN converted to a fixed-point or integer type");
  if (std::isinf(x)) {
    *m = x > 0 ? 1 : -1;
    *frac = -1024;
    return;
  }
  int e = 0;
  const double mant = std::frexp(x, &e);
  *m = static_cast<i128>(static_cast<long long>(std::ldexp(mant, 53)));
  *frac = 53 - static_cast<long long>(e);
}

// The integer part of m * 2^-frac, truncated toward zero, modulo 2^128.
inline i128 trunc_int(i128 m, int frac) {
  if (frac <= 0) {
    if (frac <= -128) return 0;
    return static_cast<i128>(static_cast<u128>(m) << -frac);
  }
  if (frac >= 127) return 0;
  i128 t = m >> frac;
  if (m < 0 && (static_cast<u128>(m) & low_mask(frac)) != 0) t += 1;
  return t;
}

// -1, 0, 1 as a * 2^-fa compares to b * 2^-fb, exactly.
inline int compare(i128 a, int fa, i128 b, int fb) {
  if (fa != fb) {
    // Scale the coarser operand up; if that overflows, its magnitude decides.
    const bool a_coarse = fa < fb;
    const i128 x = a_coarse ? a : b;
    const int d = a_coarse ? fb - fa : fa - fb;
    const i128 y = (d >= 127 || x == 0) ? (x == 0 ? i128(0) : i128(-1))
                                        : static_cast<i128>(static_cast<u128>(x) << d);
    if (x != 0 && (d >= 127 || (y >> d) != x)) {
      const int sign = x < 0 ? -1 : 1;
      return a_coarse ? sign : -sign;
    }
    if (a_coarse)
      a = y;
    else
      b = y;
  }
  return a < b ? -1 : (a > b ? 1 : 0);
}

inline long long low64(i128 v) { return static_cast<long long>(static_cast<u128>(v)); }

// Width and signedness of the ap_int a C integer type stands for (int: ap_int<32>, ...).
template <typename T, typename Enable = void>
struct c_int {
  static const bool ok = false;
};
template <typename T>
struct c_int<T, typename std::enable_if<std::is_integral<T>::value>::type> {
  static const bool ok = true;
  static const int width = std::is_same<T, bool>::value ? 1 : static_cast<int>(sizeof(T) * 8);
  static const bool is_signed = std::is_signed<T>::value;
};

// What an operand of an ap_int/ap_fixed operator is: width, integer bits, signedness, and the
// exact value as mantissa (value = raw(x) * 2^-(width - integer)).
template <typename T, typename Enable = void>
struct operand {
  static const bool ok = false;
  static const bool is_fixed = false;
  static const bool is_ap_int = false;
};
template <int W, bool S>
struct operand<ap_int_base<W, S>, void> {
  static const bool ok = true;
  static const bool is_fixed = false;
  static const bool is_ap_int = true;
  static const int width = W;
  static const int integer = W;
  static const bool is_signed = S;
  static i128 raw(const ap_int_base<W, S>& x) { return x.ap_detail_raw(); }
};
template <int W, int I, bool S, ap_q_mode Q, ap_o_mode O, int N>
struct operand<ap_fixed_base<W, I, S, Q, O, N>, void> {
  static const bool ok = true;
  static const bool is_fixed = true;
  static const bool is_ap_int = false;
  static const int width = W;
  static const int integer = I;
  static const bool is_signed = S;
  static i128 raw(const ap_fixed_base<W, I, S, Q, O, N>& x) { return x.ap_detail_raw(); }
};
template <typename T>
struct operand<T, typename std::enable_if<c_int<T>::ok>::type> {
  static const bool ok = true;
  static const bool is_fixed = false;
  static const bool is_ap_int = false;
  static const int width = c_int<T>::width;
  static const int integer = c_int<T>::width;
  static const bool is_signed = c_int<T>::is_signed;
  static i128 raw(T x) { return static_cast<i128>(x); }
};

// The integer operators apply when one side is an ap_int and neither side is an ap_fixed.
template <typename A, typename B>
struct int_op {
  static const bool value = operand<A>::ok && operand<B>::ok && !operand<A>::is_fixed &&
                            !operand<B>::is_fixed &&
                            (operand<A>::is_ap_int || operand<B>::is_ap_int);
};

// Result types of the integer operators (the Vitis RType rules).
template <typename A, typename B>
struct int_rtype {
  static const int w1 = operand<A>::width, w2 = operand<B>::width;
  static const bool s1 = operand<A>::is_signed, s2 = operand<B>::is_signed;
  static const int plus_w = max_int(w1 + (s2 && !s1 ? 1 : 0), w2 + (s1 && !s2 ? 1 : 0)) + 1;
  static const int logic_w = plus_w - 1;
  typedef ap_int_base<plus_w, s1 || s2> plus;
  typedef ap_int_base<plus_w, true> minus;
  typedef ap_int_base<w1 + w2, s1 || s2> mult;
  typedef ap_int_base<w1 + (s2 ? 1 : 0), s1 || s2> div;
  typedef ap_int_base<min_int(w1, w2 + (!s2 && s1 ? 1 : 0)), s1> mod;
  typedef ap_int_base<logic_w, s1 || s2> logic;
};

// The result types, only for operands int_op accepts (so that other types fail substitution
// quietly instead of instantiating int_rtype).
template <bool Enable, typename A, typename B>
struct int_result {};
template <typename A, typename B>
struct int_result<true, A, B> {
  typedef int_rtype<A, B> type;
};

}  // namespace ap_detail

// A part-select x.range(hi, lo) / x(hi, lo) of an ap_int or ap_fixed: reads the raw bits hi..lo
// of the mantissa as an unsigned number and writes them back on assignment.
template <int W, bool S>
class ap_range_ref {
 public:
  ap_range_ref(ap_detail::i128* bits, int hi, int lo) : bits_(bits), hi_(hi), lo_(lo) {
    if (lo < 0 || hi < lo || hi >= W) ap_detail::fail("range(hi, lo) needs 0 <= lo <= hi < W");
  }
  ap_range_ref(const ap_range_ref&) = default;

  int length() const { return hi_ - lo_ + 1; }
  ap_detail::u128 ap_detail_bits() const {
    return (static_cast<ap_detail::u128>(*bits_) >> lo_) & ap_detail::low_mask(length());
  }
  unsigned long long to_uint64() const { return static_cast<unsigned long long>(ap_detail_bits()); }
  long long to_int64() const { return static_cast<long long>(to_uint64()); }
  unsigned to_uint() const { return static_cast<unsigned>(to_uint64()); }
  int to_int() const { return static_cast<int>(to_uint()); }

  template <typename T>
  typename std::enable_if<ap_detail::c_int<T>::ok, ap_range_ref&>::type operator=(T v) {
    return assign(static_cast<ap_detail::u128>(static_cast<ap_detail::i128>(v)));
  }
  template <int W2, bool S2>
  ap_range_ref& operator=(const ap_int_base<W2, S2>& v) {
    return assign(static_cast<ap_detail::u128>(v.ap_detail_raw()));
  }
  ap_range_ref& operator=(const ap_range_ref& other) { return assign(other.ap_detail_bits()); }
  template <int W2, bool S2>
  ap_range_ref& operator=(const ap_range_ref<W2, S2>& other) {
    return assign(other.ap_detail_bits());
  }

 private:
  ap_range_ref& assign(ap_detail::u128 v) {
    const ap_detail::u128 mask = ap_detail::low_mask(length()) << lo_;
    const ap_detail::u128 old = static_cast<ap_detail::u128>(*bits_);
    *bits_ =
        ap_detail::wrap(static_cast<ap_detail::i128>((old & ~mask) | ((v << lo_) & mask)), W, S);
    return *this;
  }
  ap_detail::i128* bits_;
  int hi_, lo_;
};

template <int W, bool S>
struct ap_int_base {
  static_assert(W >= 1 && W <= (S ? 128 : 127),
                "nac ap_types: ap_int widths are 1..128 (ap_uint: 1..127)");
  static const int width = W;

  ap_int_base() : v_(0) {}
  template <typename T, typename = typename std::enable_if<ap_detail::c_int<T>::ok>::type>
  ap_int_base(T x) : v_(ap_detail::wrap(static_cast<ap_detail::i128>(x), W, S)) {}
  // Floating point: truncated toward zero, then wrapped.
  ap_int_base(double x) : v_(from_double(x)) {}
  ap_int_base(float x) : v_(from_double(x)) {}
  template <int W2, bool S2>
  ap_int_base(const ap_int_base<W2, S2>& x) : v_(ap_detail::wrap(x.ap_detail_raw(), W, S)) {}
  // ap_fixed: its integer part truncated toward zero, then wrapped.
  template <int W2, int I2, bool S2, ap_q_mode Q2, ap_o_mode O2, int N2>
  ap_int_base(const ap_fixed_base<W2, I2, S2, Q2, O2, N2>& x)
      : v_(ap_detail::wrap(ap_detail::trunc_int(x.ap_detail_raw(), W2 - I2), W, S)) {}
  template <int W2, bool S2>
  ap_int_base(const ap_range_ref<W2, S2>& r)
      : v_(ap_detail::wrap(static_cast<ap_detail::i128>(r.ap_detail_bits()), W, S)) {}

  int to_int() const { return static_cast<int>(ap_detail::low64(v_)); }
  unsigned to_uint() const { return static_cast<unsigned>(ap_detail::low64(v_)); }
  long to_long() const { return static_cast<long>(ap_detail::low64(v_)); }
  unsigned long to_ulong() const { return static_cast<unsigned long>(ap_detail::low64(v_)); }
  long long to_int64() const { return ap_detail::low64(v_); }
  unsigned long long to_uint64() const {
    return static_cast<unsigned long long>(ap_detail::low64(v_));
  }
  bool to_bool() const { return v_ != 0; }
  double to_double() const { return static_cast<double>(v_); }
  float to_float() const { return static_cast<float>(v_); }
  int length() const { return W; }
  bool is_zero() const { return v_ == 0; }
  bool sign() const { return v_ < 0; }

  bool operator[](int i) const { return get_bit(i); }
  bool get_bit(int i) const {
    if (i < 0 || i >= W) ap_detail::fail("bit index out of range");
    return ((static_cast<ap_detail::u128>(v_) >> i) & 1) != 0;
  }
  void set_bit(int i, bool b) { range(i, i) = b ? 1 : 0; }
  ap_range_ref<W, S> range(int hi, int lo) const {
    return ap_range_ref<W, S>(const_cast<ap_detail::i128*>(&v_), hi, lo);
  }
  ap_range_ref<W, S> range() const { return range(W - 1, 0); }
  ap_range_ref<W, S> operator()(int hi, int lo) const { return range(hi, lo); }

  ap_int_base<W + 1, true> operator-() const {
    return ap_int_base<W + 1, true>::ap_detail_make(-v_);
  }
  ap_int_base operator+() const { return *this; }
  ap_int_base operator~() const { return ap_detail_make(~v_); }
  bool operator!() const { return v_ == 0; }

  // Compound assignment: the full-precision result wrapped back into this type; an ap_fixed
  // right-hand side is first truncated to its integer part (as Vitis does).
  template <typename T>
  ap_int_base& operator+=(const T& x) {
    return *this = *this + int_view(x);
  }
  template <typename T>
  ap_int_base& operator-=(const T& x) {
    return *this = *this - int_view(x);
  }
  template <typename T>
  ap_int_base& operator*=(const T& x) {
    return *this = *this * int_view(x);
  }
  template <typename T>
  ap_int_base& operator/=(const T& x) {
    return *this = *this / int_view(x);
  }
  template <typename T>
  ap_int_base& operator%=(const T& x) {
    return *this = *this % int_view(x);
  }
  template <typename T>
  ap_int_base& operator&=(const T& x) {
    return *this = *this & int_view(x);
  }
  template <typename T>
  ap_int_base& operator|=(const T& x) {
    return *this = *this | int_view(x);
  }
  template <typename T>
  ap_int_base& operator^=(const T& x) {
    return *this = *this ^ int_view(x);
  }
  ap_int_base& operator<<=(int sh) { return *this = *this << sh; }
  ap_int_base& operator>>=(int sh) { return *this = *this >> sh; }

  // Shifts keep the type (bits shifted out are lost); a negative amount shifts the other way;
  // >> is arithmetic for signed types.
  ap_int_base operator<<(int sh) const {
    if (sh < 0) return *this >> -sh;
    return ap_detail_make(
        sh >= 128 ? 0 : static_cast<ap_detail::i128>(static_cast<ap_detail::u128>(v_) << sh));
  }
  ap_int_base operator>>(int sh) const {
    if (sh < 0) return *this << -sh;
    return ap_detail_make(sh >= 127 ? (v_ < 0 ? -1 : 0) : v_ >> sh);
  }

  // Internal (not Vitis API): the value, sign- or zero-extended; a value from its low W bits.
  ap_detail::i128 ap_detail_raw() const { return v_; }
  static ap_int_base ap_detail_make(ap_detail::i128 v) {
    ap_int_base r;
    r.v_ = ap_detail::wrap(v, W, S);
    return r;
  }

 private:
  static ap_detail::i128 from_double(double x) {
    ap_detail::i128 m = 0;
    long long frac = 0;
    ap_detail::decompose(x, &m, &frac);
    return ap_detail::convert(m, frac, W, S, AP_TRN_ZERO, AP_WRAP);
  }
  template <typename T>
  static const T& int_view(const T& x) {
    return x;
  }
  template <int W2, int I2, bool S2, ap_q_mode Q2, ap_o_mode O2, int N2>
  static ap_int_base<ap_detail::max_int(I2, 1), S2> int_view(
      const ap_fixed_base<W2, I2, S2, Q2, O2, N2>& x) {
    return ap_int_base<ap_detail::max_int(I2, 1), S2>(x);
  }

  ap_detail::i128 v_;
};

template <int W, bool S>
const int ap_int_base<W, S>::width;

// Integer operators: ap_int with ap_int or a C integer (an int is an ap_int<32>, ...).
#define NAC_AP_INT_BINARY(OP, RTYPE, EXPR)                                                       \
  template <typename A, typename B>                                                              \
  typename ap_detail::int_result<ap_detail::int_op<A, B>::value, A, B>::type::RTYPE operator OP( \
      const A& a, const B& b) {                                                                  \
    typedef typename ap_detail::int_rtype<A, B>::RTYPE R;                                        \
    const ap_detail::i128 x = ap_detail::operand<A>::raw(a), y = ap_detail::operand<B>::raw(b);  \
    return R::ap_detail_make(EXPR);                                                              \
  }
NAC_AP_INT_BINARY(+, plus, x + y)
NAC_AP_INT_BINARY(-, minus, x - y)
NAC_AP_INT_BINARY(*, mult, x* y)
NAC_AP_INT_BINARY(/, div, (y == 0 ? (ap_detail::fail("division by zero"), x) : x / y))
NAC_AP_INT_BINARY(%, mod, (y == 0 ? (ap_detail::fail("division by zero"), x) : x % y))
NAC_AP_INT_BINARY(&, logic, x& y)
NAC_AP_INT_BINARY(|, logic, x | y)
NAC_AP_INT_BINARY(^, logic, x ^ y)
#undef NAC_AP_INT_BINARY

#define NAC_AP_INT_COMPARE(OP)                                                                  \
  template <typename A, typename B>                                                             \
  typename std::enable_if<ap_detail::int_op<A, B>::value, bool>::type operator OP(const A& a,   \
                                                                                  const B& b) { \
    return ap_detail::operand<A>::raw(a) OP ap_detail::operand<B>::raw(b);                      \
  }
NAC_AP_INT_COMPARE(==)
NAC_AP_INT_COMPARE(!=)
NAC_AP_INT_COMPARE(<)
NAC_AP_INT_COMPARE(<=)
NAC_AP_INT_COMPARE(>)
NAC_AP_INT_COMPARE(>=)
#undef NAC_AP_INT_COMPARE

#endif  // NAC_AP_TYPES_AP_INT_H
