#include "nac/train/classification_metrics.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "nac/core/error.hpp"

namespace nac {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

void check_sizes(const std::vector<double>& scores, const std::vector<std::uint8_t>& positive) {
  NAC_ASSERT(scores.size() == positive.size());
}

// Indices sorted by descending score.
std::vector<std::size_t> descending(const std::vector<double>& scores) {
  std::vector<std::size_t> idx(scores.size());
  std::iota(idx.begin(), idx.end(), std::size_t{0});
  std::stable_sort(idx.begin(), idx.end(),
                   [&](std::size_t a, std::size_t b) { return scores[a] > scores[b]; });
  return idx;
}

}  // namespace

double roc_auc(const std::vector<double>& scores, const std::vector<std::uint8_t>& positive) {
  check_sizes(scores, positive);
  std::vector<std::size_t> idx(scores.size());
  std::iota(idx.begin(), idx.end(), std::size_t{0});
  std::stable_sort(idx.begin(), idx.end(),
                   [&](std::size_t a, std::size_t b) { return scores[a] < scores[b]; });
  double pos_rank_sum = 0, n_pos = 0;
  for (std::size_t i = 0; i < idx.size();) {
    std::size_t j = i;
    while (j < idx.size() && scores[idx[j]] == scores[idx[i]]) ++j;
    const double mid_rank = (static_cast<double>(i + 1) + static_cast<double>(j)) / 2.0;
    for (std::size_t k = i; k < j; ++k)
      if (positive[idx[k]]) {
        pos_rank_sum += mid_rank;
        n_pos += 1;
      }
    i = j;
  }
  const double n_neg = static_cast<double>(scores.size()) - n_pos;
  if (n_pos == 0 || n_neg == 0) return kNaN;
  return (pos_rank_sum - n_pos * (n_pos + 1) / 2.0) / (n_pos * n_neg);
}

double background_rejection(const std::vector<double>& scores,
                            const std::vector<std::uint8_t>& positive, double signal_efficiency) {
  check_sizes(scores, positive);
  double n_pos = 0;
  for (auto p : positive) n_pos += p ? 1 : 0;
  const double n_neg = static_cast<double>(scores.size()) - n_pos;
  if (n_pos == 0 || n_neg == 0) return kNaN;
  const auto idx = descending(scores);
  double tpr_prev = 0, fpr_prev = 0, tp = 0, fp = 0;
  double fpr = 1;
  for (std::size_t i = 0; i < idx.size();) {
    std::size_t j = i;
    for (; j < idx.size() && scores[idx[j]] == scores[idx[i]]; ++j)
      (positive[idx[j]] ? tp : fp) += 1;
    i = j;
    const double tpr = tp / n_pos, fpr_now = fp / n_neg;
    if (tpr >= signal_efficiency) {
      fpr = tpr == tpr_prev ? fpr_now
                            : fpr_prev + (signal_efficiency - tpr_prev) * (fpr_now - fpr_prev) /
                                             (tpr - tpr_prev);
      break;
    }
    tpr_prev = tpr;
    fpr_prev = fpr_now;
  }
  return fpr > 0 ? 1.0 / fpr : std::numeric_limits<double>::infinity();
}

ClassificationStats classification_stats(const Tensor<float>& logits, const Tensor<float>& labels,
                                         double signal_efficiency) {
  if (logits.rank() != 2 || labels.size() != static_cast<std::size_t>(logits.dim(0)))
    throw InputError("classification metrics: expects logits [N, classes] and labels [N], got " +
                     shape_str(logits.shape) + " and " + shape_str(labels.shape));
  const int n = logits.dim(0), k = logits.dim(1);
  std::vector<std::vector<double>> prob(static_cast<std::size_t>(k),
                                        std::vector<double>(static_cast<std::size_t>(n)));
  std::vector<int> label(static_cast<std::size_t>(n));
  double correct = 0;
  for (int i = 0; i < n; ++i) {
    const float* z = logits.ptr() + static_cast<std::size_t>(i) * k;
    const int y = static_cast<int>(labels[static_cast<std::size_t>(i)]);
    if (y < 0 || y >= k)
      throw DataError("classification metrics: sample " + std::to_string(i) + " has label " +
                      std::to_string(y) + ", expected 0.." + std::to_string(k - 1));
    label[static_cast<std::size_t>(i)] = y;
    const int arg = static_cast<int>(std::max_element(z, z + k) - z);
    correct += arg == y ? 1 : 0;
    const double zmax = z[arg];
    double se = 0;
    for (int c = 0; c < k; ++c) se += std::exp(static_cast<double>(z[c]) - zmax);
    for (int c = 0; c < k; ++c)
      prob[static_cast<std::size_t>(c)][static_cast<std::size_t>(i)] =
          std::exp(static_cast<double>(z[c]) - zmax) / se;
  }
  ClassificationStats s;
  s.accuracy = n ? correct / n : kNaN;
  double auc_sum = 0;
  int auc_count = 0;
  for (int c = 0; c < k; ++c) {
    std::vector<std::uint8_t> pos(static_cast<std::size_t>(n));
    for (std::size_t i = 0; i < pos.size(); ++i) pos[i] = label[i] == c ? 1 : 0;
    const auto& sc = prob[static_cast<std::size_t>(c)];
    s.auc.push_back(roc_auc(sc, pos));
    s.rejection.push_back(background_rejection(sc, pos, signal_efficiency));
    if (!std::isnan(s.auc.back())) {
      auc_sum += s.auc.back();
      ++auc_count;
    }
  }
  s.mean_auc = auc_count ? auc_sum / auc_count : kNaN;
  return s;
}

}  // namespace nac
