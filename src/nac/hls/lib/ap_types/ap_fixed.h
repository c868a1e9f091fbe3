// nac's stand-in for the Vitis HLS arbitrary-precision fixed-point header (ap_fixed.h), for C
// simulation with g++; see ap_int.h for what it covers and how it differs (never in results).
//
// ap_fixed<W, I, Q, O, N> / ap_ufixed: value = m * 2^-(W - I) with m a W-bit two's-complement (or
// unsigned) integer. Converting an exact value into a type (construction from double, float, C
// integers, ap_int and other ap_fixed types; assignment; compound assignment) rounds the dropped
// fraction bits by Q, then applies O to the rounded integer (a rounding carry can overflow).
// Operators + - * / are full precision (the Vitis result types, modes AP_TRN/AP_WRAP); a C integer
// operand is an ap_fixed<32, 32> (unsigned: ap_ufixed<32, 32>, long: 64 bits).
#ifndef NAC_AP_TYPES_AP_FIXED_H
#define NAC_AP_TYPES_AP_FIXED_H

#include "ap_int.h"

template <int W, int I, ap_q_mode Q = AP_TRN, ap_o_mode O = AP_WRAP, int N = 0>
using ap_fixed = ap_fixed_base<W, I, true, Q, O, N>;
template <int W, int I, ap_q_mode Q = AP_TRN, ap_o_mode O = AP_WRAP, int N = 0>
using ap_ufixed = ap_fixed_base<W, I, false, Q, O, N>;

namespace ap_detail {

// v * 2^s for s >= 0 (the caller guarantees the result fits).
inline i128 shl(i128 v, int s) { return static_cast<i128>(static_cast<u128>(v) << s); }

// The fixed-point operators apply when one side is an ap_fixed and the other an ap_fixed, an
// ap_int or a C integer.
template <typename A, typename B>
struct fixed_op {
  static const bool value =
      operand<A>::ok && operand<B>::ok && (operand<A>::is_fixed || operand<B>::is_fixed);
};

// Result types of the fixed-point operators (FIXED_POINT.md's table, the Vitis RType rules).
template <typename A, typename B>
struct fixed_rtype {
  static const int w1 = operand<A>::width, i1 = operand<A>::integer;
  static const int w2 = operand<B>::width, i2 = operand<B>::integer;
  static const bool s1 = operand<A>::is_signed, s2 = operand<B>::is_signed;
  static const int f1 = w1 - i1, f2 = w2 - i2;
  static const int plus_i = max_int(i1 + (s2 && !s1 ? 1 : 0), i2 + (s1 && !s2 ? 1 : 0)) + 1;
  static const int plus_w = plus_i + max_int(f1, f2);
  static const int div_w = (s2 ? 1 : 0) + w1 + max_int(f2, 0);
  static const int div_i = (s2 ? 1 : 0) + i1 + f2;
  typedef ap_fixed_base<plus_w, plus_i, s1 || s2, AP_TRN, AP_WRAP, 0> plus;
  typedef ap_fixed_base<plus_w, plus_i, true, AP_TRN, AP_WRAP, 0> minus;
  typedef ap_fixed_base<w1 + w2, i1 + i2, s1 || s2, AP_TRN, AP_WRAP, 0> mult;
  typedef ap_fixed_base<div_w, div_i, s1 || s2, AP_TRN, AP_WRAP, 0> div;
};

template <bool Enable, typename A, typename B>
struct fixed_result {};
template <typename A, typename B>
struct fixed_result<true, A, B> {
  typedef fixed_rtype<A, B> type;
};

}  // namespace ap_detail

template <int W, int I, bool S, ap_q_mode Q = AP_TRN, ap_o_mode O = AP_WRAP, int N = 0>
struct ap_fixed_base {
  static_assert(W >= 1 && W <= (S ? 128 : 127),
                "nac ap_types: ap_fixed widths are 1..128 (ap_ufixed: 1..127); a full-precision "
                "operator result wider than that is not supported");
  static_assert(N == 0, "nac ap_types: saturation bits N > 0 are not supported");
  static_assert(O != AP_WRAP_SM, "nac ap_types: AP_WRAP_SM is not supported");
  static const int width = W;
  static const int iwidth = I;
  static const ap_q_mode qmode = Q;
  static const ap_o_mode omode = O;

