#include "nac/cost/bops.hpp"

#include <cmath>

#include "nac/cost/macs.hpp"
#include "nac/graph/op.hpp"

namespace nac {

double group_bops(long long outputs, long long fan_in, int weight_bits, int activation_bits,
                  double sparsity) {
  if (outputs <= 0 || fan_in <= 0) return 0;
  const double bw = weight_bits, ba = activation_bits;
  const double n = static_cast<double>(fan_in);
  return static_cast<double>(outputs) * n * ((1 - sparsity) * bw * ba + bw + ba + std::log2(n));
}

std::vector<LayerBops> bops_by_layer(const Graph& g) {
  std::vector<LayerBops> out;
  for (int i = 0; i < g.size(); ++i) {
    const Node& n = g.node(i);
    const int act_bits = n.quant.input ? n.quant.input->width : 32;
    const int weight_bits = n.quant.weight ? n.quant.weight->width : 32;
    for (const auto& m : op_cost(n, g.input_shapes(i)).macs) {
      LayerBops l;
      l.node = n.name;
      l.group = m.label;
      l.outputs = m.outputs;
      l.fan_in = m.fan_in;
      l.activation_bits = act_bits;
      l.weight_bits = m.weight.empty() ? act_bits : weight_bits;
      l.sparsity = mask_sparsity(n, m.weight);
      l.bops = group_bops(l.outputs, l.fan_in, l.weight_bits, l.activation_bits, l.sparsity);
      out.push_back(l);
    }
  }
  return out;
}

double count_bops(const Graph& g) {
  double total = 0;
  for (const auto& l : bops_by_layer(g)) total += l.bops;
  return total;
}

}  // namespace nac
