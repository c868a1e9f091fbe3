#include "nac/compress/evaluate.hpp"

#include "nac/emu/emulator.hpp"
#include "nac/train/loss.hpp"

namespace nac {

MetricValues evaluate_emulated(const Graph& g, const Dataset& d, const TrainOptions& opt) {
  const Tensor<float> pred = Emulator(g).predict(d.x);
  const double loss = compute_loss<float>(opt.loss, pred, d.y, nullptr);
  return compute_metrics(opt.metric, pred, d.y, loss);
}

MetricValues evaluate_float(const Graph& g, const Dataset& d, const TrainOptions& opt) {
  TrainOptions o = opt;
  o.qat = false;
  Trainer t(g, o);
  return t.evaluate(d);
}

}  // namespace nac
