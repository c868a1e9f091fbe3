#pragma once
// `nac search`'s parent process (docs/SEARCH.md): creates (or reopens) the study with its seeds
// in one transaction, recovers the trials of workers that died in an earlier run, runs W worker
// processes until the study has its trials, re-queues the trial of a worker that dies (or fails
// it after max_attempts runs of the same architecture), sweeps trials whose heartbeat went
// silent, prints progress, and on an interrupt stops the workers at their next epoch boundary
// and puts their trials back to WAITING. Re-running the same command continues the study.
#include <atomic>
#include <string>

namespace nac {

struct SearchRunArgs {
  std::string config;
  std::string storage;
  std::string out_dir;  // logs go to out_dir/logs
  std::string exe;      // the nac binary, re-executed for the workers
  int trials = 0;       // 0: the config's
  int workers = 0;      // 0: the config's
  int epochs = 0;
  long long train_samples = 0;
};

struct SearchRunResult {
  bool interrupted = false;
  int finished = 0;  // trials finished during this run
};

// `stop` turns true on the first interrupt, `force` on the second (kill the workers now).
// Throws InputError for a bad config or a worker that reports one, std::runtime_error when the
// workers keep dying.
SearchRunResult run_search(const SearchRunArgs& args, const std::atomic<bool>& stop,
                           const std::atomic<bool>& force);

}  // namespace nac
