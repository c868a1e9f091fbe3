#include "nac/compress/rewind.hpp"

#include "nac/core/error.hpp"

namespace nac {

WeightSnapshot snapshot_weights(const Graph& g) {
  WeightSnapshot s;
  s.values.resize(static_cast<std::size_t>(g.size()));
  for (int id = 0; id < g.size(); ++id)
    for (const Param& p : g.node(id).params)
      s.values[static_cast<std::size_t>(id)].push_back(p.value);
  return s;
}

void rewind_weights(Graph& g, const WeightSnapshot& s) {
  if (s.values.size() != static_cast<std::size_t>(g.size()))
    throw GraphError("rewind: the snapshot has " + std::to_string(s.values.size()) +
                     " nodes, the graph " + std::to_string(g.size()));
  for (int id = 0; id < g.size(); ++id) {
    Node& n = g.node(id);
    const auto& vals = s.values[static_cast<std::size_t>(id)];
    if (vals.size() != n.params.size())
      throw GraphError("rewind: node '" + n.name +
                       "' has another parameter list than the snapshot");
    for (std::size_t k = 0; k < vals.size(); ++k) {
      Param& p = n.params[k];
      if (vals[k].shape != p.value.shape)
        throw GraphError("rewind: node '" + n.name + "' parameter '" + p.name +
                         "' has another shape than the snapshot");
      p.value = vals[k];
      for (std::size_t i = 0; i < p.mask.size(); ++i)
        if (!p.mask[i]) p.value[i] = 0;
    }
  }
}

}  // namespace nac
