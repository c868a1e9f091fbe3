#pragma once
// A model written as a list of layers (task configs, and later search spaces and seeded trials):
//
//   model:
//     input: [11, 11, 1]
//     layers:
//       - {op: conv2d, filters: 64, kernel: 3}
//       - {op: conv_attn, hidden: 32, activation: leaky_relu}
//       - {op: flatten}
//       - {op: dense, units: 2}
//
// Each layer reads the previous one unless it lists `inputs` (names of earlier layers, or
// "input"); it is named `<op><index>` (index = its position in the list) unless it has `name`.
// Attribute keys are checked per op, so a typo is an error rather than a silently ignored key.
#include <string>
#include <vector>

#include "nac/config/yaml_node.hpp"
#include "nac/graph/graph.hpp"

namespace nac {

class Rng;

struct LayerSpec {
  std::string op;                   // op spelling (graph/op_list.hpp)
  std::string name;                 // empty: generated
  std::vector<std::string> inputs;  // empty: the previous layer
  Attrs attrs;
  std::string where;  // "file:line: model.layers[i]" for messages
};

struct ModelSpec {
  Shape input;
  std::vector<LayerSpec> layers;
  std::string where;  // "file:line: model"
};

// Reads `model:` (a mapping with `input` and `layers`). Throws InputError naming file:line:key.
ModelSpec parse_model_spec(const config::YamlNode& node);

// The graph of a spec, finalized; parameters initialised from `init_rng` when given (PyTorch's
// fan-in uniform). Errors of shape inference name the layer's file and line.
Graph build_graph(const ModelSpec& spec, Rng* init_rng);

// The attribute keys a layer of `op` may have, or nullptr for an op without a registered list
// (its attributes are then passed through unchecked).
const std::vector<std::string>* allowed_attrs(const std::string& op);

}  // namespace nac
