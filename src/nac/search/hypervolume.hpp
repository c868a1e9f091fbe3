#pragma once
// The hypervolume of a point set (minimisation) with respect to a reference point: the measure
// of the region dominated by the set and bounded by the reference. Exact: a sweep for two
// objectives and recursive slicing (HSO) for three or more. Points that do not strictly dominate
// the reference in every objective contribute nothing.
#include <vector>

namespace nac {

double hypervolume(const std::vector<std::vector<double>>& points,
                   const std::vector<double>& reference);

}  // namespace nac
