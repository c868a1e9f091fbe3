#include "nac/train/task_data.hpp"

#include <numeric>

#include "nac/data/augment.hpp"
#include "nac/data/split.hpp"
#include "nac/data/standardize.hpp"

namespace nac {

TaskData prepare_task_data(const DataOptions& opt, long long max_train_samples) {
  const Dataset all = load_dataset(opt.source);
  DataSplit s =
      split_dataset(all, opt.val_fraction, opt.test_fraction, opt.split_seed, opt.shuffle);
  TaskData d{std::move(s.train), std::move(s.val), std::move(s.test), {}};
  if (max_train_samples > 0 && max_train_samples < d.train.size()) {
    std::vector<int> keep(static_cast<std::size_t>(max_train_samples));
    std::iota(keep.begin(), keep.end(), 0);
    d.train = d.train.subset(keep);
  }
  if (opt.standardize) {
    d.normalization = fit_standardization(d.train, opt.standardize_per_feature);
    for (Dataset* part : {&d.train, &d.val, &d.test})
      if (part->size() > 0) apply_normalization(d.normalization, *part);
  }
  return d;
}

Trainer::Augmentation make_augmentation(const DataOptions& opt) {
  if (opt.augment_shift <= 0) return {};
  const int shift = opt.augment_shift;
  return [shift](Tensor<float>& x, Tensor<float>& y, Rng& rng) { random_shift(x, y, shift, rng); };
}

}  // namespace nac
