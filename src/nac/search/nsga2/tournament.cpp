#include "nac/search/nsga2/tournament.hpp"

#include "nac/core/error.hpp"
#include "nac/core/rng.hpp"

namespace nac::nsga2 {

bool crowded_less(int rank_i, double crowding_i, int rank_j, double crowding_j) {
  return rank_i < rank_j || (rank_i == rank_j && crowding_i > crowding_j);
}

int binary_tournament(const std::vector<int>& rank, const std::vector<double>& crowding, Rng& rng) {
  NAC_ASSERT(!rank.empty() && rank.size() == crowding.size());
  const auto n = rank.size();
  const auto a = static_cast<int>(rng.below(n));
  const auto b = static_cast<int>(rng.below(n));
  const auto ua = static_cast<std::size_t>(a), ub = static_cast<std::size_t>(b);
  if (crowded_less(rank[ua], crowding[ua], rank[ub], crowding[ub])) return a;
  if (crowded_less(rank[ub], crowding[ub], rank[ua], crowding[ua])) return b;
  return rng.below(2) ? a : b;
}

}  // namespace nac::nsga2
