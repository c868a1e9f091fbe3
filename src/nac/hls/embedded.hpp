#pragma once
// Files compiled into nac (cmake/embed_files.cmake): the HLS kernel library (src/nac/hls/lib/)
// and the project skeletons (templates/hls/), so that `nac synth hls` needs no source tree.
#include <string>
#include <vector>

namespace nac::hls {

struct EmbeddedFile {
  const char* path;  // relative to the repository root, e.g. "templates/hls/Makefile"
  const char* text;
};

// Every embedded file, sorted by path.
const std::vector<EmbeddedFile>& embedded_files();
// The text of one; throws InputError naming the path when it is not embedded.
std::string embedded_text(const std::string& path);
// The files whose path starts with `prefix`.
std::vector<EmbeddedFile> embedded_under(const std::string& prefix);

}  // namespace nac::hls
