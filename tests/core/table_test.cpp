#include "nac/core/table.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "nac/core/error.hpp"

namespace nac {
namespace {

// Expected entries were computed independently (Python, exact rationals for the rounding) from
// the documented rule: entry i = round(f(p_i) * 2^F_out), p_i = lo + i*step + (2^shift - 1)/2 LSB.

TableSpec spec(TableFunction fn, int size, double lo, double hi, const char* in, const char* out) {
  TableSpec s;
  s.function = fn;
  s.size = size;
  s.lo = lo;
  s.hi = hi;
  s.input = FixedFormat::parse(in);
  s.output = FixedFormat::parse(out);
  return s;
}

TEST(Table, SigmoidEntriesAndIndexRule) {
  // fixed<8,4>: LSB 1/16; 8 entries over [-4, 4): 16 LSBs (shift 4) per entry.
  const Table t =
      build_table(spec(TableFunction::Sigmoid, 8, -4.0, 4.0, "fixed<8,4>", "ufixed<8,0,RND,WRAP>"));
  EXPECT_EQ(t.shift, 4);
  EXPECT_EQ(t.m_lo, -64);
  EXPECT_EQ(t.entries, (std::vector<std::int64_t>{7, 19, 46, 95, 157, 208, 236, 248}));
  EXPECT_DOUBLE_EQ(t.point(0), -4.0 + 15.0 / 32);
  EXPECT_EQ(t.index(-64), 0);       // x = -4: the first entry
  EXPECT_EQ(t.index(-64 + 15), 0);  // last input of entry 0
  EXPECT_EQ(t.index(-64 + 16), 1);
  EXPECT_EQ(t.index(-65), 0);  // below lo (floor(-1/16) = -1) clamps to 0
  EXPECT_EQ(t.index(-128), 0);
  EXPECT_EQ(t.index(0), 4);   // x = 0
  EXPECT_EQ(t.index(-1), 3);  // x = -1/16: floor, not truncation
  EXPECT_EQ(t.index(63), 7);
  EXPECT_EQ(t.index(64), 7);  // at or above hi: the last entry
  EXPECT_EQ(t.index(127), 7);
  EXPECT_EQ(t.lookup(-1), 95);
  EXPECT_EQ(t.lookup(0), 157);
}

TEST(Table, ReciprocalWithOneEntryPerInput) {
  // ufixed<4,4> integers; [1, 17) with 16 entries: shift 0, entry i is exactly 1 / (1 + i).
  const Table t = build_table(
      spec(TableFunction::Reciprocal, 16, 1.0, 17.0, "ufixed<4,4>", "ufixed<8,1,RND,WRAP>"));
  EXPECT_EQ(t.shift, 0);
  EXPECT_EQ(t.m_lo, 1);
  EXPECT_EQ(t.entries, (std::vector<std::int64_t>{128, 64, 43, 32, 26, 21, 18, 16, 14, 13, 12, 11,
                                                  10, 9, 9, 8}));
  EXPECT_EQ(t.lookup(3), 43);   // 1/3 = 42.67/128
  EXPECT_EQ(t.lookup(0), 128);  // below lo: entry 0
}

TEST(Table, TanhOverEveryInput) {
  const Table t = build_table(
      spec(TableFunction::Tanh, 64, -4.0, 4.0, "fixed<6,3>", "fixed<8,1,RND_CONV,SAT>"));
  const std::vector<std::int64_t> want = {
      -128, -128, -128, -128, -128, -128, -128, -128, -127, -127, -127, -127, -126,
      -126, -125, -124, -123, -122, -120, -118, -116, -113, -109, -104, -97,  -90,
      -81,  -71,  -59,  -46,  -31,  -16,  0,    16,   31,   46,   59,   71,   81,
      90,   97,   104,  109,  113,  116,  118,  120,  122,  123,  124,  125,  126,
      126,  127,  127,  127,  127,  127,  127,  127,  127,  127,  127,  127};
  EXPECT_EQ(t.entries, want);
  // Every representable input of fixed<6,3> (mantissas -32..31) reads its own entry.
  for (std::int64_t m = -32; m <= 31; ++m) EXPECT_EQ(t.lookup(m), want[m + 32]) << m;
}

TEST(Table, ExpForSoftmax) {
  // fixed<10,5>: LSB 1/32; [-8, 0) in 32 entries of 8 LSBs.
  const Table t =
      build_table(spec(TableFunction::Exp, 32, -8.0, 0.0, "fixed<10,5>", "ufixed<10,0>"));
  EXPECT_EQ(t.shift, 3);
  EXPECT_EQ(t.entries,
            (std::vector<std::int64_t>{0,  0,   0,   0,   1,   1,   1,   2,   2,   3,  4,
                                       5,  7,   9,   12,  16,  20,  26,  34,  44,  56, 73,
                                       93, 120, 154, 198, 254, 327, 420, 539, 692, 889}));
  EXPECT_EQ(t.lookup(-1), 889);  // x = -1/32 is in the last entry
  EXPECT_EQ(t.lookup(5), 889);   // positive inputs clamp to the last entry
}

TEST(Table, Gelu) {
  const Table t =
      build_table(spec(TableFunction::Gelu, 16, -4.0, 4.0, "fixed<8,3>", "fixed<10,3,RND,WRAP>"));
  EXPECT_EQ(t.shift, 4);
  EXPECT_EQ(t.entries, (std::vector<std::int64_t>{0, 0, -1, -3, -9, -17, -22, -13, 18, 72, 141, 213,
                                                  282, 349, 414, 478}));
}

TEST(Table, FunctionNamesRoundTrip) {
  for (TableFunction f : {TableFunction::Sigmoid, TableFunction::Tanh, TableFunction::Exp,
                          TableFunction::Reciprocal, TableFunction::Gelu, TableFunction::InvSqrt})
    EXPECT_EQ(parse_table_function(table_function_name(f)), f);
  EXPECT_THROW(parse_table_function("softplus"), InputError);
  EXPECT_DOUBLE_EQ(table_function_value(TableFunction::InvSqrt, 4.0), 0.5);
}

TEST(Table, RejectsBadSpecsWithReasons) {
  auto message = [](const TableSpec& s) -> std::string {
    try {
      build_table(s);
    } catch (const InputError& e) {
      return e.what();
    }
    return "no error";
  };
  const std::string not_pow2 =
      message(spec(TableFunction::Sigmoid, 12, -4.0, 4.0, "fixed<8,4>", "ufixed<8,0>"));
  EXPECT_NE(not_pow2.find("sigmoid table: size 12"), std::string::npos) << not_pow2;
  const std::string unaligned =
      message(spec(TableFunction::Tanh, 8, -4.01, 4.0, "fixed<8,4>", "fixed<8,1>"));
  EXPECT_NE(unaligned.find("multiples of the input LSB"), std::string::npos) << unaligned;
  const std::string odd_step =
      message(spec(TableFunction::Tanh, 8, -3.0, 3.0, "fixed<8,4>", "fixed<8,1>"));
  EXPECT_NE(odd_step.find("power of two"), std::string::npos) << odd_step;
  const std::string finer =  // 64 entries over 2 units of 1/16: finer than the LSB
      message(spec(TableFunction::Tanh, 64, -1.0, 1.0, "fixed<8,4>", "fixed<8,1>"));
  EXPECT_NE(finer.find("power of two"), std::string::npos) << finer;
  const std::string at_zero =
      message(spec(TableFunction::Reciprocal, 16, 0.0, 16.0, "ufixed<4,4>", "ufixed<8,1>"));
  EXPECT_NE(at_zero.find("reciprocal table: the function is not finite"), std::string::npos)
      << at_zero;
  const std::string negative_sqrt =
      message(spec(TableFunction::InvSqrt, 16, -8.0, 8.0, "fixed<8,4>", "ufixed<8,1>"));
  EXPECT_NE(negative_sqrt.find("not finite"), std::string::npos) << negative_sqrt;
  EXPECT_NE(
      message(spec(TableFunction::Exp, 8, 4.0, -4.0, "fixed<8,4>", "ufixed<8,0>")).find("lo < hi"),
      std::string::npos);
}

}  // namespace
}  // namespace nac
