#pragma once
// Reading named datasets from HDF5 files through the HDF5 C library: any rank, any integer or
// floating-point element type, converted to float by the library.
#include <string>
#include <vector>

#include "nac/core/tensor.hpp"

namespace nac {

// Reads dataset `name` (a path such as "x" or "group/x") as float. Throws DataError naming the
// file and dataset for a missing file or dataset, a non-numeric type, or a scalar dataspace.
Tensor<float> read_hdf5_dataset(const std::string& path, const std::string& name);

// The names of the datasets directly under the root group (for error messages and `nac info`).
std::vector<std::string> hdf5_dataset_names(const std::string& path);

}  // namespace nac
