#pragma once
// Quantization-aware forward and backward of one annotated node (docs/QUANTIZATION.md, "QAT"):
// the quantised meaning computed in the executor's scalar type with fake-quantised weights,
// conversions and the emulator's tables; straight-through gradients (1 inside a saturating
// format's range, 0 outside; 1 everywhere for WRAP), the smooth function's gradient for tables.
#include <vector>

#include "nac/core/fixed_format.hpp"
#include "nac/core/tensor.hpp"
#include "nac/graph/op.hpp"
#include "nac/graph/quant/resolve.hpp"

namespace nac {

// Per-node state kept from the QAT forward for the backward.
template <typename T>
struct QatState {
  std::vector<Tensor<T>> in;      // inputs converted into quant.input (when the node casts)
  std::vector<Tensor<T>> params;  // fake-quantised parameters (weights masked)
  Tensor<T> z;                    // the value before the final conversion into the result
  std::vector<Tensor<T>> saved;   // the float op's private state (ops run in float inside)
  Tensor<T> float_out;            // conv_attn: the float forward's output (its backward reads it)
  bool training = false;
};

// y = the value of ⟦x⟧f for n elements (in place allowed): core/fixed's fake_quantize for float,
// the exact quantised value for double. NaN propagates.
template <typename T>
void fake_quantize_values(const T* x, T* y, std::size_t n, const FixedFormat& f);

// The straight-through gradient of ⟦·⟧f at v: 1, or 0 when f saturates and v is out of range.
template <typename T>
T ste_gate(T v, const FixedFormat& f);

// Forward of an annotated non-input node: f.out receives the quantised result.
template <typename T>
void qat_forward(const OpQuant& q, OpForward<T>& f, QatState<T>& st);

// Backward after qat_forward(training): adds into b.din and b.dparams (the master weights'
// gradients, straight through the fake quantisation).
template <typename T>
void qat_backward(const OpQuant& q, OpBackward<T>& b, QatState<T>& st);

}  // namespace nac
