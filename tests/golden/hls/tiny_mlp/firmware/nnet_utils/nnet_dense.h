// Copied by nac 0.1.0 (nac synth hls) from its HLS library. Do not edit.
// nac HLS kernel library: dense layers (docs/QUANTIZATION.md, dense), on a vector or on each
// element of a set with shared weights (DeepSets' per-element dense), and the row routine the
// convolution and attention kernels reuse.
//
// For every output j: acc = accum_t(bias_j); for i = 0..n_in-1: acc = accum_t(acc + accum_t(x_i *
// w_ij)); y_j = res_T(acc). Bias first, inputs in index order, each term converted into the
// accumulator and each partial sum converted: the contract's accumulation, so the result is the
// same whatever the accumulator's overflow mode. Weights whose mantissa is 0 (pruned) add nothing
// and are skipped: no multiplication, no addition.
//
// CONFIG_T (see dense_config): n_rows, n_in, n_out, reuse_factor, strategy, has_bias and the
// types accum_t, weight_t, weight_raw_t, bias_t, bias_raw_t. Weights are raw mantissas, row-major
// [n_in][n_out]; biases raw mantissas [n_out].
#ifndef NAC_NNET_DENSE_H
#define NAC_NNET_DENSE_H

#include "nnet_common.h"

namespace nnet {

struct dense_config {
  static const int n_rows = 1;  // set elements sharing the weights (1 for a vector)
  static const int n_in = 1;
  static const int n_out = 1;
  static const int reuse_factor = 1;
  static const int strategy = latency;
  static const bool has_bias = true;
};

// acc[j] = accum_t(bias_j) (0 without a bias).
template <typename CONFIG_T>
void dense_init(typename CONFIG_T::accum_t acc[CONFIG_T::n_out],
                const typename CONFIG_T::bias_raw_t biases[CONFIG_T::n_out]) {
#pragma HLS INLINE
  for (int j = 0; j < CONFIG_T::n_out; j++) {
#pragma HLS UNROLL
    if (CONFIG_T::has_bias)
      acc[j] = from_raw<typename CONFIG_T::bias_t>(biases[j]);
    else
      acc[j] = 0;
  }
}

// acc = accum_t(acc + accum_t(x * w)), skipped for a zero weight.
template <class data_T, typename CONFIG_T>
inline void dense_mac(typename CONFIG_T::accum_t& acc, const data_T& x,
                      const typename CONFIG_T::weight_raw_t& w) {
#pragma HLS INLINE
  if (w == 0) return;
  typename CONFIG_T::accum_t term = x * from_raw<typename CONFIG_T::weight_t>(w);
  acc = acc + term;
}

// One row, fully parallel.
template <class data_T, class res_T, typename CONFIG_T>
void dense_row_latency(const data_T x[CONFIG_T::n_in], res_T y[CONFIG_T::n_out],
                       const typename CONFIG_T::weight_raw_t weights[CONFIG_T::n_in *
                                                                     CONFIG_T::n_out],
                       const typename CONFIG_T::bias_raw_t biases[CONFIG_T::n_out]) {
#pragma HLS INLINE
  typename CONFIG_T::accum_t acc[CONFIG_T::n_out];
#pragma HLS ARRAY_PARTITION variable=acc complete dim=0
  dense_init<CONFIG_T>(acc, biases);
  for (int i = 0; i < CONFIG_T::n_in; i++) {
#pragma HLS UNROLL
    for (int j = 0; j < CONFIG_T::n_out; j++) {
#pragma HLS UNROLL
      dense_mac<data_T, CONFIG_T>(acc[j], x[i], weights[i * CONFIG_T::n_out + j]);
    }
  }
  for (int j = 0; j < CONFIG_T::n_out; j++) {
#pragma HLS UNROLL
    y[j] = acc[j];
  }
}

// One row with reuse: block = ceil(n_in / reuse_factor) inputs (block * n_out multipliers) per
// pipelined step, reuse_factor steps; inputs still reach each accumulator in index order.
template <class data_T, class res_T, typename CONFIG_T>
void dense_row_resource(const data_T x[CONFIG_T::n_in], res_T y[CONFIG_T::n_out],
                        const typename CONFIG_T::weight_raw_t weights[CONFIG_T::n_in *
                                                                      CONFIG_T::n_out],
                        const typename CONFIG_T::bias_raw_t biases[CONFIG_T::n_out]) {
  const int block = (CONFIG_T::n_in + CONFIG_T::reuse_factor - 1) / CONFIG_T::reuse_factor;
  const int words = block * CONFIG_T::n_out;
#pragma HLS ARRAY_RESHAPE variable=weights cyclic factor=words dim=1
#pragma HLS ARRAY_PARTITION variable=biases complete dim=1
  (void)words;  // read by the pragma only
  typename CONFIG_T::accum_t acc[CONFIG_T::n_out];
#pragma HLS ARRAY_PARTITION variable=acc complete dim=0
  dense_init<CONFIG_T>(acc, biases);
  for (int r = 0; r < CONFIG_T::reuse_factor; r++) {
#pragma HLS PIPELINE II=1
    for (int b = 0; b < block; b++) {
#pragma HLS UNROLL
      const int i = r * block + b;
      if (i < CONFIG_T::n_in) {
        for (int j = 0; j < CONFIG_T::n_out; j++) {
#pragma HLS UNROLL
          dense_mac<data_T, CONFIG_T>(acc[j], x[i], weights[i * CONFIG_T::n_out + j]);
        }
      }
    }
  }
  for (int j = 0; j < CONFIG_T::n_out; j++) {
#pragma HLS UNROLL
    y[j] = acc[j];
  }
}

template <class data_T, class res_T, typename CONFIG_T>
void dense_row(const data_T x[CONFIG_T::n_in], res_T y[CONFIG_T::n_out],
               const typename CONFIG_T::weight_raw_t weights[CONFIG_T::n_in * CONFIG_T::n_out],
               const typename CONFIG_T::bias_raw_t biases[CONFIG_T::n_out]) {
#pragma HLS INLINE
  if (CONFIG_T::strategy == resource)
    dense_row_resource<data_T, res_T, CONFIG_T>(x, y, weights, biases);
  else
    dense_row_latency<data_T, res_T, CONFIG_T>(x, y, weights, biases);
}

// data [n_rows * n_in] -> res [n_rows * n_out], the same weights for every row.
template <class data_T, class res_T, typename CONFIG_T>
void dense(const data_T data[CONFIG_T::n_rows * CONFIG_T::n_in],
           res_T res[CONFIG_T::n_rows * CONFIG_T::n_out],
           const typename CONFIG_T::weight_raw_t weights[CONFIG_T::n_in * CONFIG_T::n_out],
           const typename CONFIG_T::bias_raw_t biases[CONFIG_T::n_out]) {
#pragma HLS INLINE
  for (int r = 0; r < CONFIG_T::n_rows; r++) {
    if (CONFIG_T::strategy == latency) {
#pragma HLS UNROLL
    }
    data_T x[CONFIG_T::n_in];
#pragma HLS ARRAY_PARTITION variable=x complete dim=0
    res_T y[CONFIG_T::n_out];
#pragma HLS ARRAY_PARTITION variable=y complete dim=0
    for (int i = 0; i < CONFIG_T::n_in; i++) {
#pragma HLS UNROLL
      x[i] = data[r * CONFIG_T::n_in + i];
    }
    dense_row<data_T, res_T, CONFIG_T>(x, y, weights, biases);
    for (int j = 0; j < CONFIG_T::n_out; j++) {
#pragma HLS UNROLL
      res[r * CONFIG_T::n_out + j] = y[j];
    }
  }
}

}  // namespace nnet

#endif  // NAC_NNET_DENSE_H
