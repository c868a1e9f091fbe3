// The HLS generator's parts: template rendering (unknown and unused keys are errors), C++
// spellings, refusals by node name with the reason, exact constants, reproducible output.
#include <gtest/gtest.h>

#include <regex>

#include "hls_models.hpp"
#include "nac/core/error.hpp"
#include "nac/core/version.hpp"
#include "nac/graph/quant/constants.hpp"
#include "nac/graph/quant/resolve.hpp"
#include "nac/hls/cpp_names.hpp"
#include "nac/hls/embedded.hpp"
#include "nac/hls/project.hpp"
#include "nac/hls/template_text.hpp"

namespace nac {
namespace {

using testing::hfmt;

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

TEST(HlsTemplate, SubstitutesEveryKey) {
  EXPECT_EQ(hls::render_template("a {{x}} b {{y_2}}{{x}}\n", {{"x", "1"}, {"y_2", "[]"}}, "t"),
            "a 1 b []1\n");
  EXPECT_EQ(hls::render_template("no keys { } }}", {}, "t"), "no keys { } }}");
}

TEST(HlsTemplate, UnknownUnusedAndMalformedKeysAreErrors) {
  const std::string unknown = error_of([] {
    hls::render_template("line\n{{x}} {{nope}}", {{"x", "1"}}, "t.txt");
  });
  EXPECT_NE(unknown.find("t.txt:2"), std::string::npos) << unknown;
  EXPECT_NE(unknown.find("unknown key {{nope}}"), std::string::npos) << unknown;
  const std::string unused = error_of([] {
    hls::render_template("{{x}}", {{"x", "1"}, {"extra", "2"}}, "t.txt");
  });
  EXPECT_NE(unused.find("not used: extra"), std::string::npos) << unused;
  for (const char* bad : {"{{X}}", "{{x", "{{}}", "{{ x }}", "{{1a}}"})
    EXPECT_NE(error_of([&] {
                hls::render_template(bad, {{"x", "1"}}, "t");
              }).find("t:1"),
              std::string::npos)
        << bad;
}

// Every skeleton is embedded, and its keys are exactly what its writer fills (a generated
// project renders each of them; render_template fails on any mismatch).
TEST(HlsTemplate, EverySkeletonIsUsedByTheGenerator) {
  const auto skeletons = hls::embedded_under("templates/hls/");
  ASSERT_EQ(skeletons.size(), 8u);
  Graph g = testing::quantized(testing::quant_mlp(1), testing::bits8(), 1);
  const auto p = hls::generate_project(g, {}, {3, 1});
  for (const char* f :
       {"README.md", "Makefile", "build_prj.tcl", "firmware/defines.h", "firmware/parameters.h",
        "firmware/nac_model.h", "firmware/nac_model.cpp", "tb/nac_model_test.cpp"})
    EXPECT_TRUE(p.files.count(f)) << f;
}

TEST(HlsNames, CppSpellings) {
  EXPECT_EQ(hls::cpp_identifier("conv2d1"), "conv2d1");
  EXPECT_EQ(hls::cpp_identifier("block.0-conv"), "block_0_conv");
  EXPECT_EQ(hls::cpp_identifier("3x3"), "n_3x3");
  EXPECT_EQ(hls::cpp_identifier("int"), "int_");
  EXPECT_EQ(hls::cpp_identifier("input"), "input_");
  Graph g;
  const int x = testing::add_input(g, {3}, "a.b");
  g.add(OpKind::Dense, "a-b", {x}, {{"units", std::int64_t{2}}});
  g.finalize(nullptr);
  EXPECT_EQ(hls::node_identifiers(g), (std::vector<std::string>{"a_b", "a_b_2"}));
  EXPECT_EQ(hls::fixed_type(hfmt("fixed<8,3>")), "ap_fixed<8,3>");
  EXPECT_EQ(hls::fixed_type(hfmt("ufixed<6,-2,RND>")), "ap_ufixed<6,-2,AP_RND>");
  EXPECT_EQ(hls::fixed_type(hfmt("fixed<9,4,TRN,SAT_SYM>")), "ap_fixed<9,4,AP_TRN,AP_SAT_SYM>");
  EXPECT_EQ(hls::raw_type(hfmt("ufixed<16,1>")), "ap_uint<16>");
  EXPECT_EQ(hls::raw_type(hfmt("fixed<63,3>")), "ap_int<63>");
  EXPECT_EQ(hls::int_literal(-7), "-7");
  EXPECT_EQ(hls::int_literal(4294967296LL), "4294967296LL");
  EXPECT_EQ(hls::int_literal(INT64_MIN), "(-9223372036854775807LL - 1)");
}

// x [4] -> dense "fc" -> `op` "last", annotated by hand.
Graph annotated(OpKind op, Attrs attrs, int inputs = 1) {
  Graph g;
  const int x = testing::add_input(g, {4});
  const int d = g.add(OpKind::Dense, "fc", {x}, {{"units", std::int64_t{4}}});
  std::vector<int> in(static_cast<std::size_t>(inputs), d);
  g.add(op, "last", in, std::move(attrs));
  Rng rng(1);
  g.finalize(&rng);
  g.node(0).quant.result = hfmt("fixed<8,3>");
  auto& q = g.node(1).quant;
  q.weight = hfmt("fixed<8,1>");
  q.bias = hfmt("fixed<8,3>");
  q.accum = hfmt("fixed<20,8>");
  q.result = hfmt("fixed<8,3>");
  g.node(2).quant.result = hfmt("fixed<8,3>");
  return g;
}

std::string refusal(const Graph& g, const hls::HlsOptions& opt = {}) {
  return error_of([&] { hls::generate_project(g, opt, {2, 1}); });
}

TEST(HlsRefusals, NamesTheNodeAndTheReason) {
  // layernorm: no fixed-point meaning
  Graph ln = annotated(OpKind::LayerNorm, {});
  std::string e = refusal(ln);
  EXPECT_NE(e.find("node 'last' (layernorm)"), std::string::npos) << e;
  EXPECT_NE(e.find("1/sqrt"), std::string::npos) << e;
  // a missing annotation
  Graph missing = annotated(OpKind::Activation, {{"fn", std::string("relu")}});
  missing.node(1).quant.accum.reset();
  e = refusal(missing);
  EXPECT_NE(e.find("node 'fc' (dense): no accum format"), std::string::npos) << e;
  // an intermediate wider than the generated code can form: x + y with 63 integer bits and
  // 66 fraction bits (129 bits)
  Graph wide = annotated(OpKind::Add, {}, 2);
  wide.nodes().back().inputs = {0, 1};
  wide.node(0).quant.result = hfmt("fixed<63,62>");
  wide.node(1).quant.result = hfmt("fixed<63,-3>");
  wide.finalize(nullptr);
  e = refusal(wide);
  EXPECT_NE(e.find("node 'last' (add)"), std::string::npos) << e;
  EXPECT_NE(e.find("at most 128 bits"), std::string::npos) << e;
  // a table too large for an on-chip ROM
  Graph big = annotated(OpKind::Activation, {{"fn", std::string("sigmoid")}});
  big.node(2).quant.tables["act"] = {131072, -4, 4};
  big.node(1).quant.result = hfmt("fixed<20,3>");
  e = refusal(big);
  EXPECT_NE(e.find("node 'last' (activation)"), std::string::npos) << e;
  EXPECT_NE(e.find("at most 65536 entries"), std::string::npos) << e;
  // more than four addends in one node
  Graph five = annotated(OpKind::Add, {}, 5);
  e = refusal(five);
  EXPECT_NE(e.find("at most 4 tensors"), std::string::npos) << e;
  // two graph inputs
  Graph two;
  const int a = testing::add_input(two, {2}, "a"), b = testing::add_input(two, {2}, "b");
  two.add(OpKind::Add, "sum", {a, b});
  two.finalize(nullptr);
  for (auto& n : two.nodes()) n.quant.result = hfmt("fixed<8,3>");
  e = refusal(two);
  EXPECT_NE(e.find("exactly one input node"), std::string::npos) << e;
}

TEST(HlsRefusals, BadOptions) {
  const Graph g = testing::quantized(testing::quant_mlp(1), testing::bits8(), 1);
  hls::HlsOptions top;
  top.top = "1model";
  EXPECT_NE(refusal(g, top).find("--top"), std::string::npos);
  hls::HlsOptions reuse;
  reuse.reuse = -2;
  EXPECT_NE(refusal(g, reuse).find("--reuse"), std::string::npos);
  hls::HlsOptions clock;
  clock.clock_ns = 0;
  EXPECT_NE(refusal(g, clock).find("--clock-ns"), std::string::npos);
  EXPECT_NE(error_of([] { hls::parse_io_mode("serial"); }).find("'parallel' or 'stream'"),
            std::string::npos);
  EXPECT_NE(error_of([&] {
              hls::generate_project(g, {}, {0, 1});
            }).find("--vectors"),
            std::string::npos);
}

// The integers in `name`'s initializer in a weights header.
std::vector<std::int64_t> array_values(const hls::HlsProject& p, const std::string& name) {
  const std::string& text = p.files.at("firmware/weights/" + name + ".h");
  const std::string body = text.substr(text.find("] = {") + 5);
  std::vector<std::int64_t> v;
  const std::regex number("-?[0-9]+");
  for (auto it = std::sregex_iterator(body.begin(),
                                      body.begin() + static_cast<long>(body.find('}')), number);
       it != std::sregex_iterator(); ++it)
    v.push_back(std::stoll(it->str()));
  return v;
}

TEST(HlsProject, ConstantsAreTheExactMantissasWithPrunedWeightsZero) {
  Graph g = testing::quant_mlp(3);
  testing::prune(g, "fc1", "weight", 0.5, 2);
  g = testing::quantized(std::move(g), testing::bits8(), 4);
  const auto p = hls::generate_project(g, {}, {2, 1});
  const Node& fc1 = g.node(g.find("fc1"));
  const auto w = quantize_param(fc1.param("weight"), *fc1.quant.weight);
  EXPECT_EQ(array_values(p, "fc1_w"), w);
  EXPECT_EQ(array_values(p, "fc1_b"), quantize_param(fc1.param("bias"), *fc1.quant.bias));
  const long zeros = std::count(w.begin(), w.end(), 0);
  EXPECT_GT(zeros, 40);  // about half of 160 pruned
  EXPECT_NE(p.files.at("firmware/parameters.h").find("n_zeros = " + std::to_string(zeros) + ";"),
            std::string::npos);
  // The tanh table is core/table's, entry for entry.
  const auto q = resolve_quant(g);
  EXPECT_EQ(array_values(p, "act2_act_table"),
            q[static_cast<std::size_t>(g.find("act2"))].table("act").entries);
  // Types: one typedef per layer format, spelt as ap_fixed.
  const std::string& defines = p.files.at("firmware/defines.h");
  EXPECT_NE(defines.find("typedef " + hls::fixed_type(*fc1.quant.weight) + " fc1_weight_t;"),
            std::string::npos);
  EXPECT_NE(defines.find("typedef " + hls::fixed_type(*fc1.quant.accum) + " fc1_accum_t;"),
            std::string::npos);
}

TEST(HlsProject, ReproducibleAndMarkedAsGenerated) {
  const Graph g = testing::quantized(testing::quant_attn(5), testing::bits8(), 6);
  hls::HlsOptions opt;
  opt.io = hls::IoMode::Stream;
  opt.reuse = 2;
  const auto a = hls::generate_project(g, opt, {20, 3});
  const auto b = hls::generate_project(g, opt, {20, 3});
  EXPECT_EQ(a.files, b.files);
  const std::string mark = std::string("nac ") + version();
  const std::regex date("20[0-9][0-9]-[01][0-9]-[0-3][0-9]|[0-2][0-9]:[0-5][0-9]:[0-5][0-9]");
  for (const auto& [path, text] : a.files) {
    EXPECT_NE(text.substr(0, 200).find(mark), std::string::npos) << path;
    EXPECT_FALSE(std::regex_search(text, date)) << path;  // no dates or times
  }
  // Another seed changes only the vectors.
  const auto c = hls::generate_project(g, opt, {20, 4});
  for (const auto& [path, text] : a.files)
    EXPECT_EQ(text == c.files.at(path), path.find("tb_data") == std::string::npos) << path;
}

TEST(HlsProject, ReuseFactorsAndStrategyPerLayer) {
  Graph g = testing::quantized(testing::quant_mlp(3), testing::bits8(), 4);
  g.node(g.find("fc2")).reuse_factor = 4;
  const auto from_nodes = hls::generate_project(g, {}, {2, 1});
  const std::string& params = from_nodes.files.at("firmware/parameters.h");
  // fc1 (fan-in 10) keeps reuse 1; fc2 (fan-in 16) reuses each multiplier 4 times.
  const auto fc2 = params.find("struct fc2_config");
  EXPECT_NE(params.find("reuse_factor = 4;", fc2), std::string::npos);
  EXPECT_NE(params.find("strategy = nnet::resource;", fc2), std::string::npos);
  const auto fc1 = params.find("struct fc1_config");
  EXPECT_LT(params.find("strategy = nnet::latency;", fc1), fc2);
  // A layer with reuse keeps the top function from being pipelined as a whole.
  EXPECT_EQ(from_nodes.files.at("firmware/nac_model.cpp").find("PIPELINE II=1\n\n  using"),
            std::string::npos);
  hls::HlsOptions all;
  all.reuse = 1000;  // clamped to each layer's fan-in
  const auto clamped = hls::generate_project(g, all, {2, 1});
  EXPECT_NE(clamped.files.at("firmware/parameters.h").find("reuse_factor = 16;"),
            std::string::npos);
  EXPECT_NE(hls::generate_project(testing::quantized(testing::quant_mlp(3), testing::bits8(), 4),
                                  {}, {2, 1})
                .files.at("firmware/nac_model.cpp")
                .find("#pragma HLS PIPELINE II=1\n"),
            std::string::npos);
}

}  // namespace
}  // namespace nac
