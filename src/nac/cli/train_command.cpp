// `nac train --config FILE.yaml [--data FILE] [--out DIR] [--epochs E] [--train-samples S]`:
// loads or generates the task's data, builds the model, trains it with progress on stderr, and
// writes DIR/model.json (weights, input normalisation, metadata) and DIR/metrics.json (final
// validation and test metrics as val_<name> / test_<name>, per-epoch history, throughput).
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "nac/cli/commands.hpp"
#include "nac/config/train_config.hpp"
#include "nac/core/error.hpp"
#include "nac/core/rng.hpp"
#include "nac/graph/model_file.hpp"
#include "nac/train/recipe.hpp"
#include "nac/train/task_data.hpp"

namespace nac::cli {
namespace {

using Json = nlohmann::ordered_json;

struct TrainArgs {
  std::string config;
  std::string data;
  std::string out = "train-out";
  int epochs = 0;
  long long train_samples = 0;
};

std::string duration_str(double s) {
  char buf[32];
  if (s < 60)
    std::snprintf(buf, sizeof buf, "%.1fs", s);
  else if (s < 3600)
    std::snprintf(buf, sizeof buf, "%dm%02ds", static_cast<int>(s / 60), static_cast<int>(s) % 60);
  else
    std::snprintf(buf, sizeof buf, "%dh%02dm", static_cast<int>(s / 3600),
                  static_cast<int>(s / 60) % 60);
  return buf;
}

std::string task_name(const TrainConfig& c) {
  if (c.train.metric.kind == MetricKind::PeakDistance) return "peak_finding";
  return c.data.source.task == TaskKind::Classification ? "classification" : "regression";
}

void write_text(const std::filesystem::path& p, const std::string& text) {
  std::ofstream f(p);
  f << text;
  if (!f) throw InputError(p.string() + ": cannot write the file");
}

Json epoch_json(const EpochStats& s) {
  Json j;
  j["epoch"] = s.epoch;
  j["lr"] = s.lr;
  j["train_loss"] = std::isfinite(s.train_loss) ? Json(s.train_loss) : Json(nullptr);
  j["val"] = metrics_json(s.val);
  j["improved"] = s.improved;
  j["elapsed_s"] = s.elapsed_s;
  return j;
}

void run_train(const TrainArgs& a) {
  TrainConfig cfg = load_train_config(a.config);
  if (a.epochs > 0) cfg.train.epochs = a.epochs;
  if (!a.data.empty()) {
    // A file instead of the config's source; keys and task stay as configured.
    cfg.data.source.path = a.data;
    cfg.data.source.generator.clear();
  }
  validate(cfg.train);

  std::fprintf(stderr, "nac train: %s: preparing data\n", cfg.name.c_str());
  const auto t0 = std::chrono::steady_clock::now();
  TaskData data = prepare_task_data(cfg.data, a.train_samples);
  cfg.train.metric.class_names = data.train.classes;
  Rng init(cfg.train.seed);
  const Graph graph = build_graph(cfg.model, &init);
  if (data.train.sample_shape() != graph.input_shape())
    throw InputError(cfg.model.where + ".input: the data's samples have shape " +
                     shape_str(data.train.sample_shape()) + ", the model expects " +
                     shape_str(graph.input_shape()));
  std::fprintf(stderr,
               "nac train: %d train / %d val / %d test samples, %lld parameters, %d epochs\n",
               data.train.size(), data.val.size(), data.test.size(), graph.parameter_count(),
               cfg.train.epochs);

  Trainer trainer(graph, cfg.train);
  trainer.set_augmentation(make_augmentation(cfg.data));
  trainer.set_epoch_callback([&](const EpochStats& s) {
    const double eta = s.elapsed_s / s.epoch * (s.epochs - s.epoch);
    std::fprintf(stderr, "epoch %d/%d  train_loss %.4g  val %s %.4g%s  lr %.3g  %s  ETA %s\n",
                 s.epoch, s.epochs, s.train_loss, s.val.score_name.c_str(), s.val.score,
                 s.improved ? " *" : "  ", s.lr, duration_str(s.elapsed_s).c_str(),
                 duration_str(eta).c_str());
    return true;
  });
  const TrainResult r = trainer.fit(data.train, data.val);
  if (r.status == TrainStatus::Diverged)
    std::fprintf(stderr, "nac train: diverged: %s\n", r.message.c_str());

  Json metrics;
  metrics["config"] = cfg.path;
  metrics["name"] = cfg.name;
  metrics["task"] = task_name(cfg);
  metrics["status"] = train_status_name(r.status);
  if (!r.message.empty()) metrics["message"] = r.message;
  metrics["parameters"] = graph.parameter_count();
  metrics["samples"] = {
      {"train", data.train.size()}, {"val", data.val.size()}, {"test", data.test.size()}};
  metrics["epochs_run"] = r.epochs_run;
  metrics["best_epoch"] = r.best_epoch;
  metrics["score"] = r.best.score_name;
  Json val, test;
  if (r.status != TrainStatus::Diverged) {
    val = metrics_json(trainer.evaluate(data.val));
    if (data.test.size() > 0) test = metrics_json(trainer.evaluate(data.test));
    for (const auto& [k, v] : val.items()) metrics["val_" + k] = v;
    for (const auto& [k, v] : test.items()) metrics["test_" + k] = v;
  }
  metrics["recipe"] = recipe_json(cfg.train);
  metrics["samples_per_second"] = r.samples_per_second;
  metrics["train_s"] = r.train_s;
  metrics["wall_s"] = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  Json history = Json::array();
  for (const auto& s : r.history) history.push_back(epoch_json(s));
  metrics["history"] = history;

  Model model;
  model.graph = trainer.graph();
  model.normalization = data.normalization;
  model.metadata["name"] = cfg.name;
  model.metadata["task"] = task_name(cfg);
  model.metadata["metric"] = metric_name(cfg.train.metric.kind);
  if (cfg.train.metric.kind == MetricKind::PeakDistance) {
    char patch[32];
    std::snprintf(patch, sizeof patch, "%g", cfg.train.metric.patch_size);
    model.metadata["patch_size"] = patch;
  }
  if (!data.train.classes.empty()) {
    std::string classes;
    for (const auto& c : data.train.classes) classes += (classes.empty() ? "" : ",") + c;
    model.metadata["classes"] = classes;
  }
  model.metadata["dataset"] = data.train.source;
  model.metadata["recipe"] = recipe_json(cfg.train).dump();
  model.metadata["training_status"] = train_status_name(r.status);
  model.metadata["best_epoch"] = std::to_string(r.best_epoch);

  const std::filesystem::path out(a.out);
  std::filesystem::create_directories(out);
  save_model(model, (out / "model.json").string());
  write_text(out / "metrics.json", metrics.dump(2) + "\n");
  if (r.status != TrainStatus::Diverged) {
    const std::string& key = r.best.score_name;
    std::fprintf(stderr, "nac train: %s after %d epochs (best %d): val %s %s, test %s %s\n",
                 train_status_name(r.status), r.epochs_run, r.best_epoch, key.c_str(),
                 val[key].dump().c_str(), key.c_str(),
                 test.is_null() ? "-" : test[key].dump().c_str());
  }
  std::fprintf(stderr, "nac train: wrote %s and %s\n", (out / "model.json").c_str(),
               (out / "metrics.json").c_str());
  if (r.status == TrainStatus::Diverged)
    throw InputError("training diverged (" + r.message + "); try a smaller learning rate");
}

}  // namespace

void add_train_command(CLI::App& app) {
  auto* cmd = app.add_subcommand("train", "Train a model from a task config (data, model, recipe)");
  auto args = std::make_shared<TrainArgs>();
  cmd->add_option("--config", args->config, "task config (YAML)")->required();
  cmd->add_option("--data", args->data,
                  "train on this file (.h5/.npy/.csv) instead of the config's data source");
  cmd->add_option("--out", args->out, "output directory for model.json and metrics.json")
      ->capture_default_str();
  cmd->add_option("--epochs", args->epochs, "override train.epochs")->check(CLI::PositiveNumber);
  cmd->add_option("--train-samples", args->train_samples,
                  "use at most this many training samples (quick runs)")
      ->check(CLI::PositiveNumber);
  cmd->callback([args] { run_train(*args); });
}

}  // namespace nac::cli
