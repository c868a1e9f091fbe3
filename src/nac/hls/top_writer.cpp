// firmware/<top>.h and firmware/<top>.cpp: the top function.
#include "nac/hls/embedded.hpp"
#include "nac/hls/project.hpp"
#include "nac/hls/template_text.hpp"
#include "nac/hls/writers.hpp"

namespace nac::hls {

namespace {

std::string signature(const ProjectContext& p) {
  const std::string& ns = p.ns;
  if (p.opt.io == IoMode::Stream)
    return "void " + p.opt.top + "(hls::stream<" + ns +
           "::input_t>& input_stream,\n    hls::stream<" + ns + "::result_t>& output_stream)";
  return "void " + p.opt.top + "(const " + ns + "::input_t input[" + ns + "::n_input],\n    " + ns +
         "::result_t output[" + ns + "::n_output])";
}

}  // namespace

std::string write_top_header(const ProjectContext& p) {
  const bool stream = p.opt.io == IoMode::Stream;
  return render_template(
      embedded_text("templates/hls/firmware/top.h"),
      {{"banner", banner()},
       {"guard", include_guard(p, p.opt.top + "_h")},
       {"stream_include", stream ? "#include <hls_stream.h>\n" : ""},
       {"io_doc", stream ? "Streams n_input input values in, n_output result values out, in "
                           "row-major order (an AXI4-Stream each)."
                         : "n_input input values in, n_output result values out (row-major), "
                           "all in parallel."},
       {"signature", signature(p)}},
      "templates/hls/firmware/top.h");
}

std::string write_top_source(const ProjectContext& p) {
  const bool stream = p.opt.io == IoMode::Stream;
  const bool pipelined = p.lowered.all_latency && !stream;
  const std::string& last = p.lowered.layers.back().out;
  std::string iface, body, doc;
  if (stream) {
    iface =
        "#pragma HLS INTERFACE axis port=input_stream\n"
        "#pragma HLS INTERFACE axis port=output_stream\n";
    body =
        "  // input\n"
        "  input_t input[n_input];\n"
        "#pragma HLS ARRAY_PARTITION variable=input complete dim=0\n"
        "  for (int i = 0; i < n_input; i++) {\n"
        "#pragma HLS PIPELINE II=1\n"
        "    input[i] = input_stream.read();\n"
        "  }\n\n";
    doc =
        "Stream I/O: the input is read into registers, the layers run, the result is\n"
        "// streamed out.";
  } else {
    iface =
        "#pragma HLS INTERFACE ap_vld port=input\n"
        "#pragma HLS INTERFACE ap_vld port=output\n"
        "#pragma HLS ARRAY_PARTITION variable=input complete dim=0\n"
        "#pragma HLS ARRAY_PARTITION variable=output complete dim=0\n";
    doc = pipelined ? "Every layer is fully parallel (reuse 1): the function is pipelined at II=1."
                    : "Some layers reuse their multipliers (reuse > 1, resource strategy): the\n"
                      "// layers run one after another, each pipelined over its reuse steps.";
  }
  if (pipelined) iface += "#pragma HLS PIPELINE II=1\n";
  for (const LayerCode& c : p.lowered.layers)
    if (!c.body.empty()) body += c.body + "\n";
  body += "  // output\n  for (int i = 0; i < n_output; i++) {\n";
  body += stream ? "#pragma HLS PIPELINE II=1\n    output_stream.write(" + last + "[i]);\n"
                 : "#pragma HLS UNROLL\n    output[i] = " + last + "[i];\n";
  body += "  }\n";
  return render_template(embedded_text("templates/hls/firmware/top.cpp"),
                         {{"banner", banner()},
                          {"top", p.opt.top},
                          {"pragma_doc", doc},
                          {"signature", signature(p)},
                          {"interface", iface},
                          {"ns", p.ns},
                          {"body", body}},
                         "templates/hls/firmware/top.cpp");
}

}  // namespace nac::hls
