#pragma once
// Test vectors for a generated project's test bench: input mantissas drawn from the input
// format's range and the emulator's output mantissas for them.
#include <cstdint>

#include "nac/core/tensor.hpp"
#include "nac/graph/graph.hpp"

namespace nac::hls {

struct Vectors {
  Tensor<std::int64_t> inputs;   // [N, ...input shape], mantissas of the input format
  Tensor<std::int64_t> outputs;  // [N, ...output shape], the emulator's output mantissas
};

// `count` samples; sample s draws each mantissa uniformly from the input format's range scaled
// by 1, 1/4 or 1/16 (s mod 3), so both saturating extremes and the values near zero where
// trained models live are covered. Same graph, count and seed -> same vectors.
Vectors make_vectors(const Graph& g, int count, std::uint64_t seed);

}  // namespace nac::hls
