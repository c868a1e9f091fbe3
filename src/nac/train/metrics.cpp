#include "nac/train/metrics.hpp"

#include "nac/core/error.hpp"
#include "nac/train/classification_metrics.hpp"
#include "nac/train/peak_metrics.hpp"

namespace nac {

const char* metric_name(MetricKind k) {
  switch (k) {
    case MetricKind::Loss:
      return "loss";
    case MetricKind::PeakDistance:
      return "peak_distance";
    case MetricKind::Classification:
      return "classification";
  }
  return "?";
}

MetricKind metric_from_name(const std::string& name, const std::string& where) {
  for (auto k : {MetricKind::Loss, MetricKind::PeakDistance, MetricKind::Classification})
    if (name == metric_name(k)) return k;
  throw InputError(where + ": unknown metric '" + name +
                   "' (expected one of loss, peak_distance, classification)");
}

bool metric_maximizes(MetricKind kind) { return kind == MetricKind::Classification; }

MetricValues compute_metrics(const MetricOptions& opt, const Tensor<float>& pred,
                             const Tensor<float>& target, double loss) {
  MetricValues m;
  m.values["loss"] = loss;
  m.maximize = metric_maximizes(opt.kind);
  switch (opt.kind) {
    case MetricKind::Loss:
      m.score_name = "loss";
      break;
    case MetricKind::PeakDistance: {
      const auto s = peak_distance_stats(pred, target, opt.patch_size);
      m.values["mean_px"] = s.mean;
      m.values["median_px"] = s.median;
      m.values["p75_px"] = s.p75;
      m.values["p95_px"] = s.p95;
      m.score_name = "mean_px";
      break;
    }
    case MetricKind::Classification: {
      const auto s = classification_stats(pred, target, opt.signal_efficiency);
      m.values["accuracy"] = s.accuracy;
      m.values["mean_auc"] = s.mean_auc;
      for (std::size_t c = 0; c < s.auc.size(); ++c) {
        const std::string name =
            c < opt.class_names.size() ? opt.class_names[c] : std::to_string(c);
        m.values["auc_" + name] = s.auc[c];
        m.values["rejection_" + name] = s.rejection[c];
      }
      m.score_name = "accuracy";
      break;
    }
  }
  m.score = m.values.at(m.score_name);
  return m;
}

}  // namespace nac
