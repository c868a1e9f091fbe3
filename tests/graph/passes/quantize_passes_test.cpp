// calibrate, quantize_graph, infer_precision and the pass manager.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "../../support/quant_graphs.hpp"
#include "nac/core/error.hpp"
#include "nac/core/fixed.hpp"
#include "nac/core/rng.hpp"
#include "nac/emu/emulator.hpp"
#include "nac/graph/passes/calibrate.hpp"
#include "nac/graph/passes/infer_precision.hpp"
#include "nac/graph/passes/quantize_graph.hpp"
#include "nac/graph/passes/quantize_pipeline.hpp"
#include "nac/graph/quant/bounds.hpp"
#include "nac/graph/quant/constants.hpp"
#include "nac/train/executor.hpp"

namespace nac {
namespace {

FixedFormat fmt(const char* s) { return FixedFormat::parse(s); }

TEST(Calibrate, RecordsEveryNodeAndTheAttentionIntermediates) {
  const Graph g = testing::quant_attn(3);
  const Tensor<float> x = testing::quant_inputs(g, 20, 4);
  const CalibrationStats st = calibrate(g, x, 7);  // batches of 7: ranges merge across batches
  EXPECT_EQ(st.samples, 20);
  Executor<float> e(g);
  e.forward(x, false);
  for (int id = 0; id < g.size(); ++id) {
    const auto& a = e.activation(id).data;
    const ValueRange* r = st.find(g.node(id).name, "result");
    ASSERT_NE(r, nullptr) << g.node(id).name;
    // (GEMMs over batches of 7 and of 20 may round differently in the last bit)
    EXPECT_NEAR(r->min, *std::min_element(a.begin(), a.end()), 1e-5);
    EXPECT_NEAR(r->max, *std::max_element(a.begin(), a.end()), 1e-5);
  }
  for (const char* k : {"q", "k", "v", "score", "attn", "attend", "proj", "residual"}) {
    const ValueRange* r = st.find("attn", k);
    ASSERT_NE(r, nullptr) << k;
    EXPECT_LT(r->min, r->max) << k;
  }
  EXPECT_GE(st.find("attn", "attn")->min, 0.0);
  EXPECT_LE(st.find("attn", "attn")->max, 1.0);
  EXPECT_THROW(calibrate(g, Tensor<float>({3, 5}), 8), InputError);
}

TEST(QuantizeGraph, IntegerBitsRule) {
  EXPECT_EQ(integer_bits_for(0.0), 1);
  EXPECT_EQ(integer_bits_for(0.9), 1);  // [-1, 1)
  EXPECT_EQ(integer_bits_for(1.0), 2);  // 1 needs [-2, 2)
  EXPECT_EQ(integer_bits_for(3.5), 3);
  EXPECT_EQ(integer_bits_for(0.2), -1);  // [-0.25, 0.25)
}

// The squared error of quantising `v` to fixed<bits, I, RND, SAT>, computed with the quantiser.
double exact_sq_error(const std::vector<double>& v, int bits, int i) {
  const FixedFormat f{bits, i, true, Rounding::RND, Overflow::SAT};
  double e = 0;
  for (double x : v) {
    const double q = std::ldexp(static_cast<double>(quantize(x, f)), -f.frac());
    e += (x - q) * (x - q);
  }
  return e;
}

TEST(Calibrate, MagnitudeHistogramBinsByOctave) {
  MagnitudeHistogram h;
  for (double v : {0.0, 1e-30, std::numeric_limits<double>::infinity(),
                   std::numeric_limits<double>::quiet_NaN()})
    h.add(v);
  EXPECT_EQ(h.tiny, 4u);
  EXPECT_TRUE(h.counts.empty());
  for (double v : {1.0, -1.03, 0.74, 3.0}) h.add(v);
  ASSERT_EQ(h.counts.size(), static_cast<std::size_t>(MagnitudeHistogram::kBins));
  std::uint64_t total = 0;
  for (int i = 0; i < MagnitudeHistogram::kBins; ++i) {
    const std::uint64_t c = h.counts[static_cast<std::size_t>(i)];
    total += c;
    if (c == 0) continue;
    // A bin's value lies within 1/16 of an octave of the values it holds.
    const double v = MagnitudeHistogram::value(i);
    const bool near =
        std::fabs(v - 1.0) < 0.07 || std::fabs(v - 0.74) < 0.04 || std::fabs(v - 3.0) < 0.2;
    EXPECT_TRUE(near) << v;
  }
  EXPECT_EQ(total, 4u);
  EXPECT_EQ(h.counts[static_cast<std::size_t>((1 - MagnitudeHistogram::kMinExp) *
                                              MagnitudeHistogram::kSub)],
            2u);  // 1.0 and 1.03 share the first bin of [1, 2)
}

TEST(QuantizeGraph, MseIntegerBitsWeighClippingAgainstResolution) {
  // 10,000 standard normal values and one outlier at 40 (I_max = 7).
  std::vector<double> v;
  Rng rng(3);
  for (int k = 0; k < 10000; ++k) v.push_back(rng.normal());
  v.push_back(40.0);
  ValueRange r;
  for (double x : v) r.add(x);
  const int top = integer_bits_for(r.max_abs());
  ASSERT_EQ(top, 7);
  PrecisionConfig cfg;
  cfg.integer_rule = IntegerRule::Mse;
  for (int bits : {3, 4, 6, 8, 16}) {
    const int chosen = calibrated_integer_bits(r, bits, cfg);
    double best = exact_sq_error(v, bits, top);
    for (int i = top - 8; i <= top; ++i) best = std::min(best, exact_sq_error(v, bits, i));
    // The histogram estimate picks (nearly) the quantiser's own best choice.
    EXPECT_LE(exact_sq_error(v, bits, chosen), 1.25 * best) << bits << " bits, I = " << chosen;
    EXPECT_LE(chosen, top);
    EXPECT_GE(chosen, top - 8);
  }
  EXPECT_LT(calibrated_integer_bits(r, 4, cfg), top - 2);  // 4 bits: clip the outlier
  EXPECT_EQ(calibrated_integer_bits(r, 16, cfg), top);     // 16 bits: resolution is cheap
  // The max rule, and the mse rule under a wrapping overflow, keep max|v| * 1.1.
  cfg.integer_rule = IntegerRule::Max;
  EXPECT_EQ(calibrated_integer_bits(r, 4, cfg), integer_bits_for(40 * 1.1));
  cfg.integer_rule = IntegerRule::Mse;
  cfg.overflow = Overflow::WRAP;
  EXPECT_EQ(calibrated_integer_bits(r, 4, cfg), integer_bits_for(40 * 1.1));
}

TEST(QuantizeGraph, MseRuleAnnotatesActivations) {
  Graph g = testing::quant_mlp(5);
  const CalibrationStats st = calibrate(g, testing::quant_inputs(g, 200, 6));
  PrecisionConfig cfg;
  cfg.weight_bits = cfg.activation_bits = 4;
  cfg.integer_rule = IntegerRule::Mse;
  quantize_graph(g, cfg, st);
  bool tighter = false;
  for (const auto& n : g.nodes()) {
    if (!n.quant.result) continue;
    const ValueRange& r = *st.find(n.name, "result");
    EXPECT_EQ(n.quant.result->integer, calibrated_integer_bits(r, 4, cfg)) << n.name;
    tighter |= n.quant.result->integer < integer_bits_for(r.max_abs() * 1.1);
  }
  EXPECT_TRUE(tighter) << "at 4 bits some range is worth clipping";
}

TEST(QuantizeGraph, FormatsFromBitsRangesAndOverrides) {
  Graph g = testing::quant_mlp(5);
  const Tensor<float> x = testing::quant_inputs(g, 50, 6);
  const CalibrationStats st = calibrate(g, x);
  PrecisionConfig cfg;
  cfg.weight_bits = 6;
  cfg.activation_bits = 7;
  cfg.layers["fc2"].accum = fmt("fixed<30,10>");
  cfg.layers["fc2"].result = fmt("fixed<12,4,TRN,WRAP>");
  quantize_graph(g, cfg, st);
  const Node& fc1 = g.node(g.find("fc1"));
  double wmax = 0;
  for (float v : fc1.param("weight").value.data) wmax = std::max(wmax, std::fabs(double(v)));
  EXPECT_EQ(*fc1.quant.weight,
            (FixedFormat{6, integer_bits_for(wmax), true, Rounding::RND, Overflow::SAT}));
  const double rmax = st.find("fc1", "result")->max_abs();
  EXPECT_EQ(*fc1.quant.result,
            (FixedFormat{7, integer_bits_for(rmax * 1.1), true, Rounding::RND, Overflow::SAT}));
  EXPECT_FALSE(fc1.quant.accum);  // left to infer_precision
  EXPECT_EQ(*g.node(g.find("fc2")).quant.accum, fmt("fixed<30,10>"));
  EXPECT_EQ(*g.node(g.find("fc2")).quant.result, fmt("fixed<12,4>"));
  // Every real activation value fits its result format.
  for (const auto& n : g.nodes()) {
    if (!n.quant.result) continue;
    EXPECT_LE(st.find(n.name, "result")->max_abs(), max_value(*n.quant.result)) << n.name;
  }
  cfg.layers["nope"] = {};
  EXPECT_THROW(quantize_graph(g, cfg, st), InputError);
}

TEST(InferPrecision, AccumulatorsAreExactAndTight) {
  Graph g = testing::quant_conv(2);
  const Tensor<float> x = testing::quant_inputs(g, 30, 3);
  PrecisionReport rep;
  quantization_passes(PrecisionConfig{}, x, &rep).run(g);
  EXPECT_EQ(rep.set, 3);
  EXPECT_TRUE(rep.not_exact.empty());
  // Tightness on the first conv: the input that maximises (minimises) output channel j's sum
  // (x at its format's extremes by the weights' signs) needs every bit of the accumulator.
  const Node& c = g.node(g.find("conv1"));
  const FixedFormat X = *g.node(0).quant.result, W = *c.quant.weight, B = *c.quant.bias;
  const FixedFormat A = *c.quant.accum;
  EXPECT_EQ(A.frac(), std::max(X.frac() + W.frac(), B.frac()));
  const auto w = quantize_param(c.param("weight"), W);
  const auto b = quantize_param(c.param("bias"), B);
  const SumBound bound =
      weighted_sum_bound(min_mantissa(X), max_mantissa(X), X, w, W, 9, 4, &b, &B);
  EXPECT_EQ(A, exact_accumulator(bound));
  Int128 lo = 0, hi = 0;
  for (int j = 0; j < 4; ++j) {
    Int128 s_hi = Int128{b[j]} << (A.frac() - B.frac()), s_lo = s_hi;
    for (int i = 0; i < 9; ++i) {
      const Int128 wv = Int128{w[static_cast<std::size_t>(i * 4 + j)]}
                        << (A.frac() - X.frac() - W.frac());
      s_hi += wv * (wv > 0 ? max_mantissa(X) : min_mantissa(X));
      s_lo += wv * (wv > 0 ? min_mantissa(X) : max_mantissa(X));
    }
    hi = std::max(hi, s_hi);
    lo = std::min(lo, s_lo);
  }
  // One bit narrower would not hold the attained extreme.
  EXPECT_TRUE(lo < -(Int128{1} << (A.width - 2)) || hi > (Int128{1} << (A.width - 2)) - 1);
  // A given accumulator too narrow to be exact is reported, not replaced.
  g.node(g.find("conv2")).quant.accum = fmt("fixed<10,4>");
  const PrecisionReport again = infer_precision(g);
  EXPECT_EQ(again.set, 0);
  ASSERT_EQ(again.not_exact.size(), 1u);
  EXPECT_EQ(again.not_exact[0].node, "conv2");
  EXPECT_EQ(*g.node(g.find("conv2")).quant.accum, fmt("fixed<10,4>"));
}

// With infer_precision's accumulators nothing inside a layer overflows: the emulator counts no
// overflow in any accumulator, and saturating or wrapping accumulators give the same bits.
TEST(InferPrecision, NothingWrapsOnAnyFamily) {
  for (int family = 0; family < 4; ++family) {
    Graph g = family == 0   ? testing::quant_mlp(1)
              : family == 1 ? testing::quant_conv(1)
              : family == 2 ? testing::quant_attn(1)
                            : testing::quant_deepsets(1, "sum");
    const Tensor<float> cal = testing::quant_inputs(g, 40, 2);
    PrecisionConfig cfg;
    cfg.activation_bits = 6;
    cfg.overflow = Overflow::WRAP;  // results may wrap; accumulators must not
    cfg.margin = 4.0;               // so they do not either, on these inputs
    quantization_passes(cfg, cal).run(g);
    const Tensor<float> x = testing::quant_inputs(g, 60, 3, 3.0);
    const EmuResult wrap = Emulator(g).run(x);
    for (long long o : wrap.overflows) EXPECT_EQ(o, 0) << "family " << family;
    Graph sat = g;
    for (auto& n : sat.nodes()) {
      if (n.quant.accum) n.quant.accum->overflow = Overflow::SAT;
      for (auto& [k, f] : n.quant.extra)
        if (k.find("accum") != std::string::npos || k == "exp_sum") f.overflow = Overflow::SAT;
    }
    const EmuResult s = Emulator(sat).run(x);
    for (int id = 0; id < g.size(); ++id)
      EXPECT_EQ(wrap.mantissas[static_cast<std::size_t>(id)].data,
                s.mantissas[static_cast<std::size_t>(id)].data)
          << "family " << family << " node " << g.node(id).name;
  }
}

TEST(InferPrecision, MissingFormatsNameTheNode) {
  Graph g = testing::quant_mlp(1);
  g.node(0).quant.result = fmt("fixed<8,3>");
  try {
    infer_precision(g);
    FAIL();
  } catch (const GraphError& e) {
    EXPECT_NE(std::string(e.what()).find("node 'fc1'"), std::string::npos) << e.what();
  }
}

TEST(PassManager, RunsVerifiesAndNamesTheBrokenPass) {
  Graph g = testing::quant_mlp(1);
  PassManager pm;
  int calls = 0;
  pm.add("count", [&](Graph&) { ++calls; });
  pm.add("break", [](Graph& gr) { gr.node(1).quant.accum = FixedFormat{64, 10}; });
  EXPECT_EQ(pm.names(), (std::vector<std::string>{"count", "break"}));
  try {
    pm.run(g);
    FAIL();
  } catch (const GraphError& e) {
    EXPECT_NE(std::string(e.what()).find("after pass 'break'"), std::string::npos) << e.what();
  }
  EXPECT_EQ(calls, 1);
  pm.set_enabled("break", false);
  g = testing::quant_mlp(1);
  const auto runs = pm.run(g);
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_EQ(runs[0].name, "count");
  EXPECT_THROW(pm.set_enabled("nope", true), InputError);
}

}  // namespace
}  // namespace nac
