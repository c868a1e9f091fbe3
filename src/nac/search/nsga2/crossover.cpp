#include "nac/search/nsga2/crossover.hpp"

#include "nac/core/rng.hpp"

namespace nac::nsga2 {

Genotype uniform_crossover(const SearchSpace& space, const Genotype& a, const Genotype& b,
                           double swap_prob, Rng& rng) {
  Genotype child;
  for (const auto& c : space.choices) {
    if (!space.is_active(c, child)) continue;
    const bool in_a = a.has(c.name) && c.contains(a.at(c.name));
    const bool in_b = b.has(c.name) && c.contains(b.at(c.name));
    // Draw the coin for every active choice so the stream does not depend on which parents
    // happen to have the choice.
    const bool from_b = rng.uniform() < swap_prob;
    if (in_a && in_b)
      child.set(c.name, from_b ? b.at(c.name) : a.at(c.name));
    else if (in_a)
      child.set(c.name, a.at(c.name));
    else if (in_b)
      child.set(c.name, b.at(c.name));
    else
      child.set(c.name, c.sample(rng));
  }
  return repair(space, child, rng);  // normalises value kinds (ints of Float choices)
}

}  // namespace nac::nsga2
