// The HLS kernel library (src/nac/hls/lib/nnet/) compiled with g++ against nac's ap_types and
// checked against independent reference loops written with core/fixed and core/table
// (docs/QUANTIZATION.md's rules), including accumulators narrow enough to saturate or wrap.
#include <gtest/gtest.h>

#include <vector>

#include "../emu/reference.hpp"
#include "../support/graphs.hpp"
#include "nac/core/fixed.hpp"
#include "nac/core/table.hpp"
#include "nac/emu/emulator.hpp"
#include "nac/graph/quant/constants.hpp"
#include "nnet_layers.h"

namespace nac {
namespace {

using testing::fmt;
using testing::Mantissas;
using testing::random_mantissas;

// Mantissas -> ap values and back.
template <class T>
void load(const Mantissas& m, T* out) {
  for (std::size_t i = 0; i < m.size(); ++i)
    out[i] = nnet::from_raw<T>(ap_int<T::width>(static_cast<long long>(m[i])));
}
template <class T>
Mantissas store(const T* v, std::size_t n) {
  Mantissas m(n);
  for (std::size_t i = 0; i < n; ++i) m[i] = nnet::mantissa(v[i]).to_int64();
  return m;
}
template <class RAW_T>
std::vector<RAW_T> raws(const Mantissas& m) {
  std::vector<RAW_T> r;
  for (auto v : m) r.push_back(RAW_T(static_cast<long long>(v)));
  return r;
}

TEST(NnetCommon, RawBitsRoundTripSignedAndUnsigned) {
  typedef ap_fixed<13, 4, AP_RND, AP_SAT> S;
  typedef ap_ufixed<11, -2> U;
  typedef ap_fixed<63, 30> Wide;
  for (const auto v : random_mantissas(fmt("fixed<13,4>"), 500, 1)) {
    const S s = nnet::from_raw<S>(ap_int<13>(static_cast<long long>(v)));
    EXPECT_EQ(s.to_double(), to_double(v, fmt("fixed<13,4>")));
    EXPECT_EQ(nnet::mantissa(s).to_int64(), v);
  }
  for (const auto v : random_mantissas(fmt("ufixed<11,-2>"), 500, 2))
    EXPECT_EQ(nnet::mantissa(nnet::from_raw<U>(ap_uint<11>(static_cast<long long>(v)))).to_int64(),
              v);
  for (const auto v : random_mantissas(fmt("fixed<63,30>"), 500, 3))
    EXPECT_EQ(
        nnet::mantissa(nnet::from_raw<Wide>(ap_int<63>(static_cast<long long>(v)))).to_int64(), v);
}

struct Geometry {
  static const int size = 64;
  static const long long m_lo = -128;
  static const int shift = 2;
};

TEST(NnetCommon, TableIndexIsCoreTablesRule) {
  // A table over [-4, 4) of fixed<8,3> inputs (LSB 1/32): m_lo = -128, 4 LSBs per entry.
  const Table t =
      build_table({TableFunction::Tanh, 64, -4, 4, fmt("fixed<8,3>"), fmt("fixed<8,1>")});
  ASSERT_EQ(t.m_lo, +Geometry::m_lo);
  ASSERT_EQ(t.shift, +Geometry::shift);
  for (std::int64_t m = -300; m <= 300; ++m)
    EXPECT_EQ(nnet::table_index<Geometry>(ap_int<12>(static_cast<int>(m))), t.index(m)) << m;
}

// Dense with a saturating 9-bit accumulator rounding toward zero (so the per-term conversions and
// the summation order matter) on 3 rows, latency and resource.
typedef ap_fixed<8, 2, AP_RND, AP_SAT> DX;
typedef ap_fixed<7, 4, AP_RND, AP_SAT> DY;
struct DenseBase : nnet::dense_config {
  static const int n_rows = 3, n_in = 7, n_out = 5;
  static const bool has_bias = true;
  typedef ap_fixed<9, 3, AP_TRN_ZERO, AP_SAT> accum_t;
  typedef ap_fixed<6, 1, AP_RND, AP_SAT> weight_t;
  typedef ap_int<6> weight_raw_t;
  typedef ap_fixed<8, 2> bias_t;
  typedef ap_int<8> bias_raw_t;
};
struct DenseLatency : DenseBase {};
struct DenseResource : DenseBase {
  static const int reuse_factor = 3;
  static const int strategy = nnet::resource;
};

template <class CONFIG>
void check_dense(std::uint64_t seed) {
  const FixedFormat X = fmt("fixed<8,2,RND,SAT>"), W = fmt("fixed<6,1,RND,SAT>"),
                    B = fmt("fixed<8,2>"), A = fmt("fixed<9,3,TRN_ZERO,SAT>"),
                    R = fmt("fixed<7,4,RND,SAT>");
  const int rows = CONFIG::n_rows, k = CONFIG::n_in, n = CONFIG::n_out;
  for (int trial = 0; trial < 50; ++trial) {
    const Mantissas x = random_mantissas(X, rows * k, seed + 3 * trial);
    Mantissas w = random_mantissas(W, k * n, seed + 3 * trial + 1);
    for (std::size_t i = 0; i < w.size(); i += 3) w[i] = 0;  // pruned
    const Mantissas b = random_mantissas(B, n, seed + 3 * trial + 2);
    DX xa[rows * k];
    DY ya[rows * n];
    load(x, xa);
    const auto wr = raws<ap_int<6>>(w);
    const auto br = raws<ap_int<8>>(b);
    nnet::dense<DX, DY, CONFIG>(xa, ya, wr.data(), br.data());
    EXPECT_EQ(store(ya, rows * n), testing::ref_dense(x, k, w, n, b, X, W, B, A, R)) << trial;
  }
}

TEST(NnetDense, LatencyMatchesTheContract) { check_dense<DenseLatency>(10); }
TEST(NnetDense, ResourceMatchesTheContract) { check_dense<DenseResource>(20); }

// Conv2d 5x5x2 -> 3 filters, kernel 3, valid and same, with a wrapping accumulator that rounds
// ties toward zero.
template <int PAD, int STRATEGY>
struct ConvCfg : nnet::conv2d_config {
  static const int in_h = 5, in_w = 5, n_chan = 2, kernel = 3, pad = PAD;
  static const int out_h = 5 - 2 + 2 * PAD, out_w = out_h, n_filt = 3;
  static const int n_in = 18, n_out = 3;
  static const int reuse_factor = STRATEGY == nnet::resource ? 4 : 1;
  static const int strategy = STRATEGY;
  static const bool has_bias = true;
  typedef ap_fixed<9, 2, AP_RND_ZERO, AP_WRAP> accum_t;
  typedef ap_fixed<5, 1> weight_t;
  typedef ap_int<5> weight_raw_t;
  typedef ap_fixed<6, 1> bias_t;
  typedef ap_int<6> bias_raw_t;
};

template <class CONFIG>
void check_conv(std::uint64_t seed) {
  const FixedFormat X = fmt("fixed<8,2,RND,SAT>"), W = fmt("fixed<5,1>"), B = fmt("fixed<6,1>"),
                    A = fmt("fixed<9,2,RND_ZERO,WRAP>"), R = fmt("fixed<7,4,RND,SAT>");
  const int H = 5, C = 2, K = 3, F = 3, pad = CONFIG::pad, O = CONFIG::out_h;
  for (int trial = 0; trial < 20; ++trial) {
    const Mantissas x = random_mantissas(X, H * H * C, seed + 3 * trial);
    const Mantissas w = random_mantissas(W, K * K * C * F, seed + 3 * trial + 1);
    const Mantissas b = random_mantissas(B, F, seed + 3 * trial + 2);
    Mantissas cols(static_cast<std::size_t>(O * O * K * K * C), 0);
    for (int oy = 0; oy < O; ++oy)
      for (int ox = 0; ox < O; ++ox)
        for (int ky = 0; ky < K; ++ky)
          for (int kx = 0; kx < K; ++kx)
            for (int c = 0; c < C; ++c) {
              const int iy = oy + ky - pad, ix = ox + kx - pad;
              if (iy >= 0 && iy < H && ix >= 0 && ix < H)
                cols[static_cast<std::size_t>(((oy * O + ox) * K + ky) * K * C + kx * C + c)] =
                    x[static_cast<std::size_t>((iy * H + ix) * C + c)];
            }
    DX xa[H * H * C];
    DY ya[CONFIG::out_h * CONFIG::out_w * F];
    load(x, xa);
    const auto wr = raws<ap_int<5>>(w);
    const auto br = raws<ap_int<6>>(b);
    nnet::conv2d<DX, DY, CONFIG>(xa, ya, wr.data(), br.data());
    EXPECT_EQ(store(ya, static_cast<std::size_t>(O * O * F)),
              testing::ref_dense(cols, K * K * C, w, F, b, X, W, B, A, R))
        << trial;
  }
}

TEST(NnetConv2d, ValidAndSameMatchTheContract) {
  check_conv<ConvCfg<0, nnet::latency>>(30);
  check_conv<ConvCfg<1, nnet::latency>>(40);
  check_conv<ConvCfg<1, nnet::resource>>(50);
}

struct ActCfg : nnet::activation_config {
  static const int n = 400;
  typedef ap_fixed<16, 2, AP_RND, AP_SAT> alpha_t;
  typedef ap_int<16> alpha_raw_t;
  static const long long alpha_raw = 164;  // 0.01
};
struct TanhCfg : ActCfg {
  static const int size = 256;
  static const long long m_lo = -128;
  static const int shift = 0;
  typedef ap_int<8> table_raw_t;
};

TEST(NnetActivation, ExactAndTableActivationsMatchTheContract) {
  const FixedFormat X = fmt("fixed<8,3>"), R = fmt("fixed<6,2,RND,SAT>");
  const Mantissas x = random_mantissas(X, ActCfg::n, 60);
  ap_fixed<8, 3> xa[ActCfg::n];
  ap_fixed<6, 2, AP_RND, AP_SAT> ya[ActCfg::n];
  load(x, xa);
  nnet::relu<ap_fixed<8, 3>, ap_fixed<6, 2, AP_RND, AP_SAT>, ActCfg>(xa, ya);
  const Mantissas relu = store(ya, ActCfg::n);
  nnet::leaky_relu<ap_fixed<8, 3>, ap_fixed<6, 2, AP_RND, AP_SAT>, ActCfg>(xa, ya);
  const Mantissas leaky = store(ya, ActCfg::n);
  for (int i = 0; i < ActCfg::n; ++i) {
    const std::int64_t m = x[static_cast<std::size_t>(i)];
    EXPECT_EQ(relu[static_cast<std::size_t>(i)], m > 0 ? requantize(m, X.frac(), R) : 0);
    EXPECT_EQ(leaky[static_cast<std::size_t>(i)],
              m > 0 ? requantize(m, X.frac(), R) : requantize(Int128{m} * 164, X.frac() + 14, R));
  }
  const Table t = build_table({TableFunction::Tanh, 256, -4, 4, X, fmt("fixed<8,1,RND,SAT>")});
  ASSERT_EQ(t.m_lo, +TanhCfg::m_lo);
  ASSERT_EQ(t.shift, +TanhCfg::shift);
  const auto table = raws<ap_int<8>>(t.entries);
  ap_fixed<8, 1, AP_RND, AP_SAT> ta[ActCfg::n];
  nnet::table_activation<ap_fixed<8, 3>, ap_fixed<8, 1, AP_RND, AP_SAT>, TanhCfg>(xa, ta,
                                                                                  table.data());
  const Mantissas tm = store(ta, ActCfg::n);
  for (int i = 0; i < ActCfg::n; ++i)
    EXPECT_EQ(tm[static_cast<std::size_t>(i)], t.lookup(x[static_cast<std::size_t>(i)]));
}

// Softmax rows of 6 with an exp_sum accumulator narrow enough to saturate.
struct ExpTable {
  static const int size = 512;
  static const long long m_lo = -256;
  static const int shift = 0;
  typedef ap_uint<10> raw_t;
};
struct InvTable {
  static const int size = 64;
  static const long long m_lo = 0;
  static const int shift = 1;
  typedef ap_uint<10> raw_t;
};
struct SoftmaxCfg : nnet::softmax_config {
  static const int n_rows = 40, n_cols = 6;
  typedef ap_ufixed<10, 1, AP_RND, AP_SAT> exp_t;
  typedef ap_ufixed<7, 3, AP_TRN, AP_SAT> exp_sum_t;
  typedef ap_ufixed<10, 1, AP_RND, AP_SAT> inv_t;
  typedef ExpTable exp_table;
  typedef InvTable inv_table;
};

TEST(NnetSoftmax, MatchesTheContract) {
  const FixedFormat X = fmt("fixed<8,4>"), E = fmt("ufixed<10,1,RND,SAT>"),
                    S = fmt("ufixed<7,3,TRN,SAT>"), I = fmt("ufixed<10,1,RND,SAT>"),
                    R = fmt("fixed<8,1,RND,SAT>");
  const Table exp_t = build_table({TableFunction::Exp, 512, -16, 16, difference_format(X, X), E});
  const Table inv_t = build_table({TableFunction::Reciprocal, 64, 0, 8, S, I});
  ASSERT_EQ(exp_t.m_lo, +ExpTable::m_lo);
  ASSERT_EQ(inv_t.shift, +InvTable::shift);
  const int n = SoftmaxCfg::n_rows * SoftmaxCfg::n_cols;
  const Mantissas x = random_mantissas(X, static_cast<std::size_t>(n), 70);
  ap_fixed<8, 4> xa[n];
  ap_fixed<8, 1, AP_RND, AP_SAT> ya[n];
  load(x, xa);
  const auto et = raws<ap_uint<10>>(exp_t.entries);
  const auto it = raws<ap_uint<10>>(inv_t.entries);
  nnet::softmax<ap_fixed<8, 4>, ap_fixed<8, 1, AP_RND, AP_SAT>, SoftmaxCfg>(xa, ya, et.data(),
                                                                            it.data());
  const Mantissas y = store(ya, static_cast<std::size_t>(n));
  for (int r = 0; r < SoftmaxCfg::n_rows; ++r) {
    const auto* xr = &x[static_cast<std::size_t>(r * 6)];
    const std::int64_t m = *std::max_element(xr, xr + 6);
    testing::RefAcc s(S, 0, 0);
    std::int64_t e[6];
    for (int j = 0; j < 6; ++j) {
      e[j] = exp_t.lookup(xr[j] - m);
      s.add(e[j], E.frac());
    }
    const std::int64_t inv = inv_t.lookup(s.acc);
    for (int j = 0; j < 6; ++j)
      EXPECT_EQ(y[static_cast<std::size_t>(r * 6 + j)],
                requantize(Int128{e[j]} * inv, E.frac() + I.frac(), R))
          << r << " " << j;
  }
}

struct AggCfg : nnet::aggregate_config {
  static const int n_elem = 7, n_feat = 5;
  typedef ap_fixed<9, 4, AP_TRN, AP_SAT> accum_t;
};

TEST(NnetAggregate, MeanMaxSumMatchTheContract) {
  const FixedFormat X = fmt("fixed<8,3>"), A = fmt("fixed<9,4,TRN,SAT>"),
                    R = fmt("fixed<8,3,RND,SAT>");
  for (int trial = 0; trial < 30; ++trial) {
    const Mantissas x = random_mantissas(X, 35, 80 + static_cast<std::uint64_t>(trial));
    ap_fixed<8, 3> xa[35];
    ap_fixed<8, 3, AP_RND, AP_SAT> ya[5];
    load(x, xa);
    nnet::aggregate_sum<ap_fixed<8, 3>, ap_fixed<8, 3, AP_RND, AP_SAT>, AggCfg>(xa, ya);
    const Mantissas sum = store(ya, 5);
    nnet::aggregate_mean<ap_fixed<8, 3>, ap_fixed<8, 3, AP_RND, AP_SAT>, AggCfg>(xa, ya);
    const Mantissas mean = store(ya, 5);
    nnet::aggregate_max<ap_fixed<8, 3>, ap_fixed<8, 3, AP_RND, AP_SAT>, AggCfg>(xa, ya);
    const Mantissas mx = store(ya, 5);
    for (int f = 0; f < 5; ++f) {
      testing::RefAcc acc(A, 0, 0);
      std::int64_t m = x[static_cast<std::size_t>(f)];
      for (int e = 0; e < 7; ++e) {
        acc.add(x[static_cast<std::size_t>(e * 5 + f)], X.frac());
        m = std::max(m, x[static_cast<std::size_t>(e * 5 + f)]);
      }
      const auto fi = static_cast<std::size_t>(f);
      EXPECT_EQ(sum[fi], requantize(acc.acc, A.frac(), R));
      EXPECT_EQ(mean[fi], requantize(acc.acc / 7, A.frac(), R));  // C division: toward zero
      EXPECT_EQ(mx[fi], requantize(m, X.frac(), R));
    }
  }
}

struct BnCfg : nnet::batchnorm_config {
  static const int n = 24, n_feat = 4;
  typedef ap_fixed<10, 3, AP_RND, AP_SAT> weight_t;
  typedef ap_int<10> weight_raw_t;
  typedef ap_fixed<12, 5> bias_t;
  typedef ap_int<12> bias_raw_t;
};
struct MergeCfg : nnet::merge_config {
  static const int n = 24;
};

TEST(NnetBatchnormAndAdd, OneConversionOfTheExactValue) {
  const FixedFormat X = fmt("fixed<8,3>"), Wf = fmt("fixed<10,3,RND,SAT>"), B = fmt("fixed<12,5>"),
                    U = fmt("ufixed<6,1>"), R = fmt("fixed<7,2,RND_CONV,SAT_SYM>");
  const Mantissas x = random_mantissas(X, 24, 90), s = random_mantissas(Wf, 4, 91),
                  t = random_mantissas(B, 4, 92), u = random_mantissas(U, 24, 93);
  ap_fixed<8, 3> xa[24];
  ap_ufixed<6, 1> ua[24];
  ap_fixed<7, 2, AP_RND_CONV, AP_SAT_SYM> ya[24];
  load(x, xa);
  load(u, ua);
  const auto sr = raws<ap_int<10>>(s);
  const auto tr = raws<ap_int<12>>(t);
  nnet::batchnorm<ap_fixed<8, 3>, ap_fixed<7, 2, AP_RND_CONV, AP_SAT_SYM>, BnCfg>(xa, ya, sr.data(),
                                                                                  tr.data());
  const Mantissas bn = store(ya, 24);
  nnet::add<ap_fixed<8, 3>, ap_ufixed<6, 1>, ap_fixed<7, 2, AP_RND_CONV, AP_SAT_SYM>, MergeCfg>(
      xa, ua, ya);
  const Mantissas add2 = store(ya, 24);
  nnet::add<ap_fixed<8, 3>, ap_ufixed<6, 1>, ap_fixed<8, 3>,
            ap_fixed<7, 2, AP_RND_CONV, AP_SAT_SYM>, MergeCfg>(xa, ua, xa, ya);
  const Mantissas add3 = store(ya, 24);
  for (std::size_t i = 0; i < 24; ++i) {
    const int fp = X.frac() + Wf.frac();  // 5 + 7 = 12 >= F(B) = 7
    EXPECT_EQ(bn[i],
              requantize(Int128{x[i]} * s[i % 4] + (Int128{t[i % 4]} << (fp - B.frac())), fp, R));
    EXPECT_EQ(add2[i], requantize((Int128{x[i]} << 0) + u[i], 5, R));  // both have 5 fraction bits
    EXPECT_EQ(add3[i], requantize(Int128{2 * x[i]} + u[i], 5, R));
  }
}

// Conv attention with narrow saturating accumulators, against the emulator (itself checked against
// a step-by-step reference in tests/emu/attention_test.cpp) on a one-node graph of the same
// formats.
struct AttnQkv : nnet::dense_config {
  static const int n_rows = 9, n_in = 4, n_out = 3;
  static const bool has_bias = true;
  typedef ap_fixed<9, 3, AP_TRN, AP_SAT> accum_t;
  typedef ap_fixed<6, 1, AP_RND> weight_t;
  typedef ap_int<6> weight_raw_t;
  typedef ap_fixed<8, 2> bias_t;
  typedef ap_int<8> bias_raw_t;
};
struct AttnProj : AttnQkv {
  static const int n_in = 3, n_out = 4;
  typedef ap_fixed<9, 3, AP_TRN_ZERO, AP_SAT> accum_t;
};
struct AttnExp {
  static const int size = 256;
  static const long long m_lo = -128;
  static const int shift = 0;
  typedef ap_uint<10> raw_t;
};
struct AttnInv {
  static const int size = 64;
  static const long long m_lo = 0;
  static const int shift = 1;
  typedef ap_uint<10> raw_t;
};
struct AttnSoftmax : nnet::softmax_config {
  static const int n_rows = 9, n_cols = 9;
  typedef ap_ufixed<10, 1, AP_RND, AP_SAT> exp_t;
  typedef ap_ufixed<8, 3, AP_TRN, AP_SAT> exp_sum_t;
  typedef ap_ufixed<10, 1, AP_RND, AP_SAT> inv_t;
  typedef AttnExp exp_table;
  typedef AttnInv inv_table;
};
template <int STRATEGY>
struct AttnCfg : nnet::conv_attn_config {
  static const int n_pos = 9, n_chan = 4, n_hidden = 3;
  static const int reuse_factor = STRATEGY == nnet::resource ? 2 : 1;
  static const int strategy = STRATEGY;
  typedef ap_fixed<8, 3, AP_RND, AP_SAT> q_t;
  typedef ap_fixed<8, 3, AP_RND, AP_SAT> k_t;
  typedef ap_fixed<8, 3, AP_RND, AP_SAT> v_t;
  typedef ap_fixed<8, 4, AP_RND_ZERO, AP_SAT> score_accum_t;
  typedef ap_fixed<8, 4, AP_RND, AP_SAT> score_t;
  typedef ap_fixed<8, 1, AP_RND, AP_SAT> attn_t;
  typedef ap_fixed<7, 2, AP_RND, AP_SAT> attend_accum_t;
  typedef ap_fixed<8, 3, AP_RND, AP_SAT> attend_t;
  typedef ap_fixed<8, 3, AP_RND, AP_SAT> proj_t;
  typedef AttnQkv q_config;
  typedef AttnQkv k_config;
  typedef AttnQkv v_config;
  typedef AttnProj proj_config;
  typedef AttnSoftmax softmax_config;
};

Graph attn_graph() {
  Graph g;
  const int x = testing::add_input(g, {3, 3, 4});
  g.add(OpKind::ConvAttn, "attn", {x},
        {{"hidden", std::int64_t{3}}, {"activation", std::string("identity")}});
  g.finalize(nullptr);
  testing::fill_params(g, 21, 0.9);
  g.node(0).quant.result = fmt("fixed<8,2>");
  auto& q = g.node(1).quant;
  q.weight = fmt("fixed<6,1,RND>");
  q.bias = fmt("fixed<8,2>");
  q.accum = fmt("fixed<9,3,TRN,SAT>");
  q.result = fmt("fixed<9,4,RND,SAT>");  // = residual: the identity activation converts nothing
  q.extra = {
      {"q", fmt("fixed<8,3,RND,SAT>")},        {"k", fmt("fixed<8,3,RND,SAT>")},
      {"v", fmt("fixed<8,3,RND,SAT>")},        {"score_accum", fmt("fixed<8,4,RND_ZERO,SAT>")},
      {"score", fmt("fixed<8,4,RND,SAT>")},    {"exp", fmt("ufixed<10,1,RND,SAT>")},
      {"exp_sum", fmt("ufixed<8,3,TRN,SAT>")}, {"inv", fmt("ufixed<10,1,RND,SAT>")},
      {"attn", fmt("fixed<8,1,RND,SAT>")},     {"attend_accum", fmt("fixed<7,2,RND,SAT>")},
      {"attend", fmt("fixed<8,3,RND,SAT>")},   {"proj_accum", fmt("fixed<9,3,TRN_ZERO,SAT>")},
      {"proj", fmt("fixed<8,3,RND,SAT>")},     {"residual", fmt("fixed<9,4,RND,SAT>")}};
  q.tables["exp"] = {256, -8, 8};
  q.tables["inv"] = {64, 0, 4};
  return g;
}

template <int STRATEGY>
void check_attn() {
  const Graph g = attn_graph();
  const Emulator emu(g);
  const OpQuant& oq = emu.quant()[1];
  ASSERT_EQ(oq.table("exp").m_lo, +AttnExp::m_lo);
  ASSERT_EQ(oq.table("inv").shift, +AttnInv::shift);
  const Node& n = g.node(1);
  auto w = [&](const char* p) { return raws<ap_int<6>>(quantize_param(n.param(p), *oq.weight)); };
  auto b = [&](const char* p) { return raws<ap_int<8>>(quantize_param(n.param(p), *oq.bias)); };
  const auto qw = w("q_weight"), kw = w("k_weight"), vw = w("v_weight"), pw = w("proj_weight");
  const auto qb = b("q_bias"), kb = b("k_bias"), vb = b("v_bias"), pb = b("proj_bias");
  const auto et = raws<ap_uint<10>>(oq.table("exp").entries);
  const auto it = raws<ap_uint<10>>(oq.table("inv").entries);
  const int samples = 40;
  const Mantissas x = random_mantissas(fmt("fixed<8,2>"), samples * 36, 100);
  const auto want =
      emu.run_mantissas(testing::mantissa_tensor({samples, 3, 3, 4}, x), false).mantissas.back();
  for (int s = 0; s < samples; ++s) {
    ap_fixed<8, 2> xa[36];
    ap_fixed<9, 4, AP_RND, AP_SAT> za[36];
    load(Mantissas(x.begin() + s * 36, x.begin() + (s + 1) * 36), xa);
    nnet::conv_attn<ap_fixed<8, 2>, ap_fixed<9, 4, AP_RND, AP_SAT>, AttnCfg<STRATEGY>>(
        xa, za, qw.data(), qb.data(), kw.data(), kb.data(), vw.data(), vb.data(), pw.data(),
        pb.data(), et.data(), it.data());
    EXPECT_EQ(store(za, 36),
              Mantissas(want.data.begin() + s * 36, want.data.begin() + (s + 1) * 36))
        << s;
  }
}

TEST(NnetConvAttn, MatchesTheEmulator) {
  check_attn<nnet::latency>();
  check_attn<nnet::resource>();
}

}  // namespace
}  // namespace nac
