#include "nac/hls/options.hpp"

#include <cctype>
#include <cmath>

#include "nac/core/error.hpp"

namespace nac::hls {

IoMode parse_io_mode(const std::string& text) {
  if (text == "parallel") return IoMode::Parallel;
  if (text == "stream") return IoMode::Stream;
  throw InputError("--io: expected 'parallel' or 'stream', not '" + text + "'");
}

const char* io_mode_name(IoMode m) { return m == IoMode::Parallel ? "parallel" : "stream"; }

void check_options(const HlsOptions& opt) {
  bool ok = !opt.top.empty() && !std::isdigit(static_cast<unsigned char>(opt.top[0]));
  for (char c : opt.top) ok = ok && (std::isalnum(static_cast<unsigned char>(c)) || c == '_');
  if (!ok) throw InputError("--top: '" + opt.top + "' is not a C identifier");
  if (opt.reuse < 0)
    throw InputError("--reuse: expected a reuse factor >= 1 (or 0: each node's own), not " +
                     std::to_string(opt.reuse));
  if (!(opt.clock_ns > 0) || !std::isfinite(opt.clock_ns))
    throw InputError("--clock-ns: expected a positive clock period in ns");
  if (opt.part.empty()) throw InputError("--part: expected an FPGA part name");
}

}  // namespace nac::hls
