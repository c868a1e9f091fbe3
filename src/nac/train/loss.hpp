#pragma once
// Training losses with their gradient w.r.t. the model output. Reductions follow PyTorch's
// reduction='mean': MSE and L1 average over every output element (batch x outputs), cross-entropy
// averages over the batch.
#include <string>

#include "nac/core/tensor.hpp"

namespace nac {

enum class LossKind { MSE, L1, CrossEntropy };

const char* loss_name(LossKind k);
// Throws InputError naming `where` (mse, l1, cross_entropy).
LossKind loss_from_name(const std::string& name, const std::string& where);

// Returns the loss of `out` against `target` and, when `grad` is not null, writes d loss / d out
// into it (resized to out's shape).
//   MSE, L1:       target has out's shape.
//   CrossEntropy:  out holds logits [N, K]; target holds class indices [N] (or [N, 1]). Uses a
//                  stable log-softmax. Throws DataError for a label outside 0..K-1.
template <typename T>
double compute_loss(LossKind kind, const Tensor<T>& out, const Tensor<float>& target,
                    Tensor<T>* grad);

extern template double compute_loss<float>(LossKind, const Tensor<float>&, const Tensor<float>&,
                                           Tensor<float>*);
extern template double compute_loss<double>(LossKind, const Tensor<double>&, const Tensor<float>&,
                                            Tensor<double>*);

}  // namespace nac
