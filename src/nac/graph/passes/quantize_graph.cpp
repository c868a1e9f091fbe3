#include "nac/graph/passes/quantize_graph.hpp"

#include <algorithm>
#include <cmath>

#include "nac/core/error.hpp"
#include "nac/core/fixed.hpp"
#include "nac/graph/quant/constants.hpp"

namespace nac {
namespace {

void check_bits(int bits, const char* what) {
  if (bits < 1 || bits > 63)
    throw InputError(std::string("precision config: ") + what + " must be in 1..63, got " +
                     std::to_string(bits));
}

class Quantizer {
 public:
  Quantizer(const PrecisionConfig& cfg, const CalibrationStats& st) : cfg_(cfg), st_(st) {}

  // fixed<bits, I> for a calibrated range (the integer rule).
  FixedFormat activation(const Node& n, const std::string& key, int bits) const {
    const ValueRange* r = st_.find(n.name, key);
    if (!r || r->empty())
      throw InputError("quantize_graph: node '" + n.name + "': no calibration range for '" + key +
                       "' (calibrate on the same graph first)");
    return {bits, calibrated_integer_bits(*r, bits, cfg_), true, cfg_.rounding, cfg_.overflow};
  }

  // fixed<bits, I> for constants: I from their largest magnitude, raised until it does not
  // overflow after rounding.
  FixedFormat constant(const std::vector<double>& values, int bits) const {
    double m = 0;
    for (double v : values) m = std::max(m, std::fabs(v));
    FixedFormat f{bits, integer_bits_for(m), true, cfg_.weight_rounding, cfg_.weight_overflow};
    // A rounding carry (RND of a value just below 2^(I-1)) overflows: one more integer bit.
    auto overflows = [&] {
      FixedFormat wrap = f, sat = f;
      wrap.overflow = Overflow::WRAP;
      sat.overflow = Overflow::SAT;
      return quantize(m, wrap) != quantize(m, sat);
    };
    while (m > 0 && f.integer < 1024 && overflows()) ++f.integer;
    return f;
  }

  static std::vector<double> unmasked(const Node& n, std::initializer_list<const char*> names) {
    std::vector<double> v;
    for (const char* name : names)
      if (const Param* p = n.find_param(name))
        for (std::size_t i = 0; i < p->value.size(); ++i)
          if (p->mask.empty() || p->mask[i]) v.push_back(p->value[i]);
    return v;
  }

  void node(Node& n) const {
    const int a = cfg_.activation_bits;
    const int wb = cfg_.weight_bits, bb = cfg_.bias_bits > 0 ? cfg_.bias_bits : wb;
    QuantAnnotation q;
    switch (n.op) {
      case OpKind::Input:
        q.result = activation(n, "result", cfg_.input_bits > 0 ? cfg_.input_bits : a);
        break;
      case OpKind::Flatten:
        break;  // keeps its input's format
      case OpKind::Dense:
      case OpKind::Conv2D:
        q.weight = constant(unmasked(n, {"weight"}), wb);
        if (n.find_param("bias")) q.bias = constant(unmasked(n, {"bias"}), bb);
        q.result = activation(n, "result", a);
        break;
      case OpKind::BatchNorm: {
        const BatchNormAffine af = batchnorm_affine(n);
        q.weight = constant(af.scale, wb);
        q.bias = constant(af.shift, bb);
        q.result = activation(n, "result", a);
        break;
      }
      case OpKind::Activation:
      case OpKind::Add:
      case OpKind::Aggregate:
        q.result = activation(n, "result", a);
        break;
      case OpKind::Softmax:
        q.result = activation(n, "result", a);
        table_formats(q);
        break;
      case OpKind::ConvAttn:
        q.weight = constant(unmasked(n, {"q_weight", "k_weight", "v_weight", "proj_weight"}), wb);
        q.bias = constant(unmasked(n, {"q_bias", "k_bias", "v_bias", "proj_bias"}), bb);
        for (const char* k : {"q", "k", "v", "score", "attn", "attend", "proj", "residual"})
          q.extra[k] = activation(n, k, a);
        table_formats(q);
        q.result = activation(n, "result", a);
        break;
      case OpKind::LayerNorm:
        throw InputError("quantize_graph: node '" + n.name +
                         "' (layernorm) has no fixed-point meaning (docs/QUANTIZATION.md); "
                         "remove it or use batchnorm in models meant for hardware");
    }
    if (const auto it = cfg_.layers.find(n.name); it != cfg_.layers.end()) q.overlay(it->second);
    n.quant = q;
  }

  void table_formats(QuantAnnotation& q) const {
    const FixedFormat t{cfg_.table_bits, 1, false, Rounding::RND, Overflow::SAT};
    q.extra["exp"] = t;
    q.extra["inv"] = t;
  }

 private:
  const PrecisionConfig& cfg_;
  const CalibrationStats& st_;
};

}  // namespace

int integer_bits_for(double v) {
  if (!(v > 0)) return 1;
  int e = 0;
  std::frexp(v, &e);  // v = f * 2^e with f in [0.5, 1): 2^(e-1) <= v < 2^e
  return e + 1;       // 2^(I-1) = 2^e > v
}

int calibrated_integer_bits(const ValueRange& r, int bits, const PrecisionConfig& cfg) {
  const bool saturating = cfg.overflow == Overflow::SAT || cfg.overflow == Overflow::SAT_SYM ||
                          cfg.overflow == Overflow::SAT_ZERO;
  if (cfg.integer_rule == IntegerRule::Max || !saturating || r.magnitudes.counts.empty())
    return integer_bits_for(r.max_abs() * (1 + cfg.margin));
  const MagnitudeHistogram& h = r.magnitudes;
  const int top = integer_bits_for(r.max_abs());
  int best = top;
  double best_err = 0;
  for (int i = top; i >= top - 8; --i) {
    const double step = std::ldexp(1.0, i - bits), hi = std::ldexp(1.0, i - 1) - step;
    double err = 0;
    for (int k = 0; k < MagnitudeHistogram::kBins; ++k) {
      const auto c = static_cast<double>(h.counts[static_cast<std::size_t>(k)]);
      if (c == 0) continue;
      const double v = MagnitudeHistogram::value(k);
      err += c * (v > hi ? (v - hi) * (v - hi) : v < step / 2 ? v * v : step * step / 12);
    }
    if (i == top || err < best_err) {
      best = i;
      best_err = err;
    }
  }
  return best;
}

void quantize_graph(Graph& g, const PrecisionConfig& cfg, const CalibrationStats& stats) {
  check_bits(cfg.weight_bits, "weight_bits");
  check_bits(cfg.activation_bits, "activation_bits");
  if (cfg.bias_bits) check_bits(cfg.bias_bits, "bias_bits");
  if (cfg.input_bits) check_bits(cfg.input_bits, "input_bits");
  check_bits(cfg.table_bits, "table_bits");
  if (!(cfg.margin >= 0)) throw InputError("precision config: margin must be >= 0");
  for (const auto& [name, q] : cfg.layers)
    if (g.find(name) < 0)
      throw InputError("precision config: layers: no node named '" + name + "' in the graph");
  const Quantizer qz(cfg, stats);
  for (auto& n : g.nodes()) qz.node(n);
}

}  // namespace nac
