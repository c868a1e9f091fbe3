#include "nac/hls/template_text.hpp"

#include <set>

#include "nac/core/error.hpp"

namespace nac::hls {
namespace {

bool key_start(char c) { return (c >= 'a' && c <= 'z') || c == '_'; }
bool key_char(char c) { return key_start(c) || (c >= '0' && c <= '9'); }

}  // namespace

std::string render_template(const std::string& text,
                            const std::map<std::string, std::string>& values,
                            const std::string& name) {
  std::string out;
  std::set<std::string> used;
  int line = 1;
  std::size_t i = 0;
  while (i < text.size()) {
    if (text.compare(i, 2, "{{") != 0) {
      line += text[i] == '\n';
      out += text[i++];
      continue;
    }
    std::size_t j = i + 2;
    while (j < text.size() && key_char(text[j])) ++j;
    const std::string key = text.substr(i + 2, j - i - 2);
    if (key.empty() || !key_start(key[0]) || text.compare(j, 2, "}}") != 0)
      throw InputError("template " + name + ":" + std::to_string(line) +
                       ": '{{' must start a key written {{name}} (lower case, digits, '_')");
    const auto it = values.find(key);
    if (it == values.end())
      throw InputError("template " + name + ":" + std::to_string(line) + ": unknown key {{" + key +
                       "}}");
    used.insert(key);
    out += it->second;
    i = j + 2;
  }
  std::string unused;
  for (const auto& [k, v] : values)
    if (!used.count(k)) unused += (unused.empty() ? "" : ", ") + k;
  if (!unused.empty())
    throw InputError("template " + name + ": keys given but not used: " + unused);
  return out;
}

}  // namespace nac::hls
