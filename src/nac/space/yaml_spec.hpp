#pragma once
// Reading the pieces of a search-space YAML file: value specs (a scalar fixes a value, a list or
// a range map makes a choice) and errors that name file:line:column and the key.
#include <functional>
#include <initializer_list>
#include <string>

#include <yaml-cpp/yaml.h>

#include "nac/space/search_space.hpp"

namespace nac::space_yaml {

struct Ctx {
  std::string file;
  std::string where(const YAML::Node& n) const;  // "file:line:column"
  [[noreturn]] void fail(const YAML::Node& n, const std::string& key, const std::string& msg) const;
};

// What a key of the file says: a fixed value, or a choice over a domain.
struct ValueSpec {
  bool is_fixed = true;
  ChoiceValue fixed;
  ChoiceSpec choice;  // name and conditions are filled in by put()
  YAML::Node node;    // for error messages
};

// A scalar: an integer, else a float, else a name (quoted scalars are always names).
ChoiceValue parse_scalar(const YAML::Node& n);
// scalar -> fixed; [a, b, ...] -> choice over the list (all integers: Int, all numbers: Float,
// all names: Categorical); {low, high[, step][, log][, type]} or {values, type} -> a range or
// typed list.
// With allow_when, a range/list map may also carry a `when` key (read by the caller).
ValueSpec parse_value_spec(const Ctx& ctx, const YAML::Node& n, const std::string& key,
                           bool allow_when = false);

// Every value `spec` can take (fixed, listed, or the ends of a range) must satisfy `ok`;
// otherwise the error names the key and `expected`.
void check_values(const Ctx& ctx, const ValueSpec& spec, const std::string& key,
                  const std::function<bool(const ChoiceValue&)>& ok, const std::string& expected);
// The values of a finite Int spec, in order (for depth-like keys that shape the space).
std::vector<std::int64_t> int_domain(const Ctx& ctx, const ValueSpec& spec, const std::string& key);

// Errors on keys of map `n` other than `allowed`; `key` names the map ("" for the top level).
void check_keys(const Ctx& ctx, const YAML::Node& n, const std::string& key,
                std::initializer_list<const char*> allowed);
// n[child], which must exist.
YAML::Node require(const Ctx& ctx, const YAML::Node& n, const std::string& key,
                   const std::string& child);
std::string join_key(const std::string& parent, const std::string& child);

// Adds `spec` to the space under `name`: a fixed value or a choice active under `conditions`.
void put(SearchSpace& space, const Ctx& ctx, const std::string& name, const ValueSpec& spec,
         const std::vector<Condition>& conditions = {});

}  // namespace nac::space_yaml
