#pragma once
// Objectives (each named, minimised or maximised) and constraints (budgets on any named value,
// e.g. lut <= 50000), as the study and the samplers see them.
#include <limits>
#include <map>
#include <string>
#include <vector>

namespace nac {

enum class Direction { Minimize, Maximize };

const char* direction_name(Direction d);  // "minimize" / "maximize"
// Accepts minimize/min/maximize/max; throws InputError naming `where` otherwise.
Direction direction_from_name(const std::string& s, const std::string& where);

struct Objective {
  std::string name;
  Direction direction = Direction::Minimize;
  bool operator==(const Objective&) const = default;
};

// A budget on a named value (an objective, or a metric the worker stores as a trial attribute).
struct Constraint {
  std::string name;
  double max = std::numeric_limits<double>::infinity();
  double min = -std::numeric_limits<double>::infinity();
  // How far `v` lies outside [min, max] (0 when within); NaN counts as infinitely far.
  double violation(double v) const;
};

// Values turned so that smaller is better for every objective (maximised ones negated).
std::vector<double> as_minimization(const std::vector<double>& values,
                                    const std::vector<Objective>& objectives);

}  // namespace nac