  ap_fixed_base() : v_(0) {}
  template <int W2, int I2, bool S2, ap_q_mode Q2, ap_o_mode O2, int N2>
  ap_fixed_base(const ap_fixed_base<W2, I2, S2, Q2, O2, N2>& x)
      : v_(from_exact(x.ap_detail_raw(), W2 - I2)) {}
  template <int W2, bool S2>
  ap_fixed_base(const ap_int_base<W2, S2>& x) : v_(from_exact(x.ap_detail_raw(), 0)) {}
  template <typename T, typename = typename std::enable_if<ap_detail::c_int<T>::ok>::type>
  ap_fixed_base(T x) : v_(from_exact(static_cast<ap_detail::i128>(x), 0)) {}
  // The IEEE value taken exactly (float widened to double), then rounded and overflowed.
  ap_fixed_base(double x) : v_(from_double(x)) {}
  ap_fixed_base(float x) : v_(from_double(x)) {}

  // To C types: the integer part truncated toward zero (-7.5 -> -7), then the low 32/64 bits.
  int to_int() const { return static_cast<int>(ap_detail::low64(int_part())); }
  unsigned to_uint() const { return static_cast<unsigned>(ap_detail::low64(int_part())); }
  long long to_int64() const { return ap_detail::low64(int_part()); }
  unsigned long long to_uint64() const {
    return static_cast<unsigned long long>(ap_detail::low64(int_part()));
  }
  // The nearest double / float (ties to even): exact for W <= 53 / W <= 24.
  double to_double() const { return std::ldexp(static_cast<double>(v_), -(W - I)); }
  float to_float() const { return std::ldexp(static_cast<float>(v_), -(W - I)); }

  int length() const { return W; }
  int wl() const { return W; }
  int iwl() const { return I; }
  ap_q_mode q_mode() const { return Q; }
  ap_o_mode o_mode() const { return O; }
  int n_bits() const { return N; }
  bool is_zero() const { return v_ == 0; }
  bool is_neg() const { return v_ < 0; }

  // Raw bits of the mantissa m: bit 0 is the least significant bit.
  bool operator[](int i) const {
    if (i < 0 || i >= W) ap_detail::fail("bit index out of range");
    return ((static_cast<ap_detail::u128>(v_) >> i) & 1) != 0;
  }
  ap_range_ref<W, S> range(int hi, int lo) const {
    return ap_range_ref<W, S>(const_cast<ap_detail::i128*>(&v_), hi, lo);
  }
  ap_range_ref<W, S> range() const { return range(W - 1, 0); }
  ap_range_ref<W, S> operator()(int hi, int lo) const { return range(hi, lo); }

  ap_fixed_base<W + 1, I + 1, true> operator-() const {
    return ap_fixed_base<W + 1, I + 1, true>::ap_detail_make(-v_);
  }
  ap_fixed_base operator+() const { return *this; }
  bool operator!() const { return v_ == 0; }

  // Compound assignment: the full-precision result, then converted into this type.
  template <typename T>
  ap_fixed_base& operator+=(const T& x) {
    return *this = *this + x;
  }
  template <typename T>
  ap_fixed_base& operator-=(const T& x) {
    return *this = *this - x;
  }
  template <typename T>
  ap_fixed_base& operator*=(const T& x) {
    return *this = *this * x;
  }
  template <typename T>
  ap_fixed_base& operator/=(const T& x) {
    return *this = *this / x;
  }

  // Internal (not Vitis API): the mantissa m, sign- or zero-extended; a value from raw bits.
  ap_detail::i128 ap_detail_raw() const { return v_; }
  static ap_fixed_base ap_detail_make(ap_detail::i128 m) {
    ap_fixed_base r;
    r.v_ = ap_detail::wrap(m, W, S);
    return r;
  }

 private:
  static ap_detail::i128 from_exact(ap_detail::i128 m, long long frac) {
    return ap_detail::convert(m, frac - (W - I), W, S, Q, O);
  }
  static ap_detail::i128 from_double(double x) {
    ap_detail::i128 m = 0;
    long long frac = 0;
    ap_detail::decompose(x, &m, &frac);
    return from_exact(m, frac);
  }
  ap_detail::i128 int_part() const { return ap_detail::trunc_int(v_, W - I); }

