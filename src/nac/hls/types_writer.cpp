// firmware/defines.h: the types header.
#include <cctype>

#include "nac/hls/cpp_names.hpp"
#include "nac/hls/embedded.hpp"
#include "nac/hls/project.hpp"
#include "nac/hls/template_text.hpp"
#include "nac/hls/writers.hpp"

namespace nac::hls {

std::string include_guard(const ProjectContext& p, const std::string& file) {
  std::string g = "NAC_" + p.opt.top + "_" + file;
  for (char& c : g)
    c = std::isalnum(static_cast<unsigned char>(c))
            ? static_cast<char>(std::toupper(static_cast<unsigned char>(c)))
            : '_';
  return g;
}

std::string write_types_header(const ProjectContext& p) {
  std::string typedefs;
  for (const LayerCode& c : p.lowered.layers) {
    const Node& n = p.graph.node(c.node);
    typedefs += "// node '" + n.name + "' (" + op_name(n.op) + ")\n";
    for (const TypeDef& t : c.types) typedefs += "typedef " + t.type + " " + t.name + ";\n";
    typedefs += "\n";
  }
  const FixedFormat& fin = p.quant.front().result;
  const FixedFormat& fout = p.quant.back().result;
  return render_template(embedded_text("templates/hls/firmware/defines.h"),
                         {{"banner", banner()},
                          {"top", p.opt.top},
                          {"guard", include_guard(p, "defines_h")},
                          {"ns", p.ns},
                          {"typedefs", typedefs},
                          {"input_format", fin.str()},
                          {"output_format", fout.str()},
                          {"input_type", p.lowered.input_type},
                          {"input_raw", raw_type(fin)},
                          {"output_type", p.lowered.output_type},
                          {"output_raw", raw_type(fout)},
                          {"n_input", std::to_string(p.lowered.n_input)},
                          {"n_output", std::to_string(p.lowered.n_output)}},
                         "templates/hls/firmware/defines.h");
}

}  // namespace nac::hls
