#pragma once
// quantize_graph (docs/QUANTIZATION.md): annotates a graph from a precision config and a
// calibration: weights fixed<weight_bits, I_w> (I_w from the layer's actual weights), biases
// fixed<bias_bits, I_b>, every result and conv_attn intermediate fixed<activation_bits, I_a> (I_a
// from the calibration: the observed range with a margin, or the least squared error), the input
// fixed<input_bits, I>, softmax's exp and 1/sum tables ufixed<table_bits, 1>. Accumulators are left
// to infer_precision. Per-node overrides
// (`layers`) win over every derived format.
#include <map>
#include <string>

#include "nac/core/fixed_format.hpp"
#include "nac/graph/graph.hpp"
#include "nac/graph/passes/calibrate.hpp"

namespace nac {

// How calibrated activations get their integer bits.
enum class IntegerRule {
  Max,  // the observed max|v| * (1 + margin) fits: nothing overflows on the calibration data
  Mse,  // the least squared quantisation error over the calibrated values (clipping the rare
        // large ones when that buys resolution); saturating overflow only, else as Max
};

struct PrecisionConfig {
  int weight_bits = 8;
  int bias_bits = 0;  // 0: weight_bits
  int activation_bits = 8;
  int input_bits = 0;   // 0: activation_bits
  int table_bits = 16;  // softmax's exp and 1/sum table entries
  Rounding weight_rounding = Rounding::RND;
  Overflow weight_overflow = Overflow::SAT;
  Rounding rounding = Rounding::RND;  // results and intermediates
  Overflow overflow = Overflow::SAT;
  double margin = 0.1;  // Max rule: integer bits hold max|v| * (1 + margin)
  IntegerRule integer_rule = IntegerRule::Max;
  // node name -> formats that replace the derived ones (extra and tables entries merge).
  std::map<std::string, QuantAnnotation> layers;
};

// Throws InputError for bits outside 1..63, an unknown node in `layers`, a node without
// calibration data, or a layernorm (no fixed-point meaning).
void quantize_graph(Graph& g, const PrecisionConfig& cfg, const CalibrationStats& stats);

// The smallest I with 2^(I-1) > v (signed formats hold v then); v <= 0 gives 1.
int integer_bits_for(double v);

// The integer bits of a signed `bits`-bit activation format for the calibrated range `r` under
// cfg's integer_rule, margin and overflow. Mse: among I_max (integer_bits_for(max|v|)) down to
// I_max - 8, the I minimising the estimated squared error over r's magnitude histogram: a value
// above the largest representable one costs its clipping error, one below half a step costs
// itself squared (it rounds to 0), any other step^2 / 12 (uniform rounding error); ties keep
// the larger I.
int calibrated_integer_bits(const ValueRange& r, int bits, const PrecisionConfig& cfg);

}  // namespace nac
