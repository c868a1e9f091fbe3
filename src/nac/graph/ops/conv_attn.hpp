#pragma once
// BraggNN's non-local (self-attention) block on a channels-last map [H, W, C], P = H*W positions;
// shape-preserving. With X the P x C matrix of one sample:
//   Q = X Wq + bq, K = X Wk + bk, V = X Wv + bv     (1x1 convs C -> hidden)
//   A = softmax_rows(Q K^T)                         (P x P, no 1/sqrt(hidden) scaling)
//   Z = X + (A V) Wp + bp                           (1x1 conv hidden -> C, residual)
//   Y = activation(Z)
// Attributes: hidden (int >= 1), activation (as the activation op's fn: relu, leaky_relu, gelu,
// sigmoid, tanh, identity/none; default identity), alpha (leaky_relu slope, default 0.01).
// Params: q_weight [C, hidden], q_bias [hidden], k_weight, k_bias, v_weight, v_bias (same shapes),
// proj_weight [hidden, C], proj_bias [C]; all fan-in uniform (fan_in C for Q/K/V, hidden for proj).
// The projections run as GEMMs over all N*P rows of the batch (Q, K and V as one), the two
// P x P products per sample.
#include "nac/graph/op.hpp"

namespace nac {

struct ConvAttnOp {
  static Shape infer(const Node& n, const std::vector<Shape>& in);
  static std::vector<ParamSpec> param_specs(const Node& n, const std::vector<Shape>& in);
  template <typename T>
  static void forward(OpForward<T>& f);
  template <typename T>
  static void backward(OpBackward<T>& b);
  static OpCost cost(const Node& n, const std::vector<Shape>& in);
};

}  // namespace nac
