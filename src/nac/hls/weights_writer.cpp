// firmware/weights/*.h and firmware/parameters.h: constants as exact mantissas and the layers'
// config structs.
#include "nac/hls/cpp_names.hpp"
#include "nac/hls/embedded.hpp"
#include "nac/hls/project.hpp"
#include "nac/hls/template_text.hpp"
#include "nac/hls/writers.hpp"

namespace nac::hls {

namespace {

// The values, 16 per line.
std::string initializer(const std::vector<std::int64_t>& v) {
  std::string s;
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (i % 16 == 0) s += "\n    ";
    s += int_literal(v[i]);
    if (i + 1 < v.size()) s += (i % 16 == 15) ? "," : ", ";
  }
  return s;
}

}  // namespace

std::vector<std::pair<std::string, std::string>> write_weights(const ProjectContext& p) {
  std::vector<std::pair<std::string, std::string>> files;
  for (const LayerCode& c : p.lowered.layers)
    for (const ConstArray& a : c.arrays) {
      const std::string guard = include_guard(p, "weights_" + a.name + "_h");
      std::string text = "// " + banner() + "\n// " + a.what +
                         ": raw mantissas, set into their ap_fixed type bit for bit.\n#ifndef " +
                         guard + "\n#define " + guard +
                         "\n\n#include \"../defines.h\"\n\nnamespace " + p.ns +
                         " {\n\nstatic const " + a.raw + " " + a.name + "[" +
                         std::to_string(a.values.size()) + "] = {" + initializer(a.values) +
                         "};\n\n}  // namespace " + p.ns + "\n\n#endif  // " + guard + "\n";
      files.emplace_back("firmware/weights/" + a.name + ".h", std::move(text));
    }
  return files;
}

std::string write_parameters(const ProjectContext& p) {
  std::string includes, configs;
  for (const LayerCode& c : p.lowered.layers) {
    for (const ConstArray& a : c.arrays) includes += "#include \"weights/" + a.name + ".h\"\n";
    if (c.configs.empty()) continue;
    const Node& n = p.graph.node(c.node);
    configs += "// node '" + n.name + "' (" + op_name(n.op) + ")\n" + c.configs + "\n";
  }
  return render_template(embedded_text("templates/hls/firmware/parameters.h"),
                         {{"banner", banner()},
                          {"top", p.opt.top},
                          {"guard", include_guard(p, "parameters_h")},
                          {"ns", p.ns},
                          {"weight_includes", includes},
                          {"configs", configs}},
                         "templates/hls/firmware/parameters.h");
}

}  // namespace nac::hls
