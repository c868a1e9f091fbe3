#include "nac/compress/precision.hpp"

#include <algorithm>
#include <set>

#include "nac/core/error.hpp"
#include "nac/graph/passes/infer_precision.hpp"
#include "nac/graph/passes/quantize_graph.hpp"

namespace nac {
namespace {

bool has_weights(OpKind op) {
  return op == OpKind::Dense || op == OpKind::Conv2D || op == OpKind::ConvAttn;
}

const char* const kAccumExtras[] = {"score_accum", "attend_accum", "proj_accum"};

void override_with(QuantAnnotation& q, const QuantAnnotation& o) {
  for (auto [dst, src] : {std::pair{&q.input, &o.input},
                          {&q.weight, &o.weight},
                          {&q.bias, &o.bias},
                          {&q.accum, &o.accum},
                          {&q.result, &o.result}})
    if (*src) *dst = *src;
  for (const auto& [k, f] : o.extra) q.extra[k] = f;
  for (const auto& [k, t] : o.tables) q.tables[k] = t;
}

// Every weight, bias, result and intermediate (not the tables' formats, exp_sum or alpha) gets
// `integer` integer bits.
void fix_integer_bits(QuantAnnotation& q, int integer) {
  for (auto* f : {&q.input, &q.weight, &q.bias, &q.result})
    if (*f) (*f)->integer = integer;
  for (auto& [k, f] : q.extra)
    if (k != "exp" && k != "inv" && k != "exp_sum" && k != "alpha") f.integer = integer;
}

}  // namespace

std::string uniform_label(int bits, int integer) {
  return std::to_string(bits) + "b" + (integer > 0 ? std::to_string(integer) + "i" : "");
}

std::vector<std::string> weighted_layers(const Graph& g) {
  std::vector<std::string> out;
  for (const Node& n : g.nodes())
    if (has_weights(n.op)) out.push_back(n.name);
  return out;
}

std::vector<std::string> layer_groups(const Graph& g) {
  std::vector<std::string> group(static_cast<std::size_t>(g.size()));
  for (int id = 0; id < g.size(); ++id) {
    const Node& n = g.node(id);
    if (has_weights(n.op))
      group[static_cast<std::size_t>(id)] = n.name;
    else if (!n.inputs.empty())
      group[static_cast<std::size_t>(id)] = group[static_cast<std::size_t>(n.inputs.front())];
  }
  return group;
}

void quantize_for(Graph& g, const PrecisionSpec& spec, const QuantizeOptions& opt,
                  const CalibrationStats& stats) {
  const std::string where = spec.where.empty() ? "precision " + spec.label : spec.where;
  auto check_bits = [&](int b, const std::string& what) {
    if (b < 1 || b > 63)
      throw InputError(where + ": " + what + " must be in 1..63, got " + std::to_string(b));
  };
  check_bits(spec.bits, "bits");
  for (const auto& [name, lp] : spec.layers) {
    const int id = g.find(name);
    if (id < 0) throw InputError(where + ": layers: no node named '" + name + "' in the model");
    if (lp.bits != 0) {
      check_bits(lp.bits, "layers." + name);
      if (!has_weights(g.node(id).op))
        throw InputError(where + ": layers." + name + ": a width applies to a layer with weights " +
                         "(dense, conv2d, conv_attn); '" + name + "' is " + op_name(g.node(id).op));
    }
  }
  const auto groups = layer_groups(g);
  auto width_of = [&](int id) {
    const auto it = spec.layers.find(groups[static_cast<std::size_t>(id)]);
    return it != spec.layers.end() && it->second.bits > 0 ? it->second.bits : spec.bits;
  };
  std::set<int> widths;
  for (int id = 0; id < g.size(); ++id) widths.insert(width_of(id));
  // One quantize_graph per width (the calibration is shared); each node takes its group's.
  std::vector<QuantAnnotation> annotations(static_cast<std::size_t>(g.size()));
  for (int b : widths) {
    PrecisionConfig cfg;
    cfg.weight_bits = cfg.activation_bits = b;
    cfg.input_bits = opt.input_bits;
    cfg.table_bits = opt.table_bits;
    cfg.weight_rounding = cfg.rounding = opt.rounding;
    cfg.weight_overflow = cfg.overflow = opt.overflow;
    cfg.margin = opt.margin;
    Graph scratch = g;
    quantize_graph(scratch, cfg, stats);
    for (int id = 0; id < g.size(); ++id)
      if (width_of(id) == b) annotations[static_cast<std::size_t>(id)] = scratch.node(id).quant;
  }
  for (int id = 0; id < g.size(); ++id) {
    Node& n = g.node(id);
    n.quant = annotations[static_cast<std::size_t>(id)];
    if (spec.integer > 0) fix_integer_bits(n.quant, spec.integer);
    if (const auto it = spec.layers.find(n.name); it != spec.layers.end())
      override_with(n.quant, it->second.formats);
  }
  infer_precision(g);
}

void widen_accumulators(Graph& g, int bits) {
  auto widen = [bits](FixedFormat& f) {
    const int b = std::max(0, std::min(bits, 63 - f.width));  // the emulator's widest is 63
    f.width += b;
    f.integer += b;
  };
  for (Node& n : g.nodes()) {
    if (n.quant.accum) widen(*n.quant.accum);
    for (const char* k : kAccumExtras)
      if (auto it = n.quant.extra.find(k); it != n.quant.extra.end()) widen(it->second);
  }
}

void reinfer_accumulators(Graph& g, const PrecisionSpec& spec) {
  for (Node& n : g.nodes()) {
    const auto it = spec.layers.find(n.name);
    const QuantAnnotation* given = it == spec.layers.end() ? nullptr : &it->second.formats;
    n.quant.accum = given ? given->accum : std::nullopt;
    for (const char* k : kAccumExtras) {
      n.quant.extra.erase(k);
      if (given && given->extra.count(k)) n.quant.extra[k] = given->extra.at(k);
    }
  }
  infer_precision(g);
}

}  // namespace nac
