// The sweep's precisions: uniform widths (integer bits calibrated or given), per-layer widths by
// group, explicit per-node formats, accumulator re-inference; BOPs follow the formats.
#include <gtest/gtest.h>

#include "../support/quant_graphs.hpp"
#include "nac/compress/precision.hpp"
#include "nac/core/error.hpp"
#include "nac/cost/bops.hpp"
#include "nac/emu/emulator.hpp"
#include "nac/graph/passes/calibrate.hpp"

namespace nac {
namespace {

FixedFormat fmt(const char* s) { return FixedFormat::parse(s); }

struct Fixture {
  Graph g = testing::quant_mlp(5);  // x -> fc1 -> relu1 -> fc2 -> act2 (tanh) -> out
  CalibrationStats st = calibrate(g, testing::quant_inputs(g, 64, 6));
};

TEST(Precision, UniformWidthEverywhereWithCalibratedIntegerBits) {
  Fixture f;
  PrecisionSpec spec;
  spec.bits = 6;
  spec.label = uniform_label(6);
  EXPECT_EQ(spec.label, "6b");
  QuantizeOptions opt;
  opt.output_bits = kOutputGroup;  // the output layer too (kOutputExact: see below)
  quantize_for(f.g, spec, opt, f.st);
  for (const Node& n : f.g.nodes()) {
    ASSERT_TRUE(n.quant.result) << n.name;
    EXPECT_EQ(n.quant.result->width, 6) << n.name;
    EXPECT_EQ(n.quant.result->rounding, Rounding::RND);
    EXPECT_EQ(n.quant.result->overflow, Overflow::SAT);
    if (n.op == OpKind::Dense) {
      EXPECT_EQ(n.quant.weight->width, 6);
      EXPECT_TRUE(n.quant.accum) << "exact accumulator inferred";
    }
  }
  Emulator e(f.g);  // fully annotated
  // BOPs: every dense sees 6-bit activations and 6-bit weights.
  for (const auto& l : bops_by_layer(f.g)) {
    EXPECT_EQ(l.weight_bits, 6) << l.node;
    EXPECT_EQ(l.activation_bits, 6) << l.node;
  }
}

TEST(Precision, GivenIntegerBitsReplaceCalibratedOnes) {
  Fixture f;
  PrecisionSpec spec;
  spec.bits = 8;
  spec.integer = 3;
  EXPECT_EQ(uniform_label(8, 3), "8b3i");
  QuantizeOptions opt;
  opt.output_bits = kOutputGroup;
  quantize_for(f.g, spec, opt, f.st);
  for (const Node& n : f.g.nodes()) {
    EXPECT_EQ(*n.quant.result, (FixedFormat{8, 3, true, Rounding::RND, Overflow::SAT})) << n.name;
    if (n.quant.weight) {
      EXPECT_EQ(n.quant.weight->integer, 3);
    }
  }
}

TEST(Precision, PerLayerWidthsApplyToTheLayersGroup) {
  Fixture f;
  EXPECT_EQ(weighted_layers(f.g), (std::vector<std::string>{"fc1", "fc2", "out"}));
  EXPECT_EQ(layer_groups(f.g), (std::vector<std::string>{"", "fc1", "fc1", "fc2", "fc2", "out"}));
  PrecisionSpec spec;
  spec.bits = 8;
  spec.label = "mixed";
  spec.layers["fc2"].bits = 4;
  spec.layers["out"].formats.weight = fmt("fixed<5,2,RND,SAT>");
  QuantizeOptions opt;
  opt.output_bits = kOutputGroup;
  quantize_for(f.g, spec, opt, f.st);
  auto node = [&](const char* n) -> const Node& { return f.g.node(f.g.find(n)); };
  EXPECT_EQ(node("x").quant.result->width, 8);
  EXPECT_EQ(node("fc1").quant.weight->width, 8);
  EXPECT_EQ(node("relu1").quant.result->width, 8);
  EXPECT_EQ(node("fc2").quant.weight->width, 4);
  EXPECT_EQ(node("fc2").quant.result->width, 4);
  EXPECT_EQ(node("act2").quant.result->width, 4);
  EXPECT_EQ(*node("out").quant.weight, fmt("fixed<5,2,RND,SAT>"));
  EXPECT_EQ(node("out").quant.result->width, 8);
  // fc2 reads relu1 (8 bits) with 4-bit weights; out reads act2 (4 bits) with 5-bit weights.
  for (const auto& l : bops_by_layer(f.g)) {
    const int want_w = l.node == "fc2" ? 4 : l.node == "out" ? 5 : 8;
    const int want_a = l.node == "out" ? 4 : 8;
    EXPECT_EQ(l.weight_bits, want_w) << l.node;
    EXPECT_EQ(l.activation_bits, want_a) << l.node;
  }
}

TEST(Precision, RefusesLayersThatAreNotInTheModel) {
  Fixture f;
  PrecisionSpec spec;
  spec.where = "task.yaml:9: compress.precisions[2]";
  spec.layers["nope"].bits = 4;
  try {
    quantize_for(f.g, spec, {}, f.st);
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("task.yaml:9"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("'nope'"), std::string::npos) << e.what();
  }
  spec.layers.clear();
  spec.layers["relu1"].bits = 4;  // no weights
  EXPECT_THROW(quantize_for(f.g, spec, {}, f.st), InputError);
}

TEST(Precision, ReinferenceKeepsExplicitAccumulatorsAndFollowsTheWeights) {
  Fixture f;
  PrecisionSpec spec;
  spec.bits = 8;
  spec.layers["fc1"].formats.accum = fmt("fixed<40,12>");
  quantize_for(f.g, spec, {}, f.st);
  const FixedFormat fc2_before = *f.g.node(f.g.find("fc2")).quant.accum;
  widen_accumulators(f.g, 4);
  EXPECT_EQ(f.g.node(f.g.find("fc2")).quant.accum->width, fc2_before.width + 4);
  EXPECT_EQ(f.g.node(f.g.find("fc2")).quant.accum->integer, fc2_before.integer + 4);
  // Shrinking fc2's weights shrinks its exact accumulator.
  for (auto& v : f.g.node(f.g.find("fc2")).param("weight").value.data) v *= 0.25f;
  reinfer_accumulators(f.g, spec);
  EXPECT_EQ(*f.g.node(f.g.find("fc1")).quant.accum, fmt("fixed<40,12>"));
  EXPECT_LT(f.g.node(f.g.find("fc2")).quant.accum->integer, fc2_before.integer);
}

TEST(Precision, LayerWidthsAllEqualDuplicateTheUniformPrecision) {
  const std::vector<std::string> layers = {"fc1", "fc2", "out"};
  PrecisionSpec u8, u6i;
  u8.bits = 8;
  u8.label = "8b";
  u6i.bits = 6;
  u6i.integer = 2;
  u6i.label = "6b2i";
  const std::vector<PrecisionSpec> sweep = {u8, u6i};
  PrecisionSpec m;
  m.label = "mixed_t0";
  m.bits = 8;
  for (const auto& l : layers) m.layers[l].bits = 8;
  EXPECT_EQ(duplicate_in(m, layers, sweep), "8b");
  m.layers["fc2"].bits = 6;
  EXPECT_EQ(duplicate_in(m, layers, sweep), "");
  for (const auto& l : layers) m.layers[l].bits = 6;
  m.bits = 6;
  EXPECT_EQ(duplicate_in(m, layers, sweep), "") << "6b2i fixes the integer bits";
  for (const auto& l : layers) m.layers[l].bits = 8;
  m.bits = 8;
  m.layers["out"].formats.weight = fmt("fixed<8,1,RND,SAT>");
  EXPECT_EQ(duplicate_in(m, layers, sweep), "");
  // The same annotations indeed: quantize_for gives both the same formats.
  m.layers["out"].formats = {};
  Fixture f;
  Graph a = f.g, b = f.g;
  quantize_for(a, m, {}, f.st);
  quantize_for(b, u8, {}, f.st);
  for (int id = 0; id < a.size(); ++id) EXPECT_EQ(a.node(id).quant, b.node(id).quant);
}

TEST(Precision, OutputLayerKeepsItsExactAccumulator) {
  Fixture f;
  const Tensor<float> x = testing::quant_inputs(f.g, 64, 9);
  PrecisionSpec spec;
  spec.bits = 4;
  Graph exact = f.g, group = f.g, wide = f.g, twelve = f.g;
  quantize_for(exact, spec, {}, f.st);  // the default: kOutputExact
  const Node& out = exact.node(exact.find("out"));
  ASSERT_TRUE(out.quant.accum && out.quant.result);
  EXPECT_EQ(out.quant.result->width, out.quant.accum->width);
  EXPECT_EQ(out.quant.result->integer, out.quant.accum->integer);
  EXPECT_EQ(out.quant.result->overflow, Overflow::SAT);
  EXPECT_GT(out.quant.result->width, 4);
  EXPECT_EQ(exact.node(exact.find("act2")).quant.result->width, 4);  // only the output
  // No rounding: the same sums through a much wider result give the same outputs.
  PrecisionSpec widened = spec;
  widened.label = "wide";
  FixedFormat w = *out.quant.accum;
  w.width += 20;
  w.integer += 10;
  widened.layers["out"].formats.result = w;
  quantize_for(wide, widened, {}, f.st);
  EXPECT_EQ(*wide.node(wide.find("out")).quant.result, w) << "an explicit result wins";
  const Tensor<float> ye = Emulator(exact).predict(x), yw = Emulator(wide).predict(x);
  EXPECT_EQ(ye.data, yw.data);
  // The group rule rounds the output to 4 bits: different outputs.
  QuantizeOptions opt;
  opt.output_bits = kOutputGroup;
  quantize_for(group, spec, opt, f.st);
  EXPECT_EQ(group.node(group.find("out")).quant.result->width, 4);
  EXPECT_NE(Emulator(group).predict(x).data, ye.data);
  opt.output_bits = 12;
  quantize_for(twelve, spec, opt, f.st);
  EXPECT_EQ(twelve.node(twelve.find("out")).quant.result->width, 12);
  // After the weights shrink (growing ones would saturate at the weight format), the result
  // follows the new exact accumulator.
  const FixedFormat before = *out.quant.accum;
  for (auto& v : exact.node(exact.find("out")).param("weight").value.data) v *= 0.125f;
  reinfer_accumulators(exact, spec);
  const Node& shrunk = exact.node(exact.find("out"));
  EXPECT_LT(shrunk.quant.accum->integer, before.integer);
  EXPECT_EQ(shrunk.quant.result->width, shrunk.quant.accum->width);
  EXPECT_EQ(shrunk.quant.result->integer, shrunk.quant.accum->integer);
  // ... but a group-rule output stays as it was.
  const FixedFormat g_before = *group.node(group.find("out")).quant.result;
  for (auto& v : group.node(group.find("out")).param("weight").value.data) v *= 0.125f;
  reinfer_accumulators(group, spec);
  EXPECT_EQ(*group.node(group.find("out")).quant.result, g_before);
}

}  // namespace
}  // namespace nac
