#include "nac/cost/macs.hpp"

#include <algorithm>

#include "nac/graph/op.hpp"

namespace nac {

double mask_sparsity(const Node& n, const std::string& weight) {
  if (weight.empty()) return 0;
  const Param* p = n.find_param(weight);
  if (p == nullptr || p->mask.empty()) return 0;
  const auto zeros = std::count(p->mask.begin(), p->mask.end(), 0);
  return static_cast<double>(zeros) / static_cast<double>(p->mask.size());
}

MacCount count_macs(const Graph& g) {
  MacCount c;
  for (int i = 0; i < g.size(); ++i) {
    const Node& n = g.node(i);
    for (const auto& m : op_cost(n, g.input_shapes(i)).macs) {
      const long long products = m.outputs * m.fan_in;
      c.dense += products;
      c.effective += static_cast<double>(products) * (1 - mask_sparsity(n, m.weight));
    }
  }
  return c;
}

}  // namespace nac
