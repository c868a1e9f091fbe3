#pragma once
// How a compressed model is judged: its validation metrics computed from the EMULATOR's outputs
// (the quantised model's real behaviour, docs/QUANTIZATION.md), and a float model's from the
// executor, with the task's loss and metric.
#include "nac/data/dataset.hpp"
#include "nac/graph/graph.hpp"
#include "nac/train/trainer.hpp"

namespace nac {

// `g` fully annotated. Throws GraphError when the emulator refuses the graph.
MetricValues evaluate_emulated(const Graph& g, const Dataset& d, const TrainOptions& opt);
MetricValues evaluate_float(const Graph& g, const Dataset& d, const TrainOptions& opt);

}  // namespace nac
