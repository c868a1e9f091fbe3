#pragma once
// `nac synth hls`: a quantised graph -> a self-contained Vitis HLS project (docs/HLS.md): the top
// function, a types header, weights as exact mantissas, per-layer configs of the nnet kernel
// library, a test bench replaying the emulator's vectors, build_prj.tcl, a Makefile for C
// simulation with g++ and a README. Same graph and options -> same bytes.
#include <cstdint>
#include <map>
#include <string>

#include "nac/graph/graph.hpp"
#include "nac/hls/options.hpp"

namespace nac::hls {

struct VectorOptions {
  int count = 1000;        // test vectors for the test bench
  std::uint64_t seed = 1;  // their random input mantissas
};

struct HlsProject {
  std::map<std::string, std::string> files;  // path relative to the project root -> contents
};

// Throws GraphError naming the node for a graph the generator cannot implement (missing
// annotations, layernorm, too wide intermediates, ...), InputError for bad options.
HlsProject generate_project(const Graph& g, const HlsOptions& opt, const VectorOptions& vec);

// Writes the files under `dir` (created when missing). firmware/ and tb/ are entirely generated
// and are replaced; other files (a Vitis project, build outputs) are left alone.
void write_project(const HlsProject& p, const std::string& dir);

// The one-line banner of generated files (without comment characters).
std::string banner();

}  // namespace nac::hls
