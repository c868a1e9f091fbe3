#include "nac/cost/bops.hpp"

#include <cmath>
#include <optional>

#include "nac/cost/macs.hpp"
#include "nac/graph/op.hpp"

namespace nac {
namespace {

// The format node `id` sees its (first) input in (docs/QUANTIZATION.md): its `input` cast, else
// the producer's result; a flatten without a result passes its own input's format through.
std::optional<FixedFormat> seen_input_format(const Graph& g, int id) {
  const Node& n = g.node(id);
  if (n.quant.input) return n.quant.input;
  if (n.inputs.empty()) return std::nullopt;
  int p = n.inputs.front();
  while (true) {
    const Node& src = g.node(p);
    if (src.quant.result) return src.quant.result;
    if (src.op != OpKind::Flatten || src.inputs.empty()) return std::nullopt;
    p = src.inputs.front();
  }
}

int width_or(const std::optional<FixedFormat>& f, int fallback) { return f ? f->width : fallback; }

int extra_width(const Node& n, const char* name, int fallback) {
  const auto it = n.quant.extra.find(name);
  return it == n.quant.extra.end() ? fallback : it->second.width;
}

}  // namespace

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
    const int act_bits = width_or(seen_input_format(g, i), 32);
    const int weight_bits = width_or(n.quant.weight, 32);
    for (const auto& m : op_cost(n, g.input_shapes(i)).macs) {
      LayerBops l;
      l.node = n.name;
      l.group = m.label;
      l.outputs = m.outputs;
      l.fan_in = m.fan_in;
      l.activation_bits = act_bits;
      l.weight_bits = m.weight.empty() ? act_bits : weight_bits;
      // conv_attn's inner products read its intermediates: scores = q . k, attend = attn . v,
      // the projection reads the attended values.
      if (m.label == "scores") {
        l.activation_bits = extra_width(n, "q", act_bits);
        l.weight_bits = extra_width(n, "k", act_bits);
      } else if (m.label == "attend") {
        l.activation_bits = extra_width(n, "attn", act_bits);
        l.weight_bits = extra_width(n, "v", act_bits);
      } else if (m.label == "project") {
        l.activation_bits = extra_width(n, "attend", act_bits);
      }
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
