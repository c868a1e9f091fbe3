#include "nac/core/error.hpp"

#include <cstdio>
#include <cstdlib>

namespace nac {

void assertion_failed(const char* expr, const char* file, int line) {
  std::fprintf(stderr, "nac: internal error: assertion '%s' failed at %s:%d\n", expr, file, line);
  std::abort();
}

}  // namespace nac
