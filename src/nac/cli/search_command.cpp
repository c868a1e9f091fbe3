// `nac search --config TASK.yaml --study study.db [--trials N] [--workers W] [--epochs E]
//             [--train-samples S] [--out DIR]`: runs (or continues) the global search the
// config's `search:` section describes with W worker processes, then writes the study's outputs
// (docs/SEARCH.md). `nac search --study study.db --report [--name STUDY] [--out DIR]` rewrites
// the outputs from the store alone. The hidden `nac search-worker` is one worker process.
#include <unistd.h>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "nac/cli/commands.hpp"
#include "nac/core/error.hpp"
#include "nac/search/search_config.hpp"
#include "nac/search/search_run.hpp"
#include "nac/search/study_report.hpp"
#include "nac/search/worker.hpp"
#include "nac/study/storage.hpp"

namespace nac::cli {
namespace {

namespace fs = std::filesystem;

std::atomic<bool> g_stop{false};
std::atomic<bool> g_force{false};

extern "C" void on_interrupt(int) {
  if (g_stop.load()) g_force.store(true);
  g_stop.store(true);
}

void install_interrupt_handlers() {
  struct sigaction sa {};
  sa.sa_handler = on_interrupt;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
}

struct SearchArgs {
  std::string config;
  std::string study;
  std::string out;
  std::string name;
  int trials = 0;
  int workers = 0;
  int epochs = 0;
  long long train_samples = 0;
  bool report = false;
  int worker_index = 0;  // search-worker only
};

std::string self_exe() {
  std::error_code ec;
  const auto p = fs::read_symlink("/proc/self/exe", ec);
  if (ec) throw std::runtime_error("cannot find the nac binary (/proc/self/exe)");
  return p.string();
}

// Default outputs: a folder named after the study, next to the store file.
std::string default_out(const std::string& store, const std::string& study) {
  std::string path = store;
  if (path.rfind("sqlite://", 0) == 0) path = path.substr(9);
  return (fs::path(path).parent_path() / study).string();
}

void write_report(Storage& storage, const Study& study, const std::string& out) {
  const StudyReportInfo r = write_study_report(storage, study, out);
  std::string ref;
  for (double v : r.reference) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%s%.4g", ref.empty() ? "" : ", ", v);
    ref += buf;
  }
  std::fprintf(stderr,
               "nac search: %d trials, %d complete; Pareto front of %d; hypervolume %.6g "
               "(reference %s)\nnac search: wrote %s/{trials.csv, pareto.json, front.svg, "
               "hypervolume.svg, trials/}\n",
               r.trials, r.complete, r.front, r.hypervolume, ref.empty() ? "-" : ref.c_str(),
               out.c_str());
}

void run_report(const SearchArgs& a) {
  auto storage = open_storage(a.study);
  std::optional<Study> study;
  if (!a.name.empty()) {
    study = storage->find_study(a.name);
    if (!study) throw InputError(a.study + ": no study named '" + a.name + "'");
  } else if (!a.config.empty()) {
    const SearchConfig cfg = load_search_config(a.config);
    study = storage->find_study(cfg.search.study);
    if (!study) throw InputError(a.study + ": no study named '" + cfg.search.study + "'");
  } else {
    const auto all = storage->list_studies();
    if (all.empty()) throw InputError(a.study + ": the store holds no study");
    if (all.size() > 1) {
      std::string names;
      for (const auto& s : all) names += (names.empty() ? "" : ", ") + s.name;
      throw InputError(a.study + ": holds several studies (" + names + "); choose one with --name");
    }
    study = all.front();
  }
  write_report(*storage, *study, a.out.empty() ? default_out(a.study, study->name) : a.out);
}

void run_search_command(const SearchArgs& a) {
  if (a.report) return run_report(a);
  if (a.config.empty()) throw InputError("nac search: --config is required (or use --report)");
  const SearchConfig cfg = load_search_config(a.config);  // bad input fails before any process
  const std::string out = a.out.empty() ? default_out(a.study, cfg.search.study) : a.out;
  fs::create_directories(out);
  install_interrupt_handlers();
  SearchRunArgs r;
  r.config = fs::absolute(a.config).string();
  r.storage = a.study;
  r.out_dir = out;
  r.exe = self_exe();
  r.trials = a.trials;
  r.workers = a.workers;
  r.epochs = a.epochs;
  r.train_samples = a.train_samples;
  const SearchRunResult res = run_search(r, g_stop, g_force);
  auto storage = open_storage(a.study);
  write_report(*storage, *storage->find_study(cfg.search.study), out);
  if (res.interrupted) {
    std::fprintf(stderr, "nac search: interrupted; run the same command again to continue\n");
    std::fflush(stderr);
    std::exit(130);
  }
}

void run_worker_command(const SearchArgs& a) {
  install_interrupt_handlers();
  WorkerArgs w;
  w.config = a.config;
  w.storage = a.study;
  w.index = a.worker_index;
  w.trials = a.trials;
  w.epochs = a.epochs;
  w.train_samples = a.train_samples;
  const int n = run_worker(w, g_stop);
  std::fprintf(stderr, "[%s] finished %d trials%s\n", worker_name().c_str(), n,
               g_stop ? " (interrupted)" : "");
}

}  // namespace

void add_search_command(CLI::App& app) {
  auto* cmd = app.add_subcommand(
      "search", "Global architecture search: W worker processes, a study in an SQLite file");
  auto args = std::make_shared<SearchArgs>();
  cmd->add_option("--config", args->config, "search config (a task config with `search:`)");
  cmd->add_option("--study", args->study, "study store (SQLite file), created if missing")
      ->required();
  cmd->add_option("--trials", args->trials, "the study's total number of trials (default: config)")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--workers", args->workers, "worker processes (default: config)")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--epochs", args->epochs, "train each trial this many epochs")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--train-samples", args->train_samples,
                  "train on at most this many samples (quick runs)")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--out", args->out, "output folder (default: <store folder>/<study name>)");
  cmd->add_flag("--report", args->report, "only rewrite the outputs from the store");
  cmd->add_option("--name", args->name, "with --report: which study of the store");
  cmd->callback([args] { run_search_command(*args); });

  // One worker process; started by `nac search`, hidden from --help.
  auto* worker = app.add_subcommand("search-worker", "one search worker process");
  worker->group("");
  auto wargs = std::make_shared<SearchArgs>();
  worker->add_option("--config", wargs->config)->required();
  worker->add_option("--study", wargs->study)->required();
  worker->add_option("--trials", wargs->trials)->required();
  worker->add_option("--epochs", wargs->epochs);
  worker->add_option("--train-samples", wargs->train_samples);
  worker->add_option("--worker-index", wargs->worker_index);
  worker->callback([wargs] { run_worker_command(*wargs); });
}

}  // namespace nac::cli
