#pragma once
// A sampler proposes the next trial's genotype from the study so far. Samplers work on Genotype
// alone, so any sampler works on any search space.
#include <vector>

#include "nac/search/objective.hpp"
#include "nac/space/search_space.hpp"
#include "nac/study/trial.hpp"

namespace nac {

class Rng;

struct SamplerContext {
  const SearchSpace& space;
  const std::vector<Objective>& objectives;
  const std::vector<Constraint>& constraints;
  const std::vector<Trial>& trials;  // the study's trials, by number (TrialLog::trials())
};

struct Proposal {
  Genotype genotype;
  TrialAttrs attrs;  // stored with the trial (e.g. nsga2.generation)
};

class Sampler {
 public:
  virtual ~Sampler() = default;
  virtual Proposal propose(const SamplerContext& ctx, Rng& rng) = 0;
};

// Uniform draws from the space.
class RandomSampler final : public Sampler {
 public:
  Proposal propose(const SamplerContext& ctx, Rng& rng) override;
};

// A trial's total constraint violation (0 = feasible). A constraint names an objective or a
// numeric trial attribute; a missing or non-numeric value counts as infinitely far.
double total_violation(const Trial& t, const std::vector<Objective>& objectives,
                       const std::vector<Constraint>& constraints);

}  // namespace nac
