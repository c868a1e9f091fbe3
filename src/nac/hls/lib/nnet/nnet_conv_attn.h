// nac HLS kernel library: BraggNN's non-local block, conv attention (docs/QUANTIZATION.md,
// conv_attn), on P = H * W positions of C channels with hidden width H':
//   1. q, k, v: 1x1 projections by the dense rule (q_config, k_config, v_config), in q_t, k_t, v_t
//   2. s_pq = score_t(acc), acc an accumulation in score_accum_t of q_ph * k_qh over h, from 0
//   3. a_p = softmax(s_p) by nnet_softmax.h's row rule (softmax_config), in attn_t
//   4. o_ph = attend_t(acc), acc an accumulation in attend_accum_t of a_pq * v_qh over q, from 0
//   5. projection of o by the dense rule (proj_config), in proj_t
//   6. z = residual_t(x + proj), one conversion of the exact sum
// The block's activation (step 7) is the caller's: an nnet_activation.h kernel on z.
// CONFIG_T (see conv_attn_config): n_pos, n_chan, n_hidden, strategy, reuse_factor, the types above
// and the nested configs.
#ifndef NAC_NNET_CONV_ATTN_H
#define NAC_NNET_CONV_ATTN_H

#include "nnet_common.h"
#include "nnet_dense.h"
#include "nnet_softmax.h"

namespace nnet {

struct conv_attn_config {
  static const int n_pos = 1, n_chan = 1, n_hidden = 1;
  static const int reuse_factor = 1;
  static const int strategy = latency;
};

// acc = acc_T(acc + acc_T(a * b)).
template <class acc_T, class a_T, class b_T>
inline void product_mac(acc_T& acc, const a_T& a, const b_T& b) {
#pragma HLS INLINE
  acc_T term = a * b;
  acc = acc + term;
}

template <class data_T, class res_T, typename CONFIG_T>
void conv_attn(
    const data_T data[CONFIG_T::n_pos * CONFIG_T::n_chan],
    res_T res[CONFIG_T::n_pos * CONFIG_T::n_chan],
    const typename CONFIG_T::q_config::weight_raw_t q_w[CONFIG_T::n_chan * CONFIG_T::n_hidden],
    const typename CONFIG_T::q_config::bias_raw_t q_b[CONFIG_T::n_hidden],
    const typename CONFIG_T::k_config::weight_raw_t k_w[CONFIG_T::n_chan * CONFIG_T::n_hidden],
    const typename CONFIG_T::k_config::bias_raw_t k_b[CONFIG_T::n_hidden],
    const typename CONFIG_T::v_config::weight_raw_t v_w[CONFIG_T::n_chan * CONFIG_T::n_hidden],
    const typename CONFIG_T::v_config::bias_raw_t v_b[CONFIG_T::n_hidden],
    const typename CONFIG_T::proj_config::weight_raw_t p_w[CONFIG_T::n_hidden * CONFIG_T::n_chan],
    const typename CONFIG_T::proj_config::bias_raw_t p_b[CONFIG_T::n_chan],
    const typename CONFIG_T::softmax_config::exp_table::raw_t
        exp_table[CONFIG_T::softmax_config::exp_table::size],
    const typename CONFIG_T::softmax_config::inv_table::raw_t
        inv_table[CONFIG_T::softmax_config::inv_table::size]) {
#pragma HLS INLINE
  const int P = CONFIG_T::n_pos, C = CONFIG_T::n_chan, H = CONFIG_T::n_hidden;
  typename CONFIG_T::q_t q[P * H];
  typename CONFIG_T::k_t k[P * H];
  typename CONFIG_T::v_t v[P * H];
  typename CONFIG_T::attend_t o[P * H];
  typename CONFIG_T::proj_t proj[P * C];
#pragma HLS ARRAY_PARTITION variable=q complete dim=0
#pragma HLS ARRAY_PARTITION variable=k complete dim=0
#pragma HLS ARRAY_PARTITION variable=v complete dim=0
#pragma HLS ARRAY_PARTITION variable=o complete dim=0
#pragma HLS ARRAY_PARTITION variable=proj complete dim=0
  dense<data_T, typename CONFIG_T::q_t, typename CONFIG_T::q_config>(data, q, q_w, q_b);
  dense<data_T, typename CONFIG_T::k_t, typename CONFIG_T::k_config>(data, k, k_w, k_b);
  dense<data_T, typename CONFIG_T::v_t, typename CONFIG_T::v_config>(data, v, v_w, v_b);
  for (int p = 0; p < P; p++) {
    if (CONFIG_T::strategy == latency) {
#pragma HLS UNROLL
    } else {
#pragma HLS PIPELINE II=CONFIG_T::reuse_factor
    }
    typename CONFIG_T::score_t s[P];
    typename CONFIG_T::attn_t a[P];
#pragma HLS ARRAY_PARTITION variable=s complete dim=0
#pragma HLS ARRAY_PARTITION variable=a complete dim=0
    for (int c = 0; c < P; c++) {
#pragma HLS UNROLL
      typename CONFIG_T::score_accum_t acc = 0;
      for (int h = 0; h < H; h++) {
#pragma HLS UNROLL
        product_mac(acc, q[p * H + h], k[c * H + h]);
      }
      s[c] = acc;
    }
    softmax_row<typename CONFIG_T::score_t, typename CONFIG_T::attn_t,
                typename CONFIG_T::softmax_config>(s, a, exp_table, inv_table);
    for (int h = 0; h < H; h++) {
#pragma HLS UNROLL
      typename CONFIG_T::attend_accum_t acc = 0;
      for (int c = 0; c < P; c++) {
#pragma HLS UNROLL
        product_mac(acc, a[c], v[c * H + h]);
      }
      o[p * H + h] = acc;
    }
  }
  dense<typename CONFIG_T::attend_t, typename CONFIG_T::proj_t, typename CONFIG_T::proj_config>(
      o, proj, p_w, p_b);
  for (int i = 0; i < P * C; i++) {
#pragma HLS UNROLL
    res[i] = data[i] + proj[i];
  }
}

}  // namespace nnet

#endif  // NAC_NNET_CONV_ATTN_H
