// Copied by nac 0.1.0 (nac synth hls) from its HLS library. Do not edit.
// nac HLS kernel library: every kernel, for the generated top function's one include.
#ifndef NAC_NNET_LAYERS_H
#define NAC_NNET_LAYERS_H

#include "nnet_activation.h"
#include "nnet_aggregate.h"
#include "nnet_batchnorm.h"
#include "nnet_common.h"
#include "nnet_conv2d.h"
#include "nnet_conv_attn.h"
#include "nnet_dense.h"
#include "nnet_merge.h"
#include "nnet_softmax.h"

#endif  // NAC_NNET_LAYERS_H
