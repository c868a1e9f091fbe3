#pragma once
// Runs a graph forward and backward on batches, in float (training) or double (gradient checks).
// Owns the runtime state: typed parameter copies, gradients, activations and op-private state.
#include <vector>

#include "nac/core/tensor.hpp"
#include "nac/graph/graph.hpp"
#include "nac/graph/quant/resolve.hpp"
#include "nac/train/qat_ops.hpp"

namespace nac {

template <typename T>
class Executor {
 public:
  explicit Executor(const Graph& g);

  // x is [N, ...input shape]; returns the output [N, ...output shape].
  const Tensor<T>& forward(const Tensor<T>& x, bool training);
  // Adds the gradient of the loss (whose gradient w.r.t. the last forward's output is `dout`)
  // to the parameter gradients. Call after forward(..., training) on the same batch.
  void backward(const Tensor<T>& dout);
  void zero_grads();

  const Graph& graph() const { return graph_; }
  std::vector<std::vector<Tensor<T>>>& params() { return params_; }
  std::vector<std::vector<Tensor<T>>>& grads() { return grads_; }
  const Tensor<T>& activation(int node) const { return acts_[static_cast<std::size_t>(node)]; }
  // Gradient w.r.t. the input of the last backward (used by gradient checks). Computed unless
  // turned off with set_input_grad(false), as the trainer does: nothing needs it there, and it
  // saves the first layer's input-gradient GEMM.
  const Tensor<T>& input_grad() const;
  void set_input_grad(bool on) { input_grad_ = on; }

  // Parameter values back into a graph with the same structure.
  void store_params(Graph& g) const;
  // Parameter values (and masks) from a graph with the same structure; pruned entries load as 0.
  void load_params(const Graph& g);
  // Zeroes pruned weights (and their gradients) according to the graph's masks.
  void apply_masks();

  // Quantization-aware mode (docs/QUANTIZATION.md, "QAT"): annotated nodes compute their
  // quantised meaning with fake-quantised weights (the float master weights are kept), biases,
  // conversions and the emulator's tables, with straight-through gradients; other nodes stay
  // float. Resolves the graph's annotations: throws GraphError naming a node the contract
  // refuses. In double, inference equals the emulator bit for bit (see the document).
  void set_qat(bool on);
  bool qat() const { return qat_; }

 private:
  Graph graph_;
  std::vector<std::vector<Tensor<T>>> params_, grads_, saved_;
  std::vector<Tensor<T>> acts_, dacts_;
  // Per node, kept across batches so that a step allocates nothing: the batched output shape and
  // the op's input / input-gradient pointer lists (moved into OpForward / OpBackward and back).
  std::vector<Shape> batched_;
  std::vector<std::vector<const Tensor<T>*>> ins_;
  std::vector<std::vector<Tensor<T>*>> dins_;
  int batch_ = -1;
  bool input_grad_ = true;
  bool qat_ = false;
  std::vector<OpQuant> quant_;  // per node, resolved by set_qat(true)
  std::vector<QatState<T>> qat_state_;
};

extern template class Executor<float>;
extern template class Executor<double>;

}  // namespace nac
