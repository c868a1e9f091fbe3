#pragma once
// A trial's architecture: a flat map of named choices (DESIGN.md §4). Only the choices that are
// active in the search space are present, so the same architecture always has the same genotype,
// the same canonical string and the same hash, whatever sampler produced it.
#include <cstdint>
#include <map>
#include <string>
#include <variant>

#include <nlohmann/json_fwd.hpp>

namespace nac {

// A choice's value: integer, float or categorical (a string).
using ChoiceValue = std::variant<std::int64_t, double, std::string>;

// "8", "0.25", "relu": for messages and attribute values (floats in shortest round-trip form).
std::string value_str(const ChoiceValue& v);
bool value_is_number(const ChoiceValue& v);
double value_as_double(const ChoiceValue& v);  // ints widen; strings are a programmer error

class Genotype {
 public:
  Genotype() = default;

  void set(const std::string& name, ChoiceValue v) { values_[name] = std::move(v); }
  bool has(const std::string& name) const { return values_.count(name) != 0; }
  void erase(const std::string& name) { values_.erase(name); }
  // Throws InputError naming the choice when absent or of another type.
  const ChoiceValue& at(const std::string& name) const;
  std::int64_t get_int(const std::string& name) const;
  double get_float(const std::string& name) const;  // accepts an integer value
  const std::string& get_str(const std::string& name) const;

  const std::map<std::string, ChoiceValue>& values() const { return values_; }
  std::size_t size() const { return values_.size(); }
  bool empty() const { return values_.empty(); }
  bool operator==(const Genotype&) const = default;

  // Canonical form: compact JSON, keys sorted, integers without a point, floats always with one
  // (so a value's kind survives the round trip), e.g. {"block1.type":"Conv","stem.channels":16}.
  std::string to_string() const;
  nlohmann::json to_json() const;
  // 16 hex digits of the 64-bit FNV-1a hash of to_string(): stable across runs and platforms.
  std::string hash() const;

  // `where` names the source in error messages (a file, a trial).
  static Genotype from_json(const nlohmann::json& j, const std::string& where);
  static Genotype from_string(const std::string& text, const std::string& where);

 private:
  std::map<std::string, ChoiceValue> values_;
};

// 64-bit FNV-1a, the hash behind Genotype::hash and the space fingerprint.
std::uint64_t fnv1a64(const std::string& s);
std::string hex64(std::uint64_t x);

}  // namespace nac
