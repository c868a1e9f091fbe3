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
  quantize_for(f.g, spec, {}, f.st);
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
  quantize_for(f.g, spec, {}, f.st);
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
  quantize_for(f.g, spec, {}, f.st);
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

}  // namespace
}  // namespace nac
