#pragma once
// Options of the HLS project generator (`nac synth hls`, docs/HLS.md).
#include <string>

namespace nac::hls {

enum class IoMode { Parallel, Stream };

struct HlsOptions {
  std::string top = "nac_model";              // top function name (a C identifier)
  std::string part = "xcvu13p-flga2577-2-e";  // FPGA part for Vitis
  double clock_ns = 5.0;                      // target clock period
  int reuse = 0;  // every layer's reuse factor; 0: each node's own reuse_factor (default 1)
  IoMode io = IoMode::Parallel;
};

// "parallel" / "stream"; throws InputError naming the accepted values.
IoMode parse_io_mode(const std::string& text);
const char* io_mode_name(IoMode m);

// Throws InputError naming the option for a top that is not a C identifier, a reuse below 0 or a
// clock period that is not positive.
void check_options(const HlsOptions& opt);

}  // namespace nac::hls
