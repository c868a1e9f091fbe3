// The emulator's dense and conv2d against straightforward reference loops
// (tests/emu/reference.hpp), over accumulators that are exact, saturating, wrapping and rounding,
// on every kernel path.
#include <gtest/gtest.h>

#include "../support/graphs.hpp"
#include "nac/emu/emulator.hpp"
#include "nac/graph/quant/constants.hpp"
#include "reference.hpp"

namespace nac {
namespace {

using testing::fmt;
using testing::Mantissas;

struct DenseCase {
  const char* name;
  const char* x;
  const char* w;
  const char* b;
  const char* acc;
  const char* result;
};

// Exact, saturating (narrow), wrapping (narrow), rounding accumulators; TRN and RND results.
const DenseCase kDenseCases[] = {
    {"exact", "fixed<6,2>", "fixed<5,1,RND>", "fixed<6,2>", "fixed<24,10>", "fixed<8,3>"},
    {"exact_rnd_sat", "fixed<6,2>", "fixed<5,1,RND>", "fixed<6,2>", "fixed<24,10>",
     "fixed<6,2,RND,SAT>"},
    {"sat_acc", "fixed<6,2>", "fixed<5,1,RND>", "fixed<6,2>", "fixed<9,2,TRN,SAT>",
     "fixed<8,3,RND>"},
    {"wrap_acc", "fixed<6,2>", "fixed<5,1,RND>", "fixed<6,2>", "fixed<9,2>", "fixed<8,3>"},
    {"coarse_acc_trn", "fixed<6,2>", "fixed<5,1,RND>", "fixed<6,2>", "fixed<12,6>", "fixed<8,3>"},
    {"coarse_acc_rnd_sat", "fixed<6,2>", "fixed<5,1,RND>", "fixed<6,2>", "fixed<10,5,RND,SAT>",
     "fixed<8,3,RND,SAT>"},
    {"unsigned_x", "ufixed<6,2>", "fixed<4,0>", "fixed<4,1>", "fixed<16,6>", "fixed<8,4>"},
};

void PrintTo(const DenseCase& c, std::ostream* os) { *os << c.name; }

Graph dense_graph(const Shape& in, int units, const DenseCase& c, bool bias, std::uint64_t seed) {
  Graph g;
  const int x = testing::add_input(g, in);
  g.add(OpKind::Dense, "fc", {x},
        {{"units", std::int64_t{units}}, {"use_bias", std::int64_t{bias}}});
  Rng rng(seed);
  g.finalize(&rng);
  testing::fill_params(g, seed, 1.2);
  g.node(0).quant.result = fmt(c.x);
  auto& q = g.node(1).quant;
  q.weight = fmt(c.w);
  if (bias) q.bias = fmt(c.b);
  q.accum = fmt(c.acc);
  q.result = fmt(c.result);
  return g;
}

class DenseRules : public ::testing::TestWithParam<DenseCase> {};

TEST_P(DenseRules, MatchesTheReferenceOnEveryPath) {
  const DenseCase& c = GetParam();
  for (const bool bias : {true, false})
    for (const Shape& in : {Shape{7}, Shape{3, 7}}) {  // a vector, and a set of 3 elements
      Graph g = dense_graph(in, 5, c, bias, 11);
      // Prune two weights whose float values are far from 0: they must contribute nothing.
      auto& wp = g.node(1).param("weight");
      wp.mask.assign(wp.value.size(), 1);
      wp.mask[3] = wp.mask[12] = 0;
      wp.value[3] = 1.0f;
      wp.value[12] = -1.0f;
      const int batch = 40;
      Shape xs{batch};
      xs.insert(xs.end(), in.begin(), in.end());
      const Mantissas x = testing::random_mantissas(fmt(c.x), shape_size(xs), 5);
      Mantissas w = quantize_param(wp, fmt(c.w));
      EXPECT_EQ(w[3], 0);
      Mantissas b;
      if (bias) b = quantize_param(g.node(1).param("bias"), fmt(c.b));
      const Mantissas want = testing::ref_dense(x, 7, w, 5, b, fmt(c.x), fmt(c.w), fmt(c.b),
                                                fmt(c.acc), fmt(c.result));
      for (const EmuOptions opt : {EmuOptions{}, EmuOptions{false, false, 128},
                                   EmuOptions{true, true, 128}, EmuOptions{true, false, 7}}) {
        const EmuResult r = Emulator(g, opt).run_mantissas(testing::mantissa_tensor(xs, x));
        EXPECT_EQ(r.mantissas[1].data, want)
            << c.name << " bias " << bias << " rank " << in.size() << " double "
            << opt.allow_double_gemm << " per_term " << opt.force_per_term;
        EXPECT_EQ(r.formats[1], fmt(c.result));
        // The narrow accumulators really overflow on these inputs.
        if (std::string(c.name) == "sat_acc" || std::string(c.name) == "wrap_acc") {
          EXPECT_GT(r.overflows[1], 0) << c.name;
        }
      }
    }
}

INSTANTIATE_TEST_SUITE_P(Accumulators, DenseRules, ::testing::ValuesIn(kDenseCases),
                         [](const auto& p) { return std::string(p.param.name); });

TEST(EmuDense, SaturatingAccumulatorDependsOnTheCanonicalOrder) {
  // acc fixed<4,4> holds -8..7: bias 0, terms +6, +6, -6 saturate at 7 then give 1, where a
  // wrapping accumulator gives 6 (order-free) and the exact sum is 6.
  for (const char* acc : {"fixed<4,4,TRN,SAT>", "fixed<4,4>"}) {
    Graph g;
    const int x = testing::add_input(g, {3});
    g.add(OpKind::Dense, "fc", {x}, {{"units", std::int64_t{1}}, {"use_bias", std::int64_t{0}}});
    g.finalize(nullptr);
    g.node(1).param("weight").value.data = {1.0f, 1.0f, -1.0f};
    g.node(0).quant.result = fmt("fixed<8,8>");
    g.node(1).quant = {};
    g.node(1).quant.weight = fmt("fixed<4,2>");
    g.node(1).quant.accum = fmt(acc);
    g.node(1).quant.result = fmt("fixed<8,8>");
    const auto r = Emulator(g).run(Tensor<float>({1, 3}, 6.0f));
    // SAT: 6, 6 + 6 -> 7, 7 - 6 = 1. WRAP: 6, 12 -> -4, -4 - 6 = -10 -> 6.
    const bool sat = std::string(acc).find("SAT") != std::string::npos;
    EXPECT_EQ(r.mantissas[1][0], sat ? 1 : 6) << acc;
    EXPECT_GT(r.overflows[1], 0) << acc;
  }
}

TEST(EmuDense, FloatInputsAreQuantisedIntoTheInputFormat) {
  Graph g = dense_graph({4}, 3, kDenseCases[1], true, 3);
  Tensor<float> x({2, 4});
  const float vals[] = {0.3f, -1.7f, 1.99f, -2.5f, 0.0f, 0.126f, 5.0f, -0.01f};
  std::copy(vals, vals + 8, x.data.begin());
  Mantissas xm(8);
  for (int i = 0; i < 8; ++i)
    xm[static_cast<std::size_t>(i)] = quantize(vals[i], fmt("fixed<6,2>"));
  const auto a = Emulator(g).run(x);
  const auto b = Emulator(g).run_mantissas(testing::mantissa_tensor({2, 4}, xm));
  EXPECT_EQ(a.mantissas[0].data, xm);
  EXPECT_EQ(a.mantissas[1].data, b.mantissas[1].data);
  const Tensor<float> y = emulate(g, x);
  for (std::size_t i = 0; i < y.size(); ++i)
    EXPECT_EQ(y[i], static_cast<float>(to_double(a.mantissas[1][i], fmt("fixed<6,2,RND,SAT>"))));
}

// conv2d: output (oy, ox, f) sums the patch in weight order (ky, kx, c).
Mantissas ref_conv(const Mantissas& x, int n, int h, int w, int cin, const Mantissas& wt, int k,
                   int cout, const Mantissas& b, int pad, const FixedFormat& X,
                   const FixedFormat& W, const FixedFormat& B, const FixedFormat& A,
                   const FixedFormat& R) {
  const int ho = h + 2 * pad - k + 1, wo = w + 2 * pad - k + 1;
  Mantissas y(static_cast<std::size_t>(n) * ho * wo * cout);
  std::size_t o = 0;
  for (int s = 0; s < n; ++s)
    for (int oy = 0; oy < ho; ++oy)
      for (int ox = 0; ox < wo; ++ox)
        for (int f = 0; f < cout; ++f) {
          testing::RefAcc acc(A, b[static_cast<std::size_t>(f)], B.frac());
          for (int ky = 0; ky < k; ++ky)
            for (int kx = 0; kx < k; ++kx)
              for (int c = 0; c < cin; ++c) {
                const int iy = oy + ky - pad, ix = ox + kx - pad;
                if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
                const auto xi = ((static_cast<std::size_t>(s) * h + iy) * w + ix) * cin + c;
                const auto wi = ((static_cast<std::size_t>(ky) * k + kx) * cin + c) * cout + f;
                acc.add(Int128{x[xi]} * wt[wi], X.frac() + W.frac());
              }
          y[o++] = requantize(acc.acc, A.frac(), R);
        }
  return y;
}

TEST(EmuConv2D, ValidAndSamePaddingMatchTheReference) {
  for (const char* padding : {"valid", "same"})
    for (const int k : {1, 3, 5})
      for (const char* acc : {"fixed<22,8>", "fixed<8,3,RND,SAT>"}) {
        Graph g;
        const int x = testing::add_input(g, {6, 5, 2});
        g.add(OpKind::Conv2D, "conv", {x},
              {{"filters", std::int64_t{3}},
               {"kernel", std::int64_t{k}},
               {"padding", std::string(padding)}});
        Rng rng(4);
        g.finalize(&rng);
        testing::fill_params(g, 9);
        g.node(0).quant.result = fmt("fixed<6,2>");
        auto& q = g.node(1).quant;
        q.weight = fmt("fixed<6,1,RND>");
        q.bias = fmt("fixed<6,2>");
        q.accum = fmt(acc);
        q.result = fmt("fixed<8,3,RND,SAT>");
        const Mantissas xm = testing::random_mantissas(fmt("fixed<6,2>"), 3 * 6 * 5 * 2, 8);
        const Mantissas w = quantize_param(g.node(1).param("weight"), *q.weight);
        const Mantissas b = quantize_param(g.node(1).param("bias"), *q.bias);
        const int pad = std::string(padding) == "same" ? (k - 1) / 2 : 0;
        const Mantissas want = ref_conv(xm, 3, 6, 5, 2, w, k, 3, b, pad, fmt("fixed<6,2>"),
                                        *q.weight, *q.bias, *q.accum, *q.result);
        for (const EmuOptions opt : {EmuOptions{}, EmuOptions{true, true, 2}}) {
          const auto r = Emulator(g, opt).run_mantissas(testing::mantissa_tensor({3, 6, 5, 2}, xm));
          EXPECT_EQ(r.mantissas[1].data, want) << padding << " k " << k << " acc " << acc;
        }
      }
}

}  // namespace
}  // namespace nac
