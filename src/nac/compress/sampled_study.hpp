#pragma once
// A small sequential study driven by the search's samplers (NSGA-II or random) over a space built
// in code: the compressor's per-layer precision search and training-recipe search. Trials live in
// the compression store as any study's do, so a stopped run continues where it stopped.
#include <atomic>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "nac/search/objective.hpp"
#include "nac/space/search_space.hpp"
#include "nac/study/storage.hpp"

namespace nac {

struct SampledStudyOptions {
  std::string name;
  std::vector<Objective> objectives;
  std::string sampler = "nsga2";  // nsga2 | random
  int population = 8;
  int trials = 10;
  std::uint64_t seed = 0;
  // Genotypes enqueued as the first trials (name -> genotype), when the study is created.
  std::vector<std::pair<std::string, Genotype>> seeds;
};

// Evaluates a RUNNING trial: the outcome to finish it with, or nullopt when interrupted (the
// trial goes back to WAITING and runs again next time).
using TrialEvaluator = std::function<std::optional<TrialOutcome>(const Trial&)>;

struct SampledStudyResult {
  Study study;
  std::vector<Trial> trials;  // all of the study's trials, by number
  bool interrupted = false;
};

// Runs trials until the study counts `trials` of them or `stop` turns true.
SampledStudyResult run_sampled_study(Storage& storage, const SearchSpace& space,
                                     const SampledStudyOptions& opt, const TrialEvaluator& evaluate,
                                     const std::atomic<bool>& stop);

}  // namespace nac
