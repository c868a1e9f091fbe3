// Link 2 of the chain of equality (DESIGN.md §3): for every op the HLS generator supports and
// several precisions, the generated project compiled with g++ gives the emulator's output
// mantissas bit for bit on 10,000 inputs (the test benches compare and count mismatches).
#include <gtest/gtest.h>

#include "csim_harness.hpp"
#include "hls_models.hpp"

namespace nac {
namespace {

using testing::CsimCase;
using testing::hfmt;
using testing::quantized;

CsimCase make(const std::string& name, Graph g, hls::HlsOptions opt = {}) {
  return CsimCase{name, std::move(g), opt, 10000, false};
}
// A case that also runs in the sanitizer run's smaller selection.
CsimCase make_small(const std::string& name, Graph g, hls::HlsOptions opt = {}) {
  return CsimCase{name, std::move(g), opt, 10000, true};
}

hls::HlsOptions reuse(int r, hls::IoMode io = hls::IoMode::Parallel) {
  hls::HlsOptions o;
  o.reuse = r;
  o.io = io;
  return o;
}

void expect_exact(const std::vector<testing::CsimResult>& results,
                  const std::vector<CsimCase>& cases) {
  ASSERT_EQ(results.size(), cases.size());
  for (const auto& r : results) {
    EXPECT_EQ(r.samples, cases.front().vectors) << r.name;
    EXPECT_EQ(r.mismatches, 0) << r.name;
    EXPECT_EQ(r.exit_code, 0) << r.name;
    EXPECT_GE(r.distinct_outputs, 20) << r.name << ": the vectors barely exercise the model";
  }
}

// Dense, convolutions (k 1/3/5, valid/same), activations (table ones too), softmax, batchnorm
// (folded and not), add, flatten, aggregation, conv attention; 8-bit RND/SAT formats.
std::vector<CsimCase> op_cases() {
  std::vector<CsimCase> cs;
  Graph mlp = testing::quant_mlp(11);
  testing::prune(mlp, "fc1", "weight", 0.5, 3);
  cs.push_back(make_small("mlp", quantized(std::move(mlp), testing::bits8(), 1)));
  Graph conv = testing::quant_conv(12);
  testing::prune(conv, "conv2", "weight", 0.3, 4);
  cs.push_back(make("conv_k3", quantized(std::move(conv), testing::bits8(), 2)));
  cs.push_back(
      make_small("conv_bn", quantized(testing::conv_bn_graph_built(13), testing::bits8(), 3,
                                      /*fold_bn=*/false)));
  cs.push_back(make("conv_bn_folded",
                    quantized(testing::conv_bn_graph_built(14), testing::bits8(), 4, true)));
  cs.push_back(make("acts", quantized(testing::act_graph_built(15), testing::bits8(), 5)));
  cs.push_back(make("adds", quantized(testing::add_graph_built(16), testing::bits8(), 6)));
  cs.push_back(make_small("attn", quantized(testing::quant_attn(17), testing::bits8(), 7)));
  for (const char* agg : {"mean", "max", "sum"}) {
    CsimCase c = make(std::string("sets_") + agg,
                      quantized(testing::quant_deepsets(18, agg), testing::bits8(), 8));
    c.in_small = agg == std::string("mean");
    cs.push_back(std::move(c));
  }
  return cs;
}

// Precisions: TRN/WRAP everywhere, other rounding and overflow modes, narrow accumulators that
// saturate or wrap (so the summation order matters), quant.input casts, unsigned results.
std::vector<CsimCase> precision_cases() {
  std::vector<CsimCase> cs;
  PrecisionConfig wrap;
  wrap.weight_rounding = wrap.rounding = Rounding::TRN;
  wrap.weight_overflow = wrap.overflow = Overflow::WRAP;
  wrap.activation_bits = 6;
  cs.push_back(make("mlp_trn_wrap", quantized(testing::quant_mlp(21), wrap, 1)));
  cs.push_back(make("attn_trn_wrap", quantized(testing::quant_attn(22), wrap, 2)));

  PrecisionConfig narrow;  // accumulators far too narrow: they saturate term by term
  narrow.layers["fc1"].accum = hfmt("fixed<9,3,TRN,SAT>");
  narrow.layers["fc2"].accum = hfmt("fixed<8,2,RND,WRAP>");
  narrow.layers["fc2"].result = hfmt("fixed<7,2,RND_CONV,SAT_SYM>");
  narrow.layers["out"].accum = hfmt("fixed<10,2,RND_ZERO,SAT_ZERO>");
  narrow.layers["out"].input = hfmt("fixed<6,2,TRN_ZERO,SAT>");
  narrow.layers["relu1"].result = hfmt("ufixed<7,2,RND_INF,SAT>");
  narrow.layers["act2"].result = hfmt("fixed<9,1,RND_MIN_INF,WRAP>");
  Graph m = testing::quant_mlp(23);
  testing::prune(m, "fc2", "weight", 0.4, 5);
  cs.push_back(make_small("mlp_narrow", quantized(std::move(m), narrow, 3)));

  PrecisionConfig conv_narrow;
  conv_narrow.layers["conv1"].accum = hfmt("fixed<8,2,TRN_ZERO,SAT>");
  conv_narrow.layers["conv2"].accum = hfmt("fixed<9,3,RND,SAT_SYM>");
  conv_narrow.layers["act1"].extra["alpha"] = hfmt("fixed<6,1,RND_CONV,SAT>");
  conv_narrow.layers["flat"].result = hfmt("fixed<5,2,RND,WRAP>");
  cs.push_back(make("conv_narrow", quantized(testing::quant_conv(24), conv_narrow, 4)));

  PrecisionConfig attn_narrow;
  QuantAnnotation& a = attn_narrow.layers["attn"];
  a.accum = hfmt("fixed<9,3,RND_ZERO,SAT>");
  a.extra["score_accum"] = hfmt("fixed<8,4,RND_INF,SAT>");
  a.extra["attend_accum"] = hfmt("fixed<7,2,RND,SAT>");
  a.extra["proj_accum"] = hfmt("fixed<9,3,TRN_ZERO,SAT>");
  a.extra["exp_sum"] = hfmt("ufixed<8,3,TRN,SAT>");
  a.tables["inv"] = {64, 0, 4.0};
  cs.push_back(make_small("attn_narrow", quantized(testing::quant_attn(25), attn_narrow, 5)));

  PrecisionConfig sets_narrow;
  sets_narrow.layers["pool"].accum = hfmt("fixed<8,3,TRN,SAT>");
  cs.push_back(make("sets_narrow", quantized(testing::quant_deepsets(26, "mean"), sets_narrow, 6)));
  PrecisionConfig sets_wrap;
  sets_wrap.layers["pool"].accum = hfmt("fixed<7,2,TRN,WRAP>");
  cs.push_back(make("sets_wrap", quantized(testing::quant_deepsets(27, "sum"), sets_wrap, 7)));

  PrecisionConfig wide;  // 16-bit data, 12-bit weights
  wide.weight_bits = 12;
  wide.activation_bits = 16;
  wide.table_bits = 18;
  cs.push_back(make("acts_16bit", quantized(testing::act_graph_built(28), wide, 8)));
  return cs;
}

// The same arithmetic with reuse factors (resource strategy) and streamed I/O.
std::vector<CsimCase> structure_cases() {
  std::vector<CsimCase> cs;
  cs.push_back(
      make_small("mlp_reuse4", quantized(testing::quant_mlp(31), testing::bits8(), 1), reuse(4)));
  PrecisionConfig narrow;
  narrow.layers["conv2"].accum = hfmt("fixed<9,3,TRN,SAT>");
  cs.push_back(make("conv_reuse3", quantized(testing::quant_conv(32), narrow, 2), reuse(3)));
  cs.push_back(
      make("attn_reuse2", quantized(testing::quant_attn(33), testing::bits8(), 3), reuse(2)));
  cs.push_back(make_small("mlp_stream", quantized(testing::quant_mlp(34), testing::bits8(), 4),
                          reuse(1, hls::IoMode::Stream)));
  cs.push_back(make("sets_stream_reuse2",
                    quantized(testing::quant_deepsets(35, "max"), testing::bits8(), 5),
                    reuse(2, hls::IoMode::Stream)));
  return cs;
}

TEST(HlsLink2, EveryOpMatchesTheEmulator) {
  testing::TempDir dir("ops");
  auto cases = op_cases();
  expect_exact(testing::run_csim_batch(cases, dir.path()), cases);
}

TEST(HlsLink2, PrecisionsMatchTheEmulator) {
  testing::TempDir dir("precisions");
  auto cases = precision_cases();
  expect_exact(testing::run_csim_batch(cases, dir.path()), cases);
}

TEST(HlsLink2, ReuseAndStreamMatchTheEmulator) {
  testing::TempDir dir("structure");
  auto cases = structure_cases();
  expect_exact(testing::run_csim_batch(cases, dir.path()), cases);
}

// Realistic models, 8-bit: the jet-tagging MLP and a small BraggNN-shaped network.
TEST(HlsLink2, RealisticSmallModelsMatchTheEmulator) {
  testing::TempDir dir("realistic");
  std::vector<CsimCase> cases;
  cases.push_back(make_small(
      "jet_mlp", quantized(testing::example_graph("jet_mlp.yaml", 1), testing::bits8(), 1)));
  cases.push_back(
      make("bragg_small", quantized(testing::small_bragg_built(2), testing::bits8(), 2)));
  expect_exact(testing::run_csim_batch(cases, dir.path()), cases);
}

// BraggNN (examples/braggnn.yaml, 45,274 parameters), 8-bit: label `slow` (HlsLink2Slow.*).
TEST(HlsLink2Slow, BraggNN8BitMatchesTheEmulator) {
  testing::TempDir dir("braggnn");
  std::vector<CsimCase> cases;
  cases.push_back(
      make("braggnn", quantized(testing::example_graph("braggnn.yaml", 1), testing::bits8(), 1)));
  expect_exact(testing::run_csim_batch(cases, dir.path(), "-O2", /*shards=*/2), cases);
}

}  // namespace
}  // namespace nac
