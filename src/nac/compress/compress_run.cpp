#include "nac/compress/compress_run.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdarg>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>

#include "nac/compress/candidate.hpp"
#include "nac/compress/compress_config.hpp"
#include "nac/compress/compress_report.hpp"
#include "nac/compress/evaluate.hpp"
#include "nac/compress/layer_search.hpp"
#include "nac/compress/recipe_search.hpp"
#include "nac/core/error.hpp"
#include "nac/core/text_file.hpp"
#include "nac/cost/summary.hpp"
#include "nac/graph/model_file.hpp"
#include "nac/graph/passes/fold_batchnorm.hpp"
#include "nac/search/worker.hpp"
#include "nac/space/genotype.hpp"
#include "nac/train/recipe.hpp"

namespace nac {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
void log(const char* fmt, ...) {
  char buf[2048];
  va_list ap;
  va_start(ap, fmt);
  std::vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  std::fprintf(stderr, "nac compress: %s\n", buf);
}

std::string read_text(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) throw InputError(path + ": cannot read the model file");
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}
class CompressRun {
 public:
  CompressRun(const CompressArgs& a, const std::atomic<bool>& stop) : args_(a), stop_(stop) {}
  CompressResult run();

 private:
  void load();
  void open_study();
  void float_point();
  bool compress_precision(const PrecisionSpec& spec);
  // Starts the trial of a point (RUNNING while it trains).
  Trial start_point(const std::string& label, int round);
  // Judges `g` with the emulator and finishes the point's trial; false when interrupted.
  bool finish_point(const Trial& t, const PrecisionSpec& spec, int round, const Graph& g,
                    const TrainResult& r, Clock::time_point t0, const Graph* rewind_model);
  Model make_model(const Graph& g, const std::string& label, int round) const;
  Trainer::EpochCallback progress(const std::string& tag) const;
  void point_done();

  CompressArgs args_;
  const std::atomic<bool>& stop_;
  CompressConfig cfg_;
  Model model_;
  TaskData data_;
  Trainer::Augmentation augment_;
  Graph float_;
  CalibrationStats stats_;
  std::unique_ptr<Storage> storage_;
  Study study_;
  std::map<std::pair<std::string, int>, Trial> done_;  // (label, round) -> COMPLETE trial
  TrainOptions train_;
  std::unique_ptr<CompressContext> ctx_;
  Clock::time_point start_ = Clock::now();
  int units_total_ = 0, units_done_ = 0, units_skipped_ = 0;
  int evaluated_ = 0;
};

