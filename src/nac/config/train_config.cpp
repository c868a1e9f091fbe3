#include "nac/config/train_config.hpp"

#include <filesystem>

#include "nac/config/data_options.hpp"
#include "nac/config/train_options.hpp"
#include "nac/core/error.hpp"

namespace nac {

TrainConfig parse_train_config(const config::YamlNode& root,
                               const std::vector<std::string>& extra_keys) {
  std::vector<std::string> keys = {"name", "description", "data", "model", "train", "metric"};
  keys.insert(keys.end(), extra_keys.begin(), extra_keys.end());
  if (root.is_null()) root.fail("the config is empty (expected data, model, train, metric)");
  root.expect_keys(keys);
  TrainConfig c;
  c.path = root.file();
  c.name = root.get("name", std::filesystem::path(c.path).stem().string());
  c.data = parse_data_options(root["data"], std::filesystem::path(c.path).parent_path().string());
  c.model = parse_model_spec(root["model"]);
  c.train = parse_train_options(root.find("train"), root.find("metric"));
  // A Bragg task's distances are in pixels of the generated patch unless said otherwise.
  const auto metric = root.find("metric");
  if (c.data.source.generator == "bragg" && !(metric && metric->has("patch")))
    c.train.metric.patch_size = c.data.source.bragg.patch;
  if (c.data.augment_shift > 0 && c.model.input.size() < 2)
    root["data"]["augment"].fail("the shift augmentation needs image inputs [H, W, C]");
  if (c.data.source.task == TaskKind::Classification &&
      c.train.metric.kind == MetricKind::PeakDistance)
    root["metric"].fail("peak_distance needs a regression task with (x, y) targets");
  return c;
}

TrainConfig parse_train_config(const std::string& text, const std::string& path,
                               const std::vector<std::string>& extra_keys) {
  return parse_train_config(config::YamlNode::load_string(text, path), extra_keys);
}

TrainConfig load_train_config(const std::string& path, const std::vector<std::string>& extra_keys) {
  return parse_train_config(config::YamlNode::load_file(path), extra_keys);
}

}  // namespace nac
