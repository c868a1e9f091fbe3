#pragma once
// Study storage: ONE interface, several engines (SQLite file now, PostgreSQL later), all held to
// one conformance suite (tests/study/storage_conformance.*). Workers are independent processes:
// they claim trials transactionally, heartbeat while training, report per-epoch values and
// finish with a state; a dead worker's trial is found by its stale heartbeat and failed (and
// optionally re-queued). Expected outcomes (nothing to claim, a trial lost to the stale-trial
// sweep) are return values; unusable stores (locked, corrupt, newer schema) are StorageError.
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "nac/search/objective.hpp"
#include "nac/study/trial.hpp"

namespace nac {

// The store cannot be used: locked for longer than the busy timeout, not a study store, corrupt,
// written by a newer nac. The message names the store.
class StorageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct StorageOptions {
  // How long one operation may wait for a lock held by another connection before StorageError.
  double busy_timeout_s = 30.0;
  // Seconds since the Unix epoch; tests inject a fake clock to age heartbeats.
  std::function<double()> clock;
  // Failure injection for tests: engines call it with a named point inside their transactions
  // (e.g. "claim:updated", before the commit), so a test can kill the process there.
  std::function<void(const char* point)> fault_hook;
};

struct StudyConfig {
  std::string name;
  std::vector<Objective> objectives;
  std::string space_fingerprint;  // SearchSpace::fingerprint(); "" = not checked
  std::string space_json;         // the space, kept for people reading the store
};

struct Study {
  StudyId id = 0;
  std::string name;
  std::vector<Objective> objectives;
  std::string space_fingerprint;
  std::string space_json;
  double created_at = 0;
};

// Which trials list_trials returns: number > after_number, or number among `numbers` (a worker
// refreshing its cache asks for the new trials and the ones it last saw unfinished).
struct TrialFilter {
  int after_number = -1;
  std::vector<int> numbers;
};

class Storage {
 public:
  virtual ~Storage() = default;

  // Creates the study, or opens the one of that name after checking that it has the same
  // objectives (names and directions, in order) and space fingerprint: InputError otherwise.
  virtual Study create_study(const StudyConfig& config) = 0;
  virtual std::optional<Study> find_study(const std::string& name) = 0;
  virtual std::vector<Study> list_studies() = 0;
  virtual void set_study_attr(StudyId study, const std::string& key, const std::string& value) = 0;
  virtual TrialAttrs study_attrs(StudyId study) = 0;

  // Adds a WAITING trial (a seeded architecture, a re-queued trial); returns its id.
  virtual TrialId enqueue_trial(StudyId study, const Genotype& g, const TrialAttrs& attrs = {}) = 0;
  // Adds a trial already RUNNING for `worker` (a sampler's proposal).
  virtual Trial start_trial(StudyId study, const Genotype& g, const std::string& worker,
                            const TrialAttrs& attrs = {}) = 0;
  // Atomically moves the lowest-numbered WAITING trial to RUNNING for `worker`. Every WAITING
  // trial is claimed exactly once across threads and processes. nullopt when none waits.
  virtual std::optional<Trial> claim_next(StudyId study, const std::string& worker) = 0;
  // Refreshes a RUNNING trial's heartbeat. false when it is no longer RUNNING (finished, or
  // failed as stale): the worker should abandon it.
  virtual bool heartbeat(TrialId trial) = 0;
  // Records the value at `step` (an epoch; a repeated step overwrites) and refreshes the
  // heartbeat. false when the trial is not RUNNING.
  virtual bool report_intermediate(TrialId trial, int step, double value) = 0;
  // Finishes a RUNNING trial: COMPLETE needs one value per objective; PRUNED may carry values;
  // FAILED carries none; `reason` says why. false when the trial was not RUNNING (the result is
  // dropped). InputError for a state that is not a finish, or a wrong number of values.
  virtual bool finish_trial(TrialId trial, TrialState state, const std::vector<double>& values,
                            const std::string& reason = "") = 0;
  // Fails RUNNING trials of the study whose heartbeat is older than timeout_s (a dead worker);
  // with requeue, enqueues a WAITING copy of each (same genotype and attributes, plus
  // "requeued_from" = the old trial number). Returns the failed trials' ids.
  virtual std::vector<TrialId> fail_stale_trials(StudyId study, double timeout_s, bool requeue) = 0;

  // The study's trials matching `filter`, by number, with values, intermediates and attributes.
  virtual std::vector<Trial> list_trials(StudyId study, const TrialFilter& filter = {}) = 0;
  // InputError when there is no such trial.
  virtual Trial get_trial(TrialId trial) = 0;
  virtual void set_trial_attr(TrialId trial, const std::string& key, const std::string& value) = 0;
};

// Opens a store from a location: "sqlite:///abs/path.db", "sqlite://rel/path.db" or a plain
// path (SQLite). InputError for an unknown scheme (postgresql:// is not built yet).
std::unique_ptr<Storage> open_storage(const std::string& location, StorageOptions options = {});

}  // namespace nac
