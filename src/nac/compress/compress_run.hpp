#pragma once
// `nac compress` (docs/COMPRESSION.md): the LOCAL search of DESIGN.md §1 on one trained float
// model. Optionally a training-recipe search and a per-layer precision search first; then for
// every precision of the sweep: quantise the float model, QAT-train it (round 0), then `rounds`
// times prune a fraction of the remaining weights (optionally rewinding the survivors to an early
// epoch) and QAT-train again. Every (precision, round) point is judged on the validation data by
// the EMULATOR and recorded in the study store DIR/compress.db (one trial each, attributes
// precision and round, the model file as artifact) and as DIR/points/<label>_r<round>/model.json;
// the Pareto front (metric vs BOPs) goes to front.csv, pareto.json and front.svg. A stopped run
// continues from its last finished point when started again with the same settings.
#include <atomic>
#include <string>

namespace nac {

struct CompressArgs {
  std::string model;            // the trained float model file
  std::string config;           // task config with a `compress:` section
  std::string out;              // output folder
  int epochs = 0;               // > 0: overrides compress.epochs
  long long train_samples = 0;  // > 0: train on at most this many samples
};

struct CompressResult {
  std::string dir;
  int points = 0;     // quantised points in the study
  int front = 0;      // on the Pareto front
  int evaluated = 0;  // points this run evaluated (the rest were already done)
  bool interrupted = false;
};

// Progress goes to stderr. Throws InputError for bad input (config, model, data, a store made
// with other settings).
CompressResult run_compress(const CompressArgs& args, const std::atomic<bool>& stop);

}  // namespace nac
