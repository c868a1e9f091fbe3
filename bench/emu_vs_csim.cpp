// Throughput of the emulator against the generated HLS project's C simulation (the g++ build of
// `nac synth hls`'s firmware and test bench, -O2, nac's ap_types) on the two baselines, 8-bit:
// BraggNN (examples/braggnn.yaml) and the jet-tagging MLP (examples/jet_mlp.yaml). Both run
// single-threaded on the same random input mantissas; the C simulation also checks its outputs
// against the emulator's, so a run that is not bit-exact is reported as such.
//   build/bench/emu_vs_csim [--bragg-samples N] [--jet-samples N]
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "nac/config/train_config.hpp"
#include "nac/core/rng.hpp"
#include "nac/emu/emulator.hpp"
#include "nac/graph/passes/quantize_pipeline.hpp"
#include "nac/hls/project.hpp"
#include "nac/hls/vectors.hpp"

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

// The example's model, initialised from a seed and quantised to 8 bits (calibrated on inputs
// uniform in [-1.5, 1.5), then infer_precision's exact accumulators).
nac::Graph quantized_example(const std::string& file) {
  const nac::TrainConfig c =
      nac::load_train_config(std::string(NAC_SOURCE_DIR) + "/examples/" + file);
  nac::Rng rng(1);
  nac::Graph g = nac::build_graph(c.model, &rng);
  nac::Shape s{256};
  s.insert(s.end(), g.input_shape().begin(), g.input_shape().end());
  nac::Tensor<float> sample(s);
  for (auto& v : sample.data) v = static_cast<float>(rng.uniform(-1.5, 1.5));
  nac::quantization_passes(nac::PrecisionConfig{}, sample).run(g);
  return g;
}

int shell(const std::string& cmd, std::string* out) {
  const std::string log =
      (fs::temp_directory_path() / ("emu_vs_csim_" + std::to_string(::getpid()) + ".log")).string();
  const int status = std::system((cmd + " > " + log + " 2>&1").c_str());
  std::ifstream f(log);
  std::stringstream ss;
  ss << f.rdbuf();
  *out = ss.str();
  fs::remove(log);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

void compare(const std::string& name, const std::string& example, int samples) {
  const nac::Graph g = quantized_example(example);
  const fs::path dir =
      fs::temp_directory_path() / ("emu_vs_csim_" + name + "_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  nac::hls::HlsOptions opt;
  opt.top = name;
  nac::hls::write_project(nac::hls::generate_project(g, opt, {samples, 1}), dir.string());
  std::string log;
  auto t0 = Clock::now();
  if (shell("make -C " + dir.string() + " build/csim", &log) != 0) {
    std::printf("%s: building the C simulation failed:\n%s\n", name.c_str(), log.c_str());
    std::exit(1);
  }
  const double compile_s = seconds_since(t0);

  // The C simulation: one run over the vectors (reading them is a negligible part).
  t0 = Clock::now();
  const int rc = shell(dir.string() + "/build/csim " + dir.string() + "/tb/tb_data", &log);
  const double csim_s = seconds_since(t0);
  const bool exact = rc == 0 && log.find(" 0 mismatches") != std::string::npos;

  // The emulator on the same inputs: batched (its normal use) and one sample per call.
  const nac::hls::Vectors v = nac::hls::make_vectors(g, samples, 1);
  const nac::Emulator emu(g);
  int reps = 0;
  t0 = Clock::now();
  do {
    emu.run_mantissas(v.inputs, false);
    ++reps;
  } while (seconds_since(t0) < 1.0);
  const double emu_rate = reps * samples / seconds_since(t0);
  nac::Shape one{1};
  one.insert(one.end(), g.input_shape().begin(), g.input_shape().end());
  nac::Tensor<std::int64_t> x1(one);
  const std::size_t row = x1.size();
  long long singles = 0;
  t0 = Clock::now();
  do {
    const std::size_t s = static_cast<std::size_t>(singles % samples);
    std::copy_n(v.inputs.ptr() + s * row, row, x1.ptr());
    emu.run_mantissas(x1, false);
    ++singles;
  } while (seconds_since(t0) < 1.0);
  const double single_rate = static_cast<double>(singles) / seconds_since(t0);

  const double csim_rate = samples / csim_s;
  std::printf("%-9s %8d %14.0f %14.0f %12.1f %10.0fx %9.1f  %s\n", name.c_str(), samples, emu_rate,
              single_rate, csim_rate, emu_rate / csim_rate, compile_s,
              exact ? "bit-exact" : "MISMATCH");
  fs::remove_all(dir);
}

}  // namespace

int main(int argc, char** argv) {
  int bragg = 300, jet = 20000;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string a = argv[i];
    if (a == "--bragg-samples")
      bragg = std::atoi(argv[i + 1]);
    else if (a == "--jet-samples")
      jet = std::atoi(argv[i + 1]);
  }
  std::printf(
      "Samples per second, one thread, 8-bit models. emulator: batched (chunks of 128) and\n"
      "one sample per call; csim: the generated project's test bench built with g++ -O2.\n\n");
  std::printf("%-9s %8s %14s %14s %12s %11s %9s\n", "model", "samples", "emu batched/s",
              "emu single/s", "csim/s", "emu/csim", "build s");
  compare("braggnn", "braggnn.yaml", bragg);
  compare("jet_mlp", "jet_mlp.yaml", jet);
  return 0;
}
