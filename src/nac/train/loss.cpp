#include "nac/train/loss.hpp"

#include <algorithm>
#include <cmath>

#include "nac/core/error.hpp"

namespace nac {

const char* loss_name(LossKind k) {
  switch (k) {
    case LossKind::MSE:
      return "mse";
    case LossKind::L1:
      return "l1";
    case LossKind::CrossEntropy:
      return "cross_entropy";
  }
  return "?";
}

LossKind loss_from_name(const std::string& name, const std::string& where) {
  for (auto k : {LossKind::MSE, LossKind::L1, LossKind::CrossEntropy})
    if (name == loss_name(k)) return k;
  throw InputError(where + ": unknown loss '" + name +
                   "' (expected one of mse, l1, cross_entropy)");
}

namespace {

template <typename T>
double elementwise_loss(bool squared, const Tensor<T>& out, const Tensor<float>& target,
                        Tensor<T>* grad) {
  if (out.size() != target.size())
    throw InputError(std::string("loss ") + (squared ? "mse" : "l1") + ": targets have shape " +
                     shape_str(target.shape) + ", the model outputs " + shape_str(out.shape));
  const std::size_t n = out.size();
  if (grad) grad->resize(out.shape);
  const double inv = n ? 1.0 / static_cast<double>(n) : 0.0;
  double sum = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double d = static_cast<double>(out[i]) - static_cast<double>(target[i]);
    sum += squared ? d * d : std::abs(d);
    if (grad) {
      const double s = d > 0 ? 1.0 : (d < 0 ? -1.0 : 0.0);  // torch's sign(0) = 0
      (*grad)[i] = static_cast<T>((squared ? 2.0 * d : s) * inv);
    }
  }
  return sum * inv;
}

template <typename T>
double cross_entropy(const Tensor<T>& out, const Tensor<float>& target, Tensor<T>* grad) {
  if (out.rank() != 2)
    throw InputError("loss cross_entropy: expects logits [N, classes], the model outputs " +
                     shape_str(out.shape));
  const int n = out.dim(0), k = out.dim(1);
  if (target.size() != static_cast<std::size_t>(n))
    throw InputError("loss cross_entropy: expects one class index per sample, targets have shape " +
                     shape_str(target.shape));
  if (grad) grad->resize(out.shape);
  const double inv_n = n ? 1.0 / n : 0.0;
  double sum = 0;
  for (int i = 0; i < n; ++i) {
    const T* z = out.ptr() + static_cast<std::size_t>(i) * k;
    const float label = target[static_cast<std::size_t>(i)];
    const int y = static_cast<int>(label);
    if (static_cast<float>(y) != label || y < 0 || y >= k)
      throw DataError("loss cross_entropy: sample " + std::to_string(i) + " has label " +
                      std::to_string(label) + ", expected an integer in 0.." +
                      std::to_string(k - 1));
    double zmax = static_cast<double>(*std::max_element(z, z + k));
    double se = 0;
    for (int c = 0; c < k; ++c) se += std::exp(static_cast<double>(z[c]) - zmax);
    const double lse = zmax + std::log(se);
    sum += lse - static_cast<double>(z[y]);
    if (grad) {
      T* gz = grad->ptr() + static_cast<std::size_t>(i) * k;
      for (int c = 0; c < k; ++c) {
        const double p = std::exp(static_cast<double>(z[c]) - lse);
        gz[c] = static_cast<T>((p - (c == y ? 1.0 : 0.0)) * inv_n);
      }
    }
  }
  return sum * inv_n;
}

}  // namespace

template <typename T>
double compute_loss(LossKind kind, const Tensor<T>& out, const Tensor<float>& target,
                    Tensor<T>* grad) {
  switch (kind) {
    case LossKind::MSE:
      return elementwise_loss(true, out, target, grad);
    case LossKind::L1:
      return elementwise_loss(false, out, target, grad);
    case LossKind::CrossEntropy:
      return cross_entropy(out, target, grad);
  }
  NAC_ASSERT(false);
}

template double compute_loss<float>(LossKind, const Tensor<float>&, const Tensor<float>&,
                                    Tensor<float>*);
template double compute_loss<double>(LossKind, const Tensor<double>&, const Tensor<float>&,
                                     Tensor<double>*);

}  // namespace nac
