#include "nac/data/split.hpp"

#include <cmath>
#include <numeric>
#include <string>

#include "nac/core/error.hpp"
#include "nac/core/rng.hpp"

namespace nac {

DataSplit split_dataset(const Dataset& d, double val_fraction, double test_fraction,
                        std::uint64_t seed, bool shuffle) {
  if (!(val_fraction >= 0 && val_fraction < 1 && test_fraction >= 0 && test_fraction < 1))
    throw InputError("split fractions must be in [0, 1); got val " + std::to_string(val_fraction) +
                     ", test " + std::to_string(test_fraction));
  const int n = d.size();
  const auto n_val = static_cast<int>(std::lround(n * val_fraction));
  const auto n_test = static_cast<int>(std::lround(n * test_fraction));
  const int n_train = n - n_val - n_test;
  if (n_train < 1)
    throw InputError("split of " + d.source + " (" + std::to_string(n) + " samples) with val " +
                     std::to_string(val_fraction) + " and test " + std::to_string(test_fraction) +
                     " leaves no training sample");
  std::vector<int> order;
  if (shuffle) {
    Rng rng(seed);
    order = rng.permutation(n);
  } else {
    order.resize(static_cast<std::size_t>(n));
    std::iota(order.begin(), order.end(), 0);
  }
  const auto part = [&](int begin, int count) {
    return d.subset(std::vector<int>(order.begin() + begin, order.begin() + begin + count));
  };
  return {part(0, n_train), part(n_train, n_val), part(n_train + n_val, n_test)};
}

}  // namespace nac
