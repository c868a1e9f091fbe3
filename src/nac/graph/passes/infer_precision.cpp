#include "nac/graph/passes/infer_precision.hpp"

#include <algorithm>
#include <optional>

#include "nac/core/error.hpp"
#include "nac/core/fixed.hpp"
#include "nac/core/table.hpp"
#include "nac/graph/ops/activation.hpp"
#include "nac/graph/quant/bounds.hpp"
#include "nac/graph/quant/constants.hpp"
#include "nac/graph/quant/resolve.hpp"

namespace nac {
namespace {

// A closed interval of mantissas at `frac` fraction bits.
struct Iv {
  Int128 lo = 0, hi = 0;
  int frac = 0;
};

Iv full(const FixedFormat& f) { return {format_lo(f), format_hi(f), f.frac()}; }

// The values ⟦v⟧f can take for v in the interval: conversions are monotone, so the endpoints
// convert to the ends, unless a non-saturating overflow makes anything possible.
Iv convert(const Iv& v, const FixedFormat& f) {
  bool o1 = false, o2 = false;
  const std::int64_t a = requantize(v.lo, v.frac, f, &o1);
  const std::int64_t b = requantize(v.hi, v.frac, f, &o2);
  const bool sat = f.overflow == Overflow::SAT || f.overflow == Overflow::SAT_SYM;
  if ((o1 || o2) && !sat) return full(f);
  return {a, b, f.frac()};
}

Int128 shl(Int128 v, int s) { return v * (Int128{1} << s); }

// The smallest and largest entries of a table over the inputs [lo, hi].
Iv table_range(const Table& t, Int128 lo, Int128 hi) {
  const auto clamp64 = [](Int128 v) {
    return static_cast<std::int64_t>(std::clamp<Int128>(v, INT64_MIN, INT64_MAX));
  };
  const int a = t.index(clamp64(lo)), b = t.index(clamp64(hi));
  const auto first = t.entries.begin() + a, last = t.entries.begin() + b + 1;
  return {*std::min_element(first, last), *std::max_element(first, last), t.spec.output.frac()};
}

class Inferer {
 public:
  Inferer(Graph& g, const InferPrecisionOptions& opt) : g_(g), opt_(opt) {}

  PrecisionReport run() {
    iv_.resize(static_cast<std::size_t>(g_.size()));
    res_.resize(static_cast<std::size_t>(g_.size()));
    for (int id = 0; id < g_.size(); ++id) node(id);
    return report_;
  }

 private:
  [[noreturn]] void fail(const Node& n, const std::string& what) const {
    throw GraphError("infer_precision: node '" + n.name + "' (" + op_name(n.op) + "): " + what);
  }
  FixedFormat need(const Node& n, const std::optional<FixedFormat>& f, const char* key) const {
    if (!f) fail(n, std::string("needs a ") + key + " format (run quantize_graph first)");
    return *f;
  }
  FixedFormat extra(const Node& n, const std::string& key) const {
    const auto it = n.quant.extra.find(key);
    if (it == n.quant.extra.end())
      fail(n, "needs the extra format '" + key + "' (run quantize_graph first)");
    return it->second;
  }

  // Sets (or checks) an accumulator; returns the format used.
  FixedFormat accumulator(Node& n, std::optional<FixedFormat>& slot, const std::string& key,
                          const SumBound& b) {
    const FixedFormat exact = exact_accumulator(b);
    if (!slot || opt_.overwrite) {
      if (exact.width > 63)
        fail(n, "the exact " + key + " needs " + std::to_string(exact.width) +
                    " bits, more than the 63 nac supports; narrow the weight or input formats");
      slot = exact;
      ++report_.set;
    } else if (!holds_exactly(b, *slot)) {
      report_.not_exact.push_back({n.name, key, *slot, exact});
    }
    return *slot;
  }
  FixedFormat extra_accumulator(Node& n, const std::string& key, const SumBound& b) {
    std::optional<FixedFormat> slot;
    if (const auto it = n.quant.extra.find(key); it != n.quant.extra.end()) slot = it->second;
    const FixedFormat f = accumulator(n, slot, key, b);
    n.quant.extra[key] = f;
    return f;
  }

  // The sums as they leave the accumulator.
  static Iv through(const SumBound& b, const FixedFormat& acc) {
    if (!holds_exactly(b, acc)) return full(acc);
    return convert({b.lo, b.hi, b.frac}, acc);
  }

  Iv input_iv(const Node& n, int k, FixedFormat* fmt) const {
    const auto src = static_cast<std::size_t>(n.inputs.at(static_cast<std::size_t>(k)));
    if (!res_[src])
      fail(n, "its input '" + g_.node(static_cast<int>(src)).name + "' has no format");
    if (n.quant.input) {
      *fmt = *n.quant.input;
      return convert(iv_[src], *n.quant.input);
    }
    *fmt = *res_[src];
    return iv_[src];
  }

