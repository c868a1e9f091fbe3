#include "nac/core/version.hpp"

#ifndef NAC_VERSION_STRING
#error "NAC_VERSION_STRING is set by CMakeLists.txt"
#endif

namespace nac {

const char* version() { return NAC_VERSION_STRING; }

}  // namespace nac