  ap_detail::i128 v_;
};

template <int W, int I, bool S, ap_q_mode Q, ap_o_mode O, int N>
const int ap_fixed_base<W, I, S, Q, O, N>::width;
template <int W, int I, bool S, ap_q_mode Q, ap_o_mode O, int N>
const int ap_fixed_base<W, I, S, Q, O, N>::iwidth;
template <int W, int I, bool S, ap_q_mode Q, ap_o_mode O, int N>
const ap_q_mode ap_fixed_base<W, I, S, Q, O, N>::qmode;
template <int W, int I, bool S, ap_q_mode Q, ap_o_mode O, int N>
const ap_o_mode ap_fixed_base<W, I, S, Q, O, N>::omode;

// Full-precision operators: an ap_fixed with an ap_fixed, an ap_int or a C integer.
#define NAC_AP_FIXED_BINARY(OP, RTYPE)                                                        \
  template <typename A, typename B>                                                           \
  typename ap_detail::fixed_result<ap_detail::fixed_op<A, B>::value, A, B>::type::RTYPE       \
  operator OP(const A& a, const B& b) {                                                       \
    typedef ap_detail::fixed_rtype<A, B> T;                                                   \
    return ap_detail::fixed_##RTYPE<typename T::RTYPE>(ap_detail::operand<A>::raw(a), T::f1,  \
                                                       ap_detail::operand<B>::raw(b), T::f2); \
  }

namespace ap_detail {
template <typename R>
R fixed_plus(i128 x, int fx, i128 y, int fy) {
  const int f = max_int(fx, fy);
  return R::ap_detail_make(shl(x, f - fx) + shl(y, f - fy));
}
template <typename R>
R fixed_minus(i128 x, int fx, i128 y, int fy) {
  const int f = max_int(fx, fy);
  return R::ap_detail_make(shl(x, f - fx) - shl(y, f - fy));
}
template <typename R>
R fixed_mult(i128 x, int, i128 y, int) {
  return R::ap_detail_make(x * y);
}
// The integer quotient (x << max(F2, 0)) / y, truncated toward zero.
template <typename R>
R fixed_div(i128 x, int, i128 y, int fy) {
  if (y == 0) fail("division by zero");
  return R::ap_detail_make(shl(x, max_int(fy, 0)) / y);
}
}  // namespace ap_detail

NAC_AP_FIXED_BINARY(+, plus)
NAC_AP_FIXED_BINARY(-, minus)
NAC_AP_FIXED_BINARY(*, mult)
NAC_AP_FIXED_BINARY(/, div)
#undef NAC_AP_FIXED_BINARY

// Exact comparisons; with a double (as in Vitis) through to_double().
#define NAC_AP_FIXED_COMPARE(OP)                                                                   \
  template <typename A, typename B>                                                                \
  typename std::enable_if<ap_detail::fixed_op<A, B>::value, bool>::type operator OP(const A& a,    \
                                                                                    const B& b) {  \
    return ap_detail::compare(ap_detail::operand<A>::raw(a),                                       \
                              ap_detail::operand<A>::width - ap_detail::operand<A>::integer,       \
                              ap_detail::operand<B>::raw(b),                                       \
                              ap_detail::operand<B>::width - ap_detail::operand<B>::integer) OP 0; \
  }                                                                                                \
  template <int W, int I, bool S, ap_q_mode Q, ap_o_mode O, int N>                                 \
  bool operator OP(const ap_fixed_base<W, I, S, Q, O, N>& a, double d) {                           \
    return a.to_double() OP d;                                                                     \
  }                                                                                                \
  template <int W, int I, bool S, ap_q_mode Q, ap_o_mode O, int N>                                 \
  bool operator OP(double d, const ap_fixed_base<W, I, S, Q, O, N>& a) {                           \
    return d OP a.to_double();                                                                     \
  }
NAC_AP_FIXED_COMPARE(==)
NAC_AP_FIXED_COMPARE(!=)
NAC_AP_FIXED_COMPARE(<)
NAC_AP_FIXED_COMPARE(<=)
NAC_AP_FIXED_COMPARE(>)
NAC_AP_FIXED_COMPARE(>=)
#undef NAC_AP_FIXED_COMPARE

#endif  // NAC_AP_TYPES_AP_FIXED_H
