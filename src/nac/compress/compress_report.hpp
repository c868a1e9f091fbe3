#pragma once
// The files a compression run leaves (docs/COMPRESSION.md, "Outputs"), written from its study
// alone: points.csv (every evaluated point: precision, round, sparsity, metrics, BOPs,
// parameters), front.csv and pareto.json (the Pareto front of the quantised points, task metric
// vs BOPs, by increasing BOPs) and front.svg (every precision's pruning path, the front
// highlighted, the float model as reference).
#include <string>

#include "nac/study/storage.hpp"

namespace nac {

struct CompressReportInfo {
  std::string dir;
  int points = 0;  // quantised points
  int front = 0;
};

CompressReportInfo write_compress_report(Storage& storage, const Study& study,
                                         const std::string& dir);

// The folder of a point under DIR: "points/<label>_r<round>".
std::string point_dir(const std::string& label, int round);

}  // namespace nac
