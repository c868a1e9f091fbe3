#include "nac/search/objective.hpp"

#include <cmath>

#include "nac/core/error.hpp"

namespace nac {

const char* direction_name(Direction d) {
  return d == Direction::Minimize ? "minimize" : "maximize";
}

Direction direction_from_name(const std::string& s, const std::string& where) {
  if (s == "minimize" || s == "min") return Direction::Minimize;
  if (s == "maximize" || s == "max") return Direction::Maximize;
  throw InputError(where + ": direction '" + s + "', expected minimize or maximize");
}

double Constraint::violation(double v) const {
  if (std::isnan(v)) return std::numeric_limits<double>::infinity();
  if (v > max) return v - max;
  if (v < min) return min - v;
  return 0.0;
}

std::vector<double> as_minimization(const std::vector<double>& values,
                                    const std::vector<Objective>& objectives) {
  NAC_ASSERT(values.size() == objectives.size());
  std::vector<double> out(values.size());
  for (std::size_t i = 0; i < values.size(); ++i)
    out[i] = objectives[i].direction == Direction::Maximize ? -values[i] : values[i];
  return out;
}

}  // namespace nac
