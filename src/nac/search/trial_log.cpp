#include "nac/search/trial_log.hpp"

#include "nac/core/error.hpp"

namespace nac {

void TrialLog::refresh() {
  TrialFilter f;
  f.after_number = static_cast<int>(trials_.size()) - 1;
  for (const auto& t : trials_)
    if (!is_finished(t.state)) f.numbers.push_back(t.number);
  for (auto& t : storage_.list_trials(study_, f)) {
    const auto n = static_cast<std::size_t>(t.number);
    if (n >= trials_.size()) trials_.resize(n + 1);
    trials_[n] = std::move(t);
  }
  for (std::size_t i = 0; i < trials_.size(); ++i)
    NAC_ASSERT(trials_[i].number == static_cast<int>(i));  // numbers are dense per study
}

}  // namespace nac
