// Chain link 1 (DESIGN.md §3) for compressed models: after QAT and rounds of pruning (with
// rewinding, unstructured and structured) and re-training, the executor's QAT inference in
// double equals the emulator bit for bit on every node.
#include <gtest/gtest.h>

#include <cstdlib>

#include "../support/quant_graphs.hpp"
#include "nac/compress/evaluate.hpp"
#include "nac/compress/prune.hpp"
#include "nac/compress/qat_train.hpp"
#include "nac/emu/emulator.hpp"
#include "nac/graph/passes/calibrate.hpp"

namespace nac {
namespace {

Dataset regression(const Graph& g, int n, std::uint64_t seed) {
  Dataset d;
  d.x = testing::quant_inputs(g, n, seed);
  d.y = Tensor<float>({n, g.output_shape()[0]});
  Rng rng(seed + 1);
  for (auto& v : d.y.data) v = static_cast<float>(rng.uniform(-1, 1));
  return d;
}

// A dense head whose output node is a leaky_relu: the exact-output rule covers both.
Graph leaky_head(std::uint64_t seed) {
  Graph g;
  int x = testing::add_input(g, {10});
  x = g.add(OpKind::Dense, "fc1", {x}, {{"units", std::int64_t{12}}});
  x = g.add(OpKind::Activation, "relu1", {x}, {{"fn", testing::str_attr("relu")}});
  x = g.add(OpKind::Dense, "out", {x}, {{"units", std::int64_t{3}}});
  g.add(OpKind::Activation, "out_act", {x},
        {{"fn", testing::str_attr("leaky_relu")}, {"alpha", 0.1}});
  Rng rng(seed);
  g.finalize(&rng);
  return g;
}

struct ChainCase {
  int family;
  PruneKind kind;
  int bits;
  bool rewind;
};

TEST(CompressChain, PrunedQuantisedPointsMatchTheEmulatorBitForBit) {
  const bool small =
      std::getenv("NAC_TEST_SCALE") && std::string(std::getenv("NAC_TEST_SCALE")) == "small";
  std::vector<ChainCase> cases = {{0, PruneKind::Unstructured, 6, true},
                                  {1, PruneKind::Structured, 8, false},
                                  {2, PruneKind::Unstructured, 5, false},
                                  {3, PruneKind::Unstructured, 4, false}};
  if (!small) {
    cases.push_back({1, PruneKind::Unstructured, 4, true});
    cases.push_back({0, PruneKind::Structured, 7, true});
  }
  for (const ChainCase& c : cases) {
    SCOPED_TRACE("family " + std::to_string(c.family) + ", " + prune_kind_name(c.kind) + ", " +
                 std::to_string(c.bits) + " bits");
    Graph g = c.family == 0   ? testing::quant_mlp(31)
              : c.family == 1 ? testing::quant_conv(32)
              : c.family == 2 ? testing::quant_attn(33)
                              : leaky_head(34);
    TaskData data;
    data.train = regression(g, 40, 10);
    data.val = regression(g, 24, 11);
    PrecisionSpec spec;
    spec.bits = c.bits;
    quantize_for(g, spec, {}, calibrate(g, data.train.x));
    TrainOptions opt;
    opt.optimizer = {.kind = OptimizerKind::Adam, .lr = 0.01};
    opt.batch_size = 8;
    opt.epochs = 1;
    WeightSnapshot snap;
    QatTrainHooks hooks;
    if (c.rewind) {
      hooks.rewind = &snap;
      hooks.rewind_epoch = 1;
    }
    qat_train(g, spec, opt, data, hooks);
    for (int round = 0; round < 2; ++round) {
      prune_step(g, {c.kind, PruneScope::Layer, PruneNorm::L1, 0.3});
      if (c.rewind) rewind_weights(g, snap);
      qat_train(g, spec, opt, data);
    }
    ASSERT_GT(weight_sparsity(g).fraction(), 0.2);
    // The output keeps the exact sums (wider than the precision), re-inferred after the rounds.
    const Node& last = g.node(g.output_id());
    EXPECT_GT(last.quant.result->width, c.bits) << last.name;
    if (c.family == 3) {
      const Node& out = g.node(g.find("out"));
      EXPECT_EQ(out.quant.result->width, out.quant.accum->width);
      EXPECT_EQ(out.quant.result->integer, out.quant.accum->integer);
      EXPECT_EQ(last.quant.result->integer, out.quant.accum->integer);
      EXPECT_GT(last.quant.result->width, out.quant.accum->width);  // alpha's fraction bits
    }
    const EmuResult emu = Emulator(g).run(data.val.x);
    Executor<double> ex(g);
    ex.set_qat(true);
    ex.forward(tensor_cast<double>(data.val.x), false);
    for (int id = 0; id < g.size(); ++id)
      ASSERT_EQ(ex.activation(id).data, emu.values(id).data) << "node " << g.node(id).name;
    // The compressor's judgement is the emulator's output.
    const MetricValues m = evaluate_emulated(g, data.val, opt);
    const Tensor<float> out = emu.output();
    EXPECT_DOUBLE_EQ(m.values.at("loss"), compute_loss<float>(opt.loss, out, data.val.y, nullptr));
  }
}

}  // namespace
}  // namespace nac
