// The emulator's element-wise and reduction ops against reference loops written from
// docs/QUANTIZATION.md with core/fixed and core/table.
#include <gtest/gtest.h>

#include <cmath>

#include "../support/graphs.hpp"
#include "nac/emu/emulator.hpp"
#include "nac/graph/quant/constants.hpp"
#include "nac/graph/quant/resolve.hpp"
#include "reference.hpp"

namespace nac {
namespace {

using testing::fmt;
using testing::Mantissas;

// input [shape] in `in_fmt` -> one node `op` with attributes and quant; returns the node's
// mantissas for every value of the input format (when small) or random ones.
struct OneOp {
  Graph g;
  Shape in;
  OneOp(const Shape& shape, OpKind op, Attrs attrs, const char* in_fmt) : in(shape) {
    const int x = testing::add_input(g, shape);
    g.add(op, "op", {x}, std::move(attrs));
    g.finalize(nullptr);
    g.node(0).quant.result = fmt(in_fmt);
  }
  QuantAnnotation& quant() { return g.node(1).quant; }
  EmuResult run(const Mantissas& x) const {
    Shape s{static_cast<int>(x.size() / shape_size(in))};
    s.insert(s.end(), in.begin(), in.end());
    return Emulator(g).run_mantissas(testing::mantissa_tensor(s, x));
  }
};

// Every mantissa of a (narrow) format, in order.
Mantissas all_values(const FixedFormat& f) {
  Mantissas m;
  for (std::int64_t v = min_mantissa(f); v <= max_mantissa(f); ++v) m.push_back(v);
  return m;
}

TEST(EmuActivation, ExactRulesOverEveryInputValue) {
  const FixedFormat X = fmt("fixed<8,3>");
  const Mantissas x = all_values(X);
  for (const char* out : {"fixed<6,2,RND,SAT>", "fixed<5,3>", "ufixed<6,2,RND_CONV,SAT>"}) {
    const FixedFormat R = fmt(out);
    for (const char* fn : {"identity", "relu", "leaky_relu"}) {
      OneOp t({1}, OpKind::Activation, {{"fn", std::string(fn)}, {"alpha", 0.1}}, "fixed<8,3>");
      t.quant().result = R;
      const FixedFormat alpha = fmt("fixed<10,1,RND>");
      if (std::string(fn) == "leaky_relu") t.quant().extra["alpha"] = alpha;
      const auto r = t.run(x);
      const std::int64_t a = quantize(0.1, alpha);
      for (std::size_t i = 0; i < x.size(); ++i) {
        std::int64_t want = requantize(x[i], X.frac(), R);
        if (std::string(fn) == "relu" && x[i] <= 0) want = 0;
        if (std::string(fn) == "leaky_relu" && x[i] <= 0)
          want = requantize(Int128{x[i]} * a, X.frac() + alpha.frac(), R);
        ASSERT_EQ(r.mantissas[1][i], want) << fn << " " << out << " x " << x[i];
      }
    }
  }
}

TEST(EmuActivation, LeakyReluDefaultSlopeFormat) {
  OneOp t({1}, OpKind::Activation, {{"fn", std::string("leaky_relu")}}, "fixed<8,3>");
  t.quant().result = fmt("fixed<16,3>");
  const auto r = t.run({-32});  // -1.0
  // 0.01 in fixed<16,2,RND,SAT> is 164 * 2^-14; times -1.0 exactly.
  EXPECT_EQ(to_double(r.mantissas[1][0], fmt("fixed<16,3>")), std::ldexp(-164.0, -14));
}

TEST(EmuActivation, TablesReadTheSameEntriesAsCoreTable) {
  const FixedFormat X = fmt("fixed<10,4>");
  const Mantissas x = all_values(X);
  const struct {
    const char* fn;
    TableFunction tf;
  } fns[] = {{"sigmoid", TableFunction::Sigmoid},
             {"tanh", TableFunction::Tanh},
             {"gelu", TableFunction::Gelu}};
  for (const auto& f : fns)
    for (const bool explicit_geometry : {false, true}) {
      OneOp t({1}, OpKind::Activation, {{"fn", std::string(f.fn)}}, "fixed<10,4>");
      const FixedFormat R = fmt("fixed<9,3,RND,SAT>");
      t.quant().result = R;
      TableSpec spec{f.tf, 1024, -8.0, 8.0, X, R};  // the default geometry, written out
      if (explicit_geometry) {
        spec = {f.tf, 64, -4.0, 4.0, X, R};
        t.quant().tables["act"] = {64, -4.0, 4.0};
      }
      const Table table = build_table(spec);
      const auto r = t.run(x);
      for (std::size_t i = 0; i < x.size(); ++i)
        ASSERT_EQ(r.mantissas[1][i], table.lookup(x[i])) << f.fn << " x " << x[i];
    }
}

TEST(EmuQuantRules, DefaultTableGeometry) {
  // sigmoid on fixed<10,4> ([-8, 8), LSB 1/64): [-8, 8), 1024 values -> 1024 entries.
  auto s = default_table_spec("act", TableFunction::Sigmoid, fmt("fixed<10,4>"), fmt("fixed<8,1>"));
  EXPECT_EQ(s.lo, -8.0);
  EXPECT_EQ(s.hi, 8.0);
  EXPECT_EQ(s.size, 1024);
  // tanh on fixed<16,8> ([-128, 128)): cut to [-8, 8), 16 * 256 values -> 1024 entries.
  s = default_table_spec("act", TableFunction::Tanh, fmt("fixed<16,8>"), fmt("fixed<8,1>"));
  EXPECT_EQ(s.lo, -8.0);
  EXPECT_EQ(s.hi, 8.0);
  EXPECT_EQ(s.size, 1024);
  // gelu keeps the whole range; an unsigned input starts at 0.
  s = default_table_spec("act", TableFunction::Gelu, fmt("fixed<16,8>"), fmt("fixed<8,1>"));
  EXPECT_EQ(s.lo, -128.0);
  EXPECT_EQ(s.hi, 128.0);
  s = default_table_spec("act", TableFunction::Sigmoid, fmt("ufixed<6,5>"), fmt("fixed<8,1>"));
  EXPECT_EQ(s.lo, 0.0);
  EXPECT_EQ(s.hi, 8.0);
  EXPECT_EQ(s.size, 16);
  // exp on D = difference_format(fixed<8,3>) = fixed<9,4>: [-8, 8) in 1/32 steps, 512 entries.
  s = default_table_spec("exp", TableFunction::Exp, fmt("fixed<9,4>"), fmt("ufixed<16,1>"));
  EXPECT_EQ(s.lo, -8.0);
  EXPECT_EQ(s.hi, 8.0);
  EXPECT_EQ(s.size, 512);
  // inv on ufixed<20,5>: [0, 32), at most 4096 entries, 2 LSBs or more per entry.
  s = default_table_spec("inv", TableFunction::Reciprocal, fmt("ufixed<20,5>"),
                         fmt("ufixed<16,1>"));
  EXPECT_EQ(s.lo, 0.0);
  EXPECT_EQ(s.hi, 32.0);
  EXPECT_EQ(s.size, 4096);
  s = default_table_spec("inv", TableFunction::Reciprocal, fmt("ufixed<8,5>"), fmt("ufixed<16,1>"));
  EXPECT_EQ(s.size, 128);
}

TEST(EmuBatchNorm, OneConversionOfTheExactAffine) {
  OneOp t({2, 3}, OpKind::BatchNorm, {}, "fixed<8,3>");
  testing::fill_params(t.g, 3);
  auto& q = t.quant();
  q.weight = fmt("fixed<8,2,RND>");
  q.bias = fmt("fixed<10,3,RND>");
  q.result = fmt("fixed<8,3,RND,SAT>");
  const Mantissas x = testing::random_mantissas(fmt("fixed<8,3>"), 5 * 6, 2);
  const auto r = t.run(x);
  const Node& n = t.g.node(1);
  for (std::size_t i = 0; i < x.size(); ++i) {
    const std::size_t j = i % 3;
    const double s = static_cast<double>(n.param("gamma").value[j]) /
                     std::sqrt(static_cast<double>(n.param("running_var").value[j]) + 1e-5);
    const double sh = static_cast<double>(n.param("beta").value[j]) -
                      static_cast<double>(n.param("running_mean").value[j]) * s;
    const std::int64_t sm = quantize(s, *q.weight), tm = quantize(sh, *q.bias);
    // x (F 5) * s (F 6) at F 11; shift (F 7) aligned to F 11.
    const Int128 v = Int128{x[i]} * sm + Int128{tm} * 16;
    ASSERT_EQ(r.mantissas[1][i], requantize(v, 11, *q.result)) << i;
  }
}

Mantissas ref_softmax(const Mantissas& x, int n, const FixedFormat& X, const FixedFormat& E,
                      const FixedFormat& S, const FixedFormat& V, const FixedFormat& R,
                      const Table& exp_t, const Table& inv_t) {
  Mantissas y(x.size());
  for (std::size_t r0 = 0; r0 < x.size(); r0 += static_cast<std::size_t>(n)) {
    std::int64_t m = x[r0];
    for (int j = 1; j < n; ++j) m = std::max(m, x[r0 + j]);
    Mantissas e(static_cast<std::size_t>(n));
    testing::RefAcc s(S, 0, 0);
    for (int j = 0; j < n; ++j) {
      e[static_cast<std::size_t>(j)] = exp_t.lookup(x[r0 + j] - m);
      s.add(e[static_cast<std::size_t>(j)], E.frac());
    }
    const std::int64_t inv = inv_t.lookup(s.acc);
    for (int j = 0; j < n; ++j)
      y[r0 + j] = requantize(Int128{e[static_cast<std::size_t>(j)]} * inv, E.frac() + V.frac(), R);
  }
  (void)X;
  return y;
}

TEST(EmuSoftmax, TablesAndSumMatchTheReference) {
  const FixedFormat X = fmt("fixed<8,3>");
  for (const char* sum : {"ufixed<20,4>", "ufixed<10,2,TRN,SAT>"}) {
    OneOp t({4, 6}, OpKind::Softmax, {}, "fixed<8,3>");
    auto& q = t.quant();
    q.extra["exp"] = fmt("ufixed<12,1,RND,SAT>");
    q.extra["exp_sum"] = fmt(sum);
    q.extra["inv"] = fmt("ufixed<12,1,RND,SAT>");
    q.result = fmt("fixed<8,1,RND,SAT>");
    const FixedFormat D = difference_format(X, X);
    const Table exp_t = build_table({TableFunction::Exp, 512, -8, 8, D, q.extra["exp"]});
    const FixedFormat S = fmt(sum);
    const double hi = std::ldexp(1.0, S.integer);
    const int size = std::min(4096, static_cast<int>(hi / (2 * lsb_value(S))));
    const Table inv_t = build_table({TableFunction::Reciprocal, size, 0, hi, S, q.extra["inv"]});
    const Mantissas x = testing::random_mantissas(X, 3 * 24, 4);
    const auto r = t.run(x);
    EXPECT_EQ(r.mantissas[1].data,
              ref_softmax(x, 6, X, q.extra["exp"], S, q.extra["inv"], *q.result, exp_t, inv_t))
        << sum;
    // A row of equal scores: every entry near 1/6 (when the sum's format holds 6).
    const auto u = t.run(Mantissas(24, 7));
    if (S.integer >= 4) {
      EXPECT_NEAR(to_double(u.mantissas[1][0], *q.result), 1.0 / 6, 1.0 / 64);
    }
  }
}

TEST(EmuFlattenAddAggregate, MatchTheirRules) {
  // flatten keeps mantissas and format; with a result it converts.
  {
    OneOp t({2, 2, 2}, OpKind::Flatten, {}, "fixed<8,3>");
    t.g.node(1).quant = {};
    const Mantissas x = testing::random_mantissas(fmt("fixed<8,3>"), 16, 1);
    auto r = t.run(x);
    EXPECT_EQ(r.mantissas[1].data, x);
    EXPECT_EQ(r.formats[1], fmt("fixed<8,3>"));
    t.quant().result = fmt("fixed<4,2,RND,SAT>");
    r = t.run(x);
    for (std::size_t i = 0; i < x.size(); ++i)
      EXPECT_EQ(r.mantissas[1][i], requantize(x[i], 5, fmt("fixed<4,2,RND,SAT>")));
  }
  // add: the exact sum of inputs of different formats, one conversion.
  {
    Graph g;
    const int x = testing::add_input(g, {5});
    const int a = g.add(OpKind::Activation, "a", {x}, {{"fn", std::string("identity")}});
    const int s = g.add(OpKind::Add, "s", {x, a});
    g.finalize(nullptr);
    g.node(x).quant.result = fmt("fixed<8,3>");
    g.node(a).quant.result = fmt("fixed<6,1,RND,SAT>");
    g.node(s).quant.result = fmt("fixed<7,3,RND>");
    const Mantissas xm = testing::random_mantissas(fmt("fixed<8,3>"), 50, 2);
    const auto r = Emulator(g).run_mantissas(testing::mantissa_tensor({10, 5}, xm));
    for (std::size_t i = 0; i < xm.size(); ++i) {
      const std::int64_t am = requantize(xm[i], 5, fmt("fixed<6,1,RND,SAT>"));
      EXPECT_EQ(r.mantissas[s][i], requantize(Int128{xm[i]} + am, 5, fmt("fixed<7,3,RND>")));
    }
  }
  // aggregate: sum and mean accumulate in A; mean truncates toward zero; max is exact.
  for (const char* fn : {"sum", "mean", "max"})
    for (const char* acc : {"fixed<12,6>", "fixed<7,4,TRN,SAT>"}) {
      OneOp t({5, 3}, OpKind::Aggregate, {{"fn", std::string(fn)}}, "fixed<8,3>");
      auto& q = t.quant();
      if (std::string(fn) != "max") q.accum = fmt(acc);
      q.result = fmt("fixed<8,3,TRN,SAT>");
      const Mantissas x = testing::random_mantissas(fmt("fixed<8,3>"), 4 * 15, 3);
      const auto r = t.run(x);
      for (int s = 0; s < 4; ++s)
        for (int j = 0; j < 3; ++j) {
          std::int64_t want = 0;
          if (std::string(fn) == "max") {
            std::int64_t m = x[static_cast<std::size_t>(s * 15 + j)];
            for (int e = 1; e < 5; ++e)
              m = std::max(m, x[static_cast<std::size_t>(s * 15 + e * 3 + j)]);
            want = requantize(m, 5, *q.result);
          } else {
            testing::RefAcc a(*q.accum, 0, 0);
            for (int e = 0; e < 5; ++e) a.add(x[static_cast<std::size_t>(s * 15 + e * 3 + j)], 5);
            std::int64_t v = a.acc;
            if (std::string(fn) == "mean") {  // toward zero, written out
              const std::int64_t mag = (v < 0 ? -v : v) / 5;
              v = v < 0 ? -mag : mag;
            }
            want = requantize(v, q.accum->frac(), *q.result);
          }
          ASSERT_EQ(r.mantissas[1][static_cast<std::size_t>(s * 3 + j)], want)
              << fn << " " << acc << " sample " << s << " feature " << j;
        }
    }
}

TEST(EmuAggregate, MeanTruncatesTowardZeroNotFloor) {
  // -7 / 2 = -3.5 -> -3 (floor would give -4).
  OneOp t({2, 1}, OpKind::Aggregate, {{"fn", std::string("mean")}}, "fixed<8,8>");
  t.quant().accum = fmt("fixed<10,10>");
  t.quant().result = fmt("fixed<8,8>");
  const auto r = t.run({-3, -4});
  EXPECT_EQ(r.mantissas[1][0], -3);
}

TEST(EmuInputCast, QuantInputConvertsBeforeTheOp) {
  OneOp t({4}, OpKind::Activation, {{"fn", std::string("identity")}}, "fixed<8,3>");
  t.quant().input = fmt("fixed<4,2,RND,SAT>");
  t.quant().result = fmt("fixed<8,3>");
  const Mantissas x = testing::random_mantissas(fmt("fixed<8,3>"), 40, 9);
  const auto r = t.run(x);
  for (std::size_t i = 0; i < x.size(); ++i)
    EXPECT_EQ(r.mantissas[1][i],
              requantize(requantize(x[i], 5, fmt("fixed<4,2,RND,SAT>")), 2, fmt("fixed<8,3>")));
}

}  // namespace
}  // namespace nac
