#pragma once
// Runs a graph forward and backward on batches, in float (training) or double (gradient checks).
// Owns the runtime state: typed parameter copies, gradients, activations and op-private state.
#include <vector>

#include "nac/core/tensor.hpp"
#include "nac/graph/graph.hpp"

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
  // Gradient w.r.t. the input of the last backward (always computed; used by gradient checks).
  const Tensor<T>& input_grad() const;

  // Parameter values back into a graph with the same structure.
  void store_params(Graph& g) const;
  void load_params(const Graph& g);
  // Zeroes pruned weights (and their gradients) according to the graph's masks.
  void apply_masks();

 private:
  Graph graph_;
  std::vector<std::vector<Tensor<T>>> params_, grads_, saved_;
  std::vector<Tensor<T>> acts_, dacts_;
  int batch_ = 0;
};

extern template class Executor<float>;
extern template class Executor<double>;

}  // namespace nac
