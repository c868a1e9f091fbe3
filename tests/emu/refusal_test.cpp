// What the emulator (and every backend through resolve_quant) refuses, by node name and reason.
#include <gtest/gtest.h>

#include <cmath>

#include "../support/graphs.hpp"
#include "nac/core/error.hpp"
#include "nac/emu/emulator.hpp"
#include "reference.hpp"

namespace nac {
namespace {

using testing::fmt;

// x [4] -> dense "fc" (3) -> `op` "last"; all annotated.
Graph annotated(OpKind op, Attrs attrs) {
  Graph g;
  const int x = testing::add_input(g, {4});
  const int d = g.add(OpKind::Dense, "fc", {x}, {{"units", std::int64_t{3}}});
  g.add(op, "last", {d}, std::move(attrs));
  Rng rng(1);
  g.finalize(&rng);
  g.node(0).quant.result = fmt("fixed<8,3>");
  auto& q = g.node(1).quant;
  q.weight = fmt("fixed<8,1>");
  q.bias = fmt("fixed<8,3>");
  q.accum = fmt("fixed<20,8>");
  q.result = fmt("fixed<8,3>");
  g.node(2).quant.result = fmt("fixed<8,3>");
  return g;
}

void expect_refusal(const Graph& g, const std::string& a, const std::string& b) {
  try {
    Emulator e(g);
    ADD_FAILURE() << "not refused: expected '" << a << "' and '" << b << "'";
  } catch (const GraphError& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find(a), std::string::npos) << msg;
    EXPECT_NE(msg.find(b), std::string::npos) << msg;
  }
}

TEST(EmuRefusals, NameTheNodeAndTheReason) {
  expect_refusal(annotated(OpKind::LayerNorm, {}), "node 'last' (layernorm)",
                 "no fixed-point meaning");
  Graph g = annotated(OpKind::Activation, {{"fn", std::string("relu")}});
  g.node(1).quant.accum.reset();
  expect_refusal(g, "node 'fc' (dense)", "no accum format");
  g = annotated(OpKind::Activation, {{"fn", std::string("relu")}});
  g.node(2).quant = {};
  expect_refusal(g, "node 'last' (activation)", "no fixed-point annotation");
  g = annotated(OpKind::Activation, {{"fn", std::string("relu")}});
  g.node(1).quant.accum = fmt("fixed<64,20>");
  expect_refusal(g, "node 'fc' (dense)", "at most 63 bits");
  g = annotated(OpKind::Activation, {{"fn", std::string("relu")}});
  g.node(2).quant.extra["alhpa"] = fmt("fixed<8,1>");
  expect_refusal(g, "node 'last' (activation)", "unknown extra format 'alhpa'");
  g = annotated(OpKind::Activation, {{"fn", std::string("sigmoid")}});
  g.node(2).quant.tables["act"] = {1024, -1, 1};  // steps of 1/512, finer than fixed<8,3>'s LSB
  expect_refusal(g, "node 'last' (activation)", "table 'act'");
  g = annotated(OpKind::Softmax, {});
  expect_refusal(g, "node 'last' (softmax)", "quant.extra.exp");
  g = annotated(OpKind::Activation, {{"fn", std::string("relu")}});
  g.node(0).quant.input = fmt("fixed<8,3>");
  expect_refusal(g, "node 'x' (input)", "no quant.input");
}

TEST(EmuRefusals, BadInputsAreInputErrors) {
  const Graph g = annotated(OpKind::Activation, {{"fn", std::string("relu")}});
  const Emulator e(g);
  EXPECT_THROW(e.run(Tensor<float>({2, 5})), InputError);
  Tensor<float> x({1, 4});
  x[2] = std::nanf("");
  EXPECT_THROW(e.run(x), InputError);
  EXPECT_THROW(e.run_mantissas(testing::mantissa_tensor({1, 4}, {0, 0, 500, 0})), InputError);
}

}  // namespace
}  // namespace nac
