#include "nac/graph/passes/fold_batchnorm.hpp"

#include "nac/graph/quant/constants.hpp"

namespace nac {

int fold_batchnorm(Graph& g) {
  std::vector<int> readers(static_cast<std::size_t>(g.size()), 0);
  for (const auto& n : g.nodes())
    for (int in : n.inputs) ++readers[static_cast<std::size_t>(in)];
  // fold_into[bn] = the layer it folds into, or -1.
  std::vector<int> fold_into(static_cast<std::size_t>(g.size()), -1);
  int folded = 0;
  for (int id = 0; id < g.size(); ++id) {
    const Node& bn = g.node(id);
    if (bn.op != OpKind::BatchNorm) continue;
    const int src = bn.inputs.at(0);
    const Node& layer = g.node(src);
    if ((layer.op != OpKind::Dense && layer.op != OpKind::Conv2D) ||
        readers[static_cast<std::size_t>(src)] != 1)
      continue;
    fold_into[static_cast<std::size_t>(id)] = src;
    ++folded;
  }
  if (folded == 0) return 0;

  Graph out;
  std::vector<int> id_map(static_cast<std::size_t>(g.size()), -1);
  for (int id = 0; id < g.size(); ++id) {
    const Node& n = g.node(id);
    const int into = fold_into[static_cast<std::size_t>(id)];
    if (into >= 0) {
      // The batchnorm disappears: its consumers read the folded layer.
      const int target = id_map[static_cast<std::size_t>(into)];
      id_map[static_cast<std::size_t>(id)] = target;
      Node& layer = out.node(target);
      const BatchNormAffine a = batchnorm_affine(n);
      Param& w = layer.param("weight");
      const std::size_t cout = a.scale.size();
      for (std::size_t i = 0; i < w.value.size(); ++i)
        w.value[i] = static_cast<float>(static_cast<double>(w.value[i]) * a.scale[i % cout]);
      if (!layer.find_param("bias")) {
        layer.attrs["use_bias"] = std::int64_t{1};
        Param b;
        b.name = "bias";
        b.value = Tensor<float>({static_cast<int>(cout)});
        layer.params.push_back(std::move(b));
      }
      Param& b = layer.param("bias");
      for (std::size_t j = 0; j < cout; ++j)
        b.value[j] = static_cast<float>(static_cast<double>(b.value[j]) * a.scale[j] + a.shift[j]);
      if (n.quant.result) layer.quant.result = n.quant.result;
      continue;
    }
    std::vector<int> inputs;
    for (int in : n.inputs) inputs.push_back(id_map[static_cast<std::size_t>(in)]);
    const int nid = out.add(n.op, n.name, inputs, n.attrs);
    Node& m = out.node(nid);
    m.params = n.params;
    m.quant = n.quant;
    m.reuse_factor = n.reuse_factor;
    id_map[static_cast<std::size_t>(id)] = nid;
  }
  out.finalize(nullptr);
  g = std::move(out);
  return folded;
}

}  // namespace nac
