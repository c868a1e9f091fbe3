#include "nac/core/table.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <string>

#include "nac/core/error.hpp"
#include "nac/core/fixed.hpp"

namespace nac {
namespace {

constexpr std::array<const char*, 6> kNames = {"sigmoid",    "tanh", "exp",
                                               "reciprocal", "gelu", "inv_sqrt"};

// v * 2^e as an exact int64, or false when it is not an integer or does not fit in 62 bits.
bool exact_integer(double v, int e, std::int64_t* out) {
  const double scaled = std::ldexp(v, e);
  if (!std::isfinite(scaled) || std::fabs(scaled) >= 0x1p62 || scaled != std::floor(scaled))
    return false;
  *out = static_cast<std::int64_t>(scaled);
  return true;
}

}  // namespace

const char* table_function_name(TableFunction f) { return kNames[static_cast<std::size_t>(f)]; }

TableFunction parse_table_function(const std::string& name) {
  for (std::size_t i = 0; i < kNames.size(); ++i)
    if (name == kNames[i]) return static_cast<TableFunction>(i);
  throw InputError("unknown table function '" + name +
                   "' (known: sigmoid, tanh, exp, reciprocal, gelu, inv_sqrt)");
}

double table_function_value(TableFunction f, double x) {
  switch (f) {
    case TableFunction::Sigmoid:
      return 1.0 / (1.0 + std::exp(-x));
    case TableFunction::Tanh:
      return std::tanh(x);
    case TableFunction::Exp:
      return std::exp(x);
    case TableFunction::Reciprocal:
      return 1.0 / x;
    case TableFunction::Gelu:
      return 0.5 * x * (1.0 + std::erf(x / std::sqrt(2.0)));
    case TableFunction::InvSqrt:
      return 1.0 / std::sqrt(x);
  }
  return 0.0;
}

int Table::index(std::int64_t m_in) const {
  const Int128 offset = (Int128{m_in} - m_lo) >> shift;
  return static_cast<int>(std::clamp<Int128>(offset, 0, spec.size - 1));
}

double Table::point(int i) const {
  const int frac = spec.input.frac();
  const double first = std::ldexp(static_cast<double>(m_lo), -frac);
  const double step = std::ldexp(1.0, shift - frac);
  return first + i * step + std::ldexp(std::ldexp(1.0, shift) - 1.0, -frac - 1);
}

Table build_table(const TableSpec& spec) {
  const std::string what = std::string(table_function_name(spec.function)) + " table";
  auto fail = [&](const std::string& why) -> Table { throw InputError(what + ": " + why); };
  check_format(spec.input);
  check_format(spec.output);
  if (spec.size < 1 || spec.size > (1 << 24) || (spec.size & (spec.size - 1)) != 0)
    return fail("size " + std::to_string(spec.size) + " must be a power of two in 1..2^24");
  if (!(spec.hi > spec.lo)) return fail("needs lo < hi");
  Table t;
  t.spec = spec;
  const int frac = spec.input.frac();
  std::int64_t m_hi = 0;
  if (!exact_integer(spec.lo, frac, &t.m_lo) || !exact_integer(spec.hi, frac, &m_hi))
    return fail("lo and hi must be multiples of the input LSB 2^-" + std::to_string(frac) + " of " +
                spec.input.str());
  const std::int64_t span = m_hi - t.m_lo;  // size * 2^shift input LSBs
  if (span % spec.size != 0 || ((span / spec.size) & (span / spec.size - 1)) != 0)
    return fail("(hi - lo) / size must be a power of two times the input LSB of " +
                spec.input.str());
  for (std::int64_t per = span / spec.size; per > 1; per >>= 1) ++t.shift;
  t.entries.resize(static_cast<std::size_t>(spec.size));
  for (int i = 0; i < spec.size; ++i) {
    const double p = t.point(i);
    const double v = table_function_value(spec.function, p);
    if (!std::isfinite(v))
      return fail("the function is not finite at " + std::to_string(p) + " (entry " +
                  std::to_string(i) + ")");
    t.entries[static_cast<std::size_t>(i)] = quantize(v, spec.output);
  }
  return t;
}

}  // namespace nac
