#pragma once
// One search worker process (docs/SEARCH.md): loads the task's data once, then until the study
// has its trials: claims a WAITING trial (seeds, re-queued ones) or asks the sampler for a new one
// within the trial budget, builds the architecture, records its costs, trains it (one thread)
// while a heartbeat thread keeps the trial alive, reports the watched metric after every epoch
// (a pruner may stop it), and finishes the trial COMPLETE (values, metrics and the model file in
// one transaction), PRUNED, or FAILED with the reason (a diverged loss, an architecture that
// cannot be built). Run by `nac search` as `nac search-worker`; several run side by side.
#include <atomic>
#include <string>

namespace nac {

struct WorkerArgs {
  std::string config;           // the search config file
  std::string storage;          // the study store (a path or sqlite:// URL)
  int index = 0;                // this worker's index: its sampler stream
  int trials = 0;               // the study's trial budget; 0 = the config's
  int epochs = 0;               // > 0: train each trial this many epochs (overrides train.epochs)
  long long train_samples = 0;  // > 0: train on at most this many samples
};

// The name a worker records on its trials: "<host>:<pid>".
std::string worker_name();

// Runs trials until none is left or `stop` turns true (a trial in training then ends at the
// next epoch and goes back to WAITING). Returns the number of trials this worker finished.
// Throws InputError for a bad config or a study that does not exist.
int run_worker(const WorkerArgs& args, const std::atomic<bool>& stop);

// Test hook: the environment variable NAC_TEST_FAULT names a point ("worker:epoch", a storage
// fault point such as "finish:updated"); the first process that reaches it kills itself with
// SIGKILL. NAC_TEST_FAULT_ONCE names a marker file that makes it fire once across processes.
void test_fault_point(const char* point);

}  // namespace nac