  Iv activation(const Node& n, const Activation& a, const FixedFormat& x, const Iv& v,
                const FixedFormat& r) const {
    switch (a.fn) {
      case ActFn::Identity:
        return convert(v, r);
      case ActFn::ReLU:
        return convert({std::max<Int128>(v.lo, 0), std::max<Int128>(v.hi, 0), v.frac}, r);
      case ActFn::LeakyReLU: {
        const auto it = n.quant.extra.find("alpha");
        const FixedFormat af = it != n.quant.extra.end() ? it->second : default_alpha_format();
        const Int128 am = quantize(a.alpha, af);
        const auto f = [&](Int128 m) { return m > 0 ? shl(m, af.frac()) : m * am; };
        const Int128 lo = std::min(f(v.lo), f(v.hi)), hi = std::max(f(v.lo), f(v.hi));
        return convert({std::min<Int128>(lo, 0), hi, v.frac + af.frac()}, r);
      }
      default: {
        const Table t = build_table(node_table_spec(n, "act", *act_table_function(a.fn), x, r));
        return table_range(t, v.lo, v.hi);
      }
    }
  }

  // The softmax rule on rows of `cols` scores in x (interval v); sets exp_sum; returns the
  // output's interval in `out`.
  Iv softmax(Node& n, const FixedFormat& x, const Iv& v, long long cols, const FixedFormat& out) {
    const FixedFormat e = extra(n, "exp"), inv = extra(n, "inv");
    const Table et =
        build_table(node_table_spec(n, "exp", TableFunction::Exp, difference_format(x, x), e));
    const Iv er = table_range(et, v.lo - v.hi, 0);  // d = x - max lies in [lo - hi, 0]
    const SumBound sb = repeated_sum_bound(er.lo, er.hi, e.frac(), cols);
    const FixedFormat s = extra_accumulator(n, "exp_sum", sb);
    const Table it = build_table(node_table_spec(n, "inv", TableFunction::Reciprocal, s, inv));
    const Iv sr = through(sb, s);
    const Iv ir = table_range(it, std::max<Int128>(sr.lo, 0), sr.hi);
    const Int128 c[4] = {er.lo * ir.lo, er.lo * ir.hi, er.hi * ir.lo, er.hi * ir.hi};
    return convert(
        {*std::min_element(c, c + 4), *std::max_element(c, c + 4), e.frac() + inv.frac()}, out);
  }

  SumBound weighted(const Node& n, const Iv& x, const FixedFormat& xf, const char* w_name,
                    const char* b_name) const {
    const Param& wp = n.param(w_name);
    const FixedFormat wf = need(n, n.quant.weight, "weight");
    const std::vector<std::int64_t> w = quantize_param(wp, wf);
    const int cols = wp.value.shape.back();
    const int k = static_cast<int>(wp.value.size() / static_cast<std::size_t>(cols));
    std::vector<std::int64_t> b;
    std::optional<FixedFormat> bf;
    if (const Param* bp = n.find_param(b_name)) {
      bf = need(n, n.quant.bias, "bias");
      b = quantize_param(*bp, *bf);
    }
    return weighted_sum_bound(x.lo, x.hi, xf, w, wf, k, cols, bf ? &b : nullptr,
                              bf ? &*bf : nullptr);
  }

