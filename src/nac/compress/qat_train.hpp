#pragma once
// One quantization-aware training run of an annotated graph, as every compression stage uses
// it: exact accumulators for the current weights (widened for headroom while the weights move),
// QAT training, then exact accumulators for the trained weights again, so the result is ready for
// the emulator (chain link 1 holds).
#include <functional>

#include "nac/compress/precision.hpp"
#include "nac/compress/rewind.hpp"
#include "nac/train/task_data.hpp"
#include "nac/train/trainer.hpp"

namespace nac {

struct QatTrainHooks {
  Trainer::Augmentation augmentation;
  Trainer::EpochCallback on_epoch;  // progress; returning false stops training
  // When set, receives the weights after epoch `rewind_epoch` (0: before training; the last
  // weights when training stops earlier).
  WeightSnapshot* rewind = nullptr;
  int rewind_epoch = 0;
};

// Trains `g` in place with `opt` (qat forced on). A run that diverges before its first epoch
// finishes leaves `g`'s weights as they were; with opt.restore_best, so does a run none of whose
// epochs beats the starting weights' validation score (r.message says so, r.best holds theirs).
TrainResult qat_train(Graph& g, const PrecisionSpec& spec, TrainOptions opt, const TaskData& data,
                      const QatTrainHooks& hooks = {});

// Accumulator headroom (integer bits) during training.
inline constexpr int kTrainingAccumHeadroom = 4;

}  // namespace nac
