// Copied by nac 0.1.0 (nac synth hls) from its HLS library. Do not edit.
// nac HLS kernel library: batch normalisation in inference when it was not folded into the
// previous layer (docs/QUANTIZATION.md, batchnorm): per feature f (the last axis),
//   y = res_T(x * scale_f + shift_f)
// with scale in weight_t and shift in bias_t: the exact value, one conversion.
// CONFIG_T (see batchnorm_config): n (all values), n_feat, weight_t / weight_raw_t,
// bias_t / bias_raw_t.
#ifndef NAC_NNET_BATCHNORM_H
#define NAC_NNET_BATCHNORM_H

#include "nnet_common.h"

namespace nnet {

struct batchnorm_config {
  static const int n = 1;
  static const int n_feat = 1;
};

template <class data_T, class res_T, typename CONFIG_T>
void batchnorm(const data_T data[CONFIG_T::n], res_T res[CONFIG_T::n],
               const typename CONFIG_T::weight_raw_t scale[CONFIG_T::n_feat],
               const typename CONFIG_T::bias_raw_t shift[CONFIG_T::n_feat]) {
#pragma HLS INLINE
  for (int i = 0; i < CONFIG_T::n; i++) {
#pragma HLS UNROLL
    const int f = i % CONFIG_T::n_feat;
    res[i] = data[i] * from_raw<typename CONFIG_T::weight_t>(scale[f]) +
             from_raw<typename CONFIG_T::bias_t>(shift[f]);
  }
}

}  // namespace nnet

#endif  // NAC_NNET_BATCHNORM_H
