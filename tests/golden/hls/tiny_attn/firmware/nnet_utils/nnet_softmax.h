// Copied by nac 0.1.0 (nac synth hls) from its HLS library. Do not edit.
// nac HLS kernel library: softmax by tables over rows of n_cols (docs/QUANTIZATION.md, softmax).
// For each row:
//   m = max_j x_j; d_j = x_j - m exactly (its mantissa is x_j's minus m's: same fraction bits)
//   e_j = Exp[index(d_j)]                      (exp_t entries)
//   s = 0; s = exp_sum_t(s + exp_sum_t(e_j))   (an accumulation, j in order)
//   r = Inv[index(s)]                          (inv_t entries)
//   y_j = res_T(e_j * r)
// CONFIG_T (see softmax_config): n_rows, n_cols, strategy, reuse_factor, exp_t, exp_sum_t, inv_t,
// and the table geometries exp_table / inv_table (size, m_lo, shift) with their raw types.
#ifndef NAC_NNET_SOFTMAX_H
#define NAC_NNET_SOFTMAX_H

#include "nnet_common.h"

namespace nnet {

struct softmax_config {
  static const int n_rows = 1;
  static const int n_cols = 1;
  static const int reuse_factor = 1;
  static const int strategy = latency;
};

template <class data_T, class res_T, typename CONFIG_T>
void softmax_row(
    const data_T x[CONFIG_T::n_cols], res_T y[CONFIG_T::n_cols],
    const typename CONFIG_T::exp_table::raw_t exp_table[CONFIG_T::exp_table::size],
    const typename CONFIG_T::inv_table::raw_t inv_table[CONFIG_T::inv_table::size]) {
#pragma HLS INLINE
  data_T m = x[0];
  for (int j = 1; j < CONFIG_T::n_cols; j++) {
#pragma HLS UNROLL
    if (x[j] > m) m = x[j];
  }
  typename CONFIG_T::exp_t e[CONFIG_T::n_cols];
#pragma HLS ARRAY_PARTITION variable=e complete dim=0
  typename CONFIG_T::exp_sum_t s = 0;
  for (int j = 0; j < CONFIG_T::n_cols; j++) {
#pragma HLS UNROLL
    const int idx = table_index<typename CONFIG_T::exp_table>(mantissa(x[j]) - mantissa(m));
    e[j] = from_raw<typename CONFIG_T::exp_t>(exp_table[idx]);
    typename CONFIG_T::exp_sum_t term = e[j];
    s = s + term;
  }
  const typename CONFIG_T::inv_t r = from_raw<typename CONFIG_T::inv_t>(
      inv_table[table_index<typename CONFIG_T::inv_table>(mantissa(s))]);
  for (int j = 0; j < CONFIG_T::n_cols; j++) {
#pragma HLS UNROLL
    y[j] = e[j] * r;
  }
}

// data, res [n_rows * n_cols].
template <class data_T, class res_T, typename CONFIG_T>
void softmax(const data_T data[CONFIG_T::n_rows * CONFIG_T::n_cols],
             res_T res[CONFIG_T::n_rows * CONFIG_T::n_cols],
             const typename CONFIG_T::exp_table::raw_t exp_table[CONFIG_T::exp_table::size],
             const typename CONFIG_T::inv_table::raw_t inv_table[CONFIG_T::inv_table::size]) {
#pragma HLS INLINE
  for (int r = 0; r < CONFIG_T::n_rows; r++) {
    if (CONFIG_T::strategy == latency) {
#pragma HLS UNROLL
    } else {
#pragma HLS PIPELINE II=CONFIG_T::reuse_factor
    }
    data_T x[CONFIG_T::n_cols];
#pragma HLS ARRAY_PARTITION variable=x complete dim=0
    res_T y[CONFIG_T::n_cols];
#pragma HLS ARRAY_PARTITION variable=y complete dim=0
    for (int j = 0; j < CONFIG_T::n_cols; j++) {
#pragma HLS UNROLL
      x[j] = data[r * CONFIG_T::n_cols + j];
    }
    softmax_row<data_T, res_T, CONFIG_T>(x, y, exp_table, inv_table);
    for (int j = 0; j < CONFIG_T::n_cols; j++) {
#pragma HLS UNROLL
      res[r * CONFIG_T::n_cols + j] = y[j];
    }
  }
}

}  // namespace nnet

#endif  // NAC_NNET_SOFTMAX_H
