#pragma once
// Small helpers for building test graphs and running them.
#include <cstdint>
#include <string>

#include "nac/core/rng.hpp"
#include "nac/graph/graph.hpp"
#include "nac/train/executor.hpp"

namespace nac::testing {

inline AttrValue int_attr(std::int64_t v) { return v; }

inline int add_input(Graph& g, const Shape& s, const std::string& name = "x") {
  return g.add(OpKind::Input, name, {}, {{"shape", std::vector<std::int64_t>(s.begin(), s.end())}});
}

// Finalizes g and gives every parameter a random value (running variances stay positive), so
// gradient checks do not start from the special gamma = 1, beta = 0.
inline void randomize_params(Graph& g, unsigned seed) {
  Rng rng(seed);
  g.finalize(&rng);
  for (auto& n : g.nodes())
    for (auto& p : n.params)
      for (auto& v : p.value.data)
        v = static_cast<float>(p.name == "running_var" ? rng.uniform(0.5, 2.0)
                                                       : rng.uniform(-1.0, 1.0));
}

// A random batch [batch, ...per-sample shape] in [-scale, scale).
inline Tensor<double> random_batch(const Shape& sample, int batch, unsigned seed,
                                   double scale = 1.0) {
  Shape s{batch};
  s.insert(s.end(), sample.begin(), sample.end());
  Tensor<double> x(s);
  Rng rng(seed);
  for (auto& v : x.data) v = rng.uniform(-scale, scale);
  return x;
}

}  // namespace nac::testing
