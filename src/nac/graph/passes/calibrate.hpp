#pragma once
// calibrate: runs the float model (inference mode) on a data sample and records the observed
// range of every node's output ("result") and of conv_attn's intermediates ("q", "k", "v",
// "score", "attn", "attend", "proj", "residual"), for quantize_graph's integer bits: the
// extremes, and a histogram of magnitudes for the rule that weighs clipping against resolution.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <string>
#include <vector>

#include "nac/core/tensor.hpp"
#include "nac/graph/graph.hpp"

namespace nac {

// Magnitudes |v| by octave, kSub bins per octave (linear within it), octaves 2^(e-1)..2^e for
// e in [kMinExp, kMaxExp); smaller magnitudes (and 0, inf, NaN) count in `tiny`, larger ones in
// the top bin.
struct MagnitudeHistogram {
  static constexpr int kSub = 8, kMinExp = -40, kMaxExp = 40;
  static constexpr int kBins = (kMaxExp - kMinExp) * kSub;
  std::vector<std::uint64_t> counts;  // kBins entries once a value arrived
  std::uint64_t tiny = 0;
  void add(double v) {
    int e = 0;
    const double m = std::frexp(std::fabs(v), &e);  // |v| = m 2^e, m in [0.5, 1)
    if (!(m > 0 && m < 1) || e < kMinExp) {         // 0, tiny, or not finite
      ++tiny;
      return;
    }
    if (counts.empty()) counts.assign(kBins, 0);
    const int sub = std::min(kSub - 1, static_cast<int>((m - 0.5) * 2 * kSub));
    ++counts[static_cast<std::size_t>(std::min(kBins - 1, (e - kMinExp) * kSub + sub))];
  }
  // The magnitude bin i stands for (its middle).
  static double value(int i) {
    return std::ldexp(0.5 + (i % kSub + 0.5) / (2.0 * kSub), i / kSub + kMinExp);
  }
};

struct ValueRange {
  double min = std::numeric_limits<double>::infinity();
  double max = -std::numeric_limits<double>::infinity();
  MagnitudeHistogram magnitudes;
  bool empty() const { return min > max; }
  void add(double v) {
    min = v < min ? v : min;
    max = v > max ? v : max;
    magnitudes.add(v);
  }
  double max_abs() const { return empty() ? 0.0 : (-min > max ? -min : max); }
};

struct CalibrationStats {
  std::map<std::string, std::map<std::string, ValueRange>> ranges;  // node -> key -> range
  int samples = 0;
  // nullptr when absent.
  const ValueRange* find(const std::string& node, const std::string& key) const;
};

// x [N, ...input shape] in model space. Throws InputError for a wrong shape or an empty sample.
CalibrationStats calibrate(const Graph& g, const Tensor<float>& x, int batch_size = 512);

}  // namespace nac
