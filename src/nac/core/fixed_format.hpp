#pragma once
// A fixed-point format with the meaning of Vitis HLS ap_fixed<W, I, Q, O> / ap_ufixed
// (../shared/FIXED_POINT.md): value = m * 2^-(W-I), m a W-bit two's-complement (or unsigned)
// integer. quantize() and friends live in core/fixed.hpp.
#include <string>

namespace nac {

enum class Rounding { TRN, TRN_ZERO, RND, RND_ZERO, RND_MIN_INF, RND_INF, RND_CONV };
enum class Overflow { WRAP, SAT, SAT_ZERO, SAT_SYM };

struct FixedFormat {
  int width = 16;   // W: total bits
  int integer = 6;  // I: integer bits including the sign bit (may exceed W or be negative)
  bool is_signed = true;
  Rounding rounding = Rounding::TRN;
  Overflow overflow = Overflow::WRAP;

  int frac() const { return width - integer; }
  bool operator==(const FixedFormat&) const = default;

  // "fixed<8,3>", "ufixed<10,2,RND,SAT>": the spelling used in model files and configs.
  std::string str() const;
  // Parses str()'s spelling (and ap_fixed<...>/ap_ufixed<...> with AP_ prefixes); throws
  // InputError, also for a format problem() rejects.
  static FixedFormat parse(const std::string& text);

  // Empty when nac can hold this format's mantissas in int64, else what is wrong: W must be in
  // 1..64 (signed) or 1..63 (unsigned), I in -1024..1024.
  std::string problem() const;
};

const char* rounding_name(Rounding r);
const char* overflow_name(Overflow o);

}  // namespace nac
