#pragma once
// Classification metrics: accuracy, per-class one-vs-rest ROC AUC, and background rejection at a
// fixed signal efficiency (the physics convention).
//
// For class c the score of a sample is its softmax probability of c; signal = samples of class c,
// background = the rest. The ROC curve has one vertex per distinct score (ties move together),
// from (FPR, TPR) = (0, 0). The background rejection at signal efficiency e is 1 / FPR(e), where
// FPR(e) is the curve interpolated linearly at TPR = e between the last vertex below e and the
// first vertex at or above it (sklearn's roc_curve + np.interp). A zero FPR gives +infinity.
#include <cstdint>
#include <string>
#include <vector>

#include "nac/core/tensor.hpp"

namespace nac {

// Exact, tie-aware AUC: (sum of the positives' mid-ranks - P(P+1)/2) / (P N) = the probability
// that a random positive scores above a random negative, ties counting one half. NaN when either
// class is empty.
double roc_auc(const std::vector<double>& scores, const std::vector<std::uint8_t>& positive);

// 1 / FPR at TPR = signal_efficiency as described above. NaN when either class is empty.
double background_rejection(const std::vector<double>& scores,
                            const std::vector<std::uint8_t>& positive, double signal_efficiency);

struct ClassificationStats {
  double accuracy = 0;
  std::vector<double> auc;        // per class
  std::vector<double> rejection;  // per class, at `signal_efficiency`
  double mean_auc = 0;            // over the classes whose AUC is defined
};

// logits [N, K], labels [N] (class indices). Accuracy uses the arg-max (the first on ties).
ClassificationStats classification_stats(const Tensor<float>& logits, const Tensor<float>& labels,
                                         double signal_efficiency = 0.5);

}  // namespace nac
