#pragma once
// The files a study leaves behind, written from the study store alone (docs/SEARCH.md,
// "Outputs"): trials.csv, pareto.json, front.svg (objective 1 vs objective 2, the front
// highlighted), hypervolume.svg (hypervolume of the front over trials), and per COMPLETE trial
// trials/NNNN/genotype.json and trials/NNNN/model.json (the trained model file).
#include <string>
#include <vector>

#include "nac/study/storage.hpp"

namespace nac {

struct StudyReportInfo {
  std::string dir;
  int trials = 0;  // rows of trials.csv
  int complete = 0;
  int front = 0;  // trials on the Pareto front
  double hypervolume = 0;
  std::vector<double> reference;  // the reference point used (objective units)
};

// Uses the study attributes "reference_point" and "constraints" that `nac search` records.
StudyReportInfo write_study_report(Storage& storage, const Study& study, const std::string& dir);

// A CSV field: quoted (quotes doubled) when it holds a comma, quote or newline.
std::string csv_field(const std::string& s);

}  // namespace nac
