// `nac synth hls --model M --out DIR`: a quantised model file -> a Vitis HLS project
// (docs/HLS.md). Other backends (rtl) join as further `synth` subcommands.
#include <cstdio>

#include "nac/cli/commands.hpp"
#include "nac/graph/model_file.hpp"
#include "nac/hls/project.hpp"

namespace nac::cli {

namespace {

struct SynthHlsArgs {
  std::string model, out, io = "parallel";
  hls::HlsOptions opt;
  hls::VectorOptions vec;
};

}  // namespace

void add_synth_command(CLI::App& app) {
  auto* synth = app.add_subcommand("synth", "Generate hardware from a quantised model");
  synth->require_subcommand(1);
  auto* cmd = synth->add_subcommand(
      "hls", "Write a Vitis HLS project that computes exactly what nac's emulator computes");
  auto a = std::make_shared<SynthHlsArgs>();
  cmd->add_option("--model", a->model, "quantised model file (every node annotated)")->required();
  cmd->add_option("--out", a->out, "project directory (its firmware/ and tb/ are replaced)")
      ->required();
  cmd->add_option("--part", a->opt.part, "FPGA part")->capture_default_str();
  cmd->add_option("--clock-ns", a->opt.clock_ns, "target clock period in ns")
      ->capture_default_str();
  cmd->add_option("--reuse", a->opt.reuse,
                  "reuse factor of every layer (1: fully parallel); default: each node's own")
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--io", a->io, "top-level interface: parallel (arrays) or stream (AXI streams)")
      ->capture_default_str();
  cmd->add_option("--top", a->opt.top, "top function name")->capture_default_str();
  cmd->add_option("--vectors", a->vec.count, "test vectors the emulator writes for the test bench")
      ->capture_default_str();
  cmd->add_option("--seed", a->vec.seed, "seed of the test vectors' random inputs")
      ->capture_default_str();
  cmd->callback([a] {
    a->opt.io = hls::parse_io_mode(a->io);
    const Model m = load_model(a->model);
    const hls::HlsProject p = hls::generate_project(m.graph, a->opt, a->vec);
    hls::write_project(p, a->out);
    std::printf("wrote %zu files to %s (top %s, %s I/O); C simulation: make -C %s csim\n",
                p.files.size(), a->out.c_str(), a->opt.top.c_str(), a->io.c_str(), a->out.c_str());
  });
}

}  // namespace nac::cli
