#include "nac/search/hypervolume.hpp"

#include <algorithm>

#include "nac/core/error.hpp"

namespace nac {
namespace {

using Points = std::vector<std::vector<double>>;

// Two objectives: sort by the first, sweep keeping the best second value seen.
double hv2(Points pts, const std::vector<double>& ref) {
  std::sort(pts.begin(), pts.end());
  double volume = 0, best_y = ref[1];
  for (const auto& p : pts) {
    if (p[1] < best_y) {
      volume += (ref[0] - p[0]) * (best_y - p[1]);
      best_y = p[1];
    }
  }
  return volume;
}

// d >= 3: slice along the last objective; between consecutive values of it, the dominated region
// is the (d-1)-dimensional hypervolume of the points at or below the slice, times its thickness.
double hv(Points pts, const std::vector<double>& ref) {
  const std::size_t d = ref.size();
  if (pts.empty()) return 0;
  if (d == 1) {
    double best = ref[0];
    for (const auto& p : pts) best = std::min(best, p[0]);
    return ref[0] - best;
  }
  if (d == 2) return hv2(std::move(pts), ref);
  std::sort(pts.begin(), pts.end(),
            [&](const auto& a, const auto& b) { return a[d - 1] < b[d - 1]; });
  const std::vector<double> sub_ref(ref.begin(), ref.end() - 1);
  Points slice;
  double volume = 0;
  for (std::size_t i = 0; i < pts.size(); ++i) {
    slice.emplace_back(pts[i].begin(), pts[i].end() - 1);
    const double next = i + 1 < pts.size() ? pts[i + 1][d - 1] : ref[d - 1];
    if (next > pts[i][d - 1]) volume += hv(slice, sub_ref) * (next - pts[i][d - 1]);
  }
  return volume;
}

}  // namespace

double hypervolume(const std::vector<std::vector<double>>& points,
                   const std::vector<double>& reference) {
  NAC_ASSERT(!reference.empty());
  Points inside;
  for (const auto& p : points) {
    NAC_ASSERT(p.size() == reference.size());
    bool ok = true;
    for (std::size_t k = 0; k < p.size(); ++k) ok = ok && p[k] < reference[k];
    if (ok) inside.push_back(p);
  }
  return hv(std::move(inside), reference);
}

}  // namespace nac
