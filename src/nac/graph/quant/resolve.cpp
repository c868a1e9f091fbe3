#include "nac/graph/quant/resolve.hpp"

#include <algorithm>
#include <cmath>

#include "nac/core/error.hpp"
#include "nac/core/fixed.hpp"

namespace nac {
namespace {

constexpr const char* kLayerNormRefusal =
    "layernorm has no fixed-point meaning in nac: it needs a per-sample mean, variance and "
    "1/sqrt at run time (a data-dependent division and an inv_sqrt table over a variance no "
    "static analysis bounds); use batchnorm (folded into the previous layer) or no "
    "normalisation in models meant for hardware";

const std::vector<std::string> kSoftmaxExtras = {"exp", "exp_sum", "inv"};
const std::vector<std::string> kAttnExtras = {
    "q",      "k",          "v",    "score_accum", "score",
    "exp",    "exp_sum",    "inv",  "attn",        "attend_accum",
    "attend", "proj_accum", "proj", "residual"};
const std::vector<std::string> kNoExtras;
const std::vector<std::string> kAlphaExtras = {"alpha"};
const std::vector<std::string> kAttnAllowed = [] {
  std::vector<std::string> v = kAttnExtras;
  v.push_back("alpha");
  return v;
}();

// [lo, hi) of a format's whole range.
double full_lo(const FixedFormat& f) { return f.is_signed ? -std::ldexp(1.0, f.integer - 1) : 0.0; }
double full_hi(const FixedFormat& f) {
  return f.is_signed ? std::ldexp(1.0, f.integer - 1) : std::ldexp(1.0, f.integer);
}

int table_size(double span, double step, int cap) {
  const double n = span / step;  // a power of two (or a fraction of one)
  return static_cast<int>(std::max(1.0, std::min(static_cast<double>(cap), n)));
}

class Resolver {
 public:
  Resolver(const Graph& g, const ResolveOptions& opt) : g_(g), opt_(opt) {}

  std::vector<OpQuant> run() {
    out_.resize(static_cast<std::size_t>(g_.size()));
    for (int id = 0; id < g_.size(); ++id) resolve(id);
    return std::move(out_);
  }

 private:
  [[noreturn]] void fail(const Node& n, const std::string& what) const {
    throw GraphError("node '" + n.name + "' (" + op_name(n.op) + "): " + what);
  }

  const FixedFormat& check(const Node& n, const FixedFormat& f, const std::string& key) const {
    if (f.width > opt_.max_width)
      fail(n, key + " format " + f.str() + " is " + std::to_string(f.width) +
                  " bits wide; at most " + std::to_string(opt_.max_width) +
                  " bits are supported (int64 mantissas)");
    return f;
  }

  FixedFormat need(const Node& n, const std::optional<FixedFormat>& f, const char* key) const {
    if (!f) fail(n, std::string("no ") + key + " format annotated (quant." + key + ")");
    return check(n, *f, key);
  }

  FixedFormat need_extra(const Node& n, const std::string& key) const {
    const auto it = n.quant.extra.find(key);
    if (it == n.quant.extra.end())
      fail(n, "no '" + key + "' format annotated (quant.extra." + key + ")");
    return check(n, it->second, "extra." + key);
  }

  void allow_extras(const Node& n, const std::vector<std::string>& allowed) const {
    for (const auto& [k, f] : n.quant.extra)
      if (std::find(allowed.begin(), allowed.end(), k) == allowed.end()) {
        std::string list;
        for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
        fail(n, "unknown extra format '" + k +
                    "' (this op has: " + (list.empty() ? std::string("none") : list) + ")");
      }
    for (const auto& [k, g] : n.quant.tables)
      if (k != "act" && k != "exp" && k != "inv")
        fail(n, "unknown table '" + k + "' (tables are act, exp, inv)");
  }

  void add_table(const Node& n, OpQuant& q, const std::string& name, TableFunction fn,
                 const FixedFormat& input, const FixedFormat& output) const {
    const TableSpec spec = node_table_spec(n, name, fn, input, output);
    try {
      q.tables[name] = build_table(spec);
    } catch (const InputError& e) {
      fail(n, "table '" + name + "': " + e.what());
    }
  }

  void activation(const Node& n, OpQuant& q, const FixedFormat& x) const {
    if (q.act.fn == ActFn::LeakyReLU)
      q.extra["alpha"] =
          n.quant.extra.count("alpha") ? need_extra(n, "alpha") : default_alpha_format();
    if (const auto fn = act_table_function(q.act.fn)) add_table(n, q, "act", *fn, x, q.result);
  }

  // The softmax rule's tables on scores of format x.
  void softmax(const Node& n, OpQuant& q, const FixedFormat& x) const {
    for (const char* k : {"exp", "exp_sum", "inv"}) q.extra[k] = need_extra(n, k);
    add_table(n, q, "exp", TableFunction::Exp, difference_format(x, x), q.ex("exp"));
    add_table(n, q, "inv", TableFunction::Reciprocal, q.ex("exp_sum"), q.ex("inv"));
  }

