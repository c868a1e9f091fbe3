#pragma once
// The training-recipe search before compression (the NAC paper ran TPE here): learning rate
// (log-uniform), weight decay, schedule and batch size, sampled by the search's samplers (random
// or NSGA-II) in the study "<study>.recipe". Each candidate QAT-trains the float model at a
// uniform precision and is judged by the emulator's validation score; the best recipe then
// trains every compressed model.
#include <functional>
#include <string>

#include "nac/compress/candidate.hpp"
#include "nac/compress/compress_config.hpp"
#include "nac/space/search_space.hpp"
#include "nac/study/storage.hpp"

namespace nac {

// The recipe space around `base` (lr range default: a decade either side of base's lr).
SearchSpace recipe_space(const RecipeSearchOptions& opt, const TrainOptions& base);
// `base` with a recipe genotype's lr, weight decay, schedule and batch size.
TrainOptions apply_recipe(const TrainOptions& base, const Genotype& g);

struct RecipeSearchResult {
  TrainOptions best;  // `base` when no trial completed
  int best_trial = -1;
  double best_score = 0;
  int trials = 0;
  bool interrupted = false;
};

// `base` carries the epochs a candidate trains (the caller sets them).
RecipeSearchResult run_recipe_search(Storage& storage, const std::string& study,
                                     const CompressContext& ctx, const RecipeSearchOptions& opt,
                                     const TrainOptions& base,
                                     const std::function<void(const std::string&)>& log);

}  // namespace nac
