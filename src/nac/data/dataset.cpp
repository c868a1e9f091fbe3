#include "nac/data/dataset.hpp"

#include <algorithm>

namespace nac {
namespace {

Tensor<float> take_rows(const Tensor<float>& t, const std::vector<int>& idx) {
  Tensor<float> r;
  r.shape = t.shape;
  r.shape[0] = static_cast<int>(idx.size());
  const std::size_t row = t.size() / static_cast<std::size_t>(t.dim(0));
  r.data.resize(row * idx.size());
  for (std::size_t i = 0; i < idx.size(); ++i)
    std::copy_n(
        t.data.begin() + static_cast<std::ptrdiff_t>(row * static_cast<std::size_t>(idx[i])), row,
        r.data.begin() + static_cast<std::ptrdiff_t>(row * i));
  return r;
}

}  // namespace

Dataset Dataset::subset(const std::vector<int>& idx) const {
  Dataset d = *this;
  d.x = take_rows(x, idx);
  d.y = take_rows(y, idx);
  return d;
}

}  // namespace nac
