#pragma once
// A compression config: a task config (data, train, metric; `model:` optional and unused, the
// model comes from the model file) plus a `compress:` section (docs/COMPRESSION.md):
//
//   compress:
//     precisions: [16, 12, 10, 8, 7, 6, 5, 4]  # total bits; or {bits: 8, integer: 3}, or
//                                              # {name: mixed, bits: 8, layers: {conv1: 6,
//                                              #   dense3: {weight: "fixed<4,1>"}}}
//     rounding: RND            # weights, results, intermediates (a core/fixed rounding mode)
//     overflow: SAT            # WRAP | SAT | SAT_ZERO | SAT_SYM
//     input_bits: 0            # 0: the input's group width
//     table_bits: 16           # softmax / attention exp and 1/sum tables
//     calibration_samples: 2048
//     epochs: 5                # QAT epochs, and re-training epochs after each pruning round
//     lr: 0                    # learning rate of every QAT run; 0: a tenth of train.lr (QAT
//                              # fine-tunes a trained model)
//     rounds: 5                # pruning rounds
//     fraction: 0.2            # of the remaining weights removed per round
//     structured: false        # true: whole neurons / output channels
//     norm: l1                 # structured ranking: l1 | l2
//     scope: global            # global | layer
//     rewind_epoch: off        # off, or the QAT epoch whose weights each round rewinds to
//                              # (0 = the float weights QAT starts from)
//     study: NAME              # default: the config's name
//     layer_search: off        # or {trials: 16, widths: [4, 6, 8], sampler: nsga2,
//                              #     population: 8, epochs: 2, keep: 2, seed: 0}
//     recipe_search: off       # or {trials: 8, sampler: random, population: 4, epochs: 2,
//                              #     bits: 8, seed: 0, lr: [1e-4, 1e-2], weight_decay: [0, 1e-5],
//                              #     schedule: [constant, cosine], batch: [128, 256]}
//
// Every error names file:line:key.
#include <cstdint>
#include <string>
#include <vector>

#include "nac/compress/precision.hpp"
#include "nac/compress/prune.hpp"
#include "nac/config/train_config.hpp"

namespace nac {

struct LayerSearchOptions {
  int trials = 0;  // 0 = off
  std::vector<int> widths = {4, 6, 8};
  std::string sampler = "nsga2";  // nsga2 | random
  int population = 8;
  int epochs = 0;  // QAT epochs per candidate; 0 = compress.epochs
  int keep = 2;    // front points that join the sweep
  std::uint64_t seed = 0;
};

struct RecipeSearchOptions {
  int trials = 0;  // 0 = off
  std::string sampler = "random";
  int population = 4;
  int epochs = 0;  // QAT epochs per candidate; 0 = compress.epochs
  int bits = 8;    // the uniform precision candidates are judged at
  std::uint64_t seed = 0;
  double lr_low = 0, lr_high = 0;  // 0: a decade either side of train.lr
  std::vector<double> weight_decay = {0.0, 1e-6, 1e-5, 1e-4};
  std::vector<std::string> schedule = {"constant", "cosine"};
  std::vector<std::int64_t> batch = {64, 128, 256};
};

struct CompressOptions {
  std::vector<PrecisionSpec> precisions;
  QuantizeOptions quant;
  int calibration_samples = 2048;
  int epochs = 5;
  double lr = 0;  // 0: train.lr / 10
  int rounds = 5;
  PruneOptions prune;
  int rewind_epoch = -1;  // -1 = off
  std::string study;
  LayerSearchOptions layer_search;
  RecipeSearchOptions recipe_search;
  std::string where;  // "file:line: compress"

  // The settings that shape the points (precisions, pruning, epochs), as canonical JSON: a
  // compression store is only resumed with the same settings.
  std::string fingerprint() const;
};

struct CompressConfig {
  TrainConfig task;  // task.model is empty when the file has no `model:`
  CompressOptions compress;
};

CompressConfig load_compress_config(const std::string& path);
CompressConfig parse_compress_config(const std::string& text, const std::string& path);

// The default sweep: 16, 12, 10, 8, 7, 6, 5, 4 total bits.
std::vector<PrecisionSpec> default_precisions();

}  // namespace nac
