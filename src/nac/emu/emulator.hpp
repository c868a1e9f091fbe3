#pragma once
// The fixed-point emulator: THE reference for quantised inference (DESIGN.md §3, §5). Evaluates an
// annotated graph with integer mantissas (int64) exactly as docs/QUANTIZATION.md defines, batched.
// Sums run as exact integer GEMMs (in double when every partial sum provably stays below 2^53,
// which is exact, else in int64) whenever the accumulator provably holds them, otherwise term by
// term with a conversion after each addition, the contract's literal order.
#include <cstdint>
#include <memory>
#include <vector>

#include "nac/core/fixed_format.hpp"
#include "nac/core/tensor.hpp"
#include "nac/graph/graph.hpp"
#include "nac/graph/quant/resolve.hpp"

namespace nac {

// Mantissas of every node, [N, ...node shape], and their formats (the node's result format).
struct EmuResult {
  std::vector<Tensor<std::int64_t>> mantissas;  // per node id (empty for nodes not kept)
  std::vector<FixedFormat> formats;             // per node id
  // Per node id: conversions that overflowed (result and every intermediate format). With
  // infer_precision's accumulators only result formats can overflow.
  std::vector<long long> overflows;

  // m * 2^-F of a node as double (exact for formats up to 53 bits).
  Tensor<double> values(int node) const;
  // The last node's values as float (exact for formats up to 24 bits).
  Tensor<float> output() const;
};

struct EmuOptions {
  bool allow_double_gemm = true;  // false: exact sums in int64 only (tests compare both)
  bool force_per_term = false;    // true: every accumulation term by term (tests)
  int chunk = 128;                // samples per pass through the graph (bounds memory)
};

class Emulator {
 public:
  // Resolves formats and tables, quantises the constants and plans every sum. Throws GraphError
  // naming the node for an op the contract refuses, a missing annotation or a format over 63 bits.
  explicit Emulator(const Graph& g, EmuOptions opt = {});
  ~Emulator();
  Emulator(Emulator&&) noexcept;
  Emulator& operator=(Emulator&&) noexcept;

  // x [N, ...input shape] in model space (after input normalisation). Keeps every node's
  // mantissas when keep_all, else only the output's.
  EmuResult run(const Tensor<float>& x, bool keep_all = true) const;
  // The same from input mantissas already in the input node's result format.
  EmuResult run_mantissas(const Tensor<std::int64_t>& x, bool keep_all = true) const;
  // Dequantised outputs [N, ...output shape].
  Tensor<float> predict(const Tensor<float>& x) const;

  const Graph& graph() const;
  const std::vector<OpQuant>& quant() const;  // the resolved formats and tables, per node

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// One-shot forms.
Tensor<float> emulate(const Graph& g, const Tensor<float>& x);
EmuResult emulate_mantissas(const Graph& g, const Tensor<float>& x);

}  // namespace nac
