#pragma once
// A trial as the study storage keeps it (docs/STUDY_SCHEMA.md).
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "nac/space/genotype.hpp"

namespace nac {

// WAITING (enqueued, not yet claimed) -> RUNNING (claimed by a worker) -> COMPLETE | PRUNED |
// FAILED. The names are the strings stored in the `state` column.
enum class TrialState { Waiting, Running, Complete, Pruned, Failed };

const char* trial_state_name(TrialState s);  // "WAITING", ...
// Throws InputError naming `where` for an unknown name.
TrialState trial_state_from_name(const std::string& s, const std::string& where);
inline bool is_finished(TrialState s) {
  return s == TrialState::Complete || s == TrialState::Pruned || s == TrialState::Failed;
}

using StudyId = std::int64_t;
using TrialId = std::int64_t;
using TrialAttrs = std::map<std::string, std::string>;

struct Trial {
  TrialId id = 0;  // unique in the store
  int number = 0;  // 0, 1, 2, ... within its study, in creation order
  StudyId study = 0;
  TrialState state = TrialState::Waiting;
  Genotype genotype;
  std::vector<double> values;          // one per objective (COMPLETE; optional for PRUNED)
  std::map<int, double> intermediate;  // step (epoch) -> value
  TrialAttrs attrs;                    // user attributes (also the sampler's bookkeeping)
  std::string worker;                  // who claimed it
  std::string reason;                  // why it was pruned or failed
  // Seconds since the Unix epoch, from the store's clock; 0 = not yet.
  double created_at = 0, started_at = 0, heartbeat_at = 0, finished_at = 0;
};

}  // namespace nac
