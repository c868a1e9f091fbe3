#pragma once
// A dense, row-major tensor. Activations are batch-first and channels-last: a batch of images is
// [N, H, W, C], a batch of sets is [N, n, F], a batch of vectors is [N, F].
#include <cstddef>
#include <numeric>
#include <string>
#include <vector>

#include "nac/core/error.hpp"

namespace nac {

using Shape = std::vector<int>;

inline std::size_t shape_size(const Shape& s) {
  std::size_t n = 1;
  for (int d : s) n *= static_cast<std::size_t>(d);
  return n;
}

std::string shape_str(const Shape& s);

template <typename T>
struct Tensor {
  Shape shape;
  std::vector<T> data;

  Tensor() = default;
  explicit Tensor(Shape s, T fill = T(0)) : shape(std::move(s)), data(shape_size(shape), fill) {}

  std::size_t size() const { return data.size(); }
  T* ptr() { return data.data(); }
  const T* ptr() const { return data.data(); }
  T& operator[](std::size_t i) { return data[i]; }
  const T& operator[](std::size_t i) const { return data[i]; }
  int dim(int i) const { return shape.at(static_cast<std::size_t>(i)); }
  int rank() const { return static_cast<int>(shape.size()); }

  // Re-shapes (and re-sizes when needed) without promising to keep the contents.
  void resize(const Shape& s) {
    shape = s;
    data.resize(shape_size(s));
  }
  void zero() { std::fill(data.begin(), data.end(), T(0)); }
};

// The same tensor in another scalar type.
template <typename To, typename From>
Tensor<To> tensor_cast(const Tensor<From>& t) {
  Tensor<To> r;
  r.shape = t.shape;
  r.data.assign(t.data.begin(), t.data.end());
  return r;
}

}  // namespace nac
