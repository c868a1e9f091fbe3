#pragma once
// A task config (YAML) for `nac train`: data, model, training recipe and metric, validated.
// See data_options.hpp, model_spec.hpp and train_options.hpp for each section; examples/ has
// complete files. Unknown keys anywhere are errors, naming file, line and key.
#include <string>
#include <vector>

#include "nac/config/model_spec.hpp"
#include "nac/train/task_data.hpp"
#include "nac/train/trainer.hpp"

namespace nac {

struct TrainConfig {
  std::string path;    // the config file
  std::string name;    // optional `name:`; default: the file's stem
  DataOptions data;    // `data:`
  ModelSpec model;     // `model:`
  TrainOptions train;  // `train:` and `metric:` (train.metric)
};

// `extra_keys`: further top-level keys the caller reads itself (e.g. a search config's `search:`).
TrainConfig load_train_config(const std::string& path,
                              const std::vector<std::string>& extra_keys = {});
// The same from text; `path` names it in messages and anchors relative data paths.
TrainConfig parse_train_config(const std::string& text, const std::string& path,
                               const std::vector<std::string>& extra_keys = {});
TrainConfig parse_train_config(const config::YamlNode& root,
                               const std::vector<std::string>& extra_keys = {});

}  // namespace nac
