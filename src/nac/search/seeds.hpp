#pragma once
// Seeded trials: known architectures (the space's `seeds`, e.g. BraggNN) enqueued before the
// sampler's first proposal, so they are trials 0, 1, ... of a new study.
#include <vector>

#include "nac/space/search_space.hpp"
#include "nac/study/storage.hpp"

namespace nac {

// Enqueues each seed whose genotype no trial of the study has yet (so resuming a study does not
// enqueue them again), with attribute "seed" = its name. Returns the new trials' ids.
std::vector<TrialId> enqueue_seeds(Storage& storage, StudyId study, const SearchSpace& space);

}  // namespace nac
