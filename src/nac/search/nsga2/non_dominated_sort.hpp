#pragma once
// Fast non-dominated sort (Deb et al. 2002, O(M N^2)): splits the points into fronts F1, F2, ...
// where F1 holds the points no other point dominates, F2 those dominated only by F1, and so on.
// With violations (one per point, 0 = feasible) it uses constrained dominance.
#include <vector>

namespace nac::nsga2 {

// Each front lists point indices in increasing order.
std::vector<std::vector<int>> non_dominated_sort(const std::vector<std::vector<double>>& points,
                                                 const std::vector<double>& violations = {});

// rank[i] = index of the front holding point i (0 for the first front).
std::vector<int> front_ranks(const std::vector<std::vector<int>>& fronts, std::size_t n);

}  // namespace nac::nsga2
