#include "nac/hls/vectors.hpp"

#include "nac/core/error.hpp"
#include "nac/core/fixed.hpp"
#include "nac/core/rng.hpp"
#include "nac/emu/emulator.hpp"

namespace nac::hls {

Vectors make_vectors(const Graph& g, int count, std::uint64_t seed) {
  if (count < 1) throw InputError("--vectors: expected at least 1 test vector");
  const Emulator emu(g);
  const FixedFormat& f = emu.quant().front().result;
  Shape s{count};
  s.insert(s.end(), g.input_shape().begin(), g.input_shape().end());
  Vectors v;
  v.inputs = Tensor<std::int64_t>(s);
  Rng rng(seed);
  const std::size_t row = shape_size(g.input_shape());
  for (int n = 0; n < count; ++n) {
    const int shift = 2 * (n % 3);
    const std::int64_t lo = min_mantissa(f) >> shift, hi = max_mantissa(f) >> shift;
    const auto span = static_cast<std::uint64_t>(hi - lo) + 1;
    for (std::size_t i = 0; i < row; ++i)
      v.inputs[static_cast<std::size_t>(n) * row + i] =
          lo + static_cast<std::int64_t>(span == 0 ? rng.next_u64() : rng.below(span));
  }
  v.outputs = emu.run_mantissas(v.inputs, false).mantissas.back();
  return v;
}

}  // namespace nac::hls
