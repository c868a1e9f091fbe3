#include "nac/space/space_yaml.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>

#include "nac/core/error.hpp"
#include "nac/core/rng.hpp"

namespace nac {
namespace {

std::string example(const std::string& name) {
  return std::string(NAC_SOURCE_DIR) + "/examples/spaces/" + name + ".yaml";
}

std::string error_of(const std::string& yaml) {
  try {
    parse_space(yaml, "space.yaml");
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

TEST(SpaceYaml, BraggExampleHasThePapersChoices) {
  const SearchSpace s = load_space(example("bragg"));
  EXPECT_EQ(s.kind, SpaceKind::Bragg);
  EXPECT_EQ(s.input_shape, (Shape{11, 11, 1}));
  EXPECT_EQ(s.outputs, 2);
  // stem.channels + 3 slots x (type + 2 conv layers x 4 + attn 2) + head 3 x 3 + out 2.
  EXPECT_EQ(s.choices.size(), 1u + 3u * (1 + 8 + 2) + 9 + 2);
  EXPECT_EQ(s.at("stem.channels").domain_str(), "one of [8, 16, 32, 64]");
  EXPECT_EQ(s.at("block2.conv1.kernel").domain_str(), "one of [1, 3]");
  EXPECT_EQ(s.at("block3.attn.hidden").domain_str(), "one of [1, 2, 4, 8, 16, 32]");
  EXPECT_EQ(s.at("head.layer3.width").domain_str(), "one of [4, 8, 16, 32, 64]");
  EXPECT_EQ(s.at("block1.conv2.norm").domain_str(), "one of [none, batch]");
  EXPECT_EQ(std::get<std::int64_t>(s.fixed.at("stem.kernel")), 3);
  EXPECT_EQ(std::get<std::int64_t>(s.fixed.at("head.depth")), 4);
  ASSERT_EQ(s.seeds.size(), 2u);
  EXPECT_EQ(s.seeds[0].first, "braggnn");
  EXPECT_EQ(s.seeds[1].first, "openhls");
  EXPECT_EQ(s.seeds[0].second.get_int("stem.channels"), 64);

  Rng rng(5);
  for (int i = 0; i < 100; ++i) {
    const Genotype g = sample(s, rng);
    std::size_t expected = 1 + 3 + 9 + 2;
    for (int b = 1; b <= 3; ++b) {
      const auto t = g.get_str("block" + std::to_string(b) + ".type");
      expected += t == "Conv" ? 8 : t == "ConvAttn" ? 2 : 0;
    }
    EXPECT_EQ(g.size(), expected) << g.to_string();
  }
}

TEST(SpaceYaml, DeepSetsDepthGatesLayers) {
  const SearchSpace s = load_space(example("deepsets"));
  EXPECT_EQ(s.kind, SpaceKind::DeepSets);
  EXPECT_EQ(s.at("bottleneck").domain_str(), "one of [1, 2, 4, 8, 16, 32, 64]");
  EXPECT_EQ(s.at("aggregator").domain_str(), "one of [mean, max]");
  EXPECT_EQ(s.at("phi.depth").domain_str(), "an integer in [1, 4] step 1");
  EXPECT_EQ(s.seeds.size(), 5u);
  Rng rng(11);
  for (int i = 0; i < 200; ++i) {
    const Genotype g = sample(s, rng);
    for (const std::string net : {"phi", "rho"}) {
      const auto depth = g.get_int(net + ".depth");
      for (int k = 1; k <= 3; ++k)
        EXPECT_EQ(g.has(net + ".layer" + std::to_string(k) + ".width"), k < depth);
      EXPECT_TRUE(g.has(net + ".out.activation"));
    }
  }
}

TEST(SpaceYaml, MlpExampleLoads) {
  const SearchSpace s = load_space(example("mlp"));
  EXPECT_EQ(s.kind, SpaceKind::Mlp);
  EXPECT_EQ(std::get<std::string>(s.fixed.at("mlp.out.activation")), "identity");
  EXPECT_EQ(s.seeds.at(0).second.get_int("mlp.layer1.width"), 64);
}

TEST(SpaceYaml, GenericChoicesWithConditionsAndRanges) {
  const SearchSpace s = parse_space(R"(
name: g
kind: generic
choices:
  opt: [adam, sgd]
  momentum: {low: 0.0, high: 0.99, when: {opt: sgd}}
  lr: {low: 1e-5, high: 1e-1, log: true}
  units: {low: 8, high: 64, step: 8}
  drop: {values: [0, 0.5], type: float}
  tag: {values: [1, 2], type: categorical}
)",
                                    "g.yaml");
  EXPECT_EQ(s.at("momentum").kind, ChoiceKind::Float);
  EXPECT_EQ(s.at("momentum").conditions.at(0).parent, "opt");
  EXPECT_TRUE(s.at("lr").log);
  EXPECT_EQ(s.at("units").cardinality(), 8u);
  EXPECT_EQ(s.at("drop").kind, ChoiceKind::Float);
  EXPECT_EQ(s.at("tag").kind, ChoiceKind::Categorical);
  EXPECT_TRUE(s.at("tag").contains(std::string("1")));
  Rng rng(2);
  for (int i = 0; i < 50; ++i) {
    const Genotype g = sample(s, rng);
    EXPECT_EQ(g.has("momentum"), g.get_str("opt") == "sgd");
  }
}

TEST(SpaceYaml, FixedValuesNeedNoChoice) {
  const SearchSpace s = parse_space(R"(
name: fixed
kind: bragg
input: [11, 11, 1]
outputs: 2
stem: {channels: 16, kernel: 3}
blocks:
  slots: 2
  type: Conv
  Conv: {layers: 1, channels: 8, kernel: [1, 3, 5], activation: relu, norm: layer}
head: {depth: [1, 2], width: 16, activation: relu, norm: none}
)",
                                    "fixed.yaml");
  // Only the kernels and the head depth are choices; no ConvAttn section was needed.
  std::vector<std::string> names;
  for (const auto& c : s.choices) names.push_back(c.name);
  EXPECT_EQ(names,
            (std::vector<std::string>{"block1.conv1.kernel", "block2.conv1.kernel", "head.depth"}));
  EXPECT_EQ(std::get<std::string>(s.fixed.at("block1.type")), "Conv");
  EXPECT_EQ(std::get<std::string>(s.fixed.at("head.layer1.activation")), "relu");
}

struct BadCase {
  std::string yaml;
  const char* key;    // the key the message must name
  const char* where;  // "space.yaml:<line>" the message must contain
};

TEST(SpaceYaml, ErrorsNameFileLineAndKey) {
  const std::string bragg_head = R"(name: b
kind: bragg
input: [11, 11, 1]
outputs: 2
stem: {channels: [8, 16], kernel: 3}
)";
  const BadCase cases[] = {
      {"name: x\nkind: tree\n", "kind", "space.yaml:2"},
      {"name: x\nkind: generic\nchoices:\n  a: [1, relu]\n", "choices.a", "space.yaml:4"},
      {"name: x\nkind: generic\nchoices:\n  a: {low: 1}\n", "choices.a", "space.yaml:4"},
      {"name: x\nkind: generic\nchoices:\n  a: {low: 1, high: 2, stride: 1}\n", "choices.a.stride",
       "space.yaml:4"},
      {"name: x\nkind: generic\nchoices:\n  a: {low: 2, high: 1}\n", "choices.a", "space.yaml:4"},
      {"name: x\nkind: generic\nchoices:\n  a: []\n", "choices.a", "space.yaml:4"},
      {"name: x\nkind: generic\nchoices:\n  b: {values: [1], when: {a: 1}}\n  a: [1, 2]\n", "'b'",
       "space.yaml:4"},
      {"name: x\nkind: generic\nchoices:\n  a: [1, 2]\n  b: {values: [1], when: {a: 3}}\n", "'b'",
       "space.yaml:5"},
      {"name: x\nkind: generic\nchoices:\n  a: [1, 2]\nseeds:\n  s: {a: 7}\n", "seeds.s",
       "space.yaml:6"},
      {"name: x\nkind: generic\nchoices:\n  a: [1, 2\n", "syntax", "space.yaml:"},
      {"name: x\nkind: deepsets\ninput: [8, 3]\noutputs: 5\n", "phi", "space.yaml:1"},
      {"name: x\nkind: mlp\ninput: [0]\noutputs: 5\n", "input", "space.yaml:3"},
      {(bragg_head + "blocks:\n  slots: 3\n  type: [Conv, Dense]\n"), "blocks.type",
       "space.yaml:8"},
      {(bragg_head + "blocks:\n  slots: 1\n  type: [Conv]\n  Conv: {layers: 2, channels: [8], "
                     "kernel: [2, 3], activation: relu, norm: none}\n"),
       "blocks.Conv.kernel", "space.yaml:9"},
      {(bragg_head + "blocks:\n  slots: 1\n  type: [Conv]\n  Conv: {layers: 2, channels: [8], "
                     "kernel: [1, 3], activation: [relu, swish], norm: none}\n"),
       "blocks.Conv.activation", "space.yaml:9"},
      {(bragg_head + "blocks:\n  slots: 1\n  type: [ConvAttn]\n"), "blocks.ConvAttn",
       "space.yaml:7"},
      {(bragg_head + "blocks: {slots: 0, type: None}\nhead: {depth: 2, width: [8], "
                     "activation: relu, norm: group}\n"),
       "head.norm", "space.yaml:7"},
      {(bragg_head + "blocks: {slots: 0, type: None}\nhead: {depth: 2, widths: [8]}\n"),
       "head.widths", "space.yaml:7"},
  };
  for (const auto& c : cases) {
    const std::string msg = error_of(c.yaml);
    EXPECT_NE(msg.find(c.key), std::string::npos) << c.yaml << "\n=> " << msg;
    EXPECT_NE(msg.find(c.where), std::string::npos) << c.yaml << "\n=> " << msg;
    if (std::getenv("NAC_SHOW_ERRORS")) std::printf("%s\n", msg.c_str());
  }
  EXPECT_THROW(load_space("/nonexistent/space.yaml"), InputError);
}

}  // namespace
}  // namespace nac
