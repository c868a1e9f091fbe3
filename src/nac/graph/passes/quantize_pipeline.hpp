#pragma once
// The standard quantisation pipeline as passes: fold_batchnorm, quantize_graph (calibrating the
// float graph on `sample` first) and infer_precision. Run it with PassManager::run; disable a
// step with set_enabled (e.g. "fold_batchnorm").
#include "nac/core/tensor.hpp"
#include "nac/graph/passes/infer_precision.hpp"
#include "nac/graph/passes/pass_manager.hpp"
#include "nac/graph/passes/quantize_graph.hpp"

namespace nac {

// `sample` is copied into the pass; `report` (optional) receives infer_precision's report.
PassManager quantization_passes(const PrecisionConfig& cfg, Tensor<float> sample,
                                PrecisionReport* report = nullptr);

}  // namespace nac
