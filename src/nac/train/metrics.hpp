#pragma once
// The task metric a run is judged by: one entry point that turns predictions into a flat map of
// named values plus the one `score` that early stopping, plateau schedules and the search watch.
#include <map>
#include <string>
#include <vector>

#include "nac/core/tensor.hpp"

namespace nac {

enum class MetricKind {
  Loss,            // score = the loss (lower is better)
  PeakDistance,    // score = mean distance in pixels (lower); also median_px, p75_px, p95_px
  Classification,  // score = accuracy (higher); also mean_auc, auc_<class>, rejection_<class>
};

const char* metric_name(MetricKind k);
// Throws InputError naming `where` (loss, peak_distance, classification).
MetricKind metric_from_name(const std::string& name, const std::string& where);

struct MetricOptions {
  MetricKind kind = MetricKind::Loss;
  double patch_size = 11;                // peak_distance: pixels per unit of the normalised targets
  double signal_efficiency = 0.5;        // classification: where background rejection is read
  std::vector<std::string> class_names;  // classification: names for the per-class keys
};

struct MetricValues {
  std::map<std::string, double> values;  // always has "loss"
  std::string score_name;                // the key of the watched value
  double score = 0;
  bool maximize = false;  // whether a larger score is better
};

// Whether `kind`'s score is better when larger.
bool metric_maximizes(MetricKind kind);

// `loss` is the mean loss over the same samples (computed by the caller).
MetricValues compute_metrics(const MetricOptions& opt, const Tensor<float>& pred,
                             const Tensor<float>& target, double loss);

// True when `a` is strictly better than `b` for a score of this direction (NaN is never better).
inline bool score_better(double a, double b, bool maximize) { return maximize ? a > b : a < b; }

}  // namespace nac