  void node(int id) {
    Node& n = g_.node(id);
    auto& out = iv_[static_cast<std::size_t>(id)];
    auto& res = res_[static_cast<std::size_t>(id)];
    if (n.op == OpKind::Input) {
      res = need(n, n.quant.result, "result");
      out = full(*res);
      return;
    }
    if (n.op == OpKind::LayerNorm)
      fail(n, "layernorm has no fixed-point meaning (see docs/QUANTIZATION.md)");
    FixedFormat xf;
    const Iv x = input_iv(n, 0, &xf);
    if (n.op == OpKind::Flatten) {
      res = n.quant.result ? *n.quant.result : xf;
      out = convert(x, *res);
      return;
    }
    const FixedFormat r = need(n, n.quant.result, "result");
    res = r;
    switch (n.op) {
      case OpKind::Dense:
      case OpKind::Conv2D: {
        const SumBound b = weighted(n, x, xf, "weight", "bias");
        out = convert(through(b, accumulator(n, n.quant.accum, "accum", b)), r);
        break;
      }
      case OpKind::BatchNorm: {
        const FixedFormat wf = need(n, n.quant.weight, "weight"),
                          bf = need(n, n.quant.bias, "bias");
        const BatchNormAffine a = batchnorm_affine(n);
        const int fp = x.frac + wf.frac(), f = std::max(fp, bf.frac());
        Int128 lo = 0, hi = 0;
        for (std::size_t j = 0; j < a.scale.size(); ++j) {
          const Int128 s = quantize(a.scale[j], wf),
                       t = shl(quantize(a.shift[j], bf), f - bf.frac());
          const Int128 v1 = shl(x.lo * s, f - fp) + t, v2 = shl(x.hi * s, f - fp) + t;
          lo = j == 0 ? std::min(v1, v2) : std::min({lo, v1, v2});
          hi = j == 0 ? std::max(v1, v2) : std::max({hi, v1, v2});
        }
        out = convert({lo, hi, f}, r);
        break;
      }
      case OpKind::Activation:
        out = activation(n, activation_of(n), xf, x, r);
        break;
      case OpKind::Softmax:
        out = softmax(n, xf, x, n.shape.back(), r);
        break;
      case OpKind::ConvAttn:
        out = attention(n, xf, x, r);
        break;
      case OpKind::Add: {
        Int128 lo = 0, hi = 0;
        int f = 0;
        std::vector<std::pair<Iv, FixedFormat>> ins;
        for (std::size_t k = 0; k < n.inputs.size(); ++k) {
          FixedFormat kf;
          ins.emplace_back(input_iv(n, static_cast<int>(k), &kf), kf);
          f = std::max(f, ins.back().first.frac);
        }
        for (const auto& [v, kf] : ins) {
          lo += shl(v.lo, f - v.frac);
          hi += shl(v.hi, f - v.frac);
        }
        out = convert({lo, hi, f}, r);
        break;
      }
      case OpKind::Aggregate: {
        const std::string fn = n.attr_str("fn", "mean");
        if (fn == "max") {
          out = convert(x, r);
          break;
        }
        const long long elems = g_.node(n.inputs[0]).shape[0];
        const SumBound b = repeated_sum_bound(x.lo, x.hi, x.frac, elems);
        Iv s = through(b, accumulator(n, n.quant.accum, "accum", b));
        if (fn == "mean") {
          s.lo /= elems;
          s.hi /= elems;
        }
        out = convert(s, r);
        break;
      }
      default:
        break;
    }
  }

  Iv attention(Node& n, const FixedFormat& xf, const Iv& x, const FixedFormat& r) {
    const SumBound bq = weighted(n, x, xf, "q_weight", "q_bias");
    const SumBound bk = weighted(n, x, xf, "k_weight", "k_bias");
    const SumBound bv = weighted(n, x, xf, "v_weight", "v_bias");
    SumBound all = bq;
    for (const SumBound* b : {&bk, &bv}) {
      all.lo = std::min(all.lo, b->lo);
      all.hi = std::max(all.hi, b->hi);
      all.abs = std::max(all.abs, b->abs);
    }
    const FixedFormat acc = accumulator(n, n.quant.accum, "accum", all);
    const FixedFormat qf = extra(n, "q"), kf = extra(n, "k"), vf = extra(n, "v");
    const Iv q = convert(through(bq, acc), qf), k = convert(through(bk, acc), kf),
             v = convert(through(bv, acc), vf);
    const long long positions = static_cast<long long>(n.shape[0]) * n.shape[1];
    const long long hidden = n.attr_int("hidden");
    const SumBound bs = product_sum_bound(q.lo, q.hi, qf, k.lo, k.hi, kf, hidden);
    const FixedFormat sf = extra(n, "score");
    const Iv s = convert(through(bs, extra_accumulator(n, "score_accum", bs)), sf);
    const FixedFormat af = extra(n, "attn");
    const Iv a = softmax(n, sf, s, positions, af);
    const SumBound bo = product_sum_bound(a.lo, a.hi, af, v.lo, v.hi, vf, positions);
    const FixedFormat of = extra(n, "attend");
    const Iv o = convert(through(bo, extra_accumulator(n, "attend_accum", bo)), of);
    const SumBound bp = weighted(n, o, of, "proj_weight", "proj_bias");
    const FixedFormat pf = extra(n, "proj");
    const Iv p = convert(through(bp, extra_accumulator(n, "proj_accum", bp)), pf);
    const int f = std::max(x.frac, p.frac);
    const Iv z = convert({shl(x.lo, f - x.frac) + shl(p.lo, f - p.frac),
                          shl(x.hi, f - x.frac) + shl(p.hi, f - p.frac), f},
                         extra(n, "residual"));
    return activation(n, activation_of(n, "activation"), extra(n, "residual"), z, r);
  }

  Graph& g_;
  InferPrecisionOptions opt_;
  PrecisionReport report_;
  std::vector<Iv> iv_;
  std::vector<std::optional<FixedFormat>> res_;
};

}  // namespace

PrecisionReport infer_precision(Graph& g, const InferPrecisionOptions& opt) {
  return Inferer(g, opt).run();
}

}  // namespace nac
