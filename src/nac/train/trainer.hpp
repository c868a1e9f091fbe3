#pragma once
// The float training loop around Executor<float>: shuffled mini-batches, an optional augmentation
// hook, gradient clipping, an optimiser and a per-epoch schedule, pruning masks kept after every
// step, early stopping on the validation score (keeping the best weights), divergence detection,
// and a per-epoch callback that can stop the run. Single-threaded and deterministic: the same
// graph, options, data and seed give bit-identical weights.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "nac/core/rng.hpp"
#include "nac/data/dataset.hpp"
#include "nac/graph/graph.hpp"
#include "nac/train/executor.hpp"
#include "nac/train/loss.hpp"
#include "nac/train/metrics.hpp"
#include "nac/train/optimizer.hpp"
#include "nac/train/schedule.hpp"

namespace nac {

struct TrainOptions {
  OptimizerOptions optimizer;  // optimizer.lr is the base learning rate
  ScheduleOptions schedule;    // plateau's direction is set from the metric by the trainer
  LossKind loss = LossKind::MSE;
  MetricOptions metric;  // the validation score that early stopping and plateau watch
  int batch_size = 256;  // the last batch of an epoch may be smaller (PyTorch drop_last=False)
  int epochs = 50;
  int patience = 0;        // stop after this many epochs without a better score; 0 = never
  double clip_norm = 0;    // clip the global gradient norm to this (torch clip_grad_norm_); 0 = off
  std::uint64_t seed = 0;  // shuffling and augmentation streams
  int eval_batch_size = 1024;
  bool restore_best = true;  // end with the weights of the best validation epoch
};

// Throws InputError naming the option when out of range.
void validate(const TrainOptions& opt);

struct EpochStats {
  int epoch = 0;          // 1-based
  int epochs = 0;         // planned total
  double lr = 0;          // the learning rate used during this epoch
  double train_loss = 0;  // sample-weighted mean of the batch losses
  MetricValues val;       // validation metrics after this epoch
  bool improved = false;  // the best validation score so far
  double elapsed_s = 0;   // since fit() began
};

enum class TrainStatus {
  Completed,          // ran every epoch
  EarlyStopped,       // patience ran out
  StoppedByCallback,  // the epoch callback returned false (e.g. a pruned trial)
  Diverged,           // a non-finite training or validation loss
};

const char* train_status_name(TrainStatus s);

struct TrainResult {
  TrainStatus status = TrainStatus::Completed;
  std::string message;  // what diverged and where; empty otherwise
  int epochs_run = 0;
  int best_epoch = 0;  // 1-based; 0 when no epoch finished
  MetricValues best;   // validation metrics of the best epoch
  std::vector<EpochStats> history;
  double wall_s = 0;              // the whole fit(), validation included
  double train_s = 0;             // forward + backward + update only
  double samples_per_second = 0;  // training samples processed per second of train_s
  long long steps = 0;            // optimiser steps taken
};

class Trainer {
 public:
  // Called on every training batch after it is gathered (x [B, ...], y [B, ...]); may modify both.
  using Augmentation = std::function<void(Tensor<float>& x, Tensor<float>& y, Rng& rng)>;
  // Called after every epoch; returning false stops training (status StoppedByCallback).
  using EpochCallback = std::function<bool(const EpochStats&)>;

  // `graph` must be finalized with initialised parameters (its masks are honoured).
  Trainer(const Graph& graph, TrainOptions opt);

  void set_augmentation(Augmentation a) { augment_ = std::move(a); }
  void set_epoch_callback(EpochCallback cb) { callback_ = std::move(cb); }

  // Trains on `train`, validating on `val` (non-empty) after every epoch. Fresh optimiser and
  // schedule state on every call; the weights continue from the current ones.
  TrainResult fit(const Dataset& train, const Dataset& val);
  // Loss and metrics in inference mode, in batches of eval_batch_size.
  MetricValues evaluate(const Dataset& d);
  // Model outputs in inference mode, [N, ...output shape].
  Tensor<float> predict(const Tensor<float>& x);

  // The graph with the current weights (the best ones after fit() with restore_best).
  Graph graph() const;
  Executor<float>& executor() { return exec_; }
  const TrainOptions& options() const { return opt_; }

 private:
  using Snapshot = std::vector<std::vector<Tensor<float>>>;
  void check_data(const Dataset& d, const char* what) const;
  void clip_gradients();
  void restore(const Snapshot& s);

  Executor<float> exec_;
  TrainOptions opt_;
  Augmentation augment_;
  EpochCallback callback_;
};

}  // namespace nac