void CompressRun::load() {
  cfg_ = load_compress_config(args_.config);
  CompressOptions& c = cfg_.compress;
  if (args_.epochs > 0) c.epochs = args_.epochs;
  if (c.rewind_epoch > c.epochs)
    throw InputError(c.where + ": rewind_epoch " + std::to_string(c.rewind_epoch) +
                     " is after the last QAT epoch (" + std::to_string(c.epochs) + ")");
  model_ = load_model(args_.model);
  for (const Node& n : model_.graph.nodes())
    if (n.op == OpKind::LayerNorm)
      throw InputError(args_.model + ": node '" + n.name +
                       "' is a layernorm, which has no fixed-point meaning " +
                       "(docs/QUANTIZATION.md); compress a model without it");

  // The model's own input normalisation, not one refitted on this run's data.
  DataOptions d = cfg_.task.data;
  d.standardize = false;
  log("%s: preparing data", cfg_.task.name.c_str());
  data_ = prepare_task_data(d, args_.train_samples);
  const Shape& in = model_.graph.input_shape();
  if (data_.train.sample_shape() != in)
    throw InputError(args_.model + ": the model expects inputs " + shape_str(in) +
                     ", the data of " + args_.config + " has " +
                     shape_str(data_.train.sample_shape()));
  if (data_.val.size() == 0)
    throw InputError(args_.config + ": compression needs validation data (data.split.val > 0)");
  if (cfg_.task.data.standardize && model_.normalization.empty())
    log("warning: the config standardises the data but the model file has no normalisation; "
        "using the data as it is");
  for (Dataset* ds : {&data_.train, &data_.val, &data_.test})
    if (ds->size() > 0) normalize_inputs(model_.normalization, in, ds->x.ptr(), ds->x.size());
  data_.normalization = model_.normalization;
  if (cfg_.task.data.augment_shift > 0 && in.size() < 2)
    throw InputError(args_.config + ": data.augment: the shift augmentation needs image inputs");
  augment_ = make_augmentation(cfg_.task.data);
  cfg_.task.train.metric.class_names = data_.train.classes;

  float_ = model_.graph;
  for (Node& n : float_.nodes()) n.quant = QuantAnnotation{};  // re-quantised from float
  const int folded = fold_batchnorm(float_);
  zero_masked(float_);
  const int n = std::min(cfg_.compress.calibration_samples, data_.train.size());
  Shape sample_shape{n};
  sample_shape.insert(sample_shape.end(), in.begin(), in.end());
  Tensor<float> sample(sample_shape);
  std::copy_n(data_.train.x.data.begin(), sample.size(), sample.data.begin());
  stats_ = calibrate(float_, sample);
  log("%d train / %d val samples; %lld parameters; %d batchnorm(s) folded; calibrated on %d "
      "samples",
      data_.train.size(), data_.val.size(), float_.parameter_count(), folded, n);

  train_ = cfg_.task.train;
  train_.epochs = cfg_.compress.epochs;
  // QAT fine-tunes a trained model: a fresh optimiser at the from-scratch rate undoes it.
  train_.optimizer.lr = cfg_.compress.lr > 0 ? cfg_.compress.lr : cfg_.task.train.optimizer.lr / 10;
  train_.qat = true;
  validate(train_);
}

void CompressRun::open_study() {
  const fs::path out(args_.out);
  fs::create_directories(out);
  storage_ = open_storage((out / "compress.db").string());
  StudyConfig sc;
  sc.name = cfg_.compress.study;
  sc.objectives = {score_objective(train_.metric.kind), {"bops", Direction::Minimize}};
  study_ = storage_->create_study(sc);
  const std::string settings = cfg_.compress.fingerprint();
  const std::string model_hash = hex64(fnv1a64(read_text(args_.model)));
  auto attrs = storage_->study_attrs(study_.id);
  for (const auto& [key, want] : {std::pair{"settings", settings}, {"model_hash", model_hash}}) {
    const auto it = attrs.find(key);
    if (it != attrs.end() && it->second != want)
      throw InputError(
          (out / "compress.db").string() + ": study '" + study_.name + "' was made with " +
          (std::string(key) == "settings" ? "other compress settings" : "another model file") +
          "; use another --out or compress.study");
    if (it == attrs.end()) storage_->set_study_attr(study_.id, key, want);
  }
  storage_->set_study_attr(study_.id, "model", fs::absolute(args_.model).string());
  storage_->set_study_attr(study_.id, "config", fs::absolute(args_.config).string());
  // Points a stopped run left RUNNING are done again.
  storage_->fail_stale_trials(study_.id, 0, false);
  for (const Trial& t : storage_->list_trials(study_.id))
    if (t.state == TrialState::Complete)
      done_[{t.attrs.count("precision") ? t.attrs.at("precision") : "",
             std::atoi(t.attrs.count("round") ? t.attrs.at("round").c_str() : "0")}] = t;
}

Trainer::EpochCallback CompressRun::progress(const std::string& tag) const {
  return [this, tag](const EpochStats& s) {
    std::fprintf(stderr, "  [%s] epoch %d/%d  train_loss %.4g  val(QAT) %s %.4g%s  lr %.3g  %s\n",
                 tag.c_str(), s.epoch, s.epochs, s.train_loss, s.val.score_name.c_str(),
                 s.val.score, s.improved ? " *" : "  ", s.lr, format_duration(s.elapsed_s).c_str());
    return !stop_.load();
  };
}

