#include "nac/search/trial_points.hpp"

#include <cstdlib>

namespace nac {

std::optional<double> attr_number(const Trial& t, const std::string& key) {
  const auto it = t.attrs.find(key);
  if (it == t.attrs.end() || it->second.empty()) return std::nullopt;
  char* end = nullptr;
  const double v = std::strtod(it->second.c_str(), &end);
  if (*end != '\0') return std::nullopt;
  return v;
}

std::optional<std::vector<double>> prune_point(const Trial& t, int epoch, const SearchOptions& o) {
  const int m = o.metric_objective();
  if (m < 0) return std::nullopt;
  const auto it = t.intermediate.find(epoch);
  if (it == t.intermediate.end()) return std::nullopt;
  auto minimized = [](const SearchObjective& obj, double v) {
    return obj.objective.direction == Direction::Maximize ? -v : v;
  };
  std::vector<double> p{minimized(o.objectives[static_cast<std::size_t>(m)], it->second)};
  for (const auto& obj : o.objectives) {
    if (obj.source != ObjectiveSource::Cost) continue;
    const auto v = attr_number(t, obj.key);
    if (!v) return std::nullopt;
    p.push_back(minimized(obj, *v));
  }
  return p;
}

std::optional<std::string> prune_decision(const SearchOptions& o, const Trial& self, int epoch,
                                          const std::vector<Trial>& trials) {
  if (o.pruner.kind == PrunerKind::None) return std::nullopt;
  const auto point = prune_point(self, epoch, o);
  if (!point) return std::nullopt;
  std::vector<std::vector<double>> peers;
  for (const auto& t : trials) {
    if (t.id == self.id) continue;
    // Dominance compares with finished work only; halving with everyone at the rung.
    if (o.pruner.kind == PrunerKind::Dominance && t.state != TrialState::Complete) continue;
    if (auto p = prune_point(t, epoch, o)) peers.push_back(std::move(*p));
  }
  if (o.pruner.kind == PrunerKind::Dominance)
    return dominance_prune(o.pruner.dominance, epoch, *point, peers);
  return halving_prune(o.pruner.halving, epoch, *point, peers);
}

}  // namespace nac
