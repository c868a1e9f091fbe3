#include "nac/graph/model_file.hpp"

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "nac/core/error.hpp"
#include "nac/core/text_file.hpp"

namespace nac {
namespace {

using Json = nlohmann::ordered_json;
constexpr int kModelFileVersion = 1;

Json attr_to_json(const AttrValue& v) {
  return std::visit([](const auto& x) { return Json(x); }, v);
}

AttrValue attr_from_json(const Json& j, const std::string& where) {
  if (j.is_number_integer()) return j.get<std::int64_t>();
  if (j.is_number_float()) return j.get<double>();
  if (j.is_string()) return j.get<std::string>();
  if (j.is_array()) {
    std::vector<std::int64_t> v;
    for (const auto& e : j) {
      if (!e.is_number_integer()) throw InputError(where + ": list attributes hold integers only");
      v.push_back(e.get<std::int64_t>());
    }
    return v;
  }
  throw InputError(where + ": unsupported attribute value " + j.dump());
}

Json floats_to_json(const std::vector<float>& v) {
  Json a = Json::array();
  for (float f : v) a.push_back(static_cast<double>(f));
  return a;
}

std::vector<float> floats_from_json(const Json& j, const std::string& where) {
  if (!j.is_array()) throw InputError(where + ": expected an array of numbers");
  std::vector<float> v;
  v.reserve(j.size());
  for (const auto& e : j) {
    if (!e.is_number()) throw InputError(where + ": expected numbers, found " + e.dump());
    v.push_back(static_cast<float>(e.get<double>()));
  }
  return v;
}

const Json& require(const Json& j, const char* key, const std::string& where) {
  if (!j.is_object() || !j.contains(key)) throw InputError(where + ": missing key '" + key + "'");
  return j.at(key);
}

// The `quant` object of a node (docs/QUANTIZATION.md); errors name the node.
void read_quant(const Json& q, const std::string& nw, QuantAnnotation& out) {
  try {
    auto fmt = [&](const char* key, std::optional<FixedFormat>& f) {
      if (q.contains(key)) f = FixedFormat::parse(q[key].get<std::string>());
    };
    fmt("input", out.input);
    fmt("weight", out.weight);
    fmt("bias", out.bias);
    fmt("accum", out.accum);
    fmt("result", out.result);
    if (q.contains("extra"))
      for (const auto& [k, v] : q["extra"].items())
        out.extra[k] = FixedFormat::parse(v.get<std::string>());
    if (q.contains("tables"))
      for (const auto& [k, v] : q["tables"].items()) {
        const std::string tw = "table '" + k + "'";
        out.tables[k] = {require(v, "size", tw).get<int>(), require(v, "lo", tw).get<double>(),
                         require(v, "hi", tw).get<double>()};
      }
  } catch (const InputError& e) {
    throw InputError(nw + ": quant: " + e.what());
  }
}

}  // namespace

std::string model_to_string(const Model& m) {
  Json doc;
  doc["format"] = "nac-model";
  doc["version"] = kModelFileVersion;
  doc["metadata"] = Json::object();
  for (const auto& [k, v] : m.metadata) doc["metadata"][k] = v;
  doc["input_normalization"] = {{"mean", floats_to_json(m.normalization.mean)},
                                {"scale", floats_to_json(m.normalization.scale)}};
  Json nodes = Json::array();
  for (const Node& n : m.graph.nodes()) {
    Json jn;
    jn["name"] = n.name;
    jn["op"] = op_name(n.op);
    jn["inputs"] = Json::array();
    for (int i : n.inputs) jn["inputs"].push_back(m.graph.node(i).name);
    jn["attrs"] = Json::object();
    for (const auto& [k, v] : n.attrs) jn["attrs"][k] = attr_to_json(v);
    if (n.reuse_factor != 1) jn["reuse_factor"] = n.reuse_factor;
    Json q = Json::object();
    if (n.quant.input) q["input"] = n.quant.input->str();
    if (n.quant.weight) q["weight"] = n.quant.weight->str();
    if (n.quant.bias) q["bias"] = n.quant.bias->str();
    if (n.quant.accum) q["accum"] = n.quant.accum->str();
    if (n.quant.result) q["result"] = n.quant.result->str();
    if (!n.quant.extra.empty()) {
      Json e = Json::object();
      for (const auto& [k, f] : n.quant.extra) e[k] = f.str();
      q["extra"] = e;
    }
    if (!n.quant.tables.empty()) {
      Json t = Json::object();
      for (const auto& [k, g] : n.quant.tables)
        t[k] = {{"size", g.size}, {"lo", g.lo}, {"hi", g.hi}};
      q["tables"] = t;
    }
    if (!q.empty()) jn["quant"] = q;
    jn["params"] = Json::array();
    for (const Param& p : n.params) {
      Json jp;
      jp["name"] = p.name;
      jp["shape"] = p.value.shape;
      if (!p.trainable) jp["trainable"] = false;
      jp["values"] = floats_to_json(p.value.data);
      if (!p.mask.empty()) jp["mask"] = p.mask;
      jn["params"].push_back(jp);
    }
    nodes.push_back(jn);
  }
  doc["nodes"] = nodes;
  return doc.dump() + "\n";
}

Model model_from_string(const std::string& text, const std::string& where) {
  Json doc;
  try {
    doc = Json::parse(text);
  } catch (const Json::parse_error& e) {
    throw InputError(where + ": not a valid model file (JSON error: " + e.what() + ")");
  }
  if (!doc.is_object() || doc.value("format", "") != "nac-model")
    throw InputError(where + ": not a nac model file (missing \"format\": \"nac-model\")");
  const int version = require(doc, "version", where).get<int>();
  if (version != kModelFileVersion)
    throw InputError(where + ": model file version " + std::to_string(version) +
                     " is not supported (this nac reads version " +
                     std::to_string(kModelFileVersion) + ")");
  Model m;
  try {
    if (doc.contains("metadata"))
      for (const auto& [k, v] : doc["metadata"].items()) m.metadata[k] = v.get<std::string>();
    if (doc.contains("input_normalization")) {
      const auto& jn = doc["input_normalization"];
      m.normalization.mean = floats_from_json(require(jn, "mean", where), where + ": mean");
      m.normalization.scale = floats_from_json(require(jn, "scale", where), where + ": scale");
      if (m.normalization.mean.size() != m.normalization.scale.size())
        throw InputError(where + ": input_normalization mean and scale differ in length");
    }
    for (const auto& jn : require(doc, "nodes", where)) {
      const std::string name = require(jn, "name", where).get<std::string>();
      const std::string nw = where + ": node '" + name + "'";
      std::vector<int> inputs;
      for (const auto& in : require(jn, "inputs", nw)) {
        const int id = m.graph.find(in.get<std::string>());
        if (id < 0)
          throw InputError(nw + ": input '" + in.get<std::string>() + "' is not an earlier node");
        inputs.push_back(id);
      }
      Attrs attrs;
      if (jn.contains("attrs"))
        for (const auto& [k, v] : jn["attrs"].items())
          attrs[k] = attr_from_json(v, nw + " attr " + k);
      const int id = m.graph.add(op_from_name(require(jn, "op", nw).get<std::string>(), nw), name,
                                 inputs, attrs);
      Node& n = m.graph.node(id);
      n.reuse_factor = jn.value("reuse_factor", 1);
      if (jn.contains("quant")) read_quant(jn["quant"], nw, n.quant);
      if (jn.contains("params"))
        for (const auto& jp : jn["params"]) {
          Param p;
          p.name = require(jp, "name", nw).get<std::string>();
          const std::string pw = nw + " param '" + p.name + "'";
          p.value.shape = require(jp, "shape", pw).get<Shape>();
          p.value.data = floats_from_json(require(jp, "values", pw), pw);
          if (p.value.data.size() != shape_size(p.value.shape))
            throw InputError(pw + ": " + std::to_string(p.value.data.size()) +
                             " values for shape " + shape_str(p.value.shape));
          p.trainable = jp.value("trainable", true);
          if (jp.contains("mask")) p.mask = jp["mask"].get<std::vector<std::uint8_t>>();
          n.params.push_back(std::move(p));
        }
    }
  } catch (const Json::exception& e) {
    throw InputError(where + ": malformed model file (" + e.what() + ")");
  }
  try {
    m.graph.finalize(nullptr);
  } catch (const GraphError& e) {
    throw InputError(where + ": " + e.what());
  }
  return m;
}

void save_model(const Model& m, const std::string& path) {
  write_text_file(path, model_to_string(m));
}

Model load_model(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError("cannot open model file '" + path + "'");
  std::stringstream ss;
  ss << in.rdbuf();
  return model_from_string(ss.str(), path);
}

void normalize_inputs(const InputNormalization& norm, const Shape& input_shape, float* x,
                      std::size_t n_values) {
  if (norm.empty()) return;
  const std::size_t k = norm.mean.size();
  const std::size_t per_sample = shape_size(input_shape);
  if (k != per_sample && k != static_cast<std::size_t>(input_shape.back()))
    throw InputError("input normalisation has " + std::to_string(k) +
                     " entries, expected the input's last dimension or its full size");
  for (std::size_t i = 0; i < n_values; ++i) {
    const std::size_t f = (i % per_sample) % k;
    x[i] = (x[i] - norm.mean[f]) / norm.scale[f];
  }
}

}  // namespace nac
