#pragma once
// infer_precision (docs/QUANTIZATION.md): interval analysis from the input format's range, the
// weights' ACTUAL quantised mantissas (masks honoured) and every node's result format, giving
// each accumulation an accumulator that holds all its partial sums exactly (no rounding, no
// overflow): accum, and conv_attn's score_accum, attend_accum, proj_accum, and exp_sum of
// softmax and conv_attn. Needs the input, weight, bias, result and intermediate formats
// (quantize_graph sets them).
#include <string>
#include <vector>

#include "nac/core/fixed_format.hpp"
#include "nac/graph/graph.hpp"

namespace nac {

struct InferPrecisionOptions {
  bool overwrite = false;  // true: replace given accumulators too
};

// A given accumulator that can overflow or drop product bits on some input.
struct PrecisionIssue {
  std::string node, key;
  FixedFormat given, exact;  // the annotated format and the narrowest exact one
};

struct PrecisionReport {
  int set = 0;                            // accumulator formats written
  std::vector<PrecisionIssue> not_exact;  // given ones that are not exact
};

// Throws GraphError naming the node when a format it needs is missing, or when an exact
// accumulator would exceed 63 bits.
PrecisionReport infer_precision(Graph& g, const InferPrecisionOptions& opt = {});

}  // namespace nac
