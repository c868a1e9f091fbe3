#pragma once
// Crowding distance (Deb et al. 2002): for each point of one front, the sum over objectives of
// the normalised gap between its two neighbours; the extremes of each objective get infinity.
#include <vector>

namespace nac::nsga2 {

// Returns one distance per member of `front`, in front order.
std::vector<double> crowding_distance(const std::vector<std::vector<double>>& points,
                                      const std::vector<int>& front);

}  // namespace nac::nsga2
