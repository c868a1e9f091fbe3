#include "nac/search/search_run.hpp"
#include "nac/core/text_file.hpp"

#include <unistd.h>

#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "nac/core/error.hpp"
#include "nac/search/search_config.hpp"
#include "nac/search/study_summary.hpp"
#include "nac/search/trial_log.hpp"
#include "nac/search/trial_points.hpp"
#include "nac/search/worker_pool.hpp"
#include "nac/study/storage.hpp"

namespace nac {
namespace {

using Clock = std::chrono::steady_clock;
std::string last_lines(const std::string& path, int n) {
  std::ifstream f(path);
  std::vector<std::string> lines;
  for (std::string l; std::getline(f, l);) lines.push_back(l);
  std::string out;
  for (std::size_t i = lines.size() > static_cast<std::size_t>(n) ? lines.size() - n : 0;
       i < lines.size(); ++i)
    out += "\n  " + lines[i];
  return out;
}

class Coordinator {
 public:
  Coordinator(const SearchRunArgs& args, const std::atomic<bool>& stop,
              const std::atomic<bool>& force);
  SearchRunResult run();

 private:
  void recover_dead_workers();
  void handle_dead(const Trial& t, const std::string& why);
  void print_progress(bool force_line);

  SearchRunArgs args_;
  const std::atomic<bool>& stop_;
  const std::atomic<bool>& force_;
  SearchConfig cfg_;
  int target_ = 0, workers_ = 0;
  std::unique_ptr<Storage> storage_;
  Study study_;
  std::unique_ptr<TrialLog> log_;
  Clock::time_point start_ = Clock::now();
  int finished_at_start_ = -1;
  int last_finished_ = -1;
};

Coordinator::Coordinator(const SearchRunArgs& args, const std::atomic<bool>& stop,
                         const std::atomic<bool>& force)
    : args_(args), stop_(stop), force_(force), cfg_(load_search_config(args.config)) {
  target_ = args_.trials > 0 ? args_.trials : cfg_.search.trials;
  workers_ = args_.workers > 0 ? args_.workers : cfg_.search.workers;
  storage_ = open_storage(args_.storage);
  StudyConfig sc;
  sc.name = cfg_.search.study;
  sc.objectives = cfg_.search.study_objectives();
  sc.space_fingerprint = cfg_.space.fingerprint();
  sc.space_json = cfg_.space.to_json().dump();
  if (cfg_.search.seeds) sc.seeds = cfg_.space.seeds;
  study_ = storage_->create_study(sc);
  // What `nac search --report` needs besides the trials.
  nlohmann::json ref = cfg_.search.reference_point;
  storage_->set_study_attr(study_.id, "reference_point", ref.dump());
  nlohmann::json constraints = nlohmann::json::array();
  for (const auto& c : cfg_.search.constraints)
    constraints.push_back({{"name", c.name},
                           {"min", std::isfinite(c.min) ? nlohmann::json(c.min) : nullptr},
                           {"max", std::isfinite(c.max) ? nlohmann::json(c.max) : nullptr}});
  storage_->set_study_attr(study_.id, "constraints", constraints.dump());
  storage_->set_study_attr(study_.id, "trials", std::to_string(target_));
  storage_->set_study_attr(study_.id, "config", args_.config);
  storage_->set_study_attr(study_.id, "space", cfg_.space.name);
  log_ = std::make_unique<TrialLog>(*storage_, study_.id);
}

void Coordinator::handle_dead(const Trial& t, const std::string& why) {
  const int attempt = static_cast<int>(attr_number(t, "attempt").value_or(1));
  if (attempt < cfg_.search.max_attempts) {
    if (const auto copy = storage_->requeue_trial(t.id, why))
      std::fprintf(stderr, "nac search: trial %d: %s; re-queued (attempt %d of %d)\n", t.number,
                   why.c_str(), attempt + 1, cfg_.search.max_attempts);
    return;
  }
  if (storage_->finish_trial(t.id, TrialState::Failed, {},
                             why + "; attempt " + std::to_string(attempt) + " of " +
                                 std::to_string(cfg_.search.max_attempts) + ", not re-queued"))
    std::fprintf(stderr, "nac search: trial %d: %s; FAILED after %d attempts\n", t.number,
                 why.c_str(), attempt);
}

void Coordinator::recover_dead_workers() {
  log_->refresh();
  for (const auto& t : log_->trials())
    if (t.state == TrialState::Running && worker_is_dead(t.worker))
      handle_dead(t, "its worker " + t.worker + " is gone");
}

void Coordinator::print_progress(bool force_line) {
  const auto& trials = log_->trials();
  int complete = 0, pruned = 0, failed = 0, running = 0, waiting = 0, requeued = 0;
  for (const auto& t : trials) {
    if (t.attrs.count("requeued_from")) ++requeued;
    switch (t.state) {
      case TrialState::Complete:
        ++complete;
        break;
      case TrialState::Pruned:
        ++pruned;
        break;
      case TrialState::Failed:
        ++failed;
        break;
      case TrialState::Running:
        ++running;
        break;
      case TrialState::Waiting:
        ++waiting;
        break;
    }
  }
  (void)waiting;
  // A trial whose worker died was FAILED and re-queued as a copy: the copy stands for it.
  const int counted_finished = std::max(0, complete + pruned + failed - requeued);
  if (finished_at_start_ < 0) finished_at_start_ = counted_finished;
  if (!force_line && counted_finished == last_finished_) return;
  last_finished_ = counted_finished;

  const auto& objs = study_.objectives;
  const auto feasible = feasible_complete(trials, objs, cfg_.search.constraints);
  std::string best;
  const auto b = best_per_objective(feasible, objs);
  for (std::size_t j = 0; j < objs.size(); ++j) {
    if (b[j] < 0) continue;
    char buf[96];
    std::snprintf(buf, sizeof buf, "%s%s %.4g (#%d)", best.empty() ? "" : ", ",
                  objs[j].name.c_str(), feasible[static_cast<std::size_t>(b[j])]->values[j],
                  feasible[static_cast<std::size_t>(b[j])]->number);
    best += buf;
  }
  auto ref = cfg_.search.reference_point;
  if (ref.empty()) ref = auto_reference(feasible, objs);
  const double hv = front_hypervolume(pareto_front(feasible, objs), objs, ref);
  const double elapsed = std::chrono::duration<double>(Clock::now() - start_).count();
  const int done_now = counted_finished - finished_at_start_;
  const double eta =
      done_now > 0 ? elapsed / done_now * std::max(0, target_ - counted_finished) : -1;
  std::fprintf(stderr,
               "nac search: trial %d/%d finished (%d complete, %d pruned, %d failed), %d running"
               " | best %s | HV %.4g | %s elapsed, ETA %s\n",
               counted_finished, target_, complete, pruned, failed - requeued, running,
               best.empty() ? "-" : best.c_str(), hv, format_duration(elapsed).c_str(),
               target_ <= counted_finished ? "0s" : format_duration(eta).c_str());
}

SearchRunResult Coordinator::run() {
  SearchRunResult result;
  recover_dead_workers();
  log_->refresh();
  std::fprintf(stderr, "nac search: study '%s' in %s: %d of %d trials so far; %d workers\n",
               study_.name.c_str(), args_.storage.c_str(), storage_->counted_trials(study_.id),
               target_, workers_);
  print_progress(true);

  std::vector<std::string> wargs = {"search-worker", "--config", args_.config,           "--study",
                                    args_.storage,   "--trials", std::to_string(target_)};
  if (args_.epochs > 0) wargs.insert(wargs.end(), {"--epochs", std::to_string(args_.epochs)});
  if (args_.train_samples > 0)
    wargs.insert(wargs.end(), {"--train-samples", std::to_string(args_.train_samples)});
  WorkerPool pool(args_.exe, wargs, args_.out_dir + "/logs");

  int crashes = 0, spawns = 0;
  const int max_crashes = 2 * workers_ + 2, max_spawns = 10 * workers_ + 2 * target_;
  std::vector<bool> busy(static_cast<std::size_t>(workers_), false);
  auto last_sweep = Clock::now();
  bool signalled = false, killed = false;
  const int finished_before = last_finished_;
  for (;;) {
    for (const auto& e : pool.reap()) {
      busy[static_cast<std::size_t>(e.index)] = false;
      if (e.clean()) continue;
      log_->refresh();
      for (const auto& t : log_->trials()) {
        if (t.state != TrialState::Running || t.worker != e.name) continue;
        if (stop_) {
          storage_->release_trial(t.id);  // interrupted, nothing went wrong with the trial
        } else {
          handle_dead(t, "its worker " + e.name + " " + e.describe());
        }
      }
      if (stop_) continue;
      if (!e.signaled && e.code == 2)
        throw InputError("worker " + std::to_string(e.index) +
                         " stopped on bad input:" + last_lines(pool.log_path(e.index), 3));
      ++crashes;
      std::fprintf(stderr, "nac search: worker %d %s (log: %s)\n", e.index, e.describe().c_str(),
                   pool.log_path(e.index).c_str());
      if (crashes > max_crashes)
        throw std::runtime_error("workers keep dying (" + std::to_string(crashes) +
                                 " times); last log:" + last_lines(pool.log_path(e.index), 5));
    }
    if (stop_) {
      if (!signalled) {
        std::fprintf(stderr,
                     "nac search: stopping: workers finish their epoch and give their "
                     "trials back (interrupt again to kill them now)\n");
        pool.signal_all(SIGTERM);
        signalled = true;
      }
      if (force_ && !killed) {
        pool.signal_all(SIGKILL);
        killed = true;
      }
      if (pool.live() == 0) {
        recover_dead_workers();  // e.g. from a killed earlier run, not swept yet
        result.interrupted = true;
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      continue;
    }
    if (Clock::now() - last_sweep > std::chrono::seconds(2)) {
      last_sweep = Clock::now();
      const auto failed = storage_->fail_stale_trials(study_.id, cfg_.search.stale_timeout, true,
                                                      cfg_.search.max_attempts);
      if (!failed.empty())
        std::fprintf(stderr, "nac search: %zu trial(s) without heartbeat for %gs: re-queued\n",
                     failed.size(), cfg_.search.stale_timeout);
      recover_dead_workers();
    }
    log_->refresh();
    int waiting = 0, running = 0;
    for (const auto& t : log_->trials()) {
      waiting += t.state == TrialState::Waiting;
      running += t.state == TrialState::Running;
    }
    const int counted = storage_->counted_trials(study_.id);
    print_progress(false);
    const bool work_left = waiting > 0 || counted < target_;
    if (!work_left && running == 0 && pool.live() == 0) break;
    for (int i = 0; i < workers_ && work_left && pool.live() < workers_; ++i) {
      if (busy[static_cast<std::size_t>(i)]) continue;
      if (++spawns > max_spawns) throw std::runtime_error("too many worker restarts");
      pool.spawn(i);
      busy[static_cast<std::size_t>(i)] = true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
  }
  log_->refresh();
  print_progress(false);
  result.finished = last_finished_ - std::max(0, finished_before);
  return result;
}

}  // namespace

SearchRunResult run_search(const SearchRunArgs& args, const std::atomic<bool>& stop,
                           const std::atomic<bool>& force) {
  Coordinator c(args, stop, force);
  return c.run();
}

}  // namespace nac
