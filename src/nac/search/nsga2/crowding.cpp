#include "nac/search/nsga2/crowding.hpp"

#include <algorithm>
#include <limits>
#include <numeric>

namespace nac::nsga2 {

std::vector<double> crowding_distance(const std::vector<std::vector<double>>& points,
                                      const std::vector<int>& front) {
  const std::size_t n = front.size();
  std::vector<double> dist(n, 0.0);
  if (n == 0) return dist;
  const double inf = std::numeric_limits<double>::infinity();
  if (n <= 2) return std::vector<double>(n, inf);
  const std::size_t m = points[static_cast<std::size_t>(front[0])].size();
  std::vector<std::size_t> order(n);
  for (std::size_t k = 0; k < m; ++k) {
    auto obj = [&](std::size_t i) { return points[static_cast<std::size_t>(front[i])][k]; };
    std::iota(order.begin(), order.end(), std::size_t{0});
    // Stable sort: equal values keep front order, so results do not depend on the sort.
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return obj(a) < obj(b); });
    const double lo = obj(order.front()), hi = obj(order.back());
    dist[order.front()] = inf;
    dist[order.back()] = inf;
    if (hi == lo) continue;  // a flat objective separates nothing
    for (std::size_t i = 1; i + 1 < n; ++i)
      dist[order[i]] += (obj(order[i + 1]) - obj(order[i - 1])) / (hi - lo);
  }
  return dist;
}

}  // namespace nac::nsga2
