#pragma once
// Shared by `nac predict` and `nac eval`: the model and data options, loading a data file for a
// model (the model's input normalisation applied, shapes checked) and running the model in float
// or through the fixed-point emulator.
#include <string>

#include <CLI/CLI.hpp>

#include "nac/data/dataset.hpp"
#include "nac/graph/model_file.hpp"

namespace nac::cli {

struct ModelDataArgs {
  std::string model;
  std::string data;
  std::string x_key = "x";
  std::string y_key = "y";
  std::string y_path;
  std::string label_column;
  bool emulate = false;
  int batch = 1024;
};

void add_model_data_options(CLI::App* cmd, ModelDataArgs& a);

// The classification/regression kind recorded in the model's metadata.
TaskKind model_task(const Model& m);

// Inputs only (labels are not needed): .h5/.hdf5 (x_key), .npy, .csv (every column but the
// label columns, when named). Normalised for the model and shape-checked. Throws DataError.
Tensor<float> load_inputs(const ModelDataArgs& a, const Model& m);
// Inputs and targets through load_dataset; inputs normalised and shape-checked.
Dataset load_labelled(const ModelDataArgs& a, const Model& m);

// Model outputs [N, ...output shape]: the float graph, or the emulator (`emulate`), which then
// also reports the number of overflowing conversions in `overflows`.
Tensor<float> run_model(const Model& m, const Tensor<float>& x, bool emulate, int batch,
                        long long* overflows = nullptr);

}  // namespace nac::cli
