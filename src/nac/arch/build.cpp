#include "nac/arch/build.hpp"

#include <algorithm>

#include "nac/arch/layers.hpp"
#include "nac/core/error.hpp"

namespace nac {
namespace {

std::vector<std::int64_t> shape_attr(const Shape& s) {
  return std::vector<std::int64_t>(s.begin(), s.end());
}

int input_node(Graph& g, const SearchSpace& space) {
  if (space.input_shape.empty())
    throw InputError("search space '" + space.name + "' gives no input shape");
  return g.add(OpKind::Input, "input", {}, {{"shape", shape_attr(space.input_shape)}});
}

void build_bragg(Graph& g, const SearchSpace& s, const Genotype& geno) {
  int x = input_node(g, s);
  int h = s.input_shape[0], w = s.input_shape[1];
  const int stem_k =
      effective_kernels({static_cast<int>(s.get_int(geno, "stem.kernel"))}, std::min(h, w))[0];
  x = g.add(OpKind::Conv2D, "stem", {x},
            {{"filters", s.get_int(geno, "stem.channels")},
             {"kernel", std::int64_t{stem_k}},
             {"padding", std::string("valid")}});
  h -= stem_k - 1;
  w -= stem_k - 1;
  const auto slots = s.get_int(geno, "blocks.slots");
  for (std::int64_t i = 1; i <= slots; ++i) {
    const std::string b = "block" + std::to_string(i);
    const std::string type = s.get_str(geno, b + ".type");
    if (type == "None") continue;
    if (type == "ConvAttn") {
      const std::string act = s.get_str(geno, b + ".attn.activation");
      Attrs attrs{{"hidden", s.get_int(geno, b + ".attn.hidden")}, {"activation", act}};
      if (act == "leaky_relu") attrs["alpha"] = 0.01;
      x = g.add(OpKind::ConvAttn, b + "_attn", {x}, attrs);
      continue;
    }
    if (type != "Conv")
      throw InputError("choice " + b + ".type: unknown block type '" + type + "'");
    const auto layers = s.get_int(geno, b + ".conv.layers");
    std::vector<int> kernels;
    for (std::int64_t j = 1; j <= layers; ++j)
      kernels.push_back(
          static_cast<int>(s.get_int(geno, b + ".conv" + std::to_string(j) + ".kernel")));
    kernels = effective_kernels(kernels, std::min(h, w));
    for (std::int64_t j = 1; j <= layers; ++j) {
      const std::string p = b + ".conv" + std::to_string(j);
      const std::string name = b + "_conv" + std::to_string(j);
      const int k = kernels[static_cast<std::size_t>(j - 1)];
      x = g.add(OpKind::Conv2D, name, {x},
                {{"filters", s.get_int(geno, p + ".channels")},
                 {"kernel", std::int64_t{k}},
                 {"padding", std::string("valid")}});
      h -= k - 1;
      w -= k - 1;
      x = arch::add_norm_act(g, x, name, s.get_str(geno, p + ".norm"),
                             s.get_str(geno, p + ".activation"), "all");
    }
  }
  x = g.add(OpKind::Flatten, "flatten", {x});
  arch::add_dense_stack(g, x, s, geno, "head", s.outputs);
}

void build_deepsets(Graph& g, const SearchSpace& s, const Genotype& geno) {
  int x = input_node(g, s);
  x = arch::add_dense_stack(g, x, s, geno, "phi", static_cast<int>(s.get_int(geno, "bottleneck")));
  x = g.add(OpKind::Aggregate, "aggregate", {x}, {{"fn", s.get_str(geno, "aggregator")}});
  arch::add_dense_stack(g, x, s, geno, "rho", s.outputs);
}

void build_mlp(Graph& g, const SearchSpace& s, const Genotype& geno) {
  int x = input_node(g, s);
  if (s.input_shape.size() > 1) x = g.add(OpKind::Flatten, "flatten", {x});
  arch::add_dense_stack(g, x, s, geno, "mlp", s.outputs);
}

}  // namespace

std::vector<int> effective_kernels(std::vector<int> kernels, int size) {
  auto remaining = [&] {
    int r = size;
    for (int k : kernels) r -= k - 1;
    return r;
  };
  while (remaining() < 1) {
    const auto it = std::find_if(kernels.begin(), kernels.end(), [](int k) { return k > 1; });
    if (it == kernels.end()) break;
    *it = 1;
  }
  return kernels;
}

Graph build_graph(const SearchSpace& space, const Genotype& g, Rng* init_rng) {
  const Genotype geno = validate(space, g, "genotype for space '" + space.name + "'");
  if (space.kind != SpaceKind::Generic && space.outputs < 1)
    throw InputError("search space '" + space.name + "' gives no output width");
  Graph graph;
  switch (space.kind) {
    case SpaceKind::Bragg:
      build_bragg(graph, space, geno);
      break;
    case SpaceKind::DeepSets:
      build_deepsets(graph, space, geno);
      break;
    case SpaceKind::Mlp:
      build_mlp(graph, space, geno);
      break;
    case SpaceKind::Generic:
      throw InputError("search space '" + space.name +
                       "' is generic: it has no architecture to build");
  }
  graph.finalize(init_rng);
  return graph;
}

}  // namespace nac
