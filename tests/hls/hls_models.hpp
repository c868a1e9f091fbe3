#pragma once
// Quantised models for the HLS tests: every op the generator supports, several precisions
// (saturating and wrapping, RND and TRN and the other rounding modes, narrow accumulators whose
// saturation depends on the summation order, quant.input casts, unsigned formats, pruning), and
// the two realistic baselines built from examples/braggnn.yaml and examples/jet_mlp.yaml.
#include <cstdint>
#include <string>

#include "../support/quant_graphs.hpp"
#include "nac/config/train_config.hpp"
#include "nac/core/rng.hpp"
#include "nac/graph/passes/quantize_pipeline.hpp"

namespace nac::testing {

inline FixedFormat hfmt(const char* s) { return FixedFormat::parse(s); }

// Calibrates on uniform inputs and runs the standard pipeline (fold_batchnorm optional).
inline Graph quantized(Graph g, const PrecisionConfig& cfg, std::uint64_t seed,
                       bool fold_bn = true) {
  PassManager pm = quantization_passes(cfg, quant_inputs(g, 256, seed));
  pm.set_enabled("fold_batchnorm", fold_bn);
  pm.run(g);
  return g;
}

// Prunes (masks) about `fraction` of a node's weight.
inline void prune(Graph& g, const std::string& node, const std::string& param, double fraction,
                  std::uint64_t seed) {
  Param& p = g.node(g.find(node)).param(param);
  Rng rng(seed);
  p.mask.assign(p.value.size(), 1);
  for (auto& m : p.mask) m = rng.uniform() < fraction ? 0 : 1;
}

inline Graph add_graph_built(std::uint64_t seed) {
  Graph g;
  const int x = add_input(g, {6});
  const int a = g.add(OpKind::Dense, "a", {x}, {{"units", std::int64_t{5}}});
  const int b = g.add(OpKind::Dense, "b", {x}, {{"units", std::int64_t{5}}});
  const int c =
      g.add(OpKind::Dense, "c", {x}, {{"units", std::int64_t{5}}, {"use_bias", std::int64_t{0}}});
  const int s2 = g.add(OpKind::Add, "sum2", {a, b});
  const int s3 = g.add(OpKind::Add, "sum3", {s2, c, a});
  const int r = g.add(OpKind::Activation, "act", {s3}, {{"fn", str_attr("relu")}});
  g.add(OpKind::Dense, "out", {r}, {{"units", std::int64_t{3}}});
  Rng rng(seed);
  g.finalize(&rng);
  return g;
}

// dense -> gelu -> dense -> sigmoid -> dense -> identity -> dense -> tanh -> dense -> softmax.
inline Graph act_graph_built(std::uint64_t seed) {
  Graph g;
  int x = add_input(g, {8});
  x = g.add(OpKind::Dense, "d1", {x}, {{"units", std::int64_t{10}}});
  x = g.add(OpKind::Activation, "gelu", {x}, {{"fn", str_attr("gelu")}});
  x = g.add(OpKind::Dense, "d2", {x}, {{"units", std::int64_t{10}}});
  x = g.add(OpKind::Activation, "sig", {x}, {{"fn", str_attr("sigmoid")}});
  x = g.add(OpKind::Dense, "d3", {x}, {{"units", std::int64_t{8}}});
  x = g.add(OpKind::Activation, "ident", {x}, {{"fn", str_attr("identity")}});
  x = g.add(OpKind::Dense, "d4", {x}, {{"units", std::int64_t{8}}});
  x = g.add(OpKind::Activation, "tanh", {x}, {{"fn", str_attr("tanh")}});
  x = g.add(OpKind::Dense, "d5", {x}, {{"units", std::int64_t{6}}});
  g.add(OpKind::Softmax, "softmax", {x});
  Rng rng(seed);
  g.finalize(&rng);
  return g;
}

// conv k5 same -> relu -> conv k1 -> batchnorm -> conv k5 valid -> flatten -> dense -> batchnorm.
inline Graph conv_bn_graph_built(std::uint64_t seed) {
  Graph g;
  int x = add_input(g, {6, 6, 2});
  x = g.add(
      OpKind::Conv2D, "c5s", {x},
      {{"filters", std::int64_t{3}}, {"kernel", std::int64_t{5}}, {"padding", str_attr("same")}});
  x = g.add(OpKind::Activation, "r1", {x}, {{"fn", str_attr("relu")}});
  x = g.add(OpKind::Conv2D, "c1", {x}, {{"filters", std::int64_t{4}}, {"kernel", std::int64_t{1}}});
  x = g.add(OpKind::BatchNorm, "bn1", {x});
  x = g.add(OpKind::Conv2D, "c5v", {x},
            {{"filters", std::int64_t{2}}, {"kernel", std::int64_t{5}}});
  x = g.add(OpKind::Flatten, "flat", {x});
  x = g.add(OpKind::Dense, "fc", {x}, {{"units", std::int64_t{5}}});
  g.add(OpKind::BatchNorm, "bn2", {x});
  Rng rng(seed);
  g.finalize(&rng);
  for (auto& n : g.nodes())  // non-trivial running statistics
    for (auto& p : n.params)
      if (p.name == "running_var" || p.name == "running_mean" || p.name == "gamma")
        for (auto& v : p.value.data)
          v = static_cast<float>(p.name == "running_mean" ? rng.uniform(-0.5, 0.5)
                                                          : rng.uniform(0.5, 2.0));
  return g;
}

// A BraggNN-shaped network small enough for the normal test run.
inline Graph small_bragg_built(std::uint64_t seed) {
  Graph g;
  int x = add_input(g, {7, 7, 1});
  x = g.add(OpKind::Conv2D, "conv0", {x},
            {{"filters", std::int64_t{6}}, {"kernel", std::int64_t{3}}});
  x = g.add(OpKind::ConvAttn, "attn1", {x},
            {{"hidden", std::int64_t{3}}, {"activation", str_attr("leaky_relu")}});
  x = g.add(OpKind::Conv2D, "conv2", {x},
            {{"filters", std::int64_t{4}}, {"kernel", std::int64_t{3}}});
  x = g.add(OpKind::Activation, "act3", {x}, {{"fn", str_attr("leaky_relu")}});
  x = g.add(OpKind::Flatten, "flat", {x});
  x = g.add(OpKind::Dense, "fc5", {x}, {{"units", std::int64_t{8}}});
  x = g.add(OpKind::Activation, "act6", {x}, {{"fn", str_attr("leaky_relu")}});
  g.add(OpKind::Dense, "out", {x}, {{"units", std::int64_t{2}}});
  Rng rng(seed);
  g.finalize(&rng);
  return g;
}

// The model of an example task config, initialised from `seed`.
inline Graph example_graph(const std::string& file, std::uint64_t seed) {
  const TrainConfig c = load_train_config(std::string(NAC_SOURCE_DIR) + "/examples/" + file);
  Rng rng(seed);
  return build_graph(c.model, &rng);
}

inline PrecisionConfig bits8() { return PrecisionConfig{}; }

}  // namespace nac::testing
