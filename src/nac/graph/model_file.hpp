#pragma once
// The model file (docs/MODEL_FILE.md): architecture, weights, masks, fixed-point annotations,
// input normalisation and free-form metadata, as one JSON document. Saving is deterministic, so
// save -> load -> save is byte-identical, and floats round-trip exactly.
#include <map>
#include <string>
#include <vector>

#include "nac/graph/graph.hpp"

namespace nac {

// x_model = (x_raw - mean) / scale, per feature on the input's last axis (or per element when the
// vectors have the input's full size). Empty vectors mean no normalisation.
struct InputNormalization {
  std::vector<float> mean;
  std::vector<float> scale;
  bool empty() const { return mean.empty(); }
};

struct Model {
  Graph graph;
  InputNormalization normalization;
  std::map<std::string, std::string> metadata;  // task kind, dataset, training recipe, ...
};

std::string model_to_string(const Model& m);
// `where` names the source in error messages (a file path).
Model model_from_string(const std::string& text, const std::string& where);
void save_model(const Model& m, const std::string& path);
Model load_model(const std::string& path);

// Applies the model's input normalisation in place to a batch [N, ...input shape].
void normalize_inputs(const InputNormalization& norm, const Shape& input_shape, float* x,
                      std::size_t n_values);

}  // namespace nac
