// Copied by nac 0.1.0 (nac synth hls) from its HLS library. Do not edit.
// nac HLS kernel library: element-wise sum of two to four tensors (docs/QUANTIZATION.md, add):
// y = res_T(x0 + x1 + ...), the exact sum (full-precision ap_fixed operators) converted once.
// CONFIG_T (see merge_config): n.
#ifndef NAC_NNET_MERGE_H
#define NAC_NNET_MERGE_H

#include "nnet_common.h"

namespace nnet {

struct merge_config {
  static const int n = 1;
};

template <class a_T, class b_T, class res_T, typename CONFIG_T>
void add(const a_T a[CONFIG_T::n], const b_T b[CONFIG_T::n], res_T res[CONFIG_T::n]) {
#pragma HLS INLINE
  for (int i = 0; i < CONFIG_T::n; i++) {
#pragma HLS UNROLL
    res[i] = a[i] + b[i];
  }
}

template <class a_T, class b_T, class c_T, class res_T, typename CONFIG_T>
void add(const a_T a[CONFIG_T::n], const b_T b[CONFIG_T::n], const c_T c[CONFIG_T::n],
         res_T res[CONFIG_T::n]) {
#pragma HLS INLINE
  for (int i = 0; i < CONFIG_T::n; i++) {
#pragma HLS UNROLL
    res[i] = a[i] + b[i] + c[i];
  }
}

template <class a_T, class b_T, class c_T, class d_T, class res_T, typename CONFIG_T>
void add(const a_T a[CONFIG_T::n], const b_T b[CONFIG_T::n], const c_T c[CONFIG_T::n],
         const d_T d[CONFIG_T::n], res_T res[CONFIG_T::n]) {
#pragma HLS INLINE
  for (int i = 0; i < CONFIG_T::n; i++) {
#pragma HLS UNROLL
    res[i] = a[i] + b[i] + c[i] + d[i];
  }
}

}  // namespace nnet

#endif  // NAC_NNET_MERGE_H
