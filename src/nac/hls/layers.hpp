#pragma once
// Per-op lowering of a quantised graph to the HLS kernel library (src/nac/hls/lib/nnet/): for
// each node, the ap_fixed typedefs of its formats, its constants as exact mantissas, its config
// structs and its statements in the top function. Ops and formats the generated code cannot
// implement are refused here, by node name and with the reason.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "nac/core/fixed_format.hpp"
#include "nac/graph/graph.hpp"
#include "nac/graph/quant/resolve.hpp"
#include "nac/hls/options.hpp"

namespace nac::hls {

struct TypeDef {
  std::string name;  // e.g. "fc1_weight_t"
  std::string type;  // e.g. "ap_fixed<8,1,AP_RND,AP_SAT>"
};

// A constant array of mantissas (weights, biases, scales, table entries).
struct ConstArray {
  std::string name;  // e.g. "fc1_w"
  std::string raw;   // its element type, a raw typedef (e.g. "fc1_weight_raw_t")
  std::vector<std::int64_t> values;
  std::string what;  // one line saying what it holds
};

struct LayerCode {
  int node = 0;
  std::string id;       // the node's C identifier
  std::string summary;  // one line for the README: shapes, reuse, pruning
  std::vector<TypeDef> types;
  std::vector<ConstArray> arrays;
  std::string configs;  // config struct definitions (parameters.h)
  std::string body;     // statements in the top function
  std::string out;      // the array holding the node's result
  std::string out_type;
  std::size_t out_size = 0;
  int reuse = 1;  // the layer's reuse factor (1: fully parallel)
};

struct LoweredGraph {
  std::vector<LayerCode> layers;  // per node id
  std::string input_type, output_type;
  std::size_t n_input = 0, n_output = 0;
  bool all_latency = true;  // every layer fully parallel (the top function is then pipelined)
};

// The widest intermediate the generated code may form (nac's ap_types hold 128 bits; Vitis more).
constexpr int kMaxIntermediateWidth = 128;
// The largest lookup table the generator emits as an on-chip ROM.
constexpr int kMaxTableSize = 65536;

// `q` is resolve_quant(g). Throws GraphError naming the node for what cannot be generated.
LoweredGraph lower_graph(const Graph& g, const std::vector<OpQuant>& q, const HlsOptions& opt);

}  // namespace nac::hls
