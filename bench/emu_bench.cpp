// Emulator throughput (predictions per second, batch 1024) on the BraggNN baseline
// (examples/braggnn.yaml) and the jet MLP 16-64-32-32-5 (examples/jet_mlp.yaml), both quantised
// to 8 bits by the standard pipeline (calibration on random inputs, exact accumulators), with
// the float executor's inference on the same model as the reference in the same run.
#include <benchmark/benchmark.h>

#include <string>

#include "nac/config/model_spec.hpp"
#include "nac/config/yaml_node.hpp"
#include "nac/core/rng.hpp"
#include "nac/emu/emulator.hpp"
#include "nac/graph/passes/quantize_pipeline.hpp"
#include "nac/train/executor.hpp"

namespace {

constexpr int kBatch = 1024;

struct Bench {
  nac::Graph graph;
  nac::Tensor<float> x;
};

Bench make(const char* example, bool images) {
  const auto cfg =
      nac::config::YamlNode::load_file(std::string(NAC_SOURCE_DIR) + "/examples/" + example);
  nac::Rng init(1);
  Bench b{nac::build_graph(nac::parse_model_spec(cfg["model"]), &init), {}};
  nac::Shape s{kBatch};
  s.insert(s.end(), b.graph.input_shape().begin(), b.graph.input_shape().end());
  b.x = nac::Tensor<float>(s);
  nac::Rng rng(2);
  for (auto& v : b.x.data) v = static_cast<float>(images ? rng.uniform() : rng.normal());
  nac::PrecisionConfig pc;  // 8-bit weights and activations, RND, SAT
  nac::quantization_passes(pc, b.x).run(b.graph);
  return b;
}

const Bench& bragg() {
  static const Bench b = make("braggnn.yaml", true);
  return b;
}
const Bench& jet() {
  static const Bench b = make("jet_mlp.yaml", false);
  return b;
}

void emulate(benchmark::State& state, const Bench& b) {
  const nac::Emulator emu(b.graph);
  for (auto _ : state) benchmark::DoNotOptimize(emu.predict(b.x).data.data());
  state.SetItemsProcessed(state.iterations() * kBatch);
}

void float_inference(benchmark::State& state, const Bench& b) {
  nac::Executor<float> e(b.graph);
  for (auto _ : state) benchmark::DoNotOptimize(e.forward(b.x, false).data.data());
  state.SetItemsProcessed(state.iterations() * kBatch);
}

void BM_EmulateBraggNN(benchmark::State& s) { emulate(s, bragg()); }
void BM_FloatBraggNN(benchmark::State& s) { float_inference(s, bragg()); }
void BM_EmulateJetMlp(benchmark::State& s) { emulate(s, jet()); }
void BM_FloatJetMlp(benchmark::State& s) { float_inference(s, jet()); }
BENCHMARK(BM_EmulateBraggNN)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_FloatBraggNN)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_EmulateJetMlp)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_FloatJetMlp)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
