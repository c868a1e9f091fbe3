#pragma once
// Binary tournament with the crowded-comparison operator (Deb et al. 2002): of two members drawn
// at random, the lower rank wins; at equal rank the larger crowding distance; then a coin flip.
#include <vector>

namespace nac {
class Rng;
}

namespace nac::nsga2 {

// Returns the index (into rank/crowding) of the winner. Needs at least one member.
int binary_tournament(const std::vector<int>& rank, const std::vector<double>& crowding, Rng& rng);

// The crowded-comparison operator: whether i is preferred to j.
bool crowded_less(int rank_i, double crowding_i, int rank_j, double crowding_j);

}  // namespace nac::nsga2
