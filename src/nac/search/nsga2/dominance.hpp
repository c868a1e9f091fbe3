#pragma once
// Pareto dominance (minimisation) and Deb's constrained dominance: a feasible point (violation 0)
// beats an infeasible one; of two infeasible points the smaller total violation wins; of two
// feasible points ordinary dominance decides.
#include <vector>

namespace nac::nsga2 {

bool dominates(const std::vector<double>& a, const std::vector<double>& b);
bool constrained_dominates(const std::vector<double>& a, double violation_a,
                           const std::vector<double>& b, double violation_b);

}  // namespace nac::nsga2
