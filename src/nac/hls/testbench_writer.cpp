// tb/<top>_test.cpp and the vectors in tb/tb_data/.
#include "nac/hls/embedded.hpp"
#include "nac/hls/project.hpp"
#include "nac/hls/template_text.hpp"
#include "nac/hls/writers.hpp"

namespace nac::hls {

std::string write_testbench(const ProjectContext& p) {
  const std::string call =
      p.opt.io == IoMode::Stream
          ? "    hls::stream<input_t> xs;\n    hls::stream<result_t> ys;\n"
            "    for (int i = 0; i < n_input; ++i) xs.write(x[i]);\n    " +
                p.opt.top + "(xs, ys);\n    for (int j = 0; j < n_output; ++j) y[j] = ys.read();"
          : "    " + p.opt.top + "(x, y);";
  return render_template(embedded_text("templates/hls/tb/test.cpp"),
                         {{"banner", banner()},
                          {"top", p.opt.top},
                          {"ns", p.ns},
                          {"call", call},
                          {"max_reported", "10"}},
                         "templates/hls/tb/test.cpp");
}

std::string write_vectors(const ProjectContext& p, const Tensor<std::int64_t>& m, bool inputs) {
  const FixedFormat& f = inputs ? p.quant.front().result : p.quant.back().result;
  const std::size_t width = inputs ? p.lowered.n_input : p.lowered.n_output;
  const std::size_t rows = width ? m.size() / width : 0;
  std::string s = "# " + banner() + "\n# " + std::to_string(rows) +
                  " samples: " + (inputs ? "input" : "expected output (nac's emulator)") +
                  " mantissas of " + f.str() + ", " + std::to_string(width) + " per line\n";
  for (std::size_t r = 0; r < rows; ++r) {
    for (std::size_t i = 0; i < width; ++i) {
      if (i) s += ' ';
      s += std::to_string(m[r * width + i]);
    }
    s += '\n';
  }
  return s;
}

}  // namespace nac::hls
