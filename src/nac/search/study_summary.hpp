#pragma once
// What a study has reached, computed from its trials alone (the progress line, the report):
// the Pareto front of its COMPLETE trials that meet the constraints, the best value of each
// objective, and the hypervolume of the front as trials were added.
#include <optional>
#include <vector>

#include "nac/search/objective.hpp"
#include "nac/study/trial.hpp"

namespace nac {

// COMPLETE trials with finite values for every objective and no constraint violation (a
// constraint names an objective or a numeric attribute), in trial order.
std::vector<const Trial*> feasible_complete(const std::vector<Trial>& trials,
                                            const std::vector<Objective>& objectives,
                                            const std::vector<Constraint>& constraints = {});

// The non-dominated ones among `candidates` (first front), in trial order.
std::vector<const Trial*> pareto_front(const std::vector<const Trial*>& candidates,
                                       const std::vector<Objective>& objectives);

// A reference point (objective units) just beyond the worst value of each objective among
// `candidates`: worst + 10% of the objective's range (or of its magnitude when the range is 0).
// Empty when there are no candidates.
std::vector<double> auto_reference(const std::vector<const Trial*>& candidates,
                                   const std::vector<Objective>& objectives);

// The hypervolume (in minimised objective units) that `candidates` dominate within `reference`.
double front_hypervolume(const std::vector<const Trial*>& candidates,
                         const std::vector<Objective>& objectives,
                         const std::vector<double>& reference);

// After each trial of `candidates` (in order): (its number, the hypervolume of all candidates so
// far). The curve of "hypervolume over trials".
std::vector<std::pair<int, double>> hypervolume_history(const std::vector<const Trial*>& candidates,
                                                        const std::vector<Objective>& objectives,
                                                        const std::vector<double>& reference);

// Per objective, the index in `candidates` of the best value (-1 when none).
std::vector<int> best_per_objective(const std::vector<const Trial*>& candidates,
                                    const std::vector<Objective>& objectives);

}  // namespace nac
