#pragma once
// The `data:` section of a task config -> DataOptions.
//
//   data:
//     generator: bragg          # built-in generator, or
//     path: jets.csv            # a file (.h5/.hdf5, .npy, .csv), relative to the config file
//     samples: 20000            # generator: number of samples
//     seed: 1                   # generator seed
//     patch: 11                 # bragg: patch side; more in `bragg: {sigma_min: ..., ...}`
//     x_key: x                  # HDF5 dataset names
//     y_key: y
//     y_path: labels.npy        # .npy: the labels file
//     columns: [a, b]           # CSV feature columns (default: all but the label)
//     label_column: label       # CSV label / target column(s)
//     task: classification      # regression | classification (files; bragg is regression)
//     sets: false               # rank-3 inputs are sets [N, n, F], not images
//     split: {val: 0.1, test: 0.1, shuffle: true, seed: 0}
//     standardize: false        # true (per feature of the last axis) | per_element | false
//     augment: {shift: 1}       # BraggNN's random +-1 pixel shift of training patches
#include "nac/config/yaml_node.hpp"
#include "nac/train/task_data.hpp"

namespace nac {

// `base_dir` resolves relative file paths (the config file's directory). Throws InputError
// naming file:line:key.
DataOptions parse_data_options(const config::YamlNode& node, const std::string& base_dir);

}  // namespace nac
