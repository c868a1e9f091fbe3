#pragma once
// THE fixed-point implementation of nac (../shared/FIXED_POINT.md): every quantisation in the
// trainer's fake-quant, the emulator and the code generators' constants goes through here.
//
// A value of format f is m * 2^-F with F = f.frac() and m an integer mantissa held in int64.
// Limits: signed formats W in 1..64, unsigned W in 1..63 (so every mantissa fits int64), integer
// bits I in -1024..1024 (FixedFormat::problem()). Wider intermediates (products, exact sums) are
// held as Int128 mantissas with an explicit fraction count.
//
// Conversion into a format (requantize, quantize) is exact-value -> rounding -> overflow, the
// ap_fixed rules: rounding of the dropped fraction bits first (the carry may overflow), then the
// overflow mode on the rounded integer.
#include <cstdint>
#include <span>

#include "nac/core/fixed_format.hpp"

namespace nac {

__extension__ typedef __int128 Int128;

// Throws InputError naming the format and the limit when f cannot be used for mantissas (see the
// limits above). Formats from model files are checked by FixedFormat::parse with the same rule.
void check_format(const FixedFormat& f);

// The mantissa of the exact value m * 2^-from_frac converted into `to` (rounding, then overflow).
// from_frac may be anything (smaller than to.frac() means an exact left shift; negative is fine);
// shifts far beyond 128 bits are handled exactly (the value then is 0, -1 ulp or overflows).
std::int64_t requantize(Int128 m, int from_frac, const FixedFormat& to);

// The IEEE value of x taken exactly (x = M * 2^e with integer M, |M| < 2^53), then requantize.
// Exact for every finite double, subnormals included; -0.0 gives 0. Infinities are taken as
// +-2^1024 (what the ap_fixed header's bit decoding of an infinity gives): SAT modes give the
// extreme, WRAP and SAT_ZERO give 0. NaN throws InputError.
std::int64_t quantize(double x, const FixedFormat& f);

// Batch forms of quantize (same semantics, NaN throws). out.size() must equal x.size().
void quantize(std::span<const float> x, std::span<std::int64_t> out, const FixedFormat& f);
void quantize(std::span<const double> x, std::span<std::int64_t> out, const FixedFormat& f);

// m * 2^-F. Exact when W <= 53 (and the value is not below 2^-1022, i.e. F <= 1022 - 53 + W):
// otherwise correctly rounded to nearest-even from the int64 mantissa.
double to_double(std::int64_t m, const FixedFormat& f);

// Quantisation-aware training: the float nearest to quantize(x) (one rounding of the mantissa to
// float, then an exact power-of-two scale). Exact, i.e. equal to the format's value, when W <= 24
// and the value is a normal float. NaN propagates (returns NaN, no throw) so that the trainer's
// NaN checks see it.
float fake_quantize(float x, const FixedFormat& f);

// Batch fake_quantize; out may alias x (in place). Bit-identical to the scalar form; formats with
// W <= 24 and -100 <= F <= 100 take a branch-free float path that the compiler vectorises.
void fake_quantize(std::span<const float> x, std::span<float> out, const FixedFormat& f);

// The mantissa range a conversion into f can produce: [-2^(W-1), 2^(W-1) - 1] signed (the minimum
// is -2^(W-1) + 1 for SAT_SYM, which never produces -2^(W-1)), [0, 2^W - 1] unsigned.
std::int64_t min_mantissa(const FixedFormat& f);
std::int64_t max_mantissa(const FixedFormat& f);
double min_value(const FixedFormat& f);  // to_double(min_mantissa(f), f)
double max_value(const FixedFormat& f);
double lsb_value(const FixedFormat& f);  // 2^-F, the step between neighbouring values

// True when converting the exact value into f changes nothing (no rounding, no overflow), i.e.
// requantize(m, from_frac, f) * 2^-F == m * 2^-from_frac.
bool fits(Int128 m, int from_frac, const FixedFormat& f);
bool fits(double x, const FixedFormat& f);  // false for NaN and infinities

// Result formats of the full-precision ap_fixed operators (FIXED_POINT.md's table), with the
// operator results' default modes TRN and WRAP. They describe exact intermediates and may be
// wider than 64 bits (hold their mantissas as Int128); they are not checked by check_format.
FixedFormat product_format(const FixedFormat& a, const FixedFormat& b);     // a * b
FixedFormat sum_format(const FixedFormat& a, const FixedFormat& b);         // a + b
FixedFormat difference_format(const FixedFormat& a, const FixedFormat& b);  // a - b, signed
// a / b: W = S2 + W1 + max(F2, 0), I = S2 + I1 + F2; mantissa (a.m << max(F2, 0)) / b.m with C
// truncation toward zero.
FixedFormat quotient_format(const FixedFormat& a, const FixedFormat& b);

}  // namespace nac
