#include "nac/hls/embedded.hpp"

#include "nac/core/error.hpp"

namespace nac::hls {

std::string embedded_text(const std::string& path) {
  for (const auto& f : embedded_files())
    if (path == f.path) return f.text;
  throw InputError("no embedded file '" + path + "' (a file of src/nac/hls/lib or templates/hls)");
}

std::vector<EmbeddedFile> embedded_under(const std::string& prefix) {
  std::vector<EmbeddedFile> out;
  for (const auto& f : embedded_files())
    if (std::string(f.path).compare(0, prefix.size(), prefix) == 0) out.push_back(f);
  return out;
}

}  // namespace nac::hls
