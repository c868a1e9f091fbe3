#pragma once
// Poisson sampling on nac::Rng, identical on every platform (std::poisson_distribution is
// implementation-defined): inversion by sequential search for small means, Hörmann's PTRS
// transformed rejection (W. Hörmann, "The transformed rejection method for generating Poisson
// random variables", Insurance: Mathematics and Economics 12, 1993) for means of 10 and more.
#include <cstdint>

#include "nac/core/rng.hpp"

namespace nac {

// A Poisson-distributed count with mean `lambda` (0 for lambda <= 0).
std::int64_t poisson(Rng& rng, double lambda);

}  // namespace nac
