#include "nac/space/search_space.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "nac/core/error.hpp"
#include "nac/core/rng.hpp"

namespace nac {
namespace {

std::string at_where(const ChoiceSpec& c) { return c.where.empty() ? "" : c.where + ": "; }

nlohmann::json value_json(const ChoiceValue& v) {
  nlohmann::json j;
  std::visit([&](const auto& x) { j = x; }, v);
  return j;
}

}  // namespace

const char* space_kind_name(SpaceKind k) {
  switch (k) {
    case SpaceKind::Generic:
      return "generic";
    case SpaceKind::Bragg:
      return "bragg";
    case SpaceKind::DeepSets:
      return "deepsets";
    case SpaceKind::Mlp:
      return "mlp";
  }
  return "?";
}

void SearchSpace::add(ChoiceSpec c) {
  if (c.name.empty()) throw InputError(at_where(c) + "a choice needs a name");
  if (index_.count(c.name) || fixed.count(c.name))
    throw InputError(at_where(c) + "choice '" + c.name + "' is defined twice");
  if (c.kind == ChoiceKind::Categorical && c.values.empty())
    throw InputError(at_where(c) + "choice '" + c.name + "': a categorical needs values");
  for (const auto& v : c.values) {
    const bool ok = c.kind == ChoiceKind::Categorical ? std::holds_alternative<std::string>(v)
                    : c.kind == ChoiceKind::Int       ? std::holds_alternative<std::int64_t>(v)
                                                      : value_is_number(v);
    if (!ok)
      throw InputError(at_where(c) + "choice '" + c.name + "': value '" + value_str(v) +
                       "' is not " + (c.kind == ChoiceKind::Int ? "an integer" : "a number"));
  }
  if (c.kind == ChoiceKind::Float)
    for (auto& v : c.values) v = value_as_double(v);
  for (std::size_t i = 0; i < c.values.size(); ++i)
    for (std::size_t j = 0; j < i; ++j)
      if (c.values[i] == c.values[j])
        throw InputError(at_where(c) + "choice '" + c.name + "': value '" + value_str(c.values[i]) +
                         "' is listed twice");
  if (!c.is_list() && c.kind == ChoiceKind::Int && (c.int_step < 1 || c.int_high < c.int_low))
    throw InputError(at_where(c) + "choice '" + c.name +
                     "': an integer range needs low <= high and step >= 1");
  if (!c.is_list() && c.kind == ChoiceKind::Float &&
      (!(c.low <= c.high) || (c.log && !(c.low > 0))))
    throw InputError(at_where(c) + "choice '" + c.name + "': a float range needs low <= high" +
                     (c.log ? " and low > 0 (log scale)" : ""));
  for (auto& cond : c.conditions) {
    const ChoiceSpec* parent = find(cond.parent);
    if (!parent)
      throw InputError(at_where(c) + "choice '" + c.name + "' depends on '" + cond.parent +
                       "', which is not an earlier choice");
    for (const auto& v : cond.values)
      if (!parent->contains(v))
        throw InputError(at_where(c) + "choice '" + c.name + "' depends on " + cond.parent + " = " +
                         value_str(v) + ", which is not " + parent->domain_str());
    if (parent->kind == ChoiceKind::Float)
      for (auto& v : cond.values) v = value_as_double(v);
  }
  index_[c.name] = choices.size();
  choices.push_back(std::move(c));
}

const ChoiceSpec* SearchSpace::find(const std::string& n) const {
  const auto it = index_.find(n);
  return it == index_.end() ? nullptr : &choices[it->second];
}

const ChoiceSpec& SearchSpace::at(const std::string& n) const {
  const ChoiceSpec* c = find(n);
  if (!c) throw InputError("search space '" + name + "' has no choice '" + n + "'");
  return *c;
}

bool SearchSpace::is_active(const ChoiceSpec& c, const Genotype& g) const {
  for (const auto& cond : c.conditions) {
    if (!g.has(cond.parent)) return false;
    const auto& v = g.at(cond.parent);
    if (std::find(cond.values.begin(), cond.values.end(), v) == cond.values.end()) return false;
  }
  return true;
}

const ChoiceValue& SearchSpace::value(const Genotype& g, const std::string& n) const {
  if (g.has(n)) return g.at(n);
  const auto it = fixed.find(n);
  if (it != fixed.end()) return it->second;
  throw InputError("search space '" + name + "'" + (source.empty() ? "" : " (" + source + ")") +
                   ": the genotype has no value for '" + n + "' and the space fixes none");
}

std::int64_t SearchSpace::get_int(const Genotype& g, const std::string& n) const {
  const auto& v = value(g, n);
  if (const auto* i = std::get_if<std::int64_t>(&v)) return *i;
  throw InputError("search space '" + name + "': '" + n + "' is '" + value_str(v) +
                   "', expected an integer");
}

double SearchSpace::get_float(const Genotype& g, const std::string& n) const {
  const auto& v = value(g, n);
  if (value_is_number(v)) return value_as_double(v);
  throw InputError("search space '" + name + "': '" + n + "' is '" + value_str(v) +
                   "', expected a number");
}

std::string SearchSpace::get_str(const Genotype& g, const std::string& n) const {
  const auto& v = value(g, n);
  if (const auto* s = std::get_if<std::string>(&v)) return *s;
  throw InputError("search space '" + name + "': '" + n + "' is " + value_str(v) +
                   ", expected a name");
}

nlohmann::json SearchSpace::to_json() const {
  nlohmann::json j;
  j["name"] = name;
  j["kind"] = space_kind_name(kind);
  j["input"] = input_shape;
  j["outputs"] = outputs;
  nlohmann::json cs = nlohmann::json::array();
  for (const auto& c : choices) {
    nlohmann::json cj;
    cj["name"] = c.name;
    cj["kind"] = choice_kind_name(c.kind);
    if (c.is_list()) {
      cj["values"] = nlohmann::json::array();
      for (const auto& v : c.values) cj["values"].push_back(value_json(v));
    } else if (c.kind == ChoiceKind::Int) {
      cj["low"] = c.int_low;
      cj["high"] = c.int_high;
      cj["step"] = c.int_step;
    } else {
      cj["low"] = c.low;
      cj["high"] = c.high;
      cj["log"] = c.log;
    }
    for (const auto& cond : c.conditions) {
      nlohmann::json vals = nlohmann::json::array();
      for (const auto& v : cond.values) vals.push_back(value_json(v));
      cj["when"][cond.parent] = vals;
    }
    cs.push_back(cj);
  }
  j["choices"] = cs;
  j["fixed"] = nlohmann::json::object();
  for (const auto& [k, v] : fixed) j["fixed"][k] = value_json(v);
  return j;
}

std::string SearchSpace::fingerprint() const { return hex64(fnv1a64(to_json().dump())); }

Genotype sample(const SearchSpace& space, Rng& rng) {
  Genotype g;
  for (const auto& c : space.choices)
    if (space.is_active(c, g)) g.set(c.name, c.sample(rng));
  return g;
}

std::vector<const ChoiceSpec*> active_choices(const SearchSpace& space, const Genotype& g) {
  std::vector<const ChoiceSpec*> out;
  for (const auto& c : space.choices)
    if (space.is_active(c, g)) out.push_back(&c);
  return out;
}

Genotype validate(const SearchSpace& space, const Genotype& g, const std::string& where) {
  Genotype out;
  for (const auto& c : space.choices) {
    if (!space.is_active(c, out)) continue;
    if (!g.has(c.name))
      throw InputError(where + ": genotype lacks choice '" + c.name + "' (" + c.domain_str() + ")");
    const auto& v = g.at(c.name);
    if (!c.contains(v))
      throw InputError(where + ": choice '" + c.name + "' is " + value_str(v) + ", expected " +
                       c.domain_str());
    out.set(c.name, c.kind == ChoiceKind::Float ? ChoiceValue(value_as_double(v)) : v);
  }
  for (const auto& [k, v] : g.values())
    if (!out.has(k))
      throw InputError(where + ": choice '" + k + "' = " + value_str(v) +
                       (space.find(k) ? " is not active in this genotype"
                                      : " is not in search space '" + space.name + "'"));
  return out;
}

Genotype repair(const SearchSpace& space, const Genotype& partial, Rng& rng) {
  Genotype out;
  for (const auto& c : space.choices) {
    if (!space.is_active(c, out)) continue;
    if (partial.has(c.name) && c.contains(partial.at(c.name))) {
      const auto& v = partial.at(c.name);
      out.set(c.name, c.kind == ChoiceKind::Float ? ChoiceValue(value_as_double(v)) : v);
    } else {
      out.set(c.name, c.sample(rng));
    }
  }
  return out;
}

}  // namespace nac
