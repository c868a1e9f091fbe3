#include "nac/data/augment.hpp"

#include <algorithm>
#include <string>
#include <vector>

#include "nac/core/error.hpp"

namespace nac {

void random_shift(Tensor<float>& x_batch, Tensor<float>& y_batch, int max_shift, Rng& rng) {
  const int rank = x_batch.rank();
  if ((rank != 3 && rank != 4) || y_batch.rank() != 2 || y_batch.dim(1) != 2 ||
      y_batch.dim(0) != x_batch.dim(0))
    throw InputError("random_shift expects images [B, H, W(, C)] and labels [B, 2]; got " +
                     shape_str(x_batch.shape) + " and " + shape_str(y_batch.shape));
  if (max_shift < 0) throw InputError("random_shift: max_shift must be >= 0");
  if (max_shift == 0) return;
  const int b = x_batch.dim(0), h = x_batch.dim(1), w = x_batch.dim(2);
  const int c = rank == 4 ? x_batch.dim(3) : 1;
  const auto image = static_cast<std::size_t>(h * w * c);
  std::vector<float> src(image);
  const auto span = static_cast<std::uint64_t>(2 * max_shift + 1);
  for (int i = 0; i < b; ++i) {
    const int dx = static_cast<int>(rng.below(span)) - max_shift;
    const int dy = static_cast<int>(rng.below(span)) - max_shift;
    float* img = x_batch.ptr() + static_cast<std::size_t>(i) * image;
    std::copy_n(img, image, src.begin());
    std::fill_n(img, image, 0.0f);
    for (int r = std::max(0, dy); r < std::min(h, h + dy); ++r) {
      const int c0 = std::max(0, dx), c1 = std::min(w, w + dx);
      if (c0 >= c1) continue;
      std::copy_n(src.begin() + static_cast<std::ptrdiff_t>(((r - dy) * w + (c0 - dx)) * c),
                  (c1 - c0) * c, img + static_cast<std::ptrdiff_t>((r * w + c0) * c));
    }
    y_batch.data[2 * static_cast<std::size_t>(i)] += static_cast<float>(dx) / static_cast<float>(w);
    y_batch.data[2 * static_cast<std::size_t>(i) + 1] +=
        static_cast<float>(dy) / static_cast<float>(h);
  }
}

}  // namespace nac
