#include "nac/graph/passes/quantize_pipeline.hpp"

#include "nac/graph/passes/calibrate.hpp"
#include "nac/graph/passes/fold_batchnorm.hpp"

namespace nac {

PassManager quantization_passes(const PrecisionConfig& cfg, Tensor<float> sample,
                                PrecisionReport* report) {
  PassManager pm;
  pm.add("fold_batchnorm", [](Graph& g) { fold_batchnorm(g); });
  pm.add("quantize_graph", [cfg, sample = std::move(sample)](Graph& g) {
    quantize_graph(g, cfg, calibrate(g, sample));
  });
  pm.add("infer_precision", [report](Graph& g) {
    const PrecisionReport r = infer_precision(g);
    if (report) *report = r;
  });
  return pm;
}

}  // namespace nac
