#pragma once
// Every cost of a graph by name, as search objectives and trial attributes use them: params,
// nonzero_params, macs, bops (nac's standard count), paper_bops (the NAC paper's count).
#include <map>
#include <string>

#include "nac/cost/paper_bops.hpp"
#include "nac/graph/graph.hpp"

namespace nac {

std::map<std::string, double> cost_summary(const Graph& g, const PaperBopsOptions& paper = {});

}  // namespace nac
