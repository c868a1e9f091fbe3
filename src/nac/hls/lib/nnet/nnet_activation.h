// nac HLS kernel library: element-wise activations (docs/QUANTIZATION.md, activation).
//   identity:   y = res_T(x)
//   relu:       y = x > 0 ? res_T(x) : 0
//   leaky_relu: y = x > 0 ? res_T(x) : res_T(alpha * x), alpha of type alpha_t (raw alpha_raw)
//   table:      y = T[index(x)] (sigmoid, tanh, gelu): the entries are res_T mantissas, the index
//               core/table's rule on x's mantissa (nnet_common.h's table_index)
// CONFIG_T (see activation_config): n, and alpha_t / alpha_raw_t / alpha_raw for leaky_relu,
// size / m_lo / shift for a table.
#ifndef NAC_NNET_ACTIVATION_H
#define NAC_NNET_ACTIVATION_H

#include "nnet_common.h"

namespace nnet {

struct activation_config {
  static const int n = 1;
};

template <class data_T, class res_T, typename CONFIG_T>
void identity(const data_T data[CONFIG_T::n], res_T res[CONFIG_T::n]) {
#pragma HLS INLINE
  for (int i = 0; i < CONFIG_T::n; i++) {
#pragma HLS UNROLL
    res[i] = data[i];
  }
}

template <class data_T, class res_T, typename CONFIG_T>
void relu(const data_T data[CONFIG_T::n], res_T res[CONFIG_T::n]) {
#pragma HLS INLINE
  for (int i = 0; i < CONFIG_T::n; i++) {
#pragma HLS UNROLL
    if (data[i] > 0)
      res[i] = data[i];
    else
      res[i] = 0;
  }
}

template <class data_T, class res_T, typename CONFIG_T>
void leaky_relu(const data_T data[CONFIG_T::n], res_T res[CONFIG_T::n]) {
#pragma HLS INLINE
  const typename CONFIG_T::alpha_t alpha = from_raw<typename CONFIG_T::alpha_t>(
      typename CONFIG_T::alpha_raw_t(CONFIG_T::alpha_raw));
  for (int i = 0; i < CONFIG_T::n; i++) {
#pragma HLS UNROLL
    if (data[i] > 0)
      res[i] = data[i];
    else
      res[i] = alpha * data[i];
  }
}

template <class data_T, class res_T, typename CONFIG_T>
void table_activation(const data_T data[CONFIG_T::n], res_T res[CONFIG_T::n],
                      const typename CONFIG_T::table_raw_t table[CONFIG_T::size]) {
#pragma HLS INLINE
  for (int i = 0; i < CONFIG_T::n; i++) {
#pragma HLS UNROLL
    res[i] = from_raw<res_T>(table[table_index<CONFIG_T>(mantissa(data[i]))]);
  }
}

}  // namespace nnet

#endif  // NAC_NNET_ACTIVATION_H
