#pragma once
// Lookup tables for the non-linearities hardware evaluates by table (sigmoid, tanh, exp and the
// reciprocal for softmax, GELU, 1/sqrt for normalisation). A table is part of the quantised
// model's meaning: the emulator looks values up here and the HLS/RTL generators emit exactly
// these entries and this index rule, so all backends read the same bits.
//
// Index rule (integer only, from the input's mantissa m_in in spec.input):
//   index = clamp((m_in - m_lo) >> shift, 0, size - 1)      (>> is floor, i.e. arithmetic)
// with m_lo = lo * 2^F_in and 2^shift = (hi - lo) * 2^F_in / size. So lo must be a multiple of the
// input's LSB and the step (hi - lo) / size a power of two no finer than the LSB. Inputs below lo
// read entry 0, inputs at or above hi read the last entry.
//
// Entry i holds quantize(f(p_i), spec.output), f evaluated in double (std::exp, std::tanh,
// std::erf of the C++ library), at p_i = the mean of the input values the entry serves:
//   p_i = lo + i * step + (2^shift - 1) / 2 * 2^-F_in
// (with shift = 0 that is the one input value itself, so such a table is exact up to the output's
// rounding).
#include <cstdint>
#include <string>
#include <vector>

#include "nac/core/fixed_format.hpp"

namespace nac {

enum class TableFunction { Sigmoid, Tanh, Exp, Reciprocal, Gelu, InvSqrt };

// "sigmoid", "tanh", "exp", "reciprocal", "gelu", "inv_sqrt".
const char* table_function_name(TableFunction f);
// Throws InputError naming the known functions.
TableFunction parse_table_function(const std::string& name);
// The function itself, in double: 1/(1+e^-x), tanh, e^x, 1/x, x/2 (1 + erf(x/sqrt 2)), 1/sqrt x.
double table_function_value(TableFunction f, double x);

struct TableSpec {
  TableFunction function = TableFunction::Sigmoid;
  int size = 1024;   // number of entries, a power of two (1..2^24)
  double lo = -8.0;  // input range [lo, hi) the entries cover
  double hi = 8.0;
  FixedFormat input;   // format of the values looked up
  FixedFormat output;  // format of the entries
};

struct Table {
  TableSpec spec;
  std::int64_t m_lo = 0;              // lo in input LSBs
  int shift = 0;                      // log2 of the input LSBs per entry
  std::vector<std::int64_t> entries;  // output mantissas, size() == spec.size

  int index(std::int64_t m_in) const;  // the index rule above
  std::int64_t lookup(std::int64_t m_in) const { return entries[index(m_in)]; }
  double point(int i) const;  // p_i, where entry i was evaluated
};

// Checks the spec (InputError naming the function and what is wrong: size, range alignment,
// formats, a function undefined or non-finite at some p_i) and computes the entries.
Table build_table(const TableSpec& spec);

}  // namespace nac
