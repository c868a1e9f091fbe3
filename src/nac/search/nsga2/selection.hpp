#pragma once
// Survivor selection of the generational step: from parents + children, keep n by front rank,
// filling the last front that does not fit by decreasing crowding distance.
#include <vector>

namespace nac::nsga2 {

struct Ranked {
  std::vector<int> chosen;       // indices into the input points, best fronts first
  std::vector<int> rank;         // per chosen member
  std::vector<double> crowding;  // per chosen member (within its front)
};

Ranked select_survivors(const std::vector<std::vector<double>>& points,
                        const std::vector<double>& violations, std::size_t n);

}  // namespace nac::nsga2
