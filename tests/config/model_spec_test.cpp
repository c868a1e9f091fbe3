#include "nac/config/model_spec.hpp"

#include <gtest/gtest.h>

#include "nac/core/error.hpp"
#include "nac/core/rng.hpp"

namespace nac {
namespace {

ModelSpec parse(const std::string& yaml) {
  const auto doc = config::YamlNode::load_string(yaml, "m.yaml");
  return parse_model_spec(doc["model"]);
}

// The error message of `f`, which must throw InputError.
template <typename F>
std::string error_of(F&& f) {
  try {
    f();
  } catch (const InputError& e) {
    return e.what();
  }
  ADD_FAILURE() << "expected an InputError";
  return "";
}

TEST(ModelSpec, BuildsAnMlpWithGeneratedNames) {
  const auto spec = parse(R"(
model:
  input: [16]
  layers:
    - {op: dense, units: 64}
    - {op: activation, fn: relu}
    - {op: dense, units: 5, use_bias: false}
)");
  Rng rng(1);
  const Graph g = build_graph(spec, &rng);
  EXPECT_EQ(g.size(), 4);
  EXPECT_EQ(g.node(1).name, "dense0");
  EXPECT_EQ(g.node(2).name, "activation1");
  EXPECT_EQ(g.parameter_count(), 16 * 64 + 64 + 64 * 5);
  EXPECT_EQ(g.output_shape(), Shape{5});
  EXPECT_NE(g.node(1).params[0].value[0], 0.0f);  // initialised
}

TEST(ModelSpec, NamedInputsExpressResiduals) {
  const auto spec = parse(R"(
model:
  input: [8]
  layers:
    - {op: dense, units: 8, name: a}
    - {op: activation, fn: tanh}
    - {op: add, inputs: [a, input]}
)");
  const Graph g = build_graph(spec, nullptr);
  EXPECT_EQ(g.node(3).inputs, (std::vector<int>{1, 0}));
}

TEST(ModelSpec, TypoInAnAttributeNamesFileLineAndKey) {
  const std::string msg = error_of([] {
    parse(
        "model:\n  input: [4]\n  layers:\n    - {op: dense, units: 3}\n    - {op: dense, unit: "
        "2}\n");
  });
  EXPECT_NE(msg.find("m.yaml:5"), std::string::npos) << msg;
  EXPECT_NE(msg.find("model.layers[1].unit"), std::string::npos) << msg;
  EXPECT_NE(msg.find("units"), std::string::npos) << msg;  // lists the allowed keys
}

TEST(ModelSpec, BadValuesAndOps) {
  EXPECT_NE(error_of([] {
              parse("model:\n  input: [4]\n  layers:\n    - {op: dense, units: many}\n");
            }).find("expected an integer, found 'many'"),
            std::string::npos);
  EXPECT_NE(error_of([] {
              parse("model:\n  input: [4]\n  layers:\n    - {op: dens, units: 2}\n");
            }).find("unknown op 'dens'"),
            std::string::npos);
  EXPECT_NE(error_of([] {
              parse("model:\n  layers:\n    - {op: dense, units: 2}\n");
            }).find("missing required key 'input'"),
            std::string::npos);
  EXPECT_NE(error_of([] { parse("model:\n  input: [4]\n  layers: []\n"); }).find("at least one"),
            std::string::npos);
  EXPECT_NE(error_of([] {
              parse("model:\n  input: [4, 0]\n  layers:\n    - {op: flatten}\n");
            }).find(">= 1"),
            std::string::npos);
}

TEST(ModelSpec, ShapeErrorsNameTheLayerLine) {
  const auto spec = parse(
      "model:\n  input: [4, 4, 2]\n  layers:\n    - {op: flatten}\n    - {op: dense, units: 3}\n"
      "    - {op: add, inputs: [dense1, input]}\n");
  const std::string msg = error_of([&] { build_graph(spec, nullptr); });
  EXPECT_NE(msg.find("m.yaml:6"), std::string::npos) << msg;
  EXPECT_NE(msg.find("add2"), std::string::npos) << msg;
}

TEST(ModelSpec, UnknownInputAndDuplicateNames) {
  auto spec = parse("model:\n  input: [4]\n  layers:\n    - {op: add, inputs: [x, input]}\n");
  EXPECT_NE(error_of([&] { build_graph(spec, nullptr); }).find("'x' is not an earlier layer"),
            std::string::npos);
  spec = parse(
      "model:\n  input: [4]\n  layers:\n    - {op: dense, units: 2, name: h}\n"
      "    - {op: dense, units: 2, name: h}\n");
  EXPECT_NE(error_of([&] { build_graph(spec, nullptr); }).find("duplicate layer name 'h'"),
            std::string::npos);
}

}  // namespace
}  // namespace nac
