// nac HLS kernel library: shared definitions. Part of every project `nac synth hls` generates
// (firmware/nnet_utils/); the generator only writes per-layer config structs, constants and the
// top-level call sequence that configure these templates.
//
// The arithmetic is docs/QUANTIZATION.md's, written with ap_fixed so that every conversion the
// contract names is an assignment to a declared type and nothing else rounds or overflows:
// products and sums of ap_fixed values are full precision, an assignment converts.
//
// C++14, and only the documented ap_fixed / ap_int API (range(), width, comparisons, the
// arithmetic operators), so the same code compiles with the Vitis HLS headers and with nac's
// bundled ap_types (C simulation with g++).
#ifndef NAC_NNET_COMMON_H
#define NAC_NNET_COMMON_H

#include <ap_fixed.h>
#include <ap_int.h>

namespace nnet {

// How a layer spends hardware: latency = fully parallel (every multiplication its own
// multiplier, arrays partitioned into registers); resource = each multiplier reused
// `reuse_factor` times in a pipelined loop, weights in reshaped ROM.
enum strategy { latency = 0, resource = 1 };

// The value of fixed-point type T whose mantissa (raw two's-complement bits) is `raw`, an ap_int
// or ap_uint of T's width. Constants are stored this way so that no decimal text is re-parsed.
template <class T, class RAW_T>
inline T from_raw(const RAW_T& raw) {
#pragma HLS INLINE
  T v = 0;
  v.range(T::width - 1, 0) = raw;
  return v;
}

// The mantissa m of a fixed-point value (value = m * 2^-F), sign- or zero-extended by one bit so
// that signed and unsigned types give the same integer type shape.
template <int W, int I, bool S, ap_q_mode Q, ap_o_mode O, int N>
inline ap_int<W + 1> mantissa(const ap_fixed_base<W, I, S, Q, O, N>& v) {
#pragma HLS INLINE
  ap_uint<W> bits = v.range(W - 1, 0);
  ap_int<W + 1> m = 0;
  if (S) {
    ap_int<W> s = bits;
    m = s;
  } else {
    m = bits;
  }
  return m;
}

// core/table's index rule on an input mantissa m (an ap_int or ap_uint of at most 71 bits, or
// the result of ap_int arithmetic):
//   index = clamp((m - TABLE_T::m_lo) >> TABLE_T::shift, 0, TABLE_T::size - 1).
// TABLE_T gives size, m_lo (the table's lower bound in input LSBs) and shift.
template <class TABLE_T, class INT_T>
inline int table_index(const INT_T& m) {
#pragma HLS INLINE
  // Local copies: ap_int's operators take references, which must not bind to static members
  // that have no definition.
  const long long lo = TABLE_T::m_lo;
  const int size = TABLE_T::size;
  ap_int<72> off = ap_int<72>(m) - ap_int<72>(lo);
  off = off >> TABLE_T::shift;
  if (off < 0) return 0;
  if (off >= size) return size - 1;
  return off.to_int();
}

// y[i] = x[i] converted into res_T (flatten, and the conversions of quant.input).
template <class data_T, class res_T, int N>
void convert(const data_T x[N], res_T y[N]) {
#pragma HLS INLINE
  for (int i = 0; i < N; i++) {
#pragma HLS UNROLL
    y[i] = x[i];
  }
}

}  // namespace nnet

#endif  // NAC_NNET_COMMON_H
