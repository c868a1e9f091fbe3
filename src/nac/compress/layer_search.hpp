#pragma once
// The per-layer precision search: a genotype of one width per weighted layer ("bits.<layer>",
// each from the configured widths; the input takes the first layer's width), sampled by the
// search's samplers (NSGA-II or random) in the study "<study>.layers" with the task metric (from
// the emulator, after QAT) and BOPs as objectives. The uniform precisions at the smallest and
// largest width are enqueued first. `keep` points of the resulting Pareto front, spread over its
// BOPs range, join the compression sweep as precisions named "mixed_t<trial>".
#include <functional>
#include <string>
#include <vector>

#include "nac/compress/candidate.hpp"
#include "nac/compress/compress_config.hpp"
#include "nac/space/search_space.hpp"
#include "nac/study/storage.hpp"

namespace nac {

SearchSpace layer_width_space(const Graph& g, const std::vector<int>& widths);
// The precision a width genotype stands for, labelled `label`.
PrecisionSpec layer_width_spec(const Graph& g, const Genotype& genotype, const std::string& label);

// `keep` of the front's points (indices into `front`, which is sorted by increasing BOPs):
// all when there are no more, else evenly spread from the cheapest to the most accurate.
std::vector<int> spread_indices(int front_size, int keep);

struct LayerSearchResult {
  std::vector<PrecisionSpec> chosen;
  int trials = 0;  // completed
  int front = 0;
  bool interrupted = false;
};

// `train` carries the epochs a candidate trains (the caller sets them).
LayerSearchResult run_layer_search(Storage& storage, const std::string& study,
                                   const CompressContext& ctx, const LayerSearchOptions& opt,
                                   const TrainOptions& train,
                                   const std::function<void(const std::string&)>& log);

}  // namespace nac
