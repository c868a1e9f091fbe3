#pragma once
// Writing whole text files (reports, metrics, model files) so that a reader or an interrupted
// run never sees half a file.
#include <filesystem>
#include <string>

namespace nac {

// Writes `text` to `path` through `path.tmp` and a rename; creates missing parent folders.
// Throws InputError naming the path when it cannot.
void write_text_file(const std::filesystem::path& path, const std::string& text);

// "12.3s", "4m05s", "2h07m": elapsed times and ETAs in progress lines ("?" when unknown).
std::string format_duration(double seconds);

}  // namespace nac
