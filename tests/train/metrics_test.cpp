#include "nac/train/metrics.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "nac/core/error.hpp"
#include "nac/train/classification_metrics.hpp"
#include "nac/train/peak_metrics.hpp"

namespace nac {
namespace {

Tensor<float> tensor(Shape s, std::vector<float> v) {
  Tensor<float> t(std::move(s));
  t.data = std::move(v);
  return t;
}

TEST(PeakMetrics, DistancesInPixels) {
  // Normalised offsets (0,0), (0.1,0), (0,0.3), (0.3,0.4) at patch 10: 0, 1, 3, 5 pixels.
  const auto pred = tensor({4, 2}, {0.5f, 0.5f, 0.6f, 0.5f, 0.5f, 0.8f, 0.8f, 0.9f});
  const auto truth = tensor({4, 2}, {0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f});
  const auto s = peak_distance_stats(pred, truth, 10.0);
  EXPECT_EQ(s.count, 4);
  EXPECT_NEAR(s.mean, 2.25, 1e-6);
  EXPECT_NEAR(s.median, 2.0, 1e-6);  // (1 + 3) / 2
  EXPECT_NEAR(s.p75, 3.5, 1e-6);     // position 2.25: 3 + 0.25 * (5 - 3)
  EXPECT_NEAR(s.p95, 4.7, 1e-6);     // position 2.85: 3 + 0.85 * 2
}

TEST(PeakMetrics, PercentileEdgesAndShapes) {
  EXPECT_DOUBLE_EQ(percentile({7}, 95), 7);
  EXPECT_DOUBLE_EQ(percentile({4, 1, 3, 2}, 0), 1);
  EXPECT_DOUBLE_EQ(percentile({4, 1, 3, 2}, 100), 4);
  EXPECT_TRUE(std::isnan(percentile({}, 50)));
  EXPECT_THROW(peak_distance_stats(tensor({1, 3}, {0, 0, 0}), tensor({1, 3}, {0, 0, 0}), 11),
               InputError);
}

TEST(ClassificationMetrics, AucHandCases) {
  // sklearn's documented example: 0.75.
  EXPECT_DOUBLE_EQ(roc_auc({0.1, 0.4, 0.35, 0.8}, {0, 0, 1, 1}), 0.75);
  // Positives {0.5, 0.9} vs negatives {0.5, 0.2}: pairs 0.5 (tie), 1, 1, 1 -> 3.5 / 4.
  EXPECT_DOUBLE_EQ(roc_auc({0.5, 0.5, 0.2, 0.9}, {1, 0, 0, 1}), 0.875);
  EXPECT_DOUBLE_EQ(roc_auc({0.3, 0.3, 0.3}, {1, 0, 1}), 0.5);
  EXPECT_TRUE(std::isnan(roc_auc({0.1, 0.2}, {1, 1})));
}

TEST(ClassificationMetrics, RejectionHandCases) {
  // Descending: .9P .85N .8P .5N .4N .3P .2P .1N: TPR reaches 0.5 at FPR 0.25 exactly -> 4.
  EXPECT_DOUBLE_EQ(background_rejection({0.9, 0.8, 0.3, 0.2, 0.85, 0.5, 0.4, 0.1},
                                        {1, 1, 1, 1, 0, 0, 0, 0}, 0.5),
                   4.0);
  // Vertices (0,1/3), (1/3,1/3), then a tied P/N at 0.5 jumps to (2/3,2/3): linear interpolation
  // at TPR 0.5 gives FPR 0.5 -> rejection 2 (the first threshold reaching 0.5 would give 1.5).
  EXPECT_NEAR(background_rejection({0.9, 0.5, 0.2, 0.7, 0.5, 0.1}, {1, 1, 1, 0, 0, 0}, 0.5), 2.0,
              1e-12);
  // Perfect separation: FPR 0 at 50% efficiency.
  EXPECT_TRUE(std::isinf(background_rejection({0.9, 0.8, 0.1}, {1, 1, 0}, 0.5)));
}

TEST(ClassificationMetrics, FromLogits) {
  // Three samples, two classes; logits' softmax keeps the ordering of the logit difference.
  const auto logits = tensor({3, 2}, {2, 0, 0, 1, 0.5f, 0});
  const auto labels = tensor({3}, {0, 1, 1});
  const auto s = classification_stats(logits, labels);
  EXPECT_NEAR(s.accuracy, 2.0 / 3, 1e-12);
  // Class 1 scores: sigma(-2), sigma(1), sigma(-0.5); positives are samples 1 and 2, both above
  // the negative sample 0: AUC 1 for both classes.
  EXPECT_DOUBLE_EQ(s.auc[0], 1.0);
  EXPECT_DOUBLE_EQ(s.auc[1], 1.0);
  EXPECT_DOUBLE_EQ(s.mean_auc, 1.0);
}

TEST(Metrics, DispatchNamesTheScore) {
  const auto logits = tensor({2, 2}, {2, 0, 0, 1});
  const auto labels = tensor({2}, {0, 0});
  MetricOptions o{.kind = MetricKind::Classification, .class_names = {"g", "q"}};
  const auto m = compute_metrics(o, logits, labels, 0.7);
  EXPECT_EQ(m.score_name, "accuracy");
  EXPECT_TRUE(m.maximize);
  EXPECT_DOUBLE_EQ(m.score, 0.5);
  EXPECT_DOUBLE_EQ(m.values.at("loss"), 0.7);
  EXPECT_TRUE(std::isnan(m.values.at("auc_q")));  // no sample of class q
  EXPECT_EQ(m.values.count("rejection_g"), 1u);
  EXPECT_THROW(metric_from_name("accuracy", "metric.kind"), InputError);
}

}  // namespace
}  // namespace nac
