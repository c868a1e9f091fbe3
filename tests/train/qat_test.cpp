// QAT in the executor: straight-through gradients, masks, partly annotated graphs.
#include <gtest/gtest.h>

#include <cmath>

#include "../support/quant_graphs.hpp"
#include "nac/core/error.hpp"
#include "nac/core/fixed.hpp"
#include "nac/emu/emulator.hpp"
#include "nac/graph/passes/quantize_pipeline.hpp"
#include "nac/train/executor.hpp"

namespace nac {
namespace {

FixedFormat fmt(const char* s) { return FixedFormat::parse(s); }

// x [3] -> dense "fc" (2 units), annotated with the given result and weight formats.
Graph one_dense(const char* weight, const char* result) {
  Graph g;
  const int x = testing::add_input(g, {3});
  g.add(OpKind::Dense, "fc", {x}, {{"units", std::int64_t{2}}});
  g.finalize(nullptr);
  g.node(1).param("weight").value.data = {0.5f, -0.25f, 1.0f, 0.75f, -1.0f, 3.0f};
  g.node(1).param("bias").value.data = {0.125f, -0.5f};
  g.node(0).quant.result = fmt("fixed<8,3>");
  auto& q = g.node(1).quant;
  q.weight = fmt(weight);
  q.bias = fmt("fixed<8,3>");
  q.accum = fmt("fixed<24,10>");
  q.result = fmt(result);
  return g;
}

TEST(Qat, ResultGradientIsStraightThroughInsideASaturatingRange) {
  // z = x W + b for x = (2, 1, -1); both outputs leave the result fixed<6,2> ([-2, 1.9375]).
  for (const char* result : {"fixed<6,2,RND,SAT>", "fixed<6,2,RND,WRAP>"}) {
    Graph g = one_dense("fixed<8,2,RND,SAT>", result);
    Executor<double> e(g);
    e.set_qat(true);
    Tensor<double> x({1, 3});
    x.data = {2.0, 1.0, -1.0};
    const Tensor<double> y = e.forward(x, true);
    // weights [3, 2] row-major: column 0 = (0.5, 1.0, -1.0), column 1 = (-0.25, 0.75, 3.0)
    // (3.0 saturates to 127/64 in the weight format)
    const double z0 = 2 * 0.5 + 1 * 1.0 + -1 * -1.0 + 0.125;       // 3.125: out of range
    const double z1 = 2 * -0.25 + 1 * 0.75 + -1 * 1.984375 - 0.5;  // -2.234375: out of range
    const bool sat = std::string(result).find("SAT") != std::string::npos;
    EXPECT_EQ(y[0],
              sat ? max_value(fmt(result)) : to_double(quantize(z0, fmt(result)), fmt(result)));
    EXPECT_EQ(y[1],
              sat ? min_value(fmt(result)) : to_double(quantize(z1, fmt(result)), fmt(result)));
    Tensor<double> dout({1, 2});
    dout.data = {1.0, 1.0};
    e.zero_grads();
    e.backward(dout);
    const auto& dw = e.grads()[1][0];
    for (int i = 0; i < 3; ++i)
      for (int j = 0; j < 2; ++j)
        // (weight 5, the 3.0 outside its own SAT format, gets no gradient in any case)
        EXPECT_EQ(dw[static_cast<std::size_t>(i * 2 + j)],
                  sat || i * 2 + j == 5 ? 0.0 : x[static_cast<std::size_t>(i)])
            << result;
    EXPECT_EQ(e.input_grad()[0], sat ? 0.0 : 0.5 - 0.25) << result;
  }
}

TEST(Qat, WeightGradientIsZeroOutsideASaturatingWeightFormat) {
  // weight 3.0 lies outside fixed<6,2> ([-2, 1.9375]): its gradient is 0 with SAT, 1 * x with
  // WRAP; the other weights pass straight through.
  for (const char* weight : {"fixed<6,2,RND,SAT>", "fixed<6,2,RND,WRAP>"}) {
    Graph g = one_dense(weight, "fixed<16,8>");
    Executor<double> e(g);
    e.set_qat(true);
    Tensor<double> x({1, 3});
    x.data = {0.5, 0.25, 0.75};
    e.forward(x, true);
    Tensor<double> dout({1, 2});
    dout.data = {1.0, 1.0};
    e.zero_grads();
    e.backward(dout);
    const auto& dw = e.grads()[1][0];
    const bool sat = std::string(weight).find("SAT") != std::string::npos;
    EXPECT_EQ(dw[5], sat ? 0.0 : 0.75) << weight;  // the weight 3.0 (row 2, column 1)
    EXPECT_EQ(dw[0], 0.5) << weight;
    EXPECT_EQ(dw[3], 0.25) << weight;
  }
}

TEST(Qat, PrunedWeightsContributeNothingAndMasterWeightsStayFloat) {
  Graph g = one_dense("fixed<8,2,RND,SAT>", "fixed<16,8>");
  auto& w = g.node(1).param("weight");
  w.mask = {1, 1, 1, 1, 1, 0};  // prune the 3.0 (its stored value stays non-zero)
  Executor<double> e(g);
  e.set_qat(true);
  Tensor<double> x({1, 3});
  x.data = {0.5, 0.25, 0.75};
  const Tensor<double> y = e.forward(x, false);
  EXPECT_EQ(y[1], 0.5 * -0.25 + 0.25 * 0.75 - 0.5);
  EXPECT_EQ(e.params()[1][0][5], 0.0);  // a pruned entry loads as 0, whatever the file says
  e.params()[1][0][0] = 0.3;            // off the 8-bit grid
  e.forward(x, false);
  EXPECT_EQ(e.params()[1][0][0], 0.3);  // the master weights stay float
  EXPECT_EQ(y.data, tensor_cast<double>(emulate(g, tensor_cast<float>(x))).data);
}

TEST(Qat, WideFormatsGiveTheFloatGradients) {
  // With 24-bit formats quantisation is nearly invisible: QAT gradients equal the float ones
  // (the straight-through plumbing is right), on families without table non-linearities.
  for (int f = 0; f < 3; ++f) {
    Graph g = f == 0   ? testing::quant_conv(3)
              : f == 1 ? testing::quant_deepsets(3, "max")
                       : testing::quant_deepsets(3, "mean");
    PrecisionConfig cfg;
    cfg.weight_bits = 24;
    cfg.activation_bits = 24;
    cfg.margin = 8;
    const Tensor<float> xs = testing::quant_inputs(g, 8, 4);
    quantization_passes(cfg, xs).run(g);
    const Tensor<double> x = tensor_cast<double>(xs);
    Executor<double> q(g), fl(g);
    q.set_qat(true);
    const Tensor<double> yq = q.forward(x, true), yf = fl.forward(x, true);
    Tensor<double> dout(yq.shape);
    Rng rng(5);
    for (auto& v : dout.data) v = rng.uniform(-1, 1);
    q.zero_grads();
    fl.zero_grads();
    q.backward(dout);
    fl.backward(dout);
    for (std::size_t i = 0; i < yq.size(); ++i) EXPECT_NEAR(yq[i], yf[i], 1e-4);
    for (std::size_t n = 0; n < q.grads().size(); ++n)
      for (std::size_t k = 0; k < q.grads()[n].size(); ++k)
        for (std::size_t i = 0; i < q.grads()[n][k].size(); ++i)
          ASSERT_NEAR(q.grads()[n][k][i], fl.grads()[n][k][i], 1e-4)
              << "family " << f << " node " << g.node(static_cast<int>(n)).name << " param " << k;
    for (std::size_t i = 0; i < x.size(); ++i)
      EXPECT_NEAR(q.input_grad()[i], fl.input_grad()[i], 1e-4);
  }
}

TEST(Qat, PartlyAnnotatedGraphsNeedAnInputFormatAtTheBoundary) {
  Graph g = testing::quant_mlp(2);
  auto& fc2 = g.node(g.find("fc2")).quant;
  fc2.weight = fmt("fixed<8,1>");
  fc2.bias = fmt("fixed<8,1>");
  fc2.accum = fmt("fixed<30,10>");
  fc2.result = fmt("fixed<8,3>");
  {
    Executor<float> e(g);
    try {
      e.set_qat(true);
      FAIL();
    } catch (const GraphError& err) {
      EXPECT_NE(std::string(err.what()).find("node 'fc2'"), std::string::npos) << err.what();
      EXPECT_NE(std::string(err.what()).find("quant.input"), std::string::npos) << err.what();
    }
  }
  fc2.input = fmt("fixed<8,2>");
  Executor<double> q(g), fl(g);
  q.set_qat(true);
  const Tensor<double> x = tensor_cast<double>(testing::quant_inputs(g, 4, 1));
  q.forward(x, false);
  fl.forward(x, false);
  const int id = g.find("fc2");
  EXPECT_EQ(q.activation(id - 1).data, fl.activation(id - 1).data);  // float before fc2
  for (double v : q.activation(id).data) EXPECT_TRUE(fits(v, fmt("fixed<8,3>"))) << v;
}

}  // namespace
}  // namespace nac
