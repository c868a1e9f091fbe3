#include "nac/arch/layers.hpp"

#include "nac/core/error.hpp"

namespace nac::arch {

int add_norm_act(Graph& g, int x, const std::string& prefix, const std::string& norm,
                 const std::string& act, const char* layer_axes) {
  if (norm == "batch")
    x = g.add(OpKind::BatchNorm, prefix + "_bn", {x});
  else if (norm == "layer")
    x = g.add(OpKind::LayerNorm, prefix + "_ln", {x}, {{"axes", std::string(layer_axes)}});
  else if (norm != "none")
    throw InputError("layer " + prefix + ": unknown norm '" + norm + "'");
  if (act == "leaky_relu")
    x = g.add(OpKind::Activation, prefix + "_act", {x}, {{"fn", act}, {"alpha", 0.01}});
  else if (act != "identity")
    x = g.add(OpKind::Activation, prefix + "_act", {x}, {{"fn", act}});
  return x;
}

int add_dense_stack(Graph& g, int x, const SearchSpace& space, const Genotype& geno,
                    const std::string& key, int last_width) {
  const auto depth = space.get_int(geno, key + ".depth");
  for (std::int64_t k = 1; k <= depth; ++k) {
    const bool last = k == depth;
    const std::string p = last ? key + ".out" : key + ".layer" + std::to_string(k);
    const std::string name = last ? key + "_out" : key + "_dense" + std::to_string(k);
    const std::int64_t units = last ? last_width : space.get_int(geno, p + ".width");
    x = g.add(OpKind::Dense, name, {x}, {{"units", units}});
    x = add_norm_act(g, x, name, space.get_str(geno, p + ".norm"),
                     space.get_str(geno, p + ".activation"), "last");
  }
  return x;
}

}  // namespace nac::arch
