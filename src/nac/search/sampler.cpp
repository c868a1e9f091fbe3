#include "nac/search/sampler.hpp"

#include <cstdlib>
#include <limits>

#include "nac/core/rng.hpp"

namespace nac {

Proposal RandomSampler::propose(const SamplerContext& ctx, Rng& rng) {
  return {sample(ctx.space, rng), {}};
}

double total_violation(const Trial& t, const std::vector<Objective>& objectives,
                       const std::vector<Constraint>& constraints) {
  const double inf = std::numeric_limits<double>::infinity();
  double total = 0;
  for (const auto& c : constraints) {
    double v = std::numeric_limits<double>::quiet_NaN();
    bool found = false;
    for (std::size_t i = 0; i < objectives.size() && !found; ++i)
      if (objectives[i].name == c.name && i < t.values.size()) {
        v = t.values[i];
        found = true;
      }
    if (!found) {
      const auto it = t.attrs.find(c.name);
      if (it != t.attrs.end()) {
        char* end = nullptr;
        v = std::strtod(it->second.c_str(), &end);
        if (end == it->second.c_str() || *end != '\0') v = std::numeric_limits<double>::quiet_NaN();
      }
    }
    total += c.violation(v);
  }
  return total == inf ? std::numeric_limits<double>::max() : total;
}

}  // namespace nac
