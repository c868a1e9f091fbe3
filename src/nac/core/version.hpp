#pragma once
// nac's version (CMake's project version), for --version and the banners of generated files.
namespace nac {

const char* version();

}  // namespace nac
