#include "nac/space/choice.hpp"

#include <algorithm>
#include <cmath>

#include "nac/core/error.hpp"
#include "nac/core/rng.hpp"

namespace nac {

const char* choice_kind_name(ChoiceKind k) {
  switch (k) {
    case ChoiceKind::Categorical:
      return "categorical";
    case ChoiceKind::Int:
      return "int";
    case ChoiceKind::Float:
      return "float";
  }
  return "?";
}

std::uint64_t ChoiceSpec::cardinality() const {
  if (is_list()) return values.size();
  if (kind == ChoiceKind::Int)
    return static_cast<std::uint64_t>((int_high - int_low) / int_step) + 1;
  return 0;
}

bool ChoiceSpec::contains(const ChoiceValue& v) const {
  if (is_list()) {
    if (kind == ChoiceKind::Float && value_is_number(v)) {
      const double x = value_as_double(v);
      return std::any_of(values.begin(), values.end(),
                         [&](const ChoiceValue& c) { return value_as_double(c) == x; });
    }
    return std::find(values.begin(), values.end(), v) != values.end();
  }
  if (kind == ChoiceKind::Int) {
    const auto* i = std::get_if<std::int64_t>(&v);
    return i && *i >= int_low && *i <= int_high && (*i - int_low) % int_step == 0;
  }
  if (!value_is_number(v)) return false;
  const double x = value_as_double(v);
  return x >= low && x <= high;
}

ChoiceValue ChoiceSpec::sample(Rng& rng) const {
  if (is_list()) return values[rng.below(values.size())];
  if (kind == ChoiceKind::Int)
    return int_low + static_cast<std::int64_t>(rng.below(cardinality())) * int_step;
  NAC_ASSERT(kind == ChoiceKind::Float);
  if (log) return std::exp(rng.uniform(std::log(low), std::log(high)));
  return rng.uniform(low, high);
}

std::string ChoiceSpec::domain_str() const {
  if (is_list()) {
    std::string s = "one of [";
    for (std::size_t i = 0; i < values.size(); ++i) s += (i ? ", " : "") + value_str(values[i]);
    return s + "]";
  }
  if (kind == ChoiceKind::Int)
    return "an integer in [" + std::to_string(int_low) + ", " + std::to_string(int_high) +
           "] step " + std::to_string(int_step);
  return std::string(log ? "a log-uniform " : "a ") + "float in [" + value_str(low) + ", " +
         value_str(high) + "]";
}

ChoiceSpec categorical_choice(const std::string& name, const std::vector<std::string>& values) {
  ChoiceSpec c;
  c.name = name;
  c.kind = ChoiceKind::Categorical;
  for (const auto& v : values) c.values.emplace_back(v);
  return c;
}

ChoiceSpec int_list_choice(const std::string& name, const std::vector<std::int64_t>& values) {
  ChoiceSpec c;
  c.name = name;
  c.kind = ChoiceKind::Int;
  for (auto v : values) c.values.emplace_back(v);
  return c;
}

ChoiceSpec int_range_choice(const std::string& name, std::int64_t low, std::int64_t high,
                            std::int64_t step) {
  ChoiceSpec c;
  c.name = name;
  c.kind = ChoiceKind::Int;
  c.int_low = low;
  c.int_high = high;
  c.int_step = step;
  return c;
}

ChoiceSpec float_range_choice(const std::string& name, double low, double high, bool log) {
  ChoiceSpec c;
  c.name = name;
  c.kind = ChoiceKind::Float;
  c.low = low;
  c.high = high;
  c.log = log;
  return c;
}

}  // namespace nac
