#include "nac/study/trial.hpp"

#include "nac/core/error.hpp"

namespace nac {

const char* trial_state_name(TrialState s) {
  switch (s) {
    case TrialState::Waiting:
      return "WAITING";
    case TrialState::Running:
      return "RUNNING";
    case TrialState::Complete:
      return "COMPLETE";
    case TrialState::Pruned:
      return "PRUNED";
    case TrialState::Failed:
      return "FAILED";
  }
  return "?";
}

TrialState trial_state_from_name(const std::string& s, const std::string& where) {
  for (auto st : {TrialState::Waiting, TrialState::Running, TrialState::Complete,
                  TrialState::Pruned, TrialState::Failed})
    if (s == trial_state_name(st)) return st;
  throw InputError(where + ": unknown trial state '" + s +
                   "' (expected WAITING, RUNNING, COMPLETE, PRUNED or FAILED)");
}

}  // namespace nac
