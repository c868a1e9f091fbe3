#include "nac/space/genotype.hpp"

#include <cstdio>
#include <nlohmann/json.hpp>

#include "nac/core/error.hpp"

namespace nac {

std::string value_str(const ChoiceValue& v) {
  if (const auto* i = std::get_if<std::int64_t>(&v)) return std::to_string(*i);
  if (const auto* d = std::get_if<double>(&v)) return nlohmann::json(*d).dump();
  return std::get<std::string>(v);
}

bool value_is_number(const ChoiceValue& v) { return !std::holds_alternative<std::string>(v); }

double value_as_double(const ChoiceValue& v) {
  if (const auto* i = std::get_if<std::int64_t>(&v)) return static_cast<double>(*i);
  NAC_ASSERT(std::holds_alternative<double>(v));
  return std::get<double>(v);
}

const ChoiceValue& Genotype::at(const std::string& name) const {
  const auto it = values_.find(name);
  if (it == values_.end()) throw InputError("genotype has no choice '" + name + "'");
  return it->second;
}

std::int64_t Genotype::get_int(const std::string& name) const {
  const auto& v = at(name);
  if (const auto* i = std::get_if<std::int64_t>(&v)) return *i;
  throw InputError("choice '" + name + "' is '" + value_str(v) + "', expected an integer");
}

double Genotype::get_float(const std::string& name) const {
  const auto& v = at(name);
  if (!value_is_number(v))
    throw InputError("choice '" + name + "' is '" + value_str(v) + "', expected a number");
  return value_as_double(v);
}

const std::string& Genotype::get_str(const std::string& name) const {
  const auto& v = at(name);
  if (const auto* s = std::get_if<std::string>(&v)) return *s;
  throw InputError("choice '" + name + "' is " + value_str(v) + ", expected a name");
}

nlohmann::json Genotype::to_json() const {
  nlohmann::json j = nlohmann::json::object();
  for (const auto& [k, v] : values_) std::visit([&](const auto& x) { j[k] = x; }, v);
  return j;
}

std::string Genotype::to_string() const { return to_json().dump(); }

std::string Genotype::hash() const { return hex64(fnv1a64(to_string())); }

Genotype Genotype::from_json(const nlohmann::json& j, const std::string& where) {
  if (!j.is_object()) throw InputError(where + ": a genotype must be a JSON object of choices");
  Genotype g;
  for (const auto& [k, v] : j.items()) {
    if (v.is_number_integer())
      g.set(k, v.get<std::int64_t>());
    else if (v.is_number_float())
      g.set(k, v.get<double>());
    else if (v.is_string())
      g.set(k, v.get<std::string>());
    else
      throw InputError(where + ": choice '" + k + "' has value " + v.dump() +
                       ", expected an integer, a float or a string");
  }
  return g;
}

Genotype Genotype::from_string(const std::string& text, const std::string& where) {
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    throw InputError(where + ": genotype is not valid JSON: " + e.what());
  }
  return from_json(j, where);
}

std::uint64_t fnv1a64(const std::string& s) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : s) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return h;
}

std::string hex64(std::uint64_t x) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(x));
  return buf;
}

}  // namespace nac
