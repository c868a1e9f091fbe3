#pragma once
// One named choice of a search space: its kind, its domain and when it is active.
#include <cstdint>
#include <string>
#include <vector>

#include "nac/space/genotype.hpp"

namespace nac {

class Rng;

enum class ChoiceKind {
  Categorical,  // a list of names
  Int,          // a list of integers, or low..high with a step
  Float,        // a list of floats, or [low, high] (optionally log-uniform)
};

const char* choice_kind_name(ChoiceKind k);

// The choice is active when its parent is active and has one of `values`.
struct Condition {
  std::string parent;
  std::vector<ChoiceValue> values;
};

struct ChoiceSpec {
  std::string name;
  ChoiceKind kind = ChoiceKind::Categorical;
  // An explicit value set (always for Categorical; for Int/Float instead of a range).
  std::vector<ChoiceValue> values;
  std::int64_t int_low = 0, int_high = 0, int_step = 1;  // Int range (inclusive)
  double low = 0, high = 1;                              // Float range (inclusive)
  bool log = false;                                      // Float range sampled log-uniformly
  std::vector<Condition> conditions;                     // all must hold
  std::string where;                                     // "file:line" it came from

  bool is_list() const { return !values.empty(); }
  // Number of distinct values (0 for a continuous Float range).
  std::uint64_t cardinality() const;
  // Whether `v` is in the domain (an int counts as a float for Float choices).
  bool contains(const ChoiceValue& v) const;
  // A uniform draw from the domain (log-uniform for log ranges).
  ChoiceValue sample(Rng& rng) const;
  // The domain as text for messages, e.g. "one of [1, 3]" or "an integer in [1, 4] step 1".
  std::string domain_str() const;
};

// Builders for programmatic spaces (benchmarks, tests).
ChoiceSpec categorical_choice(const std::string& name, const std::vector<std::string>& values);
ChoiceSpec int_list_choice(const std::string& name, const std::vector<std::int64_t>& values);
ChoiceSpec int_range_choice(const std::string& name, std::int64_t low, std::int64_t high,
                            std::int64_t step = 1);
ChoiceSpec float_range_choice(const std::string& name, double low, double high, bool log = false);

}  // namespace nac
