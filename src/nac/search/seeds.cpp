#include "nac/search/seeds.hpp"

#include <set>

namespace nac {

std::vector<TrialId> enqueue_seeds(Storage& storage, StudyId study, const SearchSpace& space) {
  std::set<std::string> have;
  for (const auto& t : storage.list_trials(study)) have.insert(t.genotype.hash());
  std::vector<TrialId> ids;
  for (const auto& [name, g] : space.seeds)
    if (have.insert(g.hash()).second)
      ids.push_back(storage.enqueue_trial(study, g, {{"seed", name}}));
  return ids;
}

}  // namespace nac
