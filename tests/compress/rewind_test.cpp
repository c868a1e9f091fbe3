// Lottery-ticket rewinding: the snapshot taken after an early QAT epoch is exactly the weights
// that epoch produced, and rewinding after a pruning step restores those values for the kept
// entries (pruned ones stay 0).
#include <gtest/gtest.h>

#include "../support/quant_graphs.hpp"
#include "nac/compress/prune.hpp"
#include "nac/compress/qat_train.hpp"
#include "nac/core/error.hpp"
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

TEST(Rewind, SnapshotIsTheEarlyEpochAndRewindRestoresKeptEntries) {
  Graph g = testing::quant_mlp(8);
  TaskData data;
  data.train = regression(g, 48, 1);
  data.val = regression(g, 16, 2);
  PrecisionSpec spec;
  spec.bits = 8;
  quantize_for(g, spec, {}, calibrate(g, data.train.x));
  TrainOptions opt;
  opt.optimizer = {.kind = OptimizerKind::Adam, .lr = 0.01};
  opt.batch_size = 16;

  // The reference: one epoch alone (its weights, even when they are worse than the start).
  Graph one = g;
  opt.epochs = 1;
  opt.restore_best = false;
  qat_train(one, spec, opt, data);

  Graph three = g;
  opt.epochs = 3;
  opt.restore_best = false;
  WeightSnapshot snap;
  QatTrainHooks hooks;
  hooks.rewind = &snap;
  hooks.rewind_epoch = 1;
  qat_train(three, spec, opt, data, hooks);
  ASSERT_EQ(snap.values.size(), static_cast<std::size_t>(g.size()));
  for (int id = 0; id < g.size(); ++id)
    for (std::size_t k = 0; k < g.node(id).params.size(); ++k)
      EXPECT_EQ(snap.values[id][k].data, one.node(id).params[k].value.data) << g.node(id).name;
  EXPECT_NE(snap.values[1][0].data, three.node(1).params[0].value.data);  // it trained on

  prune_step(three, {PruneKind::Unstructured, PruneScope::Global, {}, 0.4});
  rewind_weights(three, snap);
  for (int id = 0; id < g.size(); ++id)
    for (std::size_t k = 0; k < g.node(id).params.size(); ++k) {
      const Param& p = three.node(id).params[k];
      for (std::size_t i = 0; i < p.value.size(); ++i)
        EXPECT_EQ(p.value[i], p.mask.empty() || p.mask[i] ? snap.values[id][k][i] : 0.0f);
    }
  EXPECT_GT(weight_sparsity(three).fraction(), 0.39);
}

TEST(Rewind, EpochZeroIsTheStartingWeightsAndAMismatchIsRefused) {
  Graph g = testing::quant_mlp(9);
  TaskData data;
  data.train = regression(g, 32, 3);
  data.val = regression(g, 8, 4);
  PrecisionSpec spec;
  spec.bits = 6;
  quantize_for(g, spec, {}, calibrate(g, data.train.x));
  const Graph start = g;
  TrainOptions opt;
  opt.epochs = 2;
  opt.batch_size = 8;
  WeightSnapshot snap;
  QatTrainHooks hooks;
  hooks.rewind = &snap;
  hooks.rewind_epoch = 0;
  qat_train(g, spec, opt, data, hooks);
  for (int id = 0; id < g.size(); ++id)
    for (std::size_t k = 0; k < g.node(id).params.size(); ++k)
      EXPECT_EQ(snap.values[id][k].data, start.node(id).params[k].value.data);
  Graph other = testing::quant_conv(1);
  EXPECT_THROW(rewind_weights(other, snap), GraphError);
}

}  // namespace
}  // namespace nac