void CompressRun::point_done() {
  ++units_done_;
  const double el = std::chrono::duration<double>(Clock::now() - start_).count();
  const int fresh = units_done_ - units_skipped_;
  const double eta = fresh > 0 ? el / fresh * (units_total_ - units_done_) : 0;
  log("  progress %d/%d, elapsed %s, ETA %s", units_done_, units_total_,
      format_duration(el).c_str(), format_duration(eta).c_str());
}

Model CompressRun::make_model(const Graph& g, const std::string& label, int round) const {
  Model m;
  m.graph = g;
  m.normalization = model_.normalization;
  m.metadata = model_.metadata;
  m.metadata["name"] = cfg_.task.name + "-" + label + "-r" + std::to_string(round);
  m.metadata["precision"] = label;
  m.metadata["round"] = std::to_string(round);
  m.metadata["compress_study"] = study_.name;
  m.metadata["source_model"] = fs::absolute(args_.model).string();
  m.metadata["recipe"] = recipe_json(train_).dump();
  m.metadata["pruning"] = std::string(prune_kind_name(cfg_.compress.prune.kind)) + " " +
                          prune_scope_name(cfg_.compress.prune.scope);
  return m;
}

Trial CompressRun::start_point(const std::string& label, int round) {
  Genotype g;
  g.set("precision", label);
  g.set("round", std::int64_t{round});
  return storage_->start_trial(study_.id, g, worker_name(),
                               {{"precision", label}, {"round", std::to_string(round)}});
}

bool CompressRun::finish_point(const Trial& t, const PrecisionSpec& spec, int round, const Graph& g,
                               const TrainResult& r, Clock::time_point t0,
                               const Graph* rewind_model) {
  if (stop_.load()) {
    storage_->finish_trial(t.id, TrialState::Failed, {}, "interrupted");
    return false;
  }
  const MetricValues m = evaluate_emulated(g, data_.val, train_);
  const auto costs = cost_summary(g, {spec.bits, 256});
  const Sparsity sp = weight_sparsity(g);
  const std::string key = score_key(train_.metric.kind);
  const std::string rel = point_dir(spec.label, round) + "/model.json";
  Model model = make_model(g, spec.label, round);
  model.metadata["sparsity"] = attr_num(sp.fraction());
  model.metadata["val_" + key] = attr_num(m.values.at(key));
  model.metadata["evaluated_by"] = "emulator";
  const std::string text = model_to_string(model);
  write_text_file(fs::path(args_.out) / rel, text);

  TrialOutcome out;
  out.values = {m.values.at(key), costs.at("bops")};
  out.attrs["precision"] = spec.label;
  out.attrs["round"] = std::to_string(round);
  out.attrs["bits"] = std::to_string(spec.bits);
  out.attrs["sparsity"] = attr_num(sp.fraction());
  out.attrs["evaluator"] = "emulator";
  for (const auto& [k, v] : costs) out.attrs[k] = attr_num(v);
  for (const auto& [k, v] : m.values) out.attrs["val_" + k] = attr_num(v);
  out.attrs["epochs_run"] = std::to_string(r.epochs_run);
  out.attrs["training_status"] = train_status_name(r.status);
  out.attrs["duration_s"] = attr_num(std::chrono::duration<double>(Clock::now() - t0).count());
  out.attrs["model"] = rel;
  out.artifacts["model.json"] = text;
  if (rewind_model)
    out.artifacts["rewind.json"] = model_to_string(make_model(*rewind_model, spec.label, round));
  storage_->finish_trial(t.id, out);
  ++evaluated_;
  log("%s round %d/%d: sparsity %.1f%%, val %s %.5g (emulator), BOPs %.4g, %.0f nonzero params%s",
      spec.label.c_str(), round, cfg_.compress.rounds, 100 * sp.fraction(), key.c_str(),
      out.values[0], out.values[1], costs.at("nonzero_params"),
      r.status == TrainStatus::Diverged ? " (training diverged)"
      : r.message.empty()               ? ""
                                        : (" (" + r.message + ")").c_str());
  point_done();
  return true;
}

