#pragma once
// An in-memory dataset: inputs and targets, batch-first. Every loader and generator produces one.
#include <string>
#include <vector>

#include "nac/core/tensor.hpp"

namespace nac {

enum class TaskKind { Regression, Classification };

struct Dataset {
  Tensor<float> x;  // [N, ...sample shape]; images are channels-last [N, H, W, C]
  Tensor<float> y;  // regression: [N, targets]; classification: [N] class indices 0..k-1
  TaskKind task = TaskKind::Regression;
  int num_classes = 0;               // classification only
  std::vector<std::string> classes;  // optional class names
  std::string source;                // file or generator, for messages

  int size() const { return x.shape.empty() ? 0 : x.dim(0); }
  Shape sample_shape() const {
    return x.shape.empty() ? Shape{} : Shape(x.shape.begin() + 1, x.shape.end());
  }
  // The samples at `idx`, in that order.
  Dataset subset(const std::vector<int>& idx) const;
};

}  // namespace nac
