#include "nac/data/standardize.hpp"

#include <cmath>
#include <vector>

#include "nac/core/error.hpp"

namespace nac {

InputNormalization fit_standardization(const Dataset& train, bool per_feature_last_axis) {
  if (train.size() == 0 || train.x.rank() < 2)
    throw InputError("cannot fit a standardisation on the empty dataset " + train.source);
  const Shape sample = train.sample_shape();
  const std::size_t k =
      per_feature_last_axis ? static_cast<std::size_t>(sample.back()) : shape_size(sample);
  // Two passes in double: the mean first, then squared deviations (no cancellation).
  std::vector<double> sum(k, 0.0), sq(k, 0.0);
  std::vector<std::size_t> count(k, 0);
  for (std::size_t i = 0; i < train.x.size(); ++i) {
    sum[i % k] += train.x.data[i];
    ++count[i % k];
  }
  for (std::size_t f = 0; f < k; ++f) sum[f] /= static_cast<double>(count[f]);
  for (std::size_t i = 0; i < train.x.size(); ++i) {
    const double dev = train.x.data[i] - sum[i % k];
    sq[i % k] += dev * dev;
  }
  InputNormalization n;
  for (std::size_t f = 0; f < k; ++f) {
    const double sd = std::sqrt(sq[f] / static_cast<double>(count[f]));
    n.mean.push_back(static_cast<float>(sum[f]));
    n.scale.push_back(sd > 1e-12 * (1 + std::fabs(sum[f])) ? static_cast<float>(sd) : 1.0f);
  }
  return n;
}

void apply_normalization(const InputNormalization& n, Dataset& d) {
  if (n.empty() || d.size() == 0) return;
  normalize_inputs(n, d.sample_shape(), d.x.ptr(), d.x.size());
}

}  // namespace nac
