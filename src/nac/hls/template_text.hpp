#pragma once
// Project skeletons (templates/hls/) are real files with {{key}} placeholders. Rendering checks
// both directions: a key in the text without a value and a value no key uses are errors, so a
// template and its writer cannot drift apart silently.
#include <map>
#include <string>

namespace nac::hls {

// Replaces every {{key}} (key: [a-z_][a-z0-9_]*) by values.at(key). Throws InputError naming
// `name` and the line for an unknown key or a malformed "{{", and naming the unused keys.
std::string render_template(const std::string& text,
                            const std::map<std::string, std::string>& values,
                            const std::string& name);

}  // namespace nac::hls
