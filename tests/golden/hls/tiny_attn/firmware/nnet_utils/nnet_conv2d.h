// Copied by nac 0.1.0 (nac synth hls) from its HLS library. Do not edit.
// nac HLS kernel library: 2-D convolution, stride 1, valid or same padding, channels-last
// (docs/QUANTIZATION.md, conv2d), meant for the small images of fast-inference models.
//
// Every output pixel is the dense rule on its patch in weight order (ky, kx, c): input pixel
// (oy + ky - pad, ox + kx - pad). Positions outside the map read as 0, which adds nothing (the
// contract skips them), so the per-pixel product is nnet_dense.h's row routine.
//
// CONFIG_T (see conv2d_config): in_h, in_w, n_chan, kernel, pad, out_h, out_w, n_filt, and for
// the row routine n_in = kernel * kernel * n_chan, n_out = n_filt, reuse_factor, strategy,
// has_bias and the accum / weight / bias types. Weights [kernel][kernel][n_chan][n_filt].
#ifndef NAC_NNET_CONV2D_H
#define NAC_NNET_CONV2D_H

#include "nnet_common.h"
#include "nnet_dense.h"

namespace nnet {

struct conv2d_config : dense_config {
  static const int in_h = 1, in_w = 1, n_chan = 1;
  static const int kernel = 1, pad = 0;
  static const int out_h = 1, out_w = 1, n_filt = 1;
};

// The patch of output pixel (oy, ox) in weight order, 0 outside the map.
template <class data_T, typename CONFIG_T>
void conv2d_patch(const data_T data[CONFIG_T::in_h * CONFIG_T::in_w * CONFIG_T::n_chan], int oy,
                  int ox, data_T patch[CONFIG_T::n_in]) {
#pragma HLS INLINE
  for (int ky = 0; ky < CONFIG_T::kernel; ky++) {
#pragma HLS UNROLL
    for (int kx = 0; kx < CONFIG_T::kernel; kx++) {
#pragma HLS UNROLL
      for (int c = 0; c < CONFIG_T::n_chan; c++) {
#pragma HLS UNROLL
        const int iy = oy + ky - CONFIG_T::pad, ix = ox + kx - CONFIG_T::pad;
        const int k = (ky * CONFIG_T::kernel + kx) * CONFIG_T::n_chan + c;
        if (iy < 0 || iy >= CONFIG_T::in_h || ix < 0 || ix >= CONFIG_T::in_w)
          patch[k] = 0;
        else
          patch[k] = data[(iy * CONFIG_T::in_w + ix) * CONFIG_T::n_chan + c];
      }
    }
  }
}

// data [in_h * in_w * n_chan] -> res [out_h * out_w * n_filt]. Latency: every pixel in parallel;
// resource: one pixel per pipelined step, each with the dense row's reuse.
template <class data_T, class res_T, typename CONFIG_T>
void conv2d(const data_T data[CONFIG_T::in_h * CONFIG_T::in_w * CONFIG_T::n_chan],
            res_T res[CONFIG_T::out_h * CONFIG_T::out_w * CONFIG_T::n_filt],
            const typename CONFIG_T::weight_raw_t weights[CONFIG_T::n_in * CONFIG_T::n_out],
            const typename CONFIG_T::bias_raw_t biases[CONFIG_T::n_out]) {
#pragma HLS INLINE
  for (int p = 0; p < CONFIG_T::out_h * CONFIG_T::out_w; p++) {
    if (CONFIG_T::strategy == latency) {
#pragma HLS UNROLL
    }
    const int oy = p / CONFIG_T::out_w, ox = p % CONFIG_T::out_w;
    data_T patch[CONFIG_T::n_in];
#pragma HLS ARRAY_PARTITION variable=patch complete dim=0
    res_T y[CONFIG_T::n_out];
#pragma HLS ARRAY_PARTITION variable=y complete dim=0
    conv2d_patch<data_T, CONFIG_T>(data, oy, ox, patch);
    dense_row<data_T, res_T, CONFIG_T>(patch, y, weights, biases);
    for (int j = 0; j < CONFIG_T::n_out; j++) {
#pragma HLS UNROLL
      res[p * CONFIG_T::n_out + j] = y[j];
    }
  }
}

}  // namespace nnet

#endif  // NAC_NNET_CONV2D_H