  void resolve(int id) {
    const Node& n = g_.node(id);
    OpQuant& q = out_[static_cast<std::size_t>(id)];
    const bool annotated = !n.quant.empty();
    if (n.op == OpKind::LayerNorm && (annotated || opt_.require_all)) fail(n, kLayerNormRefusal);
    if (!annotated && n.op == OpKind::Flatten) {
      const OpQuant& p = out_[static_cast<std::size_t>(n.inputs.at(0))];
      if (p.quantized) {
        q.quantized = true;
        q.in = {p.result};
        q.result = p.result;
        return;
      }
    }
    if (!annotated) {
      if (opt_.require_all) fail(n, "no fixed-point annotation (quant); run quantize_graph");
      return;
    }
    q.quantized = true;
    if (n.quant.input) {
      if (n.op == OpKind::Input)
        fail(n, "the input node takes no quant.input: its result format is the input's format");
      q.cast = check(n, *n.quant.input, "input");
    }
    for (int in : n.inputs) {
      const OpQuant& p = out_[static_cast<std::size_t>(in)];
      if (q.cast)
        q.in.push_back(*q.cast);
      else if (p.quantized)
        q.in.push_back(p.result);
      else
        fail(n, "its input '" + g_.node(in).name +
                    "' is not quantised; annotate quant.input to quantise it here");
    }
    if (n.op == OpKind::Flatten && !n.quant.result)
      q.result = q.in.at(0);
    else
      q.result = need(n, n.quant.result, "result");
    if (n.quant.weight) q.weight = check(n, *n.quant.weight, "weight");
    if (n.quant.bias) q.bias = check(n, *n.quant.bias, "bias");
    if (n.quant.accum) q.accum = check(n, *n.quant.accum, "accum");

    allow_extras(n, allowed_extras(n.op));
    switch (n.op) {
      case OpKind::Input:
      case OpKind::Flatten:
      case OpKind::Add:
        break;
      case OpKind::Dense:
      case OpKind::Conv2D:
        q.weight = need(n, n.quant.weight, "weight");
        q.accum = need(n, n.quant.accum, "accum");
        if (n.find_param("bias")) q.bias = need(n, n.quant.bias, "bias");
        break;
      case OpKind::BatchNorm:
        q.weight = need(n, n.quant.weight, "weight");  // the scale
        q.bias = need(n, n.quant.bias, "bias");        // the shift
        break;
      case OpKind::Activation:
        q.act = activation_of(n);
        activation(n, q, q.in.at(0));
        break;
      case OpKind::Softmax:
        softmax(n, q, q.in.at(0));
        break;
      case OpKind::ConvAttn: {
        q.weight = need(n, n.quant.weight, "weight");
        q.bias = need(n, n.quant.bias, "bias");
        q.accum = need(n, n.quant.accum, "accum");
        for (const auto& k : kAttnExtras) q.extra[k] = need_extra(n, k);
        softmax(n, q, q.ex("score"));
        q.act = activation_of(n, "activation");
        activation(n, q, q.ex("residual"));
        break;
      }
      case OpKind::Aggregate: {
        if (n.attr_str("fn", "mean") != "max") q.accum = need(n, n.quant.accum, "accum");
        break;
      }
      case OpKind::LayerNorm:
        fail(n, kLayerNormRefusal);
    }
  }

  const Graph& g_;
  ResolveOptions opt_;
  std::vector<OpQuant> out_;
};

}  // namespace

std::vector<OpQuant> resolve_quant(const Graph& g, const ResolveOptions& opt) {
  return Resolver(g, opt).run();
}

TableSpec node_table_spec(const Node& n, const std::string& table, TableFunction fn,
                          const FixedFormat& input, const FixedFormat& output) {
  TableSpec spec = default_table_spec(table, fn, input, output);
  if (const auto it = n.quant.tables.find(table); it != n.quant.tables.end()) {
    spec.size = it->second.size;
    spec.lo = it->second.lo;
    spec.hi = it->second.hi;
  }
  return spec;
}

const std::vector<std::string>& allowed_extras(OpKind op) {
  switch (op) {
    case OpKind::Activation:
      return kAlphaExtras;
    case OpKind::Softmax:
      return kSoftmaxExtras;
    case OpKind::ConvAttn:
      return kAttnAllowed;
    default:
      return kNoExtras;
  }
}

std::optional<TableFunction> act_table_function(ActFn fn) {
  switch (fn) {
    case ActFn::Sigmoid:
      return TableFunction::Sigmoid;
    case ActFn::Tanh:
      return TableFunction::Tanh;
    case ActFn::GELU:
      return TableFunction::Gelu;
    default:
      return std::nullopt;
  }
}

FixedFormat default_alpha_format() {
  return FixedFormat{16, 2, true, Rounding::RND, Overflow::SAT};
}

TableSpec default_table_spec(const std::string& table, TableFunction fn, const FixedFormat& input,
                             const FixedFormat& output) {
  TableSpec s;
  s.function = fn;
  s.input = input;
  s.output = output;
  const double lsb = lsb_value(input);
  const bool divides_8 = input.frac() >= -3;  // the LSB divides 8
  s.lo = full_lo(input);
  s.hi = full_hi(input);
  if (table == "exp") {
    // On D = difference_format(X, X): [-2^I(X), 2^I(X)) is D's whole range.
    const double r = divides_8 ? std::min(s.hi, 8.0) : s.hi;
    s.lo = -r;
    s.hi = r;
    s.size = table_size(2 * r, lsb, 1024);
  } else if (table == "inv") {
    s.lo = 0;
    s.size = table_size(s.hi, 2 * lsb, 4096);
  } else {
    if ((fn == TableFunction::Sigmoid || fn == TableFunction::Tanh) && divides_8) {
      s.lo = std::max(s.lo, -8.0);
      s.hi = std::min(s.hi, 8.0);
    }
    s.size = table_size(s.hi - s.lo, lsb, 1024);
  }
  return s;
}

}  // namespace nac
