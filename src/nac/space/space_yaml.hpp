#pragma once
// Search-space YAML -> SearchSpace (docs/SEARCH_SPACES.md describes the format). Every error
// names the file, line and column, and the key.
#include <string>

#include "nac/space/search_space.hpp"

namespace nac {

SearchSpace load_space(const std::string& path);
// `where` names the source in messages (a path).
SearchSpace parse_space(const std::string& text, const std::string& where);

}  // namespace nac
