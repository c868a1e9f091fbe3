#include "nac/arch/build.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>

#include "nac/core/error.hpp"
#include "nac/core/rng.hpp"
#include "nac/graph/model_file.hpp"
#include "nac/space/space_yaml.hpp"
#include "nac/train/executor.hpp"

namespace nac {
namespace {

SearchSpace example(const std::string& name) {
  return load_space(std::string(NAC_SOURCE_DIR) + "/examples/spaces/" + name + ".yaml");
}

const Genotype& seed(const SearchSpace& s, const std::string& name) {
  for (const auto& [n, g] : s.seeds)
    if (n == name) return g;
  throw std::runtime_error("no seed " + name);
}

TEST(ArchBuild, BraggBaselinesHaveThePublishedParameterCounts) {
  const SearchSpace s = example("bragg");
  const Graph braggnn = build_graph(s, seed(s, "braggnn"));
  EXPECT_EQ(braggnn.node(braggnn.find("flatten")).shape, Shape{200});  // 8 x 5 x 5
  EXPECT_EQ(braggnn.output_shape(), Shape{2});
  EXPECT_EQ(braggnn.parameter_count(), 45274);
  const Graph openhls = build_graph(s, seed(s, "openhls"));
  EXPECT_EQ(openhls.node(openhls.find("flatten")).shape, Shape{50});
  EXPECT_EQ(openhls.parameter_count(), 3016);
}

TEST(ArchBuild, DeepSetsModelsHaveThePublishedParameterCounts) {
  const SearchSpace s = example("deepsets");
  EXPECT_EQ(build_graph(s, seed(s, "baseline")).parameter_count(), 2853);
  // The paper's code applies BatchNorm1d to phi's [batch, 8, F] tensors, i.e. over the 8
  // constituents (2 x 8 parameters per norm); nac normalises each feature (2 x F). Published
  // count - 16 per phi norm + 2 x width per phi norm:
  EXPECT_EQ(build_graph(s, seed(s, "large")).parameter_count(), 4783 - 32 + 2 * (32 + 32));
  EXPECT_EQ(build_graph(s, seed(s, "medium")).parameter_count(), 2967 - 32 + 2 * (32 + 16));
  EXPECT_EQ(build_graph(s, seed(s, "small")).parameter_count(), 685 - 16 + 2 * 8);
  EXPECT_EQ(build_graph(s, seed(s, "tiny")).parameter_count(), 375 - 16 + 2 * 16);
  const Graph g = build_graph(s, seed(s, "baseline"));
  EXPECT_EQ(g.node(g.find("aggregate")).shape, Shape{32});
  EXPECT_EQ(g.output_shape(), Shape{5});
}

TEST(ArchBuild, MlpSeedIsTheHls4mlJetModel) {
  const SearchSpace s = example("mlp");
  // 16-64-32-32-5: (16+1)64 + (64+1)32 + (32+1)32 + (32+1)5.
  EXPECT_EQ(build_graph(s, seed(s, "hls4ml_jet")).parameter_count(),
            17 * 64 + 65 * 32 + 33 * 32 + 33 * 5);
}

TEST(ArchBuild, SameChoicesSameGraph) {
  for (const std::string name : {"bragg", "deepsets", "mlp"}) {
    const SearchSpace s = example(name);
    Rng rng(3);
    for (int i = 0; i < 10; ++i) {
      const Genotype g = sample(s, rng);
      Rng init_a(7), init_b(7), init_c(8);
      Model a, b, c;
      a.graph = build_graph(s, g, &init_a);
      b.graph = build_graph(s, Genotype::from_string(g.to_string(), "copy"), &init_b);
      c.graph = build_graph(s, g, &init_c);
      EXPECT_EQ(model_to_string(a), model_to_string(b)) << g.to_string();
      EXPECT_NE(model_to_string(a), model_to_string(c));  // the init seed matters, nothing else
    }
  }
}

TEST(ArchBuild, KernelsGiveWayWhenTheMapWouldVanish) {
  EXPECT_EQ(effective_kernels({3, 3}, 5), (std::vector<int>{3, 3}));  // 5 -> 1
  EXPECT_EQ(effective_kernels({3, 3}, 4), (std::vector<int>{1, 3}));  // 4 -> 0: first gives way
  EXPECT_EQ(effective_kernels({3, 3}, 3), (std::vector<int>{1, 3}));
  EXPECT_EQ(effective_kernels({3, 3}, 2), (std::vector<int>{1, 1}));
  EXPECT_EQ(effective_kernels({5, 3}, 5), (std::vector<int>{1, 3}));
  EXPECT_EQ(effective_kernels({1, 5}, 5), (std::vector<int>{1, 5}));
  EXPECT_EQ(effective_kernels({3, 3}, 1), (std::vector<int>{1, 1}));

  const SearchSpace s = example("bragg");
  Genotype g = seed(s, "openhls");
  // Three Conv blocks of two 3x3 layers: 9 -> 5 -> 1, then the third block must use 1x1.
  for (int b = 1; b <= 3; ++b) {
    const std::string p = "block" + std::to_string(b);
    g.erase(p + ".attn.hidden");
    g.erase(p + ".attn.activation");
    g.set(p + ".type", std::string("Conv"));
    for (int j = 1; j <= 2; ++j) {
      const std::string c = p + ".conv" + std::to_string(j);
      g.set(c + ".channels", std::int64_t{4});
      g.set(c + ".kernel", std::int64_t{3});
      g.set(c + ".activation", std::string("relu"));
      g.set(c + ".norm", std::string(j == 2 ? "batch" : "none"));
    }
  }
  const Graph graph = build_graph(s, g);
  EXPECT_EQ(graph.node(graph.find("block2_conv2")).shape, (Shape{1, 1, 4}));
  EXPECT_EQ(graph.node(graph.find("block3_conv1")).attr_int("kernel"), 1);
  EXPECT_EQ(graph.node(graph.find("block3_conv2")).attr_int("kernel"), 1);
  EXPECT_EQ(graph.node(graph.find("flatten")).shape, Shape{4});
  EXPECT_NE(graph.find("block1_conv2_bn"), -1);
  EXPECT_EQ(graph.find("block1_conv1_bn"), -1);
}

TEST(ArchBuild, EveryGenotypeBuildsAndRuns) {
  // The paper's space plus the options of its released YAML and earlier run (5x5, layer norm).
  SearchSpace s = parse_space(R"(
name: wide
kind: bragg
input: [11, 11, 1]
outputs: 2
stem: {channels: [4, 8], kernel: 3}
blocks:
  slots: 3
  type: [Conv, ConvAttn, None]
  Conv: {layers: 2, channels: [2, 4], kernel: [1, 3, 5],
         activation: [relu, gelu, leaky_relu, identity], norm: [none, batch, layer]}
  ConvAttn: {hidden: [1, 2], activation: [relu, identity]}
head: {depth: {low: 1, high: 4}, width: [4, 8], activation: [relu, gelu], norm: [none, batch, layer]}
)",
                              "wide.yaml");
  Rng rng(11);
  const int n = std::getenv("NAC_TEST_SCALE") ? 15 : 60;
  for (int i = 0; i < n; ++i) {
    const Genotype g = sample(s, rng);
    Rng init(1);
    const Graph graph = build_graph(s, g, &init);
    EXPECT_EQ(graph.output_shape(), Shape{2});
    Executor<float> ex(graph);
    Tensor<float> x({3, 11, 11, 1});
    for (auto& v : x.data) v = static_cast<float>(rng.uniform());
    const auto y = ex.forward(x, true);
    ASSERT_EQ(y.shape, (Shape{3, 2}));
    for (float v : y.data) EXPECT_TRUE(std::isfinite(v)) << g.to_string();
  }
}

TEST(ArchBuild, BadGenotypesAndSpacesAreInputErrors) {
  const SearchSpace s = example("bragg");
  Genotype g = seed(s, "braggnn");
  g.erase("stem.channels");
  try {
    build_graph(s, g);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("stem.channels"), std::string::npos) << e.what();
  }
  SearchSpace generic;
  generic.name = "box";
  generic.add(float_range_choice("x", 0, 1));
  Genotype x;
  x.set("x", 0.5);
  EXPECT_THROW(build_graph(generic, x), InputError);
}

}  // namespace
}  // namespace nac
