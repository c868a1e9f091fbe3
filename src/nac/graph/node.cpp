#include "nac/graph/node.hpp"

#include <array>

#include "nac/core/error.hpp"

namespace nac {
namespace {

constexpr std::array kOpNames = {
#define NAC_OP_NAME(kind, spelling, type) spelling,
    NAC_FOR_EACH_OP(NAC_OP_NAME)
#undef NAC_OP_NAME
};

[[noreturn]] void attr_error(const Node& n, const std::string& key, const std::string& what) {
  throw GraphError("node '" + n.name + "' (" + op_name(n.op) + "): attribute '" + key + "' " +
                   what);
}

template <typename V>
const V* get(const Node& n, const std::string& key, const char* type) {
  auto it = n.attrs.find(key);
  if (it == n.attrs.end()) return nullptr;
  const V* v = std::get_if<V>(&it->second);
  if (!v) attr_error(n, key, std::string("must be ") + type);
  return v;
}

}  // namespace

const char* op_name(OpKind k) { return kOpNames[static_cast<std::size_t>(k)]; }

OpKind op_from_name(const std::string& name, const std::string& where) {
  for (std::size_t i = 0; i < kOpNames.size(); ++i)
    if (name == kOpNames[i]) return static_cast<OpKind>(i);
  std::string known;
  for (const char* k : kOpNames) known += std::string(known.empty() ? "" : ", ") + k;
  throw InputError(where + ": unknown op '" + name + "' (known: " + known + ")");
}

std::int64_t Node::attr_int(const std::string& key) const {
  const auto* v = get<std::int64_t>(*this, key, "an integer");
  if (!v) attr_error(*this, key, "is required");
  return *v;
}

std::int64_t Node::attr_int(const std::string& key, std::int64_t fallback) const {
  const auto* v = get<std::int64_t>(*this, key, "an integer");
  return v ? *v : fallback;
}

double Node::attr_float(const std::string& key, double fallback) const {
  auto it = attrs.find(key);
  if (it == attrs.end()) return fallback;
  if (const auto* i = std::get_if<std::int64_t>(&it->second)) return static_cast<double>(*i);
  const auto* v = get<double>(*this, key, "a number");
  return *v;
}

std::string Node::attr_str(const std::string& key) const {
  const auto* v = get<std::string>(*this, key, "a string");
  if (!v) attr_error(*this, key, "is required");
  return *v;
}

std::string Node::attr_str(const std::string& key, const std::string& fallback) const {
  const auto* v = get<std::string>(*this, key, "a string");
  return v ? *v : fallback;
}

const Param* Node::find_param(const std::string& pname) const {
  for (const auto& p : params)
    if (p.name == pname) return &p;
  return nullptr;
}

const Param& Node::param(const std::string& pname) const {
  const Param* p = find_param(pname);
  if (!p) throw GraphError("node '" + name + "' has no parameter '" + pname + "'");
  return *p;
}

Param& Node::param(const std::string& pname) {
  return const_cast<Param&>(static_cast<const Node&>(*this).param(pname));
}

void QuantAnnotation::overlay(const QuantAnnotation& o) {
  for (auto [dst, src] : {std::pair{&input, &o.input},
                          {&weight, &o.weight},
                          {&bias, &o.bias},
                          {&accum, &o.accum},
                          {&result, &o.result}})
    if (*src) *dst = *src;
  for (const auto& [k, f] : o.extra) extra[k] = f;
  for (const auto& [k, t] : o.tables) tables[k] = t;
}

}  // namespace nac
