#include "nac/space/space_yaml.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "nac/core/error.hpp"
#include "nac/space/yaml_spec.hpp"

namespace nac {
namespace {

using space_yaml::check_keys;
using space_yaml::check_values;
using space_yaml::Ctx;
using space_yaml::int_domain;
using space_yaml::join_key;
using space_yaml::parse_value_spec;
using space_yaml::put;
using space_yaml::require;
using space_yaml::ValueSpec;

bool is_one_of(const ChoiceValue& v, std::initializer_list<const char*> names) {
  const auto* s = std::get_if<std::string>(&v);
  return s && std::any_of(names.begin(), names.end(), [&](const char* n) { return *s == n; });
}

bool positive_int(const ChoiceValue& v) {
  const auto* i = std::get_if<std::int64_t>(&v);
  return i && *i >= 1;
}

bool odd_kernel(const ChoiceValue& v) {
  const auto* i = std::get_if<std::int64_t>(&v);
  return i && *i >= 1 && *i % 2 == 1;
}

const char* const kActivations = "relu, leaky_relu, gelu, identity, sigmoid or tanh";
bool activation_name(const ChoiceValue& v) {
  return is_one_of(v, {"relu", "leaky_relu", "gelu", "identity", "sigmoid", "tanh"});
}
bool norm_name(const ChoiceValue& v) { return is_one_of(v, {"none", "batch", "layer"}); }

ValueSpec spec_of(const Ctx& ctx, const YAML::Node& parent, const std::string& key,
                  const std::string& child, const std::function<bool(const ChoiceValue&)>& ok,
                  const std::string& expected) {
  const std::string k = join_key(key, child);
  ValueSpec s = parse_value_spec(ctx, require(ctx, parent, key, child), k);
  check_values(ctx, s, k, ok, expected);
  return s;
}

// Conditions making a sub-choice active when `parent` (a fixed value or a choice) takes one of
// `allowed`. Returns false when a fixed parent rules the sub-choice out altogether.
template <typename T>
bool gate(const ValueSpec& parent, const std::string& parent_name, const std::vector<T>& allowed,
          std::vector<Condition>& conds) {
  std::vector<ChoiceValue> vals(allowed.begin(), allowed.end());
  if (parent.is_fixed) return std::find(vals.begin(), vals.end(), parent.fixed) != vals.end();
  std::vector<ChoiceValue> in_domain;
  for (const auto& v : vals)
    if (parent.choice.contains(v)) in_domain.push_back(v);
  if (in_domain.empty()) return false;
  conds.push_back({parent_name, in_domain});
  return true;
}

// A dense stack: `depth` layers (the last one's width is given by the caller's role: outputs or
// bottleneck). Layer k < depth gets prefix.layerK.{width,activation,norm}; the last layer gets
// prefix.out.{activation,norm}.
void parse_mlp(const Ctx& ctx, const YAML::Node& n, const std::string& key, SearchSpace& space) {
  check_keys(ctx, n, key, {"depth", "width", "activation", "norm", "out_activation", "out_norm"});
  const ValueSpec depth = spec_of(ctx, n, key, "depth", positive_int, "an integer >= 1");
  const auto depths = int_domain(ctx, depth, join_key(key, "depth"));
  put(space, ctx, key + ".depth", depth);
  const ValueSpec width = spec_of(ctx, n, key, "width", positive_int, "a width >= 1");
  const ValueSpec act = spec_of(ctx, n, key, "activation", activation_name, kActivations);
  const ValueSpec norm = spec_of(ctx, n, key, "norm", norm_name, "none, batch or layer");
  const ValueSpec out_act =
      n["out_activation"] ? spec_of(ctx, n, key, "out_activation", activation_name, kActivations)
                          : act;
  const ValueSpec out_norm =
      n["out_norm"] ? spec_of(ctx, n, key, "out_norm", norm_name, "none, batch or layer") : norm;
  const auto max_depth = *std::max_element(depths.begin(), depths.end());
  for (std::int64_t k = 1; k < max_depth; ++k) {
    std::vector<std::int64_t> deeper;
    for (auto d : depths)
      if (d > k) deeper.push_back(d);
    std::vector<Condition> conds;
    if (!gate(depth, key + ".depth", deeper, conds)) continue;
    const std::string p = key + ".layer" + std::to_string(k);
    put(space, ctx, p + ".width", width, conds);
    put(space, ctx, p + ".activation", act, conds);
    put(space, ctx, p + ".norm", norm, conds);
  }
  put(space, ctx, key + ".out.activation", out_act);
  put(space, ctx, key + ".out.norm", out_norm);
}

void parse_bragg(const Ctx& ctx, const YAML::Node& root, SearchSpace& space) {
  const YAML::Node stem = require(ctx, root, "", "stem");
  check_keys(ctx, stem, "stem", {"channels", "kernel"});
  put(space, ctx, "stem.channels",
      spec_of(ctx, stem, "stem", "channels", positive_int, "a channel count >= 1"));
  put(space, ctx, "stem.kernel",
      spec_of(ctx, stem, "stem", "kernel", odd_kernel, "an odd kernel size >= 1"));

  const YAML::Node blocks = require(ctx, root, "", "blocks");
  check_keys(ctx, blocks, "blocks", {"slots", "type", "Conv", "ConvAttn"});
  const ValueSpec slots = spec_of(
      ctx, blocks, "blocks", "slots",
      [](const ChoiceValue& v) {
        const auto* i = std::get_if<std::int64_t>(&v);
        return i && *i >= 0;
      },
      "a number of slots >= 0");
  if (!slots.is_fixed) ctx.fail(slots.node, "blocks.slots", "must be a fixed number");
  const ValueSpec type = spec_of(
      ctx, blocks, "blocks", "type",
      [](const ChoiceValue& v) {
        return is_one_of(v, {"Conv", "ConvAttn", "None"});
      },
      "Conv, ConvAttn or None");
  auto offers = [&](const char* t) {
    const ChoiceValue v = std::string(t);
    return type.is_fixed ? type.fixed == v : type.choice.contains(v);
  };
  YAML::Node conv, attn;
  ValueSpec conv_layers, conv_ch, conv_k, conv_act, conv_norm, attn_hidden, attn_act;
  if (offers("Conv")) {
    conv = require(ctx, blocks, "blocks", "Conv");
    check_keys(ctx, conv, "blocks.Conv", {"layers", "channels", "kernel", "activation", "norm"});
    conv_layers = spec_of(ctx, conv, "blocks.Conv", "layers", positive_int, "an integer >= 1");
    if (!conv_layers.is_fixed) ctx.fail(conv_layers.node, "blocks.Conv.layers", "must be fixed");
    conv_ch = spec_of(ctx, conv, "blocks.Conv", "channels", positive_int, "a channel count >= 1");
    conv_k = spec_of(ctx, conv, "blocks.Conv", "kernel", odd_kernel, "an odd kernel size >= 1");
    conv_act = spec_of(ctx, conv, "blocks.Conv", "activation", activation_name, kActivations);
    conv_norm = spec_of(ctx, conv, "blocks.Conv", "norm", norm_name, "none, batch or layer");
  }
  if (offers("ConvAttn")) {
    attn = require(ctx, blocks, "blocks", "ConvAttn");
    check_keys(ctx, attn, "blocks.ConvAttn", {"hidden", "activation"});
    attn_hidden =
        spec_of(ctx, attn, "blocks.ConvAttn", "hidden", positive_int, "a channel count >= 1");
    attn_act = spec_of(ctx, attn, "blocks.ConvAttn", "activation", activation_name, kActivations);
  }
  const auto n_slots = std::get<std::int64_t>(slots.fixed);
  space.fixed["blocks.slots"] = n_slots;
  for (std::int64_t i = 1; i <= n_slots; ++i) {
    const std::string b = "block" + std::to_string(i);
    put(space, ctx, b + ".type", type);
    std::vector<Condition> conds;
    if (offers("Conv") && gate(type, b + ".type", std::vector<std::string>{"Conv"}, conds)) {
      const auto layers = std::get<std::int64_t>(conv_layers.fixed);
      space.fixed[b + ".conv.layers"] = layers;
      for (std::int64_t j = 1; j <= layers; ++j) {
        const std::string p = b + ".conv" + std::to_string(j);
        put(space, ctx, p + ".channels", conv_ch, conds);
        put(space, ctx, p + ".kernel", conv_k, conds);
        put(space, ctx, p + ".activation", conv_act, conds);
        put(space, ctx, p + ".norm", conv_norm, conds);
      }
    }
    conds.clear();
    if (offers("ConvAttn") &&
        gate(type, b + ".type", std::vector<std::string>{"ConvAttn"}, conds)) {
      put(space, ctx, b + ".attn.hidden", attn_hidden, conds);
      put(space, ctx, b + ".attn.activation", attn_act, conds);
    }
  }
  parse_mlp(ctx, require(ctx, root, "", "head"), "head", space);
}

void parse_deepsets(const Ctx& ctx, const YAML::Node& root, SearchSpace& space) {
  parse_mlp(ctx, require(ctx, root, "", "phi"), "phi", space);
  put(space, ctx, "bottleneck", spec_of(ctx, root, "", "bottleneck", positive_int, "a width >= 1"));
  put(space, ctx, "aggregator",
      spec_of(
          ctx, root, "", "aggregator",
          [](const ChoiceValue& v) {
            return is_one_of(v, {"mean", "max", "sum"});
          },
          "mean, max or sum"));
  parse_mlp(ctx, require(ctx, root, "", "rho"), "rho", space);
}

void parse_generic(const Ctx& ctx, const YAML::Node& root, SearchSpace& space) {
  const YAML::Node choices = require(ctx, root, "", "choices");
  if (!choices.IsMap()) ctx.fail(choices, "choices", "expected a map of name: value spec");
  for (const auto& kv : choices) {
    const std::string name = kv.first.Scalar();
    const std::string key = join_key("choices", name);
    const ValueSpec spec = parse_value_spec(ctx, kv.second, key, true);
    std::vector<Condition> conds;
    if (kv.second.IsMap() && kv.second["when"]) {
      const YAML::Node when = kv.second["when"];
      if (!when.IsMap()) ctx.fail(when, key + ".when", "expected a map of parent: value(s)");
      for (const auto& w : when) {
        Condition c{w.first.Scalar(), {}};
        if (w.second.IsSequence())
          for (const auto& v : w.second) c.values.push_back(space_yaml::parse_scalar(v));
        else if (w.second.IsScalar())
          c.values.push_back(space_yaml::parse_scalar(w.second));
        else
          ctx.fail(w.second, key + ".when." + c.parent, "expected a value or a list of values");
        conds.push_back(std::move(c));
      }
    }
    put(space, ctx, name, spec, conds);
  }
}

Shape parse_shape(const Ctx& ctx, const YAML::Node& n, const std::string& key) {
  if (!n.IsSequence() || n.size() == 0)
    ctx.fail(n, key, "expected a list of sizes, e.g. [11, 11, 1]");
  Shape s;
  for (const auto& d : n) {
    const auto v = space_yaml::parse_scalar(d);
    if (!positive_int(v)) ctx.fail(d, key, "expected sizes >= 1, found '" + value_str(v) + "'");
    s.push_back(static_cast<int>(std::get<std::int64_t>(v)));
  }
  return s;
}

void parse_seeds(const Ctx& ctx, const YAML::Node& seeds, SearchSpace& space) {
  if (!seeds.IsMap()) ctx.fail(seeds, "seeds", "expected a map of name: {choice: value}");
  for (const auto& kv : seeds) {
    const std::string name = kv.first.Scalar();
    const std::string key = "seeds." + name;
    if (!kv.second.IsMap()) ctx.fail(kv.second, key, "expected a map of choice: value");
    Genotype g;
    for (const auto& c : kv.second) {
      if (!c.second.IsScalar())
        ctx.fail(c.second, key + "." + c.first.Scalar(), "expected a value");
      g.set(c.first.Scalar(), space_yaml::parse_scalar(c.second));
    }
    space.seeds.emplace_back(name,
                             validate(space, g, ctx.where(kv.second) + ": key '" + key + "'"));
  }
}

}  // namespace

SearchSpace parse_space(const std::string& text, const std::string& where) {
  const Ctx ctx{where};
  YAML::Node loaded;
  try {
    loaded = YAML::Load(text);
  } catch (const YAML::ParserException& e) {
    throw InputError(where + ":" + std::to_string(e.mark.line + 1) + ":" +
                     std::to_string(e.mark.column + 1) + ": YAML syntax error: " + e.msg);
  }
  const YAML::Node& root = loaded;  // const: lookups must not insert keys
  if (!root.IsMap()) throw InputError(where + ": a search space must be a YAML map");
  SearchSpace space;
  space.source = where;
  try {
    const std::string kind = require(ctx, root, "", "kind").Scalar();
    if (kind == "bragg") {
      space.kind = SpaceKind::Bragg;
      check_keys(ctx, root, "",
                 {"name", "kind", "input", "outputs", "stem", "blocks", "head", "seeds"});
    } else if (kind == "deepsets") {
      space.kind = SpaceKind::DeepSets;
      check_keys(
          ctx, root, "",
          {"name", "kind", "input", "outputs", "phi", "bottleneck", "aggregator", "rho", "seeds"});
    } else if (kind == "mlp") {
      space.kind = SpaceKind::Mlp;
      check_keys(ctx, root, "", {"name", "kind", "input", "outputs", "mlp", "seeds"});
    } else if (kind == "generic") {
      space.kind = SpaceKind::Generic;
      check_keys(ctx, root, "", {"name", "kind", "input", "outputs", "choices", "seeds"});
    } else {
      ctx.fail(root["kind"], "kind",
               "expected bragg, deepsets, mlp or generic, found '" + kind + "'");
    }
    space.name = root["name"] ? root["name"].Scalar() : "";
    if (space.name.empty()) ctx.fail(root, "name", "is missing");
    if (space.kind != SpaceKind::Generic || root["input"])
      space.input_shape = parse_shape(ctx, require(ctx, root, "", "input"), "input");
    if (space.kind != SpaceKind::Generic || root["outputs"]) {
      const auto o = space_yaml::parse_scalar(require(ctx, root, "", "outputs"));
      if (!positive_int(o))
        ctx.fail(root["outputs"], "outputs",
                 "expected an integer >= 1, found '" + value_str(o) + "'");
      space.outputs = static_cast<int>(std::get<std::int64_t>(o));
    }
    if (space.kind == SpaceKind::Bragg && space.input_shape.size() != 3)
      ctx.fail(root["input"], "input", "a bragg space needs an image shape [H, W, C]");
    if (space.kind == SpaceKind::DeepSets && space.input_shape.size() != 2)
      ctx.fail(root["input"], "input", "a deepsets space needs a set shape [elements, features]");
    switch (space.kind) {
      case SpaceKind::Bragg:
        parse_bragg(ctx, root, space);
        break;
      case SpaceKind::DeepSets:
        parse_deepsets(ctx, root, space);
        break;
      case SpaceKind::Mlp:
        parse_mlp(ctx, require(ctx, root, "", "mlp"), "mlp", space);
        break;
      case SpaceKind::Generic:
        parse_generic(ctx, root, space);
        break;
    }
    if (root["seeds"]) parse_seeds(ctx, root["seeds"], space);
  } catch (const YAML::Exception& e) {
    // Type conversions inside yaml-cpp (e.g. a map where a scalar belongs).
    throw InputError(where + ":" + std::to_string(e.mark.line + 1) + ": " + e.msg);
  }
  return space;
}

SearchSpace load_space(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw InputError(path + ": cannot open search space file");
  std::stringstream ss;
  ss << in.rdbuf();
  return parse_space(ss.str(), path);
}

}  // namespace nac
