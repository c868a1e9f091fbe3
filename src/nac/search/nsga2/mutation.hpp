#pragma once
// Mutation per choice kind: a listed domain (categorical names, integer or float lists) resamples
// another value uniformly; an integer range moves the value by polynomial mutation on its index
// (always to a different value); a float range applies Deb's polynomial mutation (in log space
// for log ranges). Each active choice mutates with probability `rate` (1/#choices by default).
#include "nac/space/search_space.hpp"

namespace nac::nsga2 {

// Deb & Agrawal's polynomial mutation of x in [lo, hi] with distribution index eta.
double polynomial_mutation(double x, double lo, double hi, double eta, Rng& rng);

// A mutated value for one choice (different from `v` whenever the domain has two values).
ChoiceValue mutate_value(const ChoiceSpec& c, const ChoiceValue& v, double eta, Rng& rng);

// rate < 0 means 1 / (number of active choices). Sub-choices a mutated parent activates are
// drawn; those it deactivates are dropped.
Genotype mutate(const SearchSpace& space, const Genotype& g, double rate, double eta, Rng& rng);

}  // namespace nac::nsga2
