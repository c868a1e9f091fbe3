#pragma once
// Node attributes: a small typed map (kernel size, units, activation name, ...).
#include <cstdint>
#include <map>
#include <string>
#include <variant>
#include <vector>

namespace nac {

using AttrValue = std::variant<std::int64_t, double, std::string, std::vector<std::int64_t>>;
using Attrs = std::map<std::string, AttrValue>;

}  // namespace nac
