#pragma once
// The training recipe as JSON, for model-file metadata and metrics reports.
#include <nlohmann/json.hpp>

#include "nac/train/trainer.hpp"

namespace nac {

nlohmann::ordered_json recipe_json(const TrainOptions& o);
// Metric values as a JSON object (NaN and infinity become null).
nlohmann::ordered_json metrics_json(const MetricValues& m);

}  // namespace nac
