#pragma once
// Uniform crossover on genotypes: each active choice of the child comes from one parent or the
// other (from the second with probability swap_prob), as Optuna's UniformCrossover. The child is
// built in space order, so a parent choice decides which sub-choices exist; a sub-choice only
// one parent has is taken from it, and one neither has is drawn from its domain.
#include "nac/space/search_space.hpp"

namespace nac::nsga2 {

Genotype uniform_crossover(const SearchSpace& space, const Genotype& a, const Genotype& b,
                           double swap_prob, Rng& rng);

}  // namespace nac::nsga2
