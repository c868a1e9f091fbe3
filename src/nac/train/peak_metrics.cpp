#include "nac/train/peak_metrics.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "nac/core/error.hpp"

namespace nac {

double percentile(std::vector<double> values, double q) {
  if (values.empty()) return std::numeric_limits<double>::quiet_NaN();
  std::sort(values.begin(), values.end());
  const double pos = q / 100.0 * static_cast<double>(values.size() - 1);
  const auto lo = static_cast<std::size_t>(std::floor(pos));
  const std::size_t hi = std::min(lo + 1, values.size() - 1);
  return values[lo] + (pos - static_cast<double>(lo)) * (values[hi] - values[lo]);
}

PeakDistanceStats peak_distance_stats(const Tensor<float>& pred, const Tensor<float>& truth,
                                      double patch_size) {
  if (pred.rank() != 2 || pred.dim(1) != 2 || pred.shape != truth.shape)
    throw InputError("peak distance: expects predictions and targets of shape [N, 2], got " +
                     shape_str(pred.shape) + " and " + shape_str(truth.shape));
  const int n = pred.dim(0);
  std::vector<double> d(static_cast<std::size_t>(n));
  double sum = 0;
  for (std::size_t i = 0; i < d.size(); ++i) {
    const double dx = static_cast<double>(pred[2 * i]) - truth[2 * i];
    const double dy = static_cast<double>(pred[2 * i + 1]) - truth[2 * i + 1];
    d[i] = std::sqrt(dx * dx + dy * dy) * patch_size;
    sum += d[i];
  }
  PeakDistanceStats s;
  s.count = n;
  s.mean = n ? sum / n : std::numeric_limits<double>::quiet_NaN();
  s.median = percentile(d, 50);
  s.p75 = percentile(d, 75);
  s.p95 = percentile(d, 95);
  return s;
}

}  // namespace nac
