#pragma once
// The writers of a generated HLS project, one per piece (docs/HLS.md): each turns the lowered
// graph into file contents from its skeleton in templates/hls/.
#include <string>
#include <vector>

#include "nac/core/tensor.hpp"
#include "nac/graph/graph.hpp"
#include "nac/graph/quant/resolve.hpp"
#include "nac/hls/layers.hpp"
#include "nac/hls/options.hpp"

namespace nac::hls {

// What every writer needs to know.
struct ProjectContext {
  const Graph& graph;
  const std::vector<OpQuant>& quant;
  const LoweredGraph& lowered;
  const HlsOptions& opt;
  std::string ns;  // the namespace of the generated declarations
};

// An include guard for `file` of this project (unique per top, so projects can share a TU).
std::string include_guard(const ProjectContext& p, const std::string& file);

// firmware/defines.h: one typedef per layer format, raw types, I/O types and sizes.
std::string write_types_header(const ProjectContext& p);

// firmware/weights/<array>.h for every constant array, by file path.
std::vector<std::pair<std::string, std::string>> write_weights(const ProjectContext& p);

// firmware/parameters.h: the weights' includes and every layer's config structs.
std::string write_parameters(const ProjectContext& p);

// firmware/<top>.h and firmware/<top>.cpp.
std::string write_top_header(const ProjectContext& p);
std::string write_top_source(const ProjectContext& p);

// tb/<top>_test.cpp, and the vectors tb/tb_data/inputs.dat / outputs.dat from mantissas
// [N, n_input] and [N, n_output].
std::string write_testbench(const ProjectContext& p);
std::string write_vectors(const ProjectContext& p, const Tensor<std::int64_t>& m, bool inputs);

// Makefile, build_prj.tcl, README.md.
std::string write_makefile(const ProjectContext& p);
std::string write_tcl(const ProjectContext& p);
std::string write_readme(const ProjectContext& p, int n_vectors);

}  // namespace nac::hls
