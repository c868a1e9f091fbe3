#include "nac/graph/model_file.hpp"

#include <gtest/gtest.h>

#include "nac/core/error.hpp"
#include "nac/core/rng.hpp"
#include "nac/train/executor.hpp"

namespace nac {
namespace {

Model small_model() {
  Model m;
  Graph& g = m.graph;
  int x = g.add(OpKind::Input, "x", {}, {{"shape", std::vector<std::int64_t>{3}}});
  x = g.add(OpKind::Dense, "fc1", {x}, {{"units", std::int64_t{4}}});
  x = g.add(OpKind::Activation, "act1", {x}, {{"fn", std::string("leaky_relu")}, {"alpha", 0.01}});
  g.add(OpKind::Dense, "fc2", {x}, {{"units", std::int64_t{2}}});
  Rng rng(7);
  g.finalize(&rng);
  g.node(1).quant.weight = FixedFormat::parse("fixed<8,3>");
  g.node(1).quant.result = FixedFormat::parse("ufixed<10,2,RND_CONV,SAT>");
  g.node(3).params[0].mask = {1, 0, 1, 1, 0, 1, 1, 1};
  m.normalization = {{0.5f, -1.25f, 3.0f}, {2.0f, 0.1f, 1e-3f}};
  m.metadata["task"] = "regression";
  return m;
}

TEST(ModelFile, SaveLoadSaveIsByteIdentical) {
  const Model m = small_model();
  const std::string a = model_to_string(m);
  const Model back = model_from_string(a, "memory");
  EXPECT_EQ(model_to_string(back), a);
  EXPECT_EQ(back.graph.node(1).quant, m.graph.node(1).quant);
  EXPECT_EQ(back.graph.node(3).params[0].mask, m.graph.node(3).params[0].mask);
}

TEST(ModelFile, QuantExtrasAndTablesRoundTrip) {
  Model m = small_model();
  auto& q = m.graph.node(2).quant;
  q.result = FixedFormat::parse("fixed<8,3,RND,SAT>");
  q.extra["alpha"] = FixedFormat::parse("fixed<16,2,RND,SAT>");
  q.extra["exp_sum"] = FixedFormat::parse("ufixed<18,6>");
  q.tables["act"] = {512, -4.0, 4.0};
  q.tables["inv"] = {4096, 0.0, 0.015625};
  const std::string a = model_to_string(m);
  EXPECT_NE(a.find(R"("extra":{"alpha":"fixed<16,2,RND,SAT>","exp_sum":"ufixed<18,6>"})"),
            std::string::npos)
      << a;
  EXPECT_NE(a.find(R"("act":{"size":512,"lo":-4.0,"hi":4.0})"), std::string::npos) << a;
  const Model back = model_from_string(a, "memory");
  EXPECT_EQ(back.graph.node(2).quant, q);
  EXPECT_EQ(model_to_string(back), a);
  // A bad format inside extra names the node.
  std::string bad = a;
  bad.replace(bad.find("ufixed<18,6>"), 12, "ufixed<99,6>");
  try {
    model_from_string(bad, "m.json");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("node 'act1'"), std::string::npos) << e.what();
  }
}

TEST(ModelFile, PredictionsIdenticalAfterRoundTrip) {
  const Model m = small_model();
  const Model back = model_from_string(model_to_string(m), "memory");
  Executor<float> a(m.graph), b(back.graph);
  Tensor<float> x({5, 3});
  Rng rng(3);
  for (auto& v : x.data) v = static_cast<float>(rng.normal());
  const auto ya = a.forward(x, false);
  const auto yb = b.forward(x, false);
  ASSERT_EQ(ya.data.size(), yb.data.size());
  for (std::size_t i = 0; i < ya.size(); ++i) EXPECT_EQ(ya[i], yb[i]);
}

TEST(ModelFile, ErrorsNameTheProblem) {
  EXPECT_THROW(model_from_string("{", "m.json"), InputError);
  try {
    model_from_string(
        R"({"format":"nac-model","version":1,"nodes":[{"name":"a","op":"warp","inputs":[]}]})",
        "m.json");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("m.json"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("warp"), std::string::npos);
  }
  std::string text = model_to_string(small_model());
  text.replace(text.find("\"units\":4"), 9, "\"units\":5");
  EXPECT_THROW(model_from_string(text, "m.json"), InputError);  // weights no longer fit
}

}  // namespace
}  // namespace nac
