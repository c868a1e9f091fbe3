// qat_train keeps the weights it was given when no QAT epoch beats them on validation (the
// starting point competes with the epochs, as restore_best's best epoch).
#include <gtest/gtest.h>

#include "../support/quant_graphs.hpp"
#include "nac/compress/qat_train.hpp"
#include "nac/emu/emulator.hpp"
#include "nac/graph/passes/calibrate.hpp"

namespace nac {
namespace {

TEST(QatTrain, KeepsTheStartWhenNoEpochBeatsIt) {
  Graph g = testing::quant_mlp(4);
  TaskData data;
  data.train.x = testing::quant_inputs(g, 48, 1);
  data.train.y = Tensor<float>({48, g.output_shape()[0]});
  Rng rng(2);
  for (auto& v : data.train.y.data) v = static_cast<float>(rng.uniform(-1, 1));
  PrecisionSpec spec;
  spec.bits = 8;
  quantize_for(g, spec, {}, calibrate(g, data.train.x));
  // Validation targets are the quantised model's own outputs: the start has loss 0, and training
  // on the random training targets moves the weights away from it.
  data.val.x = testing::quant_inputs(g, 16, 3);
  data.val.y = Emulator(g).predict(data.val.x);
  TrainOptions opt;
  opt.optimizer = {.kind = OptimizerKind::Adam, .lr = 0.01};
  opt.batch_size = 16;
  opt.epochs = 2;

  Graph kept = g;
  const TrainResult r = qat_train(kept, spec, opt, data);
  EXPECT_EQ(r.epochs_run, 2);
  EXPECT_NE(r.message.find("kept"), std::string::npos) << r.message;
  EXPECT_EQ(r.best.score, 0.0);
  for (int id = 0; id < g.size(); ++id)
    for (std::size_t k = 0; k < g.node(id).params.size(); ++k)
      EXPECT_EQ(kept.node(id).params[k].value.data, g.node(id).params[k].value.data)
          << g.node(id).name;
  EXPECT_EQ(Emulator(kept).predict(data.val.x).data, data.val.y.data);

  Graph moved = g;
  opt.restore_best = false;
  const TrainResult m = qat_train(moved, spec, opt, data);
  EXPECT_TRUE(m.message.empty()) << m.message;
  EXPECT_NE(moved.node(g.find("fc1")).param("weight").value.data,
            g.node(g.find("fc1")).param("weight").value.data);
}

}  // namespace
}  // namespace nac
