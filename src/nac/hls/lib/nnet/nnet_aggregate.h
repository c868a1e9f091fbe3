// nac HLS kernel library: set aggregation for DeepSets (docs/QUANTIZATION.md, aggregate), a set
// [n_elem][n_feat] to [n_feat], per feature:
//   sum:  acc = 0; acc = accum_t(acc + accum_t(x_e)) for e in order; y = res_T(acc)
//   mean: the same sum, then the quotient acc / n_elem truncated toward zero (ap_fixed division
//         by an int keeps acc's fraction bits), y = res_T(quotient)
//   max:  y = res_T(max_e x_e)
// CONFIG_T (see aggregate_config): n_elem, n_feat, and accum_t for sum and mean.
#ifndef NAC_NNET_AGGREGATE_H
#define NAC_NNET_AGGREGATE_H

#include "nnet_common.h"

namespace nnet {

struct aggregate_config {
  static const int n_elem = 1;
  static const int n_feat = 1;
};

template <class data_T, typename CONFIG_T>
typename CONFIG_T::accum_t aggregate_sum(const data_T data[CONFIG_T::n_elem * CONFIG_T::n_feat],
                                         int f) {
#pragma HLS INLINE
  typename CONFIG_T::accum_t acc = 0;
  for (int e = 0; e < CONFIG_T::n_elem; e++) {
#pragma HLS UNROLL
    typename CONFIG_T::accum_t term = data[e * CONFIG_T::n_feat + f];
    acc = acc + term;
  }
  return acc;
}

template <class data_T, class res_T, typename CONFIG_T>
void aggregate_sum(const data_T data[CONFIG_T::n_elem * CONFIG_T::n_feat],
                   res_T res[CONFIG_T::n_feat]) {
#pragma HLS INLINE
  for (int f = 0; f < CONFIG_T::n_feat; f++) {
#pragma HLS UNROLL
    res[f] = aggregate_sum<data_T, CONFIG_T>(data, f);
  }
}

template <class data_T, class res_T, typename CONFIG_T>
void aggregate_mean(const data_T data[CONFIG_T::n_elem * CONFIG_T::n_feat],
                    res_T res[CONFIG_T::n_feat]) {
#pragma HLS INLINE
  const int n = CONFIG_T::n_elem;  // an int divisor: ap_fixed<32, 32>
  for (int f = 0; f < CONFIG_T::n_feat; f++) {
#pragma HLS UNROLL
    res[f] = aggregate_sum<data_T, CONFIG_T>(data, f) / n;
  }
}

template <class data_T, class res_T, typename CONFIG_T>
void aggregate_max(const data_T data[CONFIG_T::n_elem * CONFIG_T::n_feat],
                   res_T res[CONFIG_T::n_feat]) {
#pragma HLS INLINE
  for (int f = 0; f < CONFIG_T::n_feat; f++) {
#pragma HLS UNROLL
    data_T m = data[f];
    for (int e = 1; e < CONFIG_T::n_elem; e++) {
#pragma HLS UNROLL
      if (data[e * CONFIG_T::n_feat + f] > m) m = data[e * CONFIG_T::n_feat + f];
    }
    res[f] = m;
  }
}

}  // namespace nnet

#endif  // NAC_NNET_AGGREGATE_H
