#include "nac/search/worker.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <nlohmann/json.hpp>

#include "nac/arch/build.hpp"
#include "nac/core/error.hpp"
#include "nac/core/rng.hpp"
#include "nac/cost/summary.hpp"
#include "nac/graph/model_file.hpp"
#include "nac/search/nsga2/nsga2_sampler.hpp"
#include "nac/search/search_config.hpp"
#include "nac/search/trial_log.hpp"
#include "nac/search/trial_points.hpp"
#include "nac/search/worker_pool.hpp"
#include "nac/study/heartbeat.hpp"
#include "nac/train/recipe.hpp"
#include "nac/train/task_data.hpp"

namespace nac {
namespace {

using Clock = std::chrono::steady_clock;

std::string num_str(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

class Worker {
 public:
  Worker(const WorkerArgs& args, const std::atomic<bool>& stop);
  int run();

 private:
  std::optional<Trial> next_trial();
  void evaluate(const Trial& t);
  Model make_model(const Graph& g, const Trial& t, const TrainResult& r) const;
  void log(const char* fmt, ...) const;

  WorkerArgs args_;
  const std::atomic<bool>& stop_;
  SearchConfig cfg_;
  std::string name_;
  std::unique_ptr<Storage> storage_;
  Study study_;
  int max_trials_ = 0;
  TaskData data_;
  std::unique_ptr<Sampler> sampler_;
  std::unique_ptr<TrialLog> log_;
  Rng rng_;
};

Worker::Worker(const WorkerArgs& args, const std::atomic<bool>& stop)
    : args_(args), stop_(stop), cfg_(load_search_config(args.config)), name_(worker_name()) {
  if (args_.epochs > 0) cfg_.task.train.epochs = args_.epochs;
  validate(cfg_.task.train);
  max_trials_ = args_.trials > 0 ? args_.trials : cfg_.search.trials;
  StorageOptions so;
  so.fault_hook = test_fault_point;
  storage_ = open_storage(args_.storage, so);
  const auto study = storage_->find_study(cfg_.search.study);
  if (!study)
    throw InputError(args_.storage + ": no study '" + cfg_.search.study +
                     "' (nac search creates it before starting workers)");
  study_ = *study;
  if (study_.objectives != cfg_.search.study_objectives())
    throw InputError(args_.storage + ": study '" + study_.name + "' has other objectives than " +
                     args_.config);
  if (cfg_.search.sampler == "nsga2") {
    Nsga2Options o;
    o.population_size = cfg_.search.population;
    sampler_ = std::make_unique<Nsga2Sampler>(o);
  } else {
    sampler_ = std::make_unique<RandomSampler>();
  }
  log_ = std::make_unique<TrialLog>(*storage_, study_.id);
  // One stream per worker index and restart point, so restarted workers do not replay proposals.
  rng_ = Rng(cfg_.search.seed)
             .split(static_cast<std::uint64_t>(args_.index) * 1000003u +
                    static_cast<std::uint64_t>(storage_->counted_trials(study_.id)));
}

void Worker::log(const char* fmt, ...) const {
  char buf[1024];
  va_list ap;
  va_start(ap, fmt);
  std::vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  std::fprintf(stderr, "[%s] %s\n", name_.c_str(), buf);
}

std::optional<Trial> Worker::next_trial() {
  if (auto t = storage_->claim_next(study_.id, name_)) return t;
  if (storage_->counted_trials(study_.id) >= max_trials_) return std::nullopt;
  log_->refresh();
  const SamplerContext ctx{cfg_.space, study_.objectives, cfg_.search.constraints, log_->trials()};
  const Proposal p = sampler_->propose(ctx, rng_);
  if (auto t = storage_->try_start_trial(study_.id, p.genotype, name_, p.attrs, max_trials_))
    return t;
  // The budget filled up meanwhile; a trial may have been re-queued since.
  return storage_->claim_next(study_.id, name_);
}

Model Worker::make_model(const Graph& g, const Trial& t, const TrainResult& r) const {
  Model m;
  m.graph = g;
  m.normalization = data_.normalization;
  const auto& task = cfg_.task;
  m.metadata["name"] = task.name + "-trial-" + std::to_string(t.number);
  m.metadata["task"] = task.train.metric.kind == MetricKind::PeakDistance  ? "peak_finding"
                       : task.data.source.task == TaskKind::Classification ? "classification"
                                                                           : "regression";
  m.metadata["metric"] = metric_name(task.train.metric.kind);
  if (task.train.metric.kind == MetricKind::PeakDistance)
    m.metadata["patch_size"] = num_str(task.train.metric.patch_size);
  if (!data_.train.classes.empty()) {
    std::string classes;
    for (const auto& c : data_.train.classes) classes += (classes.empty() ? "" : ",") + c;
    m.metadata["classes"] = classes;
  }
  m.metadata["dataset"] = data_.train.source;
  m.metadata["recipe"] = recipe_json(cfg_.task.train).dump();
  m.metadata["training_status"] = train_status_name(r.status);
  m.metadata["best_epoch"] = std::to_string(r.best_epoch);
  m.metadata["study"] = study_.name;
  m.metadata["trial"] = std::to_string(t.number);
  m.metadata["space"] = cfg_.space.name;
  m.metadata["genotype"] = t.genotype.to_string();
  return m;
}

void Worker::evaluate(const Trial& t) {
  const auto t0 = Clock::now();
  const auto& search = cfg_.search;
  auto elapsed = [&] { return std::chrono::duration<double>(Clock::now() - t0).count(); };
  TrialOutcome out;
  auto finish = [&] {
    out.attrs["duration_s"] = num_str(elapsed());
    if (!storage_->finish_trial(t.id, out))
      log("trial %d: no longer ours (failed as stale?); result dropped", t.number);
  };

  Graph graph;
  std::map<std::string, double> costs;
  try {
    Rng init(cfg_.task.train.seed);
    graph = build_graph(cfg_.space, t.genotype, &init);
    if (data_.train.sample_shape() != graph.input_shape())
      throw InputError("the data's samples have shape " + shape_str(data_.train.sample_shape()) +
                       ", the space's architectures expect " + shape_str(graph.input_shape()));
    costs = cost_summary(graph, search.paper_bops);
  } catch (const std::exception& e) {
    out.state = TrialState::Failed;
    out.reason = std::string("cannot build the architecture: ") + e.what();
    finish();
    return;
  }
  Trial self = t;
  for (const auto& [k, v] : costs) {
    storage_->set_trial_attr(t.id, k, num_str(v));  // peers' pruners read them while it trains
    self.attrs[k] = num_str(v);
    out.attrs[k] = num_str(v);
  }
  const int watched = search.metric_objective();
  // Values of a trial that did not finish training: its costs, the watched metric's last value,
  // NaN for other metrics.
  auto cost_values = [&](double metric) {
    std::vector<double> v;
    for (std::size_t i = 0; i < search.objectives.size(); ++i) {
      const auto& o = search.objectives[i];
      v.push_back(o.source == ObjectiveSource::Cost ? costs.at(o.key)
                  : static_cast<int>(i) == watched  ? metric
                                                    : std::nan(""));
    }
    return v;
  };

  // A budget the architecture breaks before training (parameters, BOPs) is not worth training.
  for (const auto& c : search.constraints) {
    const auto it = costs.find(c.name);
    if (it == costs.end() || c.violation(it->second) == 0) continue;
    out.state = TrialState::Pruned;
    out.values = cost_values(std::nan(""));
    out.reason = "violates the budget on " + c.name + " (" + num_str(it->second) + ")";
    finish();
    return;
  }

  const std::string watched_key =
      watched >= 0 ? search.objectives[static_cast<std::size_t>(watched)].key : "";
  bool lost = false, interrupted = false;
  std::string prune_reason;
  double last_metric = std::nan("");
  TrainResult r;
  Trainer trainer(graph, cfg_.task.train);
  try {
    Heartbeat beat(*storage_, t.id, search.heartbeat_interval);
    trainer.set_augmentation(make_augmentation(cfg_.task.data));
    trainer.set_epoch_callback([&](const EpochStats& s) {
      if (beat.lost()) {
        lost = true;
        return false;
      }
      if (!watched_key.empty()) {
        const auto it = s.val.values.find(watched_key);
        last_metric = it == s.val.values.end() ? std::nan("") : it->second;
        if (!storage_->report_intermediate(t.id, s.epoch, last_metric)) {
          lost = true;
          return false;
        }
        self.intermediate[s.epoch] = last_metric;
      }
      test_fault_point("worker:epoch");
      if (stop_) {
        interrupted = true;
        return false;
      }
      if (search.pruner.kind != PrunerKind::None && s.epoch < s.epochs) {
        log_->refresh();
        if (auto why = prune_decision(search, self, s.epoch, log_->trials())) {
          prune_reason = *why;
          return false;
        }
      }
      return true;
    });
    r = trainer.fit(data_.train, data_.val);
    if (beat.lost()) lost = true;
  } catch (const std::exception& e) {
    out.state = TrialState::Failed;
    out.reason = std::string("training failed: ") + e.what();
    finish();
    return;
  }
  if (lost) {
    log("trial %d: lost (failed as stale by another process); abandoned", t.number);
    return;
  }
  if (interrupted) {
    storage_->release_trial(t.id);
    log("trial %d: interrupted; back to WAITING", t.number);
    return;
  }
  out.attrs["epochs_run"] = std::to_string(r.epochs_run);
  out.attrs["best_epoch"] = std::to_string(r.best_epoch);
  out.attrs["train_status"] = train_status_name(r.status);
  out.attrs["samples_per_second"] = num_str(r.samples_per_second);
  if (r.status == TrainStatus::Diverged) {
    out.state = TrialState::Failed;
    out.reason = "diverged: " + r.message;
    finish();
    return;
  }
  if (!prune_reason.empty()) {
    out.state = TrialState::Pruned;
    out.values = cost_values(last_metric);
    out.reason = prune_reason;
    finish();
    return;
  }
  const MetricValues val = trainer.evaluate(data_.val);
  for (const auto& [k, v] : val.values) out.attrs["val_" + k] = num_str(v);
  out.values.clear();
  for (const auto& o : search.objectives) {
    if (o.source == ObjectiveSource::Cost) {
      out.values.push_back(costs.at(o.key));
      continue;
    }
    const auto it = val.values.find(o.key);
    if (it == val.values.end()) {
      out.state = TrialState::Failed;
      out.values.clear();
      out.reason = "the validation metrics have no '" + o.key + "'";
      finish();
      return;
    }
    out.values.push_back(it->second);
  }
  out.state = TrialState::Complete;
  out.artifacts["model.json"] = model_to_string(make_model(trainer.graph(), t, r));
  finish();
}

int Worker::run() {
  const auto t0 = Clock::now();
  data_ = prepare_task_data(cfg_.task.data, args_.train_samples);
  cfg_.task.train.metric.class_names = data_.train.classes;
  if (data_.train.sample_shape() != cfg_.space.input_shape)
    throw InputError(cfg_.search.space_path + ": the space's architectures take inputs of shape " +
                     shape_str(cfg_.space.input_shape) + ", the data (" + data_.train.source +
                     ") has samples of shape " + shape_str(data_.train.sample_shape()));
  log("data ready in %.1fs: %d train / %d val samples",
      std::chrono::duration<double>(Clock::now() - t0).count(), data_.train.size(),
      data_.val.size());
  int finished = 0;
  while (!stop_) {
    const auto t = next_trial();
    if (!t) break;
    evaluate(*t);
    ++finished;
  }
  return finished;
}

}  // namespace

std::string worker_name() { return host_name() + ":" + std::to_string(getpid()); }

void test_fault_point(const char* point) {
  const char* want = std::getenv("NAC_TEST_FAULT");
  if (want == nullptr || std::strcmp(want, point) != 0) return;
  if (const char* once = std::getenv("NAC_TEST_FAULT_ONCE")) {
    const int fd = ::open(once, O_CREAT | O_EXCL | O_WRONLY, 0644);
    if (fd < 0) return;  // another process fired already
    ::close(fd);
  }
  std::raise(SIGKILL);
}

int run_worker(const WorkerArgs& args, const std::atomic<bool>& stop) {
  Worker w(args, stop);
  return w.run();
}

}  // namespace nac
