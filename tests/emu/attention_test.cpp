// The emulator's conv_attn against a reference loop written step by step from
// docs/QUANTIZATION.md, with wide (exact) and narrow (saturating) intermediate accumulators.
#include <gtest/gtest.h>

#include <map>

#include "../support/graphs.hpp"
#include "nac/emu/emulator.hpp"
#include "nac/graph/quant/constants.hpp"
#include "reference.hpp"

namespace nac {
namespace {

using testing::fmt;
using testing::Mantissas;
using testing::RefAcc;

constexpr int kH = 3, kW = 3, kC = 4, kHidden = 3, kP = kH * kW;

std::map<std::string, FixedFormat> attn_formats(bool narrow) {
  std::map<std::string, FixedFormat> f = {
      {"q", fmt("fixed<8,3,RND,SAT>")},      {"k", fmt("fixed<8,3,RND,SAT>")},
      {"v", fmt("fixed<8,3,RND,SAT>")},      {"score_accum", fmt("fixed<20,8>")},
      {"score", fmt("fixed<8,4,RND,SAT>")},  {"exp", fmt("ufixed<10,1,RND,SAT>")},
      {"exp_sum", fmt("ufixed<16,6>")},      {"inv", fmt("ufixed<10,1,RND,SAT>")},
      {"attn", fmt("fixed<8,1,RND,SAT>")},   {"attend_accum", fmt("fixed<18,6>")},
      {"attend", fmt("fixed<8,3,RND,SAT>")}, {"proj_accum", fmt("fixed<18,6>")},
      {"proj", fmt("fixed<8,3,RND,SAT>")},   {"residual", fmt("fixed<9,4,RND,SAT>")}};
  if (narrow) {
    f["score_accum"] = fmt("fixed<8,4,TRN,SAT>");
    f["attend_accum"] = fmt("fixed<7,2,RND,SAT>");
    f["proj_accum"] = fmt("fixed<9,3,TRN,SAT>");
    f["exp_sum"] = fmt("ufixed<8,3,TRN,SAT>");
  }
  return f;
}

Graph attn_graph(const char* act, bool narrow) {
  Graph g;
  const int x = testing::add_input(g, {kH, kW, kC});
  g.add(OpKind::ConvAttn, "attn", {x},
        {{"hidden", std::int64_t{kHidden}}, {"activation", std::string(act)}});
  g.finalize(nullptr);
  testing::fill_params(g, 21, 0.9);
  g.node(0).quant.result = fmt("fixed<8,2>");
  auto& q = g.node(1).quant;
  q.weight = fmt("fixed<6,1,RND>");
  q.bias = fmt("fixed<8,2>");
  q.accum = narrow ? fmt("fixed<9,3,TRN,SAT>") : fmt("fixed<18,6>");
  q.result = fmt("fixed<8,3,RND,SAT>");
  q.extra = attn_formats(narrow);
  q.tables["exp"] = {256, -8, 8};
  q.tables["inv"] = {narrow ? 64 : 256, 0, narrow ? 4.0 : 32.0};
  q.tables["act"] = {256, -8, 8};
  return g;
}

// A 1x1 projection by the dense rule: rows x cin -> rows x cout.
Mantissas project(const Mantissas& x, int cin, const Mantissas& w, const Mantissas& b, int cout,
                  const FixedFormat& X, const FixedFormat& W, const FixedFormat& B,
                  const FixedFormat& A, const FixedFormat& R) {
  return testing::ref_dense(x, cin, w, cout, b, X, W, B, A, R);
}

Mantissas reference(const Graph& g, const Mantissas& x, int batch) {
  const Node& n = g.node(1);
  const auto& q = n.quant;
  const auto& f = q.extra;
  const FixedFormat X = *g.node(0).quant.result;
  auto wq = [&](const char* name) { return quantize_param(n.param(name), *q.weight); };
  auto bq = [&](const char* name) { return quantize_param(n.param(name), *q.bias); };
  const Mantissas Q = project(x, kC, wq("q_weight"), bq("q_bias"), kHidden, X, *q.weight, *q.bias,
                              *q.accum, f.at("q"));
  const Mantissas K = project(x, kC, wq("k_weight"), bq("k_bias"), kHidden, X, *q.weight, *q.bias,
                              *q.accum, f.at("k"));
  const Mantissas V = project(x, kC, wq("v_weight"), bq("v_bias"), kHidden, X, *q.weight, *q.bias,
                              *q.accum, f.at("v"));
  const FixedFormat D = difference_format(f.at("score"), f.at("score"));
  const Table exp_t = build_table({TableFunction::Exp, 256, -8, 8, D, f.at("exp")});
  const auto& ig = q.tables.at("inv");
  const Table inv_t =
      build_table({TableFunction::Reciprocal, ig.size, ig.lo, ig.hi, f.at("exp_sum"), f.at("inv")});
  Mantissas O(static_cast<std::size_t>(batch) * kP * kHidden);
  for (int s = 0; s < batch; ++s) {
    const std::size_t base = static_cast<std::size_t>(s) * kP * kHidden;
    for (int p = 0; p < kP; ++p) {
      Mantissas score(kP), e(kP), a(kP);
      for (int p2 = 0; p2 < kP; ++p2) {
        RefAcc acc(f.at("score_accum"), 0, 0);
        for (int h = 0; h < kHidden; ++h)
          acc.add(Int128{Q[base + p * kHidden + h]} * K[base + p2 * kHidden + h],
                  f.at("q").frac() + f.at("k").frac());
        score[p2] = requantize(acc.acc, f.at("score_accum").frac(), f.at("score"));
      }
      const std::int64_t m = *std::max_element(score.begin(), score.end());
      RefAcc sum(f.at("exp_sum"), 0, 0);
      for (int p2 = 0; p2 < kP; ++p2) {
        e[p2] = exp_t.lookup(score[p2] - m);
        sum.add(e[p2], f.at("exp").frac());
      }
      const std::int64_t inv = inv_t.lookup(sum.acc);
      for (int p2 = 0; p2 < kP; ++p2)
        a[p2] =
            requantize(Int128{e[p2]} * inv, f.at("exp").frac() + f.at("inv").frac(), f.at("attn"));
      for (int h = 0; h < kHidden; ++h) {
        RefAcc acc(f.at("attend_accum"), 0, 0);
        for (int p2 = 0; p2 < kP; ++p2)
          acc.add(Int128{a[p2]} * V[base + p2 * kHidden + h],
                  f.at("attn").frac() + f.at("v").frac());
        O[base + p * kHidden + h] =
            requantize(acc.acc, f.at("attend_accum").frac(), f.at("attend"));
      }
    }
  }
  const Mantissas proj = project(O, kHidden, wq("proj_weight"), bq("proj_bias"), kC, f.at("attend"),
                                 *q.weight, *q.bias, f.at("proj_accum"), f.at("proj"));
  const std::string act = n.attr_str("activation");
  const Table act_t = build_table({TableFunction::Tanh, 256, -8, 8, f.at("residual"), *q.result});
  Mantissas y(x.size());
  const int fx = X.frac(), fpj = f.at("proj").frac(), fz = std::max(fx, fpj);
  for (std::size_t i = 0; i < x.size(); ++i) {
    const Int128 sum =
        Int128{x[i]} * (Int128{1} << (fz - fx)) + Int128{proj[i]} * (Int128{1} << (fz - fpj));
    const std::int64_t z = requantize(sum, fz, f.at("residual"));
    const int fr = f.at("residual").frac();
    if (act == "tanh") {
      y[i] = act_t.lookup(z);
    } else if (z > 0) {
      y[i] = requantize(z, fr, *q.result);
    } else {  // leaky_relu with the default slope format
      const FixedFormat af = fmt("fixed<16,2,RND,SAT>");
      y[i] = requantize(Int128{z} * quantize(0.01, af), fr + af.frac(), *q.result);
    }
  }
  return y;
}

TEST(EmuConvAttn, MatchesTheStepByStepReference) {
  const int batch = 3;
  const Mantissas x = testing::random_mantissas(fmt("fixed<8,2>"), batch * kP * kC, 17);
  for (const char* act : {"leaky_relu", "tanh"})
    for (const bool narrow : {false, true}) {
      const Graph g = attn_graph(act, narrow);
      const Mantissas want = reference(g, x, batch);
      for (const EmuOptions opt :
           {EmuOptions{}, EmuOptions{false, false, 2}, EmuOptions{true, true, 128}}) {
        const auto r =
            Emulator(g, opt).run_mantissas(testing::mantissa_tensor({batch, kH, kW, kC}, x));
        EXPECT_EQ(r.mantissas[1].data, want) << act << " narrow " << narrow;
        if (narrow) {
          EXPECT_GT(r.overflows[1], 0);
        }
      }
    }
}

}  // namespace
}  // namespace nac
