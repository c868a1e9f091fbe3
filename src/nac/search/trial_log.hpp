#pragma once
// A worker's copy of a study's trials, refreshed incrementally: each refresh fetches the trials
// created since the last one and those it last saw unfinished, so a proposal costs O(new trials)
// rather than O(all trials).
#include <vector>

#include "nac/study/storage.hpp"

namespace nac {

class TrialLog {
 public:
  TrialLog(Storage& storage, StudyId study) : storage_(storage), study_(study) {}
  void refresh();
  const std::vector<Trial>& trials() const { return trials_; }  // by number

 private:
  Storage& storage_;
  StudyId study_;
  std::vector<Trial> trials_;
};

}  // namespace nac
