#pragma once
// Input standardisation fitted on the training set and stored in the model file.
#include "nac/data/dataset.hpp"
#include "nac/graph/model_file.hpp"

namespace nac {

// mean and standard deviation of the training inputs, per feature of the last axis (channels
// of images, features of vectors and sets) or, with per_feature_last_axis = false, per element
// of the sample shape. A feature with (near-)zero spread gets scale 1 so it passes unscaled.
InputNormalization fit_standardization(const Dataset& train, bool per_feature_last_axis = true);

// x = (x - mean) / scale in place; throws InputError when the sizes do not fit the inputs.
void apply_normalization(const InputNormalization& n, Dataset& d);

}  // namespace nac
