#include "nac/space/yaml_spec.hpp"

#include <algorithm>

#include "nac/core/error.hpp"

namespace nac::space_yaml {

std::string Ctx::where(const YAML::Node& n) const {
  const auto m = n.Mark();
  if (m.is_null()) return file;
  return file + ":" + std::to_string(m.line + 1) + ":" + std::to_string(m.column + 1);
}

void Ctx::fail(const YAML::Node& n, const std::string& key, const std::string& msg) const {
  throw InputError(where(n) + ": key '" + key + "': " + msg);
}

std::string join_key(const std::string& parent, const std::string& child) {
  return parent.empty() ? child : parent + "." + child;
}

ChoiceValue parse_scalar(const YAML::Node& n) {
  const std::string& s = n.Scalar();
  if (n.Tag() != "!") {  // plain (unquoted) scalar
    std::int64_t i = 0;
    if (YAML::convert<std::int64_t>::decode(n, i)) return i;
    double d = 0;
    if (!s.empty() && YAML::convert<double>::decode(n, d)) return d;
  }
  return s;
}

namespace {

std::string kind_of_values(const std::vector<ChoiceValue>& vs, ChoiceKind& kind) {
  bool all_int = true, all_num = true, all_str = true;
  for (const auto& v : vs) {
    all_int = all_int && std::holds_alternative<std::int64_t>(v);
    all_num = all_num && value_is_number(v);
    all_str = all_str && std::holds_alternative<std::string>(v);
  }
  if (all_int)
    kind = ChoiceKind::Int;
  else if (all_num)
    kind = ChoiceKind::Float;
  else if (all_str)
    kind = ChoiceKind::Categorical;
  else
    return "the values mix numbers and names";
  return "";
}

double as_number(const Ctx& ctx, const YAML::Node& n, const std::string& key) {
  if (!n.IsScalar()) ctx.fail(n, key, "expected a number");
  const auto v = parse_scalar(n);
  if (!value_is_number(v)) ctx.fail(n, key, "expected a number, found '" + value_str(v) + "'");
  return value_as_double(v);
}

std::int64_t as_int(const Ctx& ctx, const YAML::Node& n, const std::string& key) {
  if (!n.IsScalar()) ctx.fail(n, key, "expected an integer");
  const auto v = parse_scalar(n);
  if (!std::holds_alternative<std::int64_t>(v))
    ctx.fail(n, key, "expected an integer, found '" + value_str(v) + "'");
  return std::get<std::int64_t>(v);
}

}  // namespace

ValueSpec parse_value_spec(const Ctx& ctx, const YAML::Node& n, const std::string& key,
                           bool allow_when) {
  ValueSpec spec;
  spec.node = n;
  if (!n.IsDefined() || n.IsNull()) ctx.fail(n, key, "has no value");
  if (n.IsScalar()) {
    spec.fixed = parse_scalar(n);
    return spec;
  }
  spec.is_fixed = false;
  ChoiceSpec& c = spec.choice;
  c.where = ctx.where(n);
  if (n.IsSequence()) {
    if (n.size() == 0) ctx.fail(n, key, "an empty list offers nothing to choose");
    for (const auto& item : n) {
      if (!item.IsScalar()) ctx.fail(item, key, "list items must be numbers or names");
      c.values.push_back(parse_scalar(item));
    }
    const auto err = kind_of_values(c.values, c.kind);
    if (!err.empty()) ctx.fail(n, key, err);
    return spec;
  }
  // A map: a range or a typed list.
  if (allow_when)
    check_keys(ctx, n, key, {"type", "values", "low", "high", "step", "log", "when"});
  else
    check_keys(ctx, n, key, {"type", "values", "low", "high", "step", "log"});
  std::string type;
  if (n["type"]) {
    type = n["type"].Scalar();
    if (type != "int" && type != "float" && type != "categorical")
      ctx.fail(n["type"], join_key(key, "type"),
               "expected int, float or categorical, found '" + type + "'");
  }
  if (n["values"]) {
    if (n["low"] || n["high"] || n["step"] || n["log"])
      ctx.fail(n, key, "give either values or low/high, not both");
    ValueSpec list = parse_value_spec(ctx, n["values"], join_key(key, "values"));
    if (list.is_fixed) ctx.fail(n["values"], join_key(key, "values"), "expected a list");
    c.values = list.choice.values;
    c.kind = list.choice.kind;
    if (type == "float" && c.kind == ChoiceKind::Int) c.kind = ChoiceKind::Float;
    if (type == "categorical") {
      c.kind = ChoiceKind::Categorical;
      for (auto& v : c.values) v = value_str(v);
    }
    if (!type.empty() && type != choice_kind_name(c.kind))
      ctx.fail(n, key, "values do not match type " + type);
    return spec;
  }
  if (!n["low"] || !n["high"]) ctx.fail(n, key, "a range needs low and high (or give values)");
  if (type == "categorical") ctx.fail(n, key, "a categorical choice needs values");
  const auto lo = parse_scalar(n["low"]), hi = parse_scalar(n["high"]);
  const bool log = n["log"] && n["log"].as<bool>(false);
  const bool ints =
      std::holds_alternative<std::int64_t>(lo) && std::holds_alternative<std::int64_t>(hi) && !log;
  if (type == "int" || (type.empty() && ints)) {
    if (log) ctx.fail(n, key, "log applies to float ranges");
    c.kind = ChoiceKind::Int;
    c.int_low = as_int(ctx, n["low"], join_key(key, "low"));
    c.int_high = as_int(ctx, n["high"], join_key(key, "high"));
    c.int_step = n["step"] ? as_int(ctx, n["step"], join_key(key, "step")) : 1;
    if (c.int_step < 1) ctx.fail(n["step"], join_key(key, "step"), "expected a step >= 1");
    if (c.int_high < c.int_low) ctx.fail(n, key, "expected low <= high");
  } else {
    if (n["step"]) ctx.fail(n["step"], join_key(key, "step"), "step applies to integer ranges");
    c.kind = ChoiceKind::Float;
    c.low = as_number(ctx, n["low"], join_key(key, "low"));
    c.high = as_number(ctx, n["high"], join_key(key, "high"));
    c.log = log;
    if (!(c.low <= c.high)) ctx.fail(n, key, "expected low <= high");
    if (log && !(c.low > 0)) ctx.fail(n, key, "a log range needs low > 0");
  }
  return spec;
}

void check_values(const Ctx& ctx, const ValueSpec& spec, const std::string& key,
                  const std::function<bool(const ChoiceValue&)>& ok, const std::string& expected) {
  std::vector<ChoiceValue> vs;
  if (spec.is_fixed)
    vs = {spec.fixed};
  else if (spec.choice.is_list())
    vs = spec.choice.values;
  else if (spec.choice.kind == ChoiceKind::Int)
    vs = {spec.choice.int_low, spec.choice.int_high};
  else
    vs = {spec.choice.low, spec.choice.high};
  for (const auto& v : vs)
    if (!ok(v)) ctx.fail(spec.node, key, "expected " + expected + ", found '" + value_str(v) + "'");
}

std::vector<std::int64_t> int_domain(const Ctx& ctx, const ValueSpec& spec,
                                     const std::string& key) {
  std::vector<std::int64_t> out;
  if (spec.is_fixed) {
    if (!std::holds_alternative<std::int64_t>(spec.fixed))
      ctx.fail(spec.node, key, "expected an integer, found '" + value_str(spec.fixed) + "'");
    return {std::get<std::int64_t>(spec.fixed)};
  }
  const ChoiceSpec& c = spec.choice;
  if (c.kind != ChoiceKind::Int) ctx.fail(spec.node, key, "expected integers");
  if (c.is_list()) {
    for (const auto& v : c.values) out.push_back(std::get<std::int64_t>(v));
  } else {
    for (auto v = c.int_low; v <= c.int_high; v += c.int_step) out.push_back(v);
  }
  return out;
}

void check_keys(const Ctx& ctx, const YAML::Node& n, const std::string& key,
                std::initializer_list<const char*> allowed) {
  if (!n.IsMap()) ctx.fail(n, key.empty() ? "(top level)" : key, "expected a map of keys");
  for (const auto& kv : n) {
    const std::string k = kv.first.Scalar();
    if (std::none_of(allowed.begin(), allowed.end(), [&](const char* a) { return k == a; })) {
      std::string list;
      for (const char* a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
      ctx.fail(kv.first, join_key(key, k), "unknown key (expected one of: " + list + ")");
    }
  }
}

YAML::Node require(const Ctx& ctx, const YAML::Node& n, const std::string& key,
                   const std::string& child) {
  const YAML::Node c = n[child];
  if (!c) ctx.fail(n, join_key(key, child), "is missing");
  return c;
}

void put(SearchSpace& space, const Ctx& ctx, const std::string& name, const ValueSpec& spec,
         const std::vector<Condition>& conditions) {
  if (spec.is_fixed) {
    space.fixed[name] = spec.fixed;
    return;
  }
  ChoiceSpec c = spec.choice;
  c.name = name;
  c.conditions = conditions;
  (void)ctx;
  space.add(std::move(c));  // its errors name c.where (file:line:column) and the choice
}

}  // namespace nac::space_yaml
