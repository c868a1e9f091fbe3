#pragma once
// Train / validation / test splits.
#include <cstdint>

#include "nac/data/dataset.hpp"

namespace nac {

struct DataSplit {
  Dataset train, val, test;
};

// Test gets round(N * test_fraction) samples, val round(N * val_fraction), train the rest, in
// that order of a seeded permutation (shuffle) or of the file order (shuffle = false, as BraggNN
// splits by index: train first, then val, then test). Throws InputError for fractions outside
// [0, 1) or leaving no training sample.
DataSplit split_dataset(const Dataset& d, double val_fraction, double test_fraction,
                        std::uint64_t seed, bool shuffle = true);

}  // namespace nac
