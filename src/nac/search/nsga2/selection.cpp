#include "nac/search/nsga2/selection.hpp"

#include <algorithm>
#include <numeric>

#include "nac/search/nsga2/crowding.hpp"
#include "nac/search/nsga2/non_dominated_sort.hpp"

namespace nac::nsga2 {

Ranked select_survivors(const std::vector<std::vector<double>>& points,
                        const std::vector<double>& violations, std::size_t n) {
  Ranked out;
  const auto fronts = non_dominated_sort(points, violations);
  for (std::size_t f = 0; f < fronts.size() && out.chosen.size() < n; ++f) {
    const auto& front = fronts[f];
    const auto dist = crowding_distance(points, front);
    std::vector<std::size_t> order(front.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    if (out.chosen.size() + front.size() > n)
      std::stable_sort(order.begin(), order.end(),
                       [&](std::size_t a, std::size_t b) { return dist[a] > dist[b]; });
    for (std::size_t i = 0; i < order.size() && out.chosen.size() < n; ++i) {
      out.chosen.push_back(front[order[i]]);
      out.rank.push_back(static_cast<int>(f));
      out.crowding.push_back(dist[order[i]]);
    }
  }
  return out;
}

}  // namespace nac::nsga2
