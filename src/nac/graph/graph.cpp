#include "nac/graph/graph.hpp"

#include <cmath>
#include <set>

#include "nac/core/error.hpp"
#include "nac/core/rng.hpp"
#include "nac/graph/op.hpp"

namespace nac {
namespace {

void fill_param(Param& p, const ParamSpec& spec, Rng& rng) {
  switch (spec.init) {
    case ParamInit::Zeros:
      p.value.zero();
      break;
    case ParamInit::Ones:
      std::fill(p.value.data.begin(), p.value.data.end(), 1.0f);
      break;
    case ParamInit::FanInUniform: {
      const double bound = 1.0 / std::sqrt(static_cast<double>(std::max(spec.fan_in, 1)));
      for (auto& v : p.value.data) v = static_cast<float>(rng.uniform(-bound, bound));
      break;
    }
  }
}

}  // namespace

int Graph::add(OpKind op, const std::string& name, const std::vector<int>& inputs, Attrs attrs) {
  Node n;
  n.name = name;
  n.op = op;
  n.inputs = inputs;
  n.attrs = std::move(attrs);
  nodes_.push_back(std::move(n));
  return size() - 1;
}

int Graph::find(const std::string& name) const {
  for (int i = 0; i < size(); ++i)
    if (nodes_[static_cast<std::size_t>(i)].name == name) return i;
  return -1;
}

std::vector<int> Graph::input_ids() const {
  std::vector<int> ids;
  for (int i = 0; i < size(); ++i)
    if (node(i).op == OpKind::Input) ids.push_back(i);
  return ids;
}

const Shape& Graph::input_shape() const {
  const auto ids = input_ids();
  if (ids.size() != 1) throw GraphError("graph must have exactly one input node");
  return node(ids[0]).shape;
}

std::vector<Shape> Graph::input_shapes(int id) const {
  std::vector<Shape> in;
  for (int i : node(id).inputs) in.push_back(node(i).shape);
  return in;
}

long long Graph::parameter_count(bool trainable_only) const {
  long long n = 0;
  for (const auto& node : nodes_)
    for (const auto& p : node.params)
      if (p.trainable || !trainable_only) n += static_cast<long long>(p.value.size());
  return n;
}

void Graph::finalize(Rng* init_rng) {
  if (nodes_.empty()) throw GraphError("graph has no nodes");
  std::set<std::string> names;
  for (int id = 0; id < size(); ++id) {
    Node& n = node(id);
    if (n.name.empty()) throw GraphError("node #" + std::to_string(id) + " has no name");
    if (!names.insert(n.name).second) throw GraphError("duplicate node name '" + n.name + "'");
    for (int in : n.inputs)
      if (in < 0 || in >= id)
        throw GraphError("node '" + n.name + "': input #" + std::to_string(in) +
                         " is not an earlier node (the graph must be topologically ordered)");
    if (n.op == OpKind::Input && !n.inputs.empty())
      throw GraphError("node '" + n.name + "': an input node takes no inputs");
    if (n.reuse_factor < 1) throw GraphError("node '" + n.name + "': reuse factor must be >= 1");
    const auto in_shapes = input_shapes(id);
    n.shape = op_infer(n, in_shapes);
    for (int d : n.shape)
      if (d < 1)
        shape_error(n, in_shapes, "output shape " + shape_str(n.shape) + " has an empty dimension");

    const auto specs = op_param_specs(n, in_shapes);
    std::vector<Param> params;
    for (const auto& spec : specs) {
      const Param* have = n.find_param(spec.name);
      if (have) {
        if (have->value.shape != spec.shape)
          throw GraphError("node '" + n.name + "': parameter '" + spec.name + "' has shape " +
                           shape_str(have->value.shape) + ", expected " + shape_str(spec.shape));
        if (!have->mask.empty() && have->mask.size() != have->value.size())
          throw GraphError("node '" + n.name + "': mask of '" + spec.name + "' has " +
                           std::to_string(have->mask.size()) + " entries, expected " +
                           std::to_string(have->value.size()));
        params.push_back(*have);
        params.back().trainable = spec.trainable;
      } else {
        Param p;
        p.name = spec.name;
        p.value = Tensor<float>(spec.shape);
        p.trainable = spec.trainable;
        if (init_rng) fill_param(p, spec, *init_rng);
        params.push_back(std::move(p));
      }
    }
    // Checked even when the counts match: a misspelt name must not silently become a fresh,
    // uninitialised parameter.
    for (const auto& p : n.params) {
      bool expected = false;
      for (const auto& s : specs) expected = expected || s.name == p.name;
      if (!expected)
        throw GraphError("node '" + n.name + "': unexpected parameter '" + p.name + "'");
    }
    n.params = std::move(params);
  }
  if (input_ids().empty()) throw GraphError("graph has no input node");
}

void Graph::init_params(Rng& rng) {
  for (int id = 0; id < size(); ++id) {
    Node& n = node(id);
    const auto specs = op_param_specs(n, input_shapes(id));
    for (const auto& spec : specs) fill_param(n.param(spec.name), spec, rng);
  }
}

}  // namespace nac