void CompressRun::float_point() {
  if (done_.count({"float", 0})) {
    ++units_done_;
    ++units_skipped_;
    return;
  }
  const auto t0 = Clock::now();
  const Trial t = start_point("float", 0);
  const MetricValues m = evaluate_float(float_, data_.val, train_);
  const auto costs = cost_summary(float_);
  const std::string key = score_key(train_.metric.kind);
  TrialOutcome out;
  out.values = {m.values.at(key), costs.at("bops")};
  out.attrs = {{"precision", "float"}, {"round", "0"},
               {"bits", "32"},         {"sparsity", attr_num(weight_sparsity(float_).fraction())},
               {"evaluator", "float"}, {"model", fs::absolute(args_.model).string()}};
  for (const auto& [k, v] : costs) out.attrs[k] = attr_num(v);
  for (const auto& [k, v] : m.values) out.attrs["val_" + k] = attr_num(v);
  out.attrs["duration_s"] = attr_num(std::chrono::duration<double>(Clock::now() - t0).count());
  storage_->finish_trial(t.id, out);
  log("float model: val %s %.5g, BOPs %.4g (32-bit)", key.c_str(), out.values[0], out.values[1]);
  point_done();
}

bool CompressRun::compress_precision(const PrecisionSpec& spec) {
  const CompressOptions& c = cfg_.compress;
  const bool rewinding = c.rewind_epoch >= 0;
  // Resume after the last finished round (rounds 0..last all COMPLETE).
  int last = -1;
  while (last < c.rounds && done_.count({spec.label, last + 1})) ++last;
  Graph g;
  WeightSnapshot rewind;
  if (last >= 0) {
    units_done_ += last + 1;
    units_skipped_ += last + 1;
    if (last == c.rounds) return true;
    const Trial& t = done_.at({spec.label, last});
    const auto text = storage_->trial_artifact(t.id, "model.json");
    if (!text)
      throw InputError("compress.db: point " + spec.label + " round " + std::to_string(last) +
                       " has no model; use another --out");
    g = model_from_string(*text, "compress.db").graph;
    if (rewinding) {
      const auto r0 = storage_->trial_artifact(done_.at({spec.label, 0}).id, "rewind.json");
      if (!r0)
        throw InputError("compress.db: point " + spec.label +
                         " round 0 has no rewind weights; use another --out");
      rewind = snapshot_weights(model_from_string(*r0, "compress.db").graph);
    }
    log("%s: continuing after round %d", spec.label.c_str(), last);
  } else {
    const auto t0 = Clock::now();
    g = float_;
    quantize_for(g, spec, c.quant, stats_);
    const Trial t = start_point(spec.label, 0);
    // Post-training quantisation (no QAT yet), for reference.
    const std::string key = score_key(train_.metric.kind);
    const double ptq = evaluate_emulated(g, data_.val, train_).values.at(key);
    storage_->set_trial_attr(t.id, "ptq_val_" + key, attr_num(ptq));
    log("%s: quantised (before QAT: val %s %.5g); QAT for %d epochs", spec.label.c_str(),
        key.c_str(), ptq, c.epochs);
    QatTrainHooks hooks;
    hooks.augmentation = augment_;
    hooks.on_epoch = progress(spec.label + " r0");
    if (rewinding) {
      hooks.rewind = &rewind;
      hooks.rewind_epoch = c.rewind_epoch;
    }
    const TrainResult r = qat_train(g, spec, train_, data_, hooks);
    std::unique_ptr<Graph> rewind_model;
    if (rewinding) {
      rewind_model = std::make_unique<Graph>(g);
      rewind_weights(*rewind_model, rewind);
    }
    if (!finish_point(t, spec, 0, g, r, t0, rewind_model.get())) return false;
  }
  for (int round = last < 0 ? 1 : last + 1; round <= c.rounds; ++round) {
    const auto t0 = Clock::now();
    const Trial t = start_point(spec.label, round);
    const PruneStep step = prune_step(g, c.prune);
    if (rewinding) rewind_weights(g, rewind);
    log("%s round %d/%d: pruned %lld of %lld remaining weights%s; re-training %d epochs",
        spec.label.c_str(), round, c.rounds, step.removed, step.before,
        rewinding ? ", rewound" : "", c.epochs);
    QatTrainHooks hooks;
    hooks.augmentation = augment_;
    hooks.on_epoch = progress(spec.label + " r" + std::to_string(round));
    const TrainResult r = qat_train(g, spec, train_, data_, hooks);
    if (!finish_point(t, spec, round, g, r, t0, nullptr)) return false;
  }
  return true;
}

