#pragma once
// The quantised constants of a node (docs/QUANTIZATION.md), computed one way for every backend:
// weight and bias mantissas (masked entries 0), batchnorm's scale and shift, leaky_relu's slope.
#include <cmath>
#include <cstdint>
#include <vector>

#include "nac/core/fixed.hpp"
#include "nac/graph/node.hpp"

namespace nac {

// Mantissas of values[i] in f; 0 where mask[i] == 0 (mask may be null). NaN throws InputError.
template <typename T>
std::vector<std::int64_t> quantize_values(const T* values, const std::uint8_t* mask, std::size_t n,
                                          const FixedFormat& f) {
  std::vector<std::int64_t> m(n);
  for (std::size_t i = 0; i < n; ++i)
    m[i] = mask && !mask[i] ? 0 : quantize(static_cast<double>(values[i]), f);
  return m;
}

// A parameter of the graph in format f, masks honoured.
inline std::vector<std::int64_t> quantize_param(const Param& p, const FixedFormat& f) {
  return quantize_values(p.value.ptr(), p.mask.empty() ? nullptr : p.mask.data(), p.value.size(),
                         f);
}

// Batchnorm in inference as y = x * scale + shift, per feature, in double from the parameters
// (gamma, beta, running_mean, running_var) and eps.
struct BatchNormAffine {
  std::vector<double> scale, shift;
};

template <typename T>
BatchNormAffine batchnorm_affine(const T* gamma, const T* beta, const T* mean, const T* var,
                                 std::size_t n, double eps) {
  BatchNormAffine a;
  a.scale.resize(n);
  a.shift.resize(n);
  for (std::size_t j = 0; j < n; ++j) {
    a.scale[j] = static_cast<double>(gamma[j]) / std::sqrt(static_cast<double>(var[j]) + eps);
    a.shift[j] = static_cast<double>(beta[j]) - static_cast<double>(mean[j]) * a.scale[j];
  }
  return a;
}

inline BatchNormAffine batchnorm_affine(const Node& n) {
  const auto& g = n.param("gamma").value;
  return batchnorm_affine(g.ptr(), n.param("beta").value.ptr(), n.param("running_mean").value.ptr(),
                          n.param("running_var").value.ptr(), g.size(), n.attr_float("eps", 1e-5));
}

}  // namespace nac
