#pragma once
// Peak-finding metrics: Euclidean distance in pixels between predicted and true peak centres,
// both given as normalised (x, y) = pixel position / patch size.
#include <vector>

#include "nac/core/tensor.hpp"

namespace nac {

struct PeakDistanceStats {
  double mean = 0, median = 0, p75 = 0, p95 = 0;  // pixels
  int count = 0;
};

// pred and truth are [N, 2]; distances are |pred - truth| * patch_size. Throws InputError for
// other shapes.
PeakDistanceStats peak_distance_stats(const Tensor<float>& pred, const Tensor<float>& truth,
                                      double patch_size);

// The q-th percentile (0..100) with linear interpolation between order statistics, NumPy's
// default: position q/100 * (n - 1) in the sorted values. NaN for no values.
double percentile(std::vector<double> values, double q);

}  // namespace nac
