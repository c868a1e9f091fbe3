#include "nac/compress/precision.hpp"

#include <algorithm>
#include <cmath>
#include <set>

#include "nac/core/error.hpp"
#include "nac/graph/ops/activation.hpp"
#include "nac/graph/passes/infer_precision.hpp"
#include "nac/graph/passes/quantize_graph.hpp"
#include "nac/graph/quant/resolve.hpp"

namespace nac {
namespace {

bool has_weights(OpKind op) {
  return op == OpKind::Dense || op == OpKind::Conv2D || op == OpKind::ConvAttn;
}

const char* const kAccumExtras[] = {"score_accum", "attend_accum", "proj_accum"};

// The output chain the output rule applies to: the output node when it is a dense or conv2d
// layer, or such a layer read only by an identity / relu / leaky_relu (|alpha| <= 1) activation
// that is the output node (no table: its exact result is a fixed-point format too).
struct OutputChain {
  Node* layer = nullptr;
  Node* act = nullptr;
};

bool is_layer(const Node& n) { return n.op == OpKind::Dense || n.op == OpKind::Conv2D; }

OutputChain output_chain(Graph& g) {
  Node& o = g.node(g.output_id());
  if (is_layer(o)) return {&o, nullptr};
  if (o.op != OpKind::Activation || o.inputs.size() != 1) return {};
  const Activation a = activation_of(o);
  const bool linear = a.fn == ActFn::Identity || a.fn == ActFn::ReLU ||
                      (a.fn == ActFn::LeakyReLU && std::fabs(a.alpha) <= 1);
  Node& l = g.node(o.inputs[0]);
  if (!linear || !is_layer(l)) return {};
  for (const Node& n : g.nodes())
    if (&n != &o && std::find(n.inputs.begin(), n.inputs.end(), o.inputs[0]) != n.inputs.end())
      return {};
  return {&l, &o};
}

// Whether the chain's layer has the exact-output rule's result (its accumulator's width and
// integer bits).
bool has_exact_result(const OutputChain& c) {
  return c.layer && c.layer->quant.result && c.layer->quant.accum &&
         c.layer->quant.result->width == c.layer->quant.accum->width &&
         c.layer->quant.result->integer == c.layer->quant.accum->integer;
}

// The layer's result becomes its exact accumulator (only the overflow mode matters, and that
// saturates: QAT moves the weights; a wrapped output would be garbage); the activation's holds
// its exact output: relu and identity the same values, leaky_relu's products carry alpha's
// fraction bits more (|alpha| <= 1 adds no integer bit). Too wide a leaky result (over 63
// bits) keeps its group's format.
void set_exact_output(const OutputChain& c, Overflow overflow) {
  FixedFormat f = *c.layer->quant.accum;
  f.rounding = Rounding::TRN;
  f.overflow = overflow == Overflow::WRAP ? Overflow::SAT : overflow;
  c.layer->quant.result = f;
  if (!c.act) return;
  if (activation_of(*c.act).fn == ActFn::LeakyReLU) {
    const auto it = c.act->quant.extra.find("alpha");
    f.width += (it != c.act->quant.extra.end() ? it->second : default_alpha_format()).frac();
  }
  if (f.width <= 63) c.act->quant.result = f;
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

std::string duplicate_in(const PrecisionSpec& spec, const std::vector<std::string>& layers,
                         const std::vector<PrecisionSpec>& sweep) {
  if (spec.integer != 0) return "";
  int w = spec.bits;
  for (const auto& name : layers) {
    const auto it = spec.layers.find(name);
    const int b = it == spec.layers.end() ? spec.bits : it->second.bits;
    if (b != w || (it != spec.layers.end() && !it->second.formats.empty())) return "";
  }
  for (const auto& [name, lp] : spec.layers)  // entries for nodes without weights
    if (std::find(layers.begin(), layers.end(), name) == layers.end()) return "";
  for (const auto& p : sweep)
    if (p.layers.empty() && p.integer == 0 && p.bits == w) return p.label;
  return "";
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
    cfg.integer_rule = opt.integer_rule;
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
      n.quant.overlay(it->second.formats);
  }
  const OutputChain chain = output_chain(g);
  auto explicit_result = [&](const Node* n) {
    const auto it = n ? spec.layers.find(n->name) : spec.layers.end();
    return it != spec.layers.end() && it->second.formats.result.has_value();
  };
  const bool given = explicit_result(chain.layer) || explicit_result(chain.act);
  if (chain.layer && !given && opt.output_bits > 0) {
    PrecisionConfig cfg;
    cfg.rounding = opt.rounding;
    cfg.overflow = opt.overflow;
    cfg.margin = opt.margin;
    cfg.integer_rule = opt.integer_rule;
    for (Node* n : {chain.layer, chain.act}) {
      if (!n) continue;
      const ValueRange* r = stats.find(n->name, "result");
      if (!r || r->empty())
        throw InputError(where + ": no calibration range for the output '" + n->name + "'");
      n->quant.result =
          FixedFormat{opt.output_bits, calibrated_integer_bits(*r, opt.output_bits, cfg), true,
                      opt.rounding, opt.overflow};
    }
  }
  infer_precision(g);
  if (chain.layer && !given && opt.output_bits == kOutputExact)
    set_exact_output(chain, opt.overflow);
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
  const OutputChain chain = output_chain(g);
  const bool follows = has_exact_result(chain);
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
  if (follows) set_exact_output(chain, chain.layer->quant.result->overflow);
}

}  // namespace nac
