#pragma once
// NSGA-II (Deb et al. 2002) as a sampler over a study's trials, generation by generation as in
// Optuna's NSGAIISampler: each proposal is tagged with its generation (trial attribute
// "nsga2.generation"; trials without it, e.g. seeds, count as generation 0). Generation g+1's
// parents are the best population_size of generation g's COMPLETE trials plus generation g's
// parents (rank, then crowding distance, under constrained domination); a generation is closed
// once it has population_size COMPLETE trials. Until generation 0 closes, proposals are uniform
// draws. Each child: two binary tournaments, uniform crossover with probability crossover_prob,
// then mutation.
#include <map>
#include <string>
#include <unordered_set>
#include <vector>

#include "nac/search/sampler.hpp"

namespace nac {

struct Nsga2Options {
  int population_size = 50;
  double crossover_prob = 0.9;
  double swap_prob = 0.5;
  double mutation_rate = -1;  // < 0: 1 / number of active choices
  double eta = 20;            // polynomial mutation distribution index
  // Redraws of a child whose genotype an earlier trial already has (architectures are discrete,
  // so duplicates are common and a duplicate trains the same network again).
  int duplicate_retries = 10;
};

inline constexpr const char* kGenerationAttr = "nsga2.generation";

class Nsga2Sampler final : public Sampler {
 public:
  explicit Nsga2Sampler(Nsga2Options options = {});
  Proposal propose(const SamplerContext& ctx, Rng& rng) override;

  struct Parents {
    int generation = -1;       // the last closed generation (-1: none yet)
    std::vector<int> numbers;  // trial numbers of the parent population
    std::vector<int> rank;     // per parent: front index
    std::vector<double> crowding;
  };
  // The current parent population (cached per generation; recomputed only when a closed
  // generation gains a late COMPLETE trial from another worker).
  Parents parents(const SamplerContext& ctx);

 private:
  struct Info {  // what the sampler needs of a trial, cached once the trial is finished
    bool final = false;
    bool complete = false;
    int generation = 0;
    std::vector<double> minimized;
    double violation = 0;
    std::string hash;
  };
  void update_info(const SamplerContext& ctx);

  Nsga2Options options_;
  std::vector<Info> info_;                                     // by trial number
  std::unordered_set<std::string> seen_hashes_;                // of finished trials' genotypes
  std::map<int, std::pair<std::vector<int>, Parents>> cache_;  // generation -> (input, result)
};

}  // namespace nac
