#include "nac/compress/qat_train.hpp"

namespace nac {

TrainResult qat_train(Graph& g, const PrecisionSpec& spec, TrainOptions opt, const TaskData& data,
                      const QatTrainHooks& hooks) {
  opt.qat = true;
  reinfer_accumulators(g, spec);
  if (hooks.rewind && hooks.rewind_epoch == 0) *hooks.rewind = snapshot_weights(g);
  Graph training = g;
  widen_accumulators(training, kTrainingAccumHeadroom);
  Trainer trainer(training, opt);
  if (hooks.augmentation) trainer.set_augmentation(hooks.augmentation);
  bool captured = hooks.rewind == nullptr || hooks.rewind_epoch == 0;
  trainer.set_epoch_callback([&](const EpochStats& s) {
    if (!captured && s.epoch == hooks.rewind_epoch) {
      hooks.rewind->values = trainer.executor().params();
      captured = true;
    }
    return hooks.on_epoch ? hooks.on_epoch(s) : true;
  });
  // The starting weights compete with the epochs' (restore_best): a fine-tuning run that only
  // makes the quantised model worse (a too high rate for a model already good at this precision)
  // returns what it was given.
  MetricValues start;
  if (opt.restore_best) start = trainer.evaluate(data.val);
  TrainResult r = trainer.fit(data.train, data.val);
  if (!captured) hooks.rewind->values = trainer.executor().params();
  if (r.status == TrainStatus::Diverged && r.best_epoch == 0) return r;  // g unchanged
  if (opt.restore_best && r.best_epoch > 0 &&
      !score_better(r.best.score, start.score, start.maximize)) {
    r.message = "no QAT epoch beat the starting weights (val " + std::to_string(start.score) +
                "); kept them";
    r.best = start;
    reinfer_accumulators(g, spec);
    return r;
  }
  trainer.executor().store_params(g);
  reinfer_accumulators(g, spec);
  return r;
}

}  // namespace nac
