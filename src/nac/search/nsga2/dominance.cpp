#include "nac/search/nsga2/dominance.hpp"

#include "nac/core/error.hpp"

namespace nac::nsga2 {

bool dominates(const std::vector<double>& a, const std::vector<double>& b) {
  NAC_ASSERT(a.size() == b.size());
  bool better = false;
  for (std::size_t k = 0; k < a.size(); ++k) {
    if (a[k] > b[k]) return false;
    better = better || a[k] < b[k];
  }
  return better;
}

bool constrained_dominates(const std::vector<double>& a, double violation_a,
                           const std::vector<double>& b, double violation_b) {
  const bool fa = violation_a <= 0, fb = violation_b <= 0;
  if (fa && fb) return dominates(a, b);
  if (fa != fb) return fa;
  return violation_a < violation_b;
}

}  // namespace nac::nsga2
