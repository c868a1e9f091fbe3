// `nac eval --model M --data D [--emulate] [--out metrics.json]`: the task metrics of a model on
// a labelled data file (the model's metric, loss and class names from its metadata), in float or
// through the fixed-point emulator; JSON on stdout.
#include <cstdio>
#include <nlohmann/json.hpp>

#include "nac/cli/commands.hpp"
#include "nac/cli/model_inputs.hpp"
#include "nac/core/error.hpp"
#include "nac/core/text_file.hpp"
#include "nac/train/loss.hpp"
#include "nac/train/metrics.hpp"
#include "nac/train/recipe.hpp"

namespace nac::cli {
namespace {

std::string meta(const Model& m, const char* key, const std::string& fallback) {
  const auto it = m.metadata.find(key);
  return it == m.metadata.end() ? fallback : it->second;
}

void run_eval(const ModelDataArgs& a, const std::string& out) {
  const Model m = load_model(a.model);
  const Dataset d = load_labelled(a, m);
  MetricOptions mo;
  const bool classification = model_task(m) == TaskKind::Classification;
  mo.kind = metric_from_name(meta(m, "metric", classification ? "classification" : "loss"),
                             a.model + ": metadata metric");
  if (mo.kind == MetricKind::PeakDistance) mo.patch_size = std::stod(meta(m, "patch_size", "11"));
  mo.class_names = d.classes;
  if (mo.class_names.empty())
    for (const auto& c : split_classes(meta(m, "classes", ""))) mo.class_names.push_back(c);
  LossKind loss = classification ? LossKind::CrossEntropy : LossKind::MSE;
  const std::string recipe = meta(m, "recipe", "");
  if (!recipe.empty()) {
    const auto j = nlohmann::json::parse(recipe, nullptr, false);
    if (j.is_object() && j.contains("loss") && j["loss"].is_string())
      loss = loss_from_name(j["loss"].get<std::string>(), a.model + ": metadata recipe.loss");
  }
  long long overflows = 0;
  const Tensor<float> pred = run_model(m, d.x, a.emulate, a.batch, &overflows);
  const double l = compute_loss<float>(loss, pred, d.y, nullptr);
  const MetricValues v = compute_metrics(mo, pred, d.y, l);
  nlohmann::ordered_json j;
  j["model"] = a.model;
  j["data"] = a.data;
  j["samples"] = d.size();
  j["mode"] = a.emulate ? "emulate" : "float";
  j["loss_kind"] = loss_name(loss);
  j["score"] = v.score_name;
  const nlohmann::ordered_json values = metrics_json(v);
  for (const auto& [k, val] : values.items()) j[k] = val;
  if (a.emulate) j["emulator_overflows"] = overflows;
  const std::string text = j.dump(2) + "\n";
  std::fputs(text.c_str(), stdout);
  if (!out.empty()) write_text_file(out, text);
}

}  // namespace

std::vector<std::string> split_classes(const std::string& s) {
  std::vector<std::string> v;
  std::size_t start = 0;
  while (start < s.size()) {
    const std::size_t end = std::min(s.find(',', start), s.size());
    v.push_back(s.substr(start, end - start));
    start = end + 1;
  }
  return v;
}

void add_eval_command(CLI::App& app) {
  auto* cmd = app.add_subcommand("eval", "Evaluate a model's task metrics on a labelled data file");
  auto args = std::make_shared<ModelDataArgs>();
  auto out = std::make_shared<std::string>();
  add_model_data_options(cmd, *args);
  cmd->add_option("--out", *out, "also write the metrics JSON to this file");
  cmd->callback([args, out] { run_eval(*args, *out); });
}

}  // namespace nac::cli
