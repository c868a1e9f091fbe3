#pragma once
// Small graphs of every family the quantised chain must cover (MLP, conv net, conv_attn net,
// DeepSets), with random weights, and random inputs for them.
#include <cstdint>
#include <string>

#include "graphs.hpp"
#include "nac/core/rng.hpp"
#include "nac/graph/graph.hpp"

namespace nac::testing {

inline AttrValue str_attr(const char* s) { return std::string(s); }

inline Graph quant_mlp(std::uint64_t seed) {
  Graph g;
  int x = add_input(g, {10});
  x = g.add(OpKind::Dense, "fc1", {x}, {{"units", std::int64_t{16}}});
  x = g.add(OpKind::Activation, "relu1", {x}, {{"fn", str_attr("relu")}});
  x = g.add(OpKind::Dense, "fc2", {x}, {{"units", std::int64_t{8}}});
  x = g.add(OpKind::Activation, "act2", {x}, {{"fn", str_attr("tanh")}});
  g.add(OpKind::Dense, "out", {x}, {{"units", std::int64_t{3}}});
  Rng rng(seed);
  g.finalize(&rng);
  return g;
}

inline Graph quant_conv(std::uint64_t seed) {
  Graph g;
  int x = add_input(g, {7, 7, 1});
  x = g.add(OpKind::Conv2D, "conv1", {x},
            {{"filters", std::int64_t{4}}, {"kernel", std::int64_t{3}}});
  x = g.add(OpKind::Activation, "act1", {x}, {{"fn", str_attr("leaky_relu")}});
  x = g.add(
      OpKind::Conv2D, "conv2", {x},
      {{"filters", std::int64_t{3}}, {"kernel", std::int64_t{3}}, {"padding", str_attr("same")}});
  x = g.add(OpKind::Activation, "act2", {x}, {{"fn", str_attr("relu")}});
  x = g.add(OpKind::Flatten, "flat", {x});
  g.add(OpKind::Dense, "out", {x}, {{"units", std::int64_t{2}}});
  Rng rng(seed);
  g.finalize(&rng);
  return g;
}

inline Graph quant_attn(std::uint64_t seed) {
  Graph g;
  int x = add_input(g, {4, 4, 1});
  x = g.add(OpKind::Conv2D, "stem", {x},
            {{"filters", std::int64_t{4}}, {"kernel", std::int64_t{1}}});
  x = g.add(OpKind::ConvAttn, "attn", {x},
            {{"hidden", std::int64_t{3}}, {"activation", str_attr("leaky_relu")}});
  x = g.add(OpKind::Flatten, "flat", {x});
  x = g.add(OpKind::Dense, "fc", {x}, {{"units", std::int64_t{6}}});
  x = g.add(OpKind::Activation, "act", {x}, {{"fn", str_attr("sigmoid")}});
  g.add(OpKind::Dense, "out", {x}, {{"units", std::int64_t{2}}});
  Rng rng(seed);
  g.finalize(&rng);
  return g;
}

inline Graph quant_deepsets(std::uint64_t seed, const char* agg = "mean") {
  Graph g;
  int x = add_input(g, {6, 3});
  x = g.add(OpKind::Dense, "phi1", {x}, {{"units", std::int64_t{8}}});
  x = g.add(OpKind::Activation, "phi_act", {x}, {{"fn", str_attr("relu")}});
  x = g.add(OpKind::Aggregate, "pool", {x}, {{"fn", str_attr(agg)}});
  x = g.add(OpKind::Dense, "rho1", {x}, {{"units", std::int64_t{6}}});
  x = g.add(OpKind::Activation, "rho_act", {x}, {{"fn", str_attr("relu")}});
  g.add(OpKind::Dense, "out", {x}, {{"units", std::int64_t{4}}});
  Rng rng(seed);
  g.finalize(&rng);
  return g;
}

// Inputs [n, ...shape] uniform in [-scale, scale).
inline Tensor<float> quant_inputs(const Graph& g, int n, std::uint64_t seed, double scale = 1.5) {
  Shape s{n};
  const Shape& in = g.input_shape();
  s.insert(s.end(), in.begin(), in.end());
  Tensor<float> x(s);
  Rng rng(seed);
  for (auto& v : x.data) v = static_cast<float>(rng.uniform(-scale, scale));
  return x;
}

}  // namespace nac::testing
