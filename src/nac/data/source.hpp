#pragma once
// Where a dataset comes from: a file (HDF5, .npy, CSV) or a built-in generator, and the one
// entry point that loads any of them into a validated Dataset (docs/DATA.md).
#include <cstdint>
#include <string>
#include <vector>

#include "nac/data/bragg.hpp"
#include "nac/data/dataset.hpp"

namespace nac {

struct DataSource {
  std::string path;                  // .h5/.hdf5, .npy or .csv file; empty when `generator` is set
  std::string generator;             // "bragg" (built-in); empty when `path` is set
  std::string x_key = "x";           // HDF5 dataset name of the inputs
  std::string y_key = "y";           // HDF5 dataset name of the targets
  std::string y_path;                // .npy: the labels file (path is the inputs file)
  std::vector<std::string> columns;  // CSV: feature columns (empty = all but the label)
  std::string label_column;  // CSV: the label / target column(s) (comma separated for several)
  TaskKind task = TaskKind::Regression;
  long long samples = 0;   // generator: number of samples
  std::uint64_t seed = 0;  // generator seed
  BraggOptions bragg;
  // Rank-3 inputs [N, H, W] are single-channel images and become [N, H, W, 1]; false keeps them
  // as [N, n, F] (sets, e.g. jet constituents).
  bool rank3_is_image = true;
};

// Dispatches by generator name or file extension (case-insensitive) and validates the result:
// non-empty, finite, inputs and targets of the same N, classification labels integers 0..k-1
// (or one-hot rows), regression targets [N, targets]. Throws DataError naming the file.
Dataset load_dataset(const DataSource& src);

// Turns raw arrays into a validated Dataset (shared by every loader); `x_where` / `y_where` name
// the inputs and targets in messages (a file, or "file: dataset 'x'"); source = x_where.
Dataset make_dataset(Tensor<float> x, Tensor<float> y, TaskKind task, const std::string& x_where,
                     const std::string& y_where, bool rank3_is_image = true);

}  // namespace nac
