#pragma once
// Training-time augmentation.
#include "nac/core/rng.hpp"
#include "nac/core/tensor.hpp"

namespace nac {

// BraggNN's random crop shift: each image of x_batch [B, H, W] or [B, H, W, C] is shifted by
// integer offsets (dx, dy) drawn uniformly from [-max_shift, max_shift] (content moves right /
// down for positive offsets; zero fill at the edge), and its label row (x, y) in y_batch [B, 2]
// (centre / patch size) moves by (dx / W, dy / H). Throws InputError for other shapes.
void random_shift(Tensor<float>& x_batch, Tensor<float>& y_batch, int max_shift, Rng& rng);

}  // namespace nac
