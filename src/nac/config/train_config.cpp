#include "nac/config/train_config.hpp"

#include <filesystem>

#include "nac/config/data_options.hpp"
#include "nac/config/train_options.hpp"
#include "nac/core/error.hpp"

namespace nac {

namespace {

// The shared sections; `model_required`: a fixed-architecture config must have `model:`, a
// search or compression config may (it is then unused).
TrainConfig parse_task(const config::YamlNode& root, const std::vector<std::string>& extra_keys,
                       bool model_required) {
  std::vector<std::string> keys = {"name", "description", "data", "model", "train", "metric"};
  keys.insert(keys.end(), extra_keys.begin(), extra_keys.end());
  if (root.is_null()) {
    std::string expected = model_required ? "data, model, train, metric" : "data, train, metric";
    for (const auto& k : extra_keys) expected += ", " + k;
    root.fail("the config is empty (expected " + expected + ")");
  }
  root.expect_keys(keys);
  TrainConfig c;
  c.path = root.file();
  c.name = root.get("name", std::filesystem::path(c.path).stem().string());
  c.data = parse_data_options(root["data"], std::filesystem::path(c.path).parent_path().string());
  if (model_required || root.has("model")) c.model = parse_model_spec(root["model"]);
  c.train = parse_train_options(root.find("train"), root.find("metric"));
  // A Bragg task's distances are in pixels of the generated patch unless said otherwise.
  const auto metric = root.find("metric");
  if (c.data.source.generator == "bragg" && !(metric && metric->has("patch")))
    c.train.metric.patch_size = c.data.source.bragg.patch;
  if (root.has("model") && c.data.augment_shift > 0 && c.model.input.size() < 2)
    root["data"]["augment"].fail("the shift augmentation needs image inputs [H, W, C]");
  if (c.data.source.task == TaskKind::Classification &&
      c.train.metric.kind == MetricKind::PeakDistance)
    root["metric"].fail("peak_distance needs a regression task with (x, y) targets");
  return c;
}

}  // namespace

TrainConfig parse_train_config(const config::YamlNode& root,
                               const std::vector<std::string>& extra_keys) {
  return parse_task(root, extra_keys, /*model_required=*/true);
}

TrainConfig parse_task_sections(const config::YamlNode& root, const std::string& section) {
  return parse_task(root, {section}, /*model_required=*/false);
}

TrainConfig parse_train_config(const std::string& text, const std::string& path,
                               const std::vector<std::string>& extra_keys) {
  return parse_train_config(config::YamlNode::load_string(text, path), extra_keys);
}

TrainConfig load_train_config(const std::string& path, const std::vector<std::string>& extra_keys) {
  return parse_train_config(config::YamlNode::load_file(path), extra_keys);
}

}  // namespace nac