CompressResult CompressRun::run() {
  load();
  open_study();
  const CompressOptions& c = cfg_.compress;
  ctx_ = std::make_unique<CompressContext>(
      CompressContext{data_, float_, stats_, c.quant, augment_, stop_});
  const int keep = c.layer_search.trials > 0 ? c.layer_search.keep : 0;
  units_total_ =
      1 + static_cast<int>(c.precisions.size() + static_cast<std::size_t>(keep)) * (c.rounds + 1);
  CompressResult res;
  res.dir = args_.out;
  auto finish = [&] {
    const CompressReportInfo info = write_compress_report(*storage_, study_, args_.out);
    res.points = info.points;
    res.front = info.front;
    res.evaluated = evaluated_;
    res.interrupted = stop_.load();
    return res;
  };
  float_point();
  auto say = [](const std::string& s) { log("%s", s.c_str()); };
  if (c.recipe_search.trials > 0 && !stop_.load()) {
    TrainOptions base = train_;
    base.epochs = c.recipe_search.epochs > 0 ? c.recipe_search.epochs : c.epochs;
    log("recipe search: %d trials (%s), QAT at %d bits for %d epochs each", c.recipe_search.trials,
        c.recipe_search.sampler.c_str(), c.recipe_search.bits, base.epochs);
    const RecipeSearchResult r =
        run_recipe_search(*storage_, c.study, *ctx_, c.recipe_search, base, say);
    if (r.interrupted) return finish();
    train_ = r.best;
    train_.epochs = c.epochs;
    train_.qat = true;
    if (r.best_trial >= 0)
      log("recipe search: best trial %d (val %.5g): %s", r.best_trial, r.best_score,
          recipe_json(train_).dump().c_str());
  }
  std::vector<PrecisionSpec> specs = c.precisions;
  if (c.layer_search.trials > 0 && !stop_.load()) {
    TrainOptions t = train_;
    t.epochs = c.layer_search.epochs > 0 ? c.layer_search.epochs : c.epochs;
    log("per-layer precision search: %d trials (%s), widths of %zu layers, %d epochs each",
        c.layer_search.trials, c.layer_search.sampler.c_str(), weighted_layers(float_).size(),
        t.epochs);
    const LayerSearchResult r = run_layer_search(*storage_, c.study, *ctx_, c.layer_search, t, say);
    if (r.interrupted) return finish();
    log("per-layer precision search: %d complete trials, front of %d; %zu join the sweep", r.trials,
        r.front, r.chosen.size());
    int joined = 0;
    for (const auto& spec : r.chosen) {
      if (const std::string same = duplicate_in(spec, weighted_layers(float_), c.precisions);
          !same.empty()) {
        log("per-layer precision search: %s gives every layer one width, as %s: not repeated",
            spec.label.c_str(), same.c_str());
        continue;
      }
      specs.push_back(spec);
      ++joined;
    }
    units_total_ += (joined - keep) * (c.rounds + 1);
  }
  for (const auto& spec : specs)
    if (stop_.load() || !compress_precision(spec)) break;
  return finish();
}

}  // namespace

CompressResult run_compress(const CompressArgs& args, const std::atomic<bool>& stop) {
  CompressRun run(args, stop);
  return run.run();
}

}  // namespace nac
