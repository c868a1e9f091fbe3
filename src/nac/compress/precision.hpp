#pragma once
// The precisions of a compression sweep (docs/COMPRESSION.md) and how a float graph is annotated
// for one: one format for the whole model (total bits, integer bits from calibration unless
// given), per-layer widths (a weighted layer's width applies to its weights, bias and result and
// to the nodes after it up to the next weighted layer: its "group"), and explicit per-node
// formats. Accumulators are left to infer_precision (exact for the actual weights). The model's
// output layer keeps its exact accumulator as its result by default (as Brevitas and hls4ml users
// do): rounding the final sums to the activation width costs accuracy and saves no multiplier.
#include <map>
#include <string>
#include <vector>

#include "nac/core/fixed_format.hpp"
#include "nac/graph/graph.hpp"
#include "nac/graph/passes/calibrate.hpp"
#include "nac/graph/passes/quantize_graph.hpp"

namespace nac {

struct LayerPrecision {
  int bits = 0;             // > 0: the group's width (integer bits from calibration)
  QuantAnnotation formats;  // explicit formats replacing the derived ones on that node
};

struct PrecisionSpec {
  std::string label;  // names the point: "8b", "8b3i", a configured name
  int bits = 8;       // total bits of weights, biases and activations
  int integer = 0;    // > 0: integer bits of every weight, bias, result and intermediate
  std::map<std::string, LayerPrecision> layers;  // node name -> its precision
  std::string where;                             // config location, for messages
};

// Model-wide quantisation options of the sweep.
struct QuantizeOptions {
  Rounding rounding = Rounding::RND;  // weights, results and intermediates
  Overflow overflow = Overflow::SAT;
  int input_bits = 0;                           // 0: the input node's group width
  int table_bits = 16;                          // softmax / attention exp and 1/sum tables
  double margin = 0.1;                          // Max rule: calibrated ranges are widened by this
  IntegerRule integer_rule = IntegerRule::Mse;  // activations' integer bits (quantize_graph.hpp)
  // The result of the output node when it is a dense or conv2d layer: kOutputExact (its exact
  // accumulator, saturating), kOutputGroup (its group's width, as every other layer), or n > 0
  // bits with integer bits from the calibration. An explicit `result` in `layers` wins.
  int output_bits = 0;
};

constexpr int kOutputExact = 0;
constexpr int kOutputGroup = -1;

// "8b", or "8b3i" with given integer bits.
std::string uniform_label(int bits, int integer = 0);

// The label of a precision of `sweep` that annotates exactly as `spec` does (a per-layer width
// spec giving every layer in `layers` the same width w, no explicit formats, vs the plain
// uniform `w`), or "" when none does: such a layer-search point duplicates a sweep point.
std::string duplicate_in(const PrecisionSpec& spec, const std::vector<std::string>& layers,
                         const std::vector<PrecisionSpec>& sweep);

// Names of the nodes with weights a width applies to (dense, conv2d, conv_attn), in graph order.
std::vector<std::string> weighted_layers(const Graph& g);
// Per node id: the weighted layer whose group it belongs to ("" for the input's group).
std::vector<std::string> layer_groups(const Graph& g);

// Annotates `g` (float, batchnorms folded; `stats` calibrated on this graph) for `spec` and
// infers exact accumulators. Throws InputError naming spec.where for a layer entry naming no
// node, a width entry on a node without weights, or bits outside 1..63.
void quantize_for(Graph& g, const PrecisionSpec& spec, const QuantizeOptions& opt,
                  const CalibrationStats& stats);

// Accumulator formats (accum, score_accum, attend_accum, proj_accum) widened by `bits` integer
// bits: headroom while QAT moves the weights away from those infer_precision saw.
void widen_accumulators(Graph& g, int bits);
// Resets the accumulators `spec` gives explicitly to those formats and infers exact ones for the
// others from the current weights (after training or pruning changed them). An output layer
// whose result has its accumulator's width and integer bits (the kOutputExact rule) takes the
// new accumulator's as well.
void reinfer_accumulators(Graph& g, const PrecisionSpec& spec);

}  // namespace nac
