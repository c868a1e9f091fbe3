// Makefile, build_prj.tcl and README.md of a generated project.
#include <cstdio>

#include "nac/hls/embedded.hpp"
#include "nac/hls/project.hpp"
#include "nac/hls/template_text.hpp"
#include "nac/hls/writers.hpp"

namespace nac::hls {
namespace {

std::string clock_text(double ns) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", ns);
  return buf;
}

}  // namespace

std::string write_makefile(const ProjectContext& p) {
  return render_template(embedded_text("templates/hls/Makefile"),
                         {{"banner", banner()}, {"top", p.opt.top}}, "templates/hls/Makefile");
}

std::string write_tcl(const ProjectContext& p) {
  return render_template(embedded_text("templates/hls/build_prj.tcl"),
                         {{"banner", banner()},
                          {"top", p.opt.top},
                          {"part", p.opt.part},
                          {"clock_ns", clock_text(p.opt.clock_ns)}},
                         "templates/hls/build_prj.tcl");
}

std::string write_readme(const ProjectContext& p, int n_vectors) {
  std::string layers;
  for (const LayerCode& c : p.lowered.layers) {
    const Node& n = p.graph.node(c.node);
    layers += "| `" + n.name + "` | " + op_name(n.op) + " | " + std::to_string(c.reuse) + " | " +
              c.summary + " |\n";
  }
  const std::string design =
      p.lowered.all_latency
          ? "fully parallel (every layer reuse 1, latency strategy)"
          : "multipliers reused (layers with reuse > 1 use the resource strategy)";
  return render_template(embedded_text("templates/hls/README.md"),
                         {{"banner", banner()},
                          {"top", p.opt.top},
                          {"n_vectors", std::to_string(n_vectors)},
                          {"part", p.opt.part},
                          {"clock_ns", clock_text(p.opt.clock_ns)},
                          {"io", io_mode_name(p.opt.io)},
                          {"design", design},
                          {"n_input", std::to_string(p.lowered.n_input)},
                          {"input_format", p.quant.front().result.str()},
                          {"input_shape", shape_str(p.graph.input_shape())},
                          {"n_output", std::to_string(p.lowered.n_output)},
                          {"output_format", p.quant.back().result.str()},
                          {"output_shape", shape_str(p.graph.output_shape())},
                          {"layers", layers}},
                         "templates/hls/README.md");
}

}  // namespace nac::hls
