// Pruning masks are honoured by every stage after the pruner: a masked weight whose stored value
// is large (a stale file, a bug upstream) changes nothing in calibration, quantize_graph's
// formats, infer_precision's accumulators, the emulator, the QAT and float executors, or the
// costs (BOPs count the masks' sparsity), and fold_batchnorm keeps the masks.
#include <gtest/gtest.h>

#include <cmath>

#include "../support/quant_graphs.hpp"
#include "nac/compress/prune.hpp"
#include "nac/cost/bops.hpp"
#include "nac/cost/macs.hpp"
#include "nac/cost/params.hpp"
#include "nac/emu/emulator.hpp"
#include "nac/graph/passes/calibrate.hpp"
#include "nac/graph/passes/fold_batchnorm.hpp"
#include "nac/graph/passes/quantize_pipeline.hpp"
#include "nac/train/executor.hpp"

namespace nac {
namespace {

// The same pruned graph twice: masked entries 0 (as the pruner leaves them) and 50.
std::pair<Graph, Graph> pruned_pair(Graph g) {
  prune_step(g, {PruneKind::Unstructured, PruneScope::Layer, {}, 0.5});
  Graph stale = g;
  for (auto& n : stale.nodes())
    for (auto& p : n.params)
      for (std::size_t i = 0; i < p.mask.size(); ++i)
        if (!p.mask[i]) p.value[i] = 50.0f;
  return {g, stale};
}

class MasksHonoured : public ::testing::TestWithParam<int> {};

Graph family(int f) {
  return f == 0   ? testing::quant_mlp(21)
         : f == 1 ? testing::quant_conv(22)
                  : testing::quant_attn(23);
}

TEST_P(MasksHonoured, EveryStageIgnoresMaskedValues) {
  auto [clean, stale] = pruned_pair(family(GetParam()));
  const Tensor<float> x = testing::quant_inputs(clean, 40, 7);

  // Float executor and calibration.
  Executor<float> ec(clean), es(stale);
  EXPECT_EQ(ec.forward(x, false).data, es.forward(x, false).data);
  const CalibrationStats cc = calibrate(clean, x), cs = calibrate(stale, x);
  for (const auto& [node, keys] : cc.ranges)
    for (const auto& [key, r] : keys) {
      EXPECT_EQ(r.min, cs.ranges.at(node).at(key).min) << node << " " << key;
      EXPECT_EQ(r.max, cs.ranges.at(node).at(key).max) << node << " " << key;
    }

  // quantize_graph + infer_precision: the same formats and accumulators.
  PrecisionConfig cfg;
  cfg.weight_bits = cfg.activation_bits = 6;
  quantization_passes(cfg, x).run(clean);
  quantization_passes(cfg, x).run(stale);
  for (int id = 0; id < clean.size(); ++id)
    EXPECT_EQ(clean.node(id).quant, stale.node(id).quant) << clean.node(id).name;

  // Emulator and QAT inference: bit for bit the same.
  const EmuResult a = Emulator(clean).run(x), b = Emulator(stale).run(x);
  for (int id = 0; id < clean.size(); ++id) EXPECT_EQ(a.mantissas[id].data, b.mantissas[id].data);
  Executor<double> qc(clean), qs(stale);
  qc.set_qat(true);
  qs.set_qat(true);
  EXPECT_EQ(qc.forward(tensor_cast<double>(x), false).data,
            qs.forward(tensor_cast<double>(x), false).data);

  // Costs from the masks.
  EXPECT_EQ(count_bops(clean), count_bops(stale));
  EXPECT_EQ(count_params(clean).nonzero, count_params(stale).nonzero);
  EXPECT_LT(count_macs(clean).effective, static_cast<double>(count_macs(clean).dense));
}

INSTANTIATE_TEST_SUITE_P(Families, MasksHonoured, ::testing::Values(0, 1, 2));

TEST(MasksHonoured, BopsCountTheMaskedSparsityPerLayer) {
  Graph g = testing::quant_mlp(3);
  PrecisionConfig cfg;
  cfg.weight_bits = 5;
  cfg.activation_bits = 7;
  quantization_passes(cfg, testing::quant_inputs(g, 30, 2)).run(g);
  prune_step(g, {PruneKind::Unstructured, PruneScope::Layer, {}, 0.25});
  // fc1: 16 outputs, fan-in 10, 40 of 160 weights pruned; it reads the 7-bit input.
  const auto layers = bops_by_layer(g);
  ASSERT_EQ(layers[0].node, "fc1");
  EXPECT_DOUBLE_EQ(layers[0].sparsity, 0.25);
  EXPECT_DOUBLE_EQ(layers[0].bops, 16.0 * 10 * (0.75 * 5 * 7 + 5 + 7 + std::log2(10.0)));
}

TEST(MasksHonoured, FoldBatchnormKeepsTheMask) {
  Graph g;
  int x = testing::add_input(g, {6});
  x = g.add(OpKind::Dense, "fc", {x}, {{"units", testing::int_attr(4)}});
  x = g.add(OpKind::BatchNorm, "bn", {x});
  g.add(OpKind::Dense, "out", {x}, {{"units", testing::int_attr(2)}});
  testing::randomize_params(g, 4);
  prune_step(g, {PruneKind::Unstructured, PruneScope::Layer, {}, 0.5});
  const auto mask = g.node(g.find("fc")).param("weight").mask;
  const Tensor<float> in = testing::quant_inputs(g, 10, 3);
  Executor<double> before(g);
  const auto want = before.forward(tensor_cast<double>(in), false).data;
  ASSERT_EQ(fold_batchnorm(g), 1);
  EXPECT_EQ(g.node(g.find("fc")).param("weight").mask, mask);
  Executor<double> after(g);
  const auto got = after.forward(tensor_cast<double>(in), false).data;
  for (std::size_t i = 0; i < want.size(); ++i) EXPECT_NEAR(got[i], want[i], 1e-5);
}

}  // namespace
}  // namespace nac
