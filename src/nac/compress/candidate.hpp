#pragma once
// What every compression stage shares: the task's data, the float model (batchnorms folded) and
// its calibration, and one evaluation of a precision: quantise the float model, QAT-train it,
// judge it with the emulator.
#include <atomic>
#include <string>

#include "nac/compress/precision.hpp"
#include "nac/compress/qat_train.hpp"
#include "nac/graph/passes/calibrate.hpp"
#include "nac/search/objective.hpp"
#include "nac/train/task_data.hpp"

namespace nac {

struct CompressContext {
  const TaskData& data;
  const Graph& float_graph;  // batchnorms folded
  const CalibrationStats& stats;
  QuantizeOptions quant;
  Trainer::Augmentation augmentation;
  const std::atomic<bool>& stop;
};

struct Candidate {
  Graph graph;  // quantised, trained, exact accumulators
  TrainResult train;
  MetricValues metrics;  // validation, from the emulator
  bool interrupted = false;
};

// `progress` sees every epoch (it need not check `stop`: training stops when it turns true).
Candidate evaluate_candidate(const CompressContext& ctx, const PrecisionSpec& spec,
                             const TrainOptions& opt,
                             const Trainer::EpochCallback& progress = nullptr);

// The validation score's key for a metric kind (mean_px, accuracy, loss) and its objective
// ("val_mean_px", minimised; "val_accuracy", maximised).
std::string score_key(MetricKind kind);
Objective score_objective(MetricKind kind);

// A number as trial attributes store it (shortest round-trip form).
std::string attr_num(double v);

}  // namespace nac
