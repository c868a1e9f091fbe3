#include "nac/cost/params.hpp"

#include <algorithm>

namespace nac {

ParamCount count_params(const Graph& g) {
  ParamCount c;
  for (const auto& n : g.nodes())
    for (const auto& p : n.params) {
      const auto size = static_cast<long long>(p.value.size());
      c.total += size;
      if (!p.trainable) continue;
      c.trainable += size;
      c.nonzero += p.mask.empty() ? size : std::count(p.mask.begin(), p.mask.end(), 1);
    }
  return c;
}

}  // namespace nac
