#pragma once
// A task's data, ready to train on: loaded or generated, split, optionally capped and
// standardised (the normalisation is fitted on the training split only and applied to all three).
#include <cstdint>

#include "nac/data/source.hpp"
#include "nac/graph/model_file.hpp"
#include "nac/train/trainer.hpp"

namespace nac {

struct DataOptions {
  DataSource source;
  double val_fraction = 0.1;
  double test_fraction = 0.1;
  bool shuffle = true;  // false: split by index (train first, then val, then test)
  std::uint64_t split_seed = 0;
  bool standardize = false;
  bool standardize_per_feature = true;  // per feature of the last axis; false: per element
  int augment_shift = 0;                // random +-shift pixels on training images; 0 = off
};

struct TaskData {
  Dataset train, val, test;
  InputNormalization normalization;  // empty unless standardize
};

// max_train_samples > 0 keeps only the first that many training samples (quick runs).
TaskData prepare_task_data(const DataOptions& opt, long long max_train_samples = 0);

// The training augmentation the options ask for (BraggNN's random shift), or an empty function.
Trainer::Augmentation make_augmentation(const DataOptions& opt);

}  // namespace nac
