#include "nac/config/model_spec.hpp"

#include <map>

#include "nac/core/error.hpp"
#include "nac/core/rng.hpp"

namespace nac {
namespace {

enum class AttrType { Int, Float, String, Bool, IntList };

struct AttrRule {
  const char* key;
  AttrType type;
};

// Attribute names and types per op (the ops' own documentation is graph/ops/<op>.hpp).
const std::map<std::string, std::vector<AttrRule>>& attr_rules() {
  static const std::map<std::string, std::vector<AttrRule>> rules = {
      {"dense", {{"units", AttrType::Int}, {"use_bias", AttrType::Bool}}},
      {"activation", {{"fn", AttrType::String}, {"alpha", AttrType::Float}}},
      {"flatten", {}},
      {"add", {}},
      {"softmax", {}},
      {"conv2d",
       {{"filters", AttrType::Int},
        {"kernel", AttrType::Int},
        {"padding", AttrType::String},
        {"use_bias", AttrType::Bool}}},
      {"conv_attn",
       {{"hidden", AttrType::Int}, {"activation", AttrType::String}, {"alpha", AttrType::Float}}},
      {"batchnorm", {{"momentum", AttrType::Float}, {"eps", AttrType::Float}}},
      {"layernorm", {{"axes", AttrType::String}, {"eps", AttrType::Float}}},
      {"aggregate", {{"fn", AttrType::String}}},
  };
  return rules;
}

AttrValue read_attr(const config::YamlNode& v, AttrType type) {
  switch (type) {
    case AttrType::Int:
      return v.as_int();
    case AttrType::Float:
      return v.as_double();
    case AttrType::String:
      return v.as_string();
    case AttrType::Bool:
      return std::int64_t{v.as_bool() ? 1 : 0};
    case AttrType::IntList:
      return v.as_int_list();
  }
  NAC_ASSERT(false);
}

// For ops without rules: an integer, else a number, else a string; a list of integers.
AttrValue guess_attr(const config::YamlNode& v) {
  if (v.is_sequence()) return v.as_int_list();
  const std::string s = v.as_string();
  try {
    return v.as_int();
  } catch (const InputError&) {
  }
  try {
    return v.as_double();
  } catch (const InputError&) {
  }
  return s;
}

LayerSpec parse_layer(const config::YamlNode& n) {
  n.expect_map();
  LayerSpec l;
  l.where = n.where();
  l.op = n["op"].as_string();
  op_from_name(l.op, n.where() + ".op");  // an op the graph knows
  if (l.op == "input") n.fail("the input is given by model.input, not as a layer");
  const auto* allowed = allowed_attrs(l.op);
  if (allowed) {
    std::vector<std::string> keys = {"op", "name", "inputs"};
    keys.insert(keys.end(), allowed->begin(), allowed->end());
    n.expect_keys(keys);
  }
  for (const std::string& key : n.keys()) {
    const auto v = n[key];
    if (key == "op") continue;
    if (key == "name") {
      l.name = v.as_string();
    } else if (key == "inputs") {
      l.inputs = v.is_sequence() ? v.as_string_list() : std::vector<std::string>{v.as_string()};
    } else if (allowed) {
      for (const auto& rule : attr_rules().at(l.op))
        if (key == rule.key) l.attrs[key] = read_attr(v, rule.type);
    } else {
      l.attrs[key] = guess_attr(v);
    }
  }
  return l;
}

}  // namespace

const std::vector<std::string>* allowed_attrs(const std::string& op) {
  static const std::map<std::string, std::vector<std::string>> names = [] {
    std::map<std::string, std::vector<std::string>> m;
    for (const auto& [op_name, rules] : attr_rules())
      for (const auto& r : rules) m[op_name].push_back(r.key);
    for (const auto& [op_name, rules] : attr_rules()) m[op_name];  // ops without attributes
    return m;
  }();
  auto it = names.find(op);
  return it == names.end() ? nullptr : &it->second;
}

ModelSpec parse_model_spec(const config::YamlNode& node) {
  node.expect_keys({"input", "layers"});
  ModelSpec spec;
  spec.where = node.where();
  const auto in = node["input"];
  for (auto d : in.as_int_list()) {
    if (d < 1) in.fail("every input dimension must be >= 1");
    spec.input.push_back(static_cast<int>(d));
  }
  if (spec.input.empty()) in.fail("expected a non-empty list of sizes, e.g. [11, 11, 1]");
  const auto layers = node["layers"];
  for (const auto& l : layers.items()) spec.layers.push_back(parse_layer(l));
  if (spec.layers.empty()) layers.fail("expected at least one layer");
  return spec;
}

Graph build_graph(const ModelSpec& spec, Rng* init_rng) {
  Graph g;
  std::map<std::string, int> ids;
  std::map<int, std::string> where;  // node id -> the layer's location
  ids["input"] =
      g.add(OpKind::Input, "input", {},
            {{"shape", std::vector<std::int64_t>(spec.input.begin(), spec.input.end())}});
  int prev = ids["input"];
  for (std::size_t i = 0; i < spec.layers.size(); ++i) {
    const LayerSpec& l = spec.layers[i];
    const std::string name = l.name.empty() ? l.op + std::to_string(i) : l.name;
    if (ids.count(name)) throw InputError(l.where + ": duplicate layer name '" + name + "'");
    std::vector<int> inputs;
    for (const auto& in : l.inputs) {
      auto it = ids.find(in);
      if (it == ids.end())
        throw InputError(l.where + ".inputs: '" + in + "' is not an earlier layer");
      inputs.push_back(it->second);
    }
    if (inputs.empty()) inputs.push_back(prev);
    prev = g.add(op_from_name(l.op, l.where), name, inputs, l.attrs);
    ids[name] = prev;
    where[prev] = l.where;
  }
  try {
    g.finalize(init_rng);
  } catch (const GraphError& e) {
    // Name the layer's line: find the node the message is about.
    for (const auto& [id, w] : where)
      if (std::string(e.what()).find("'" + g.node(id).name + "'") != std::string::npos)
        throw InputError(w + ": " + e.what());
    throw InputError(spec.where + ": " + e.what());
  }
  return g;
}

}  // namespace nac
