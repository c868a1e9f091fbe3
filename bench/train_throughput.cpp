// Training throughput of nac on the four reference models of bench/train_torch.py (jet MLP,
// DeepSets, OpenHLS, BraggNN): single thread, batch 256, RMSprop, the trainer's full step
// (Trainer::train_step: forward, loss, backward, optimiser update) on a fixed random batch, the
// median of 5 timed windows. Also the machine's single-core Eigen sgemm rate, so that each model's
// achieved GFLOP/s can be read as a fraction of what Eigen's GEMM reaches on big matrices.
//
//   train_throughput [--seconds S] [--examples DIR] [--no-sgemm | --sgemm-only] [model ...]
//
// Prints JSON lines: one header ({"engine": "nac", "blas": ..., "sgemm_gflops": {...}}), then one
// line per model ({"model", "samples_per_s", "params", "macs_per_sample", "gflops",
// "peak_fraction"}). bench/train_throughput.sh puts them next to PyTorch's numbers.
#include <Eigen/Core>
#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "nac/config/model_spec.hpp"
#include "nac/config/train_config.hpp"
#include "nac/core/error.hpp"
#include "nac/core/gemm.hpp"
#include "nac/core/rng.hpp"
#include "nac/graph/op.hpp"
#include "nac/train/trainer.hpp"

#ifndef NAC_SOURCE_DIR
#define NAC_SOURCE_DIR "."
#endif

namespace nac {
namespace {

using Clock = std::chrono::steady_clock;
using Json = nlohmann::ordered_json;

constexpr int kBatch = 256;

double since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

double cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec);
}

// The two models that train_torch.py builds from code and nac has no example file for.
constexpr const char* kJetMlp = R"(
model:
  input: [16]
  layers:
    - {op: dense, units: 64}
    - {op: activation, fn: relu}
    - {op: dense, units: 32}
    - {op: activation, fn: relu}
    - {op: dense, units: 32}
    - {op: activation, fn: relu}
    - {op: dense, units: 5}
)";

// phi runs on each of the 16 constituents (dense on a set [n, F] is per element).
constexpr const char* kDeepSets = R"(
model:
  input: [16, 3]
  layers:
    - {op: dense, units: 32}
    - {op: activation, fn: relu}
    - {op: dense, units: 32}
    - {op: activation, fn: relu}
    - {op: dense, units: 32}
    - {op: activation, fn: relu}
    - {op: aggregate, fn: mean}
    - {op: dense, units: 16}
    - {op: activation, fn: relu}
    - {op: dense, units: 5}
)";

struct ModelCase {
  std::string name;
  ModelSpec spec;
  LossKind loss;
};

ModelSpec inline_spec(const char* text, const std::string& name) {
  return parse_model_spec(config::YamlNode::load_string(text, name)["model"]);
}

std::vector<ModelCase> model_cases(const std::string& examples) {
  return {{"jet_mlp", inline_spec(kJetMlp, "jet_mlp"), LossKind::CrossEntropy},
          {"deepsets", inline_spec(kDeepSets, "deepsets"), LossKind::CrossEntropy},
          {"openhls", load_train_config(examples + "/openhls.yaml").model, LossKind::MSE},
          {"braggnn", load_train_config(examples + "/braggnn.yaml").model, LossKind::MSE}};
}

// Forward multiply-accumulates per sample, from the ops' cost groups.
long long forward_macs(const Graph& g) {
  long long macs = 0;
  for (int id = 0; id < g.size(); ++id) {
    if (g.node(id).op == OpKind::Input) continue;
    for (const MacGroup& m : op_cost(g.node(id), g.input_shapes(id)).macs)
      macs += m.outputs * m.fan_in;
  }
  return macs;
}

// Best single-thread rate of C = A * B over a few repetitions, in GFLOP/s (2 FLOPs per MAC).
double sgemm_gflops(Eigen::Index m, Eigen::Index k, Eigen::Index n) {
  Eigen::MatrixXf a = Eigen::MatrixXf::Random(m, k), b = Eigen::MatrixXf::Random(k, n);
  Eigen::MatrixXf c(m, n);
  const double flops =
      2.0 * static_cast<double>(m) * static_cast<double>(k) * static_cast<double>(n);
  const int reps = std::max(1, static_cast<int>(2e8 / flops));  // ~0.2 GFLOP per timing
  double best = 0;
  for (int trial = 0; trial < 7; ++trial) {
    const double t0 = cpu_seconds();
    for (int r = 0; r < reps; ++r) c.noalias() = a * b;
    best = std::max(best, flops * reps / (cpu_seconds() - t0) / 1e9);
  }
  if (!std::isfinite(c(0, 0))) std::abort();  // keeps the products alive
  return best;
}

Tensor<float> random_batch(const Shape& sample, Rng& rng) {
  Shape s{kBatch};
  s.insert(s.end(), sample.begin(), sample.end());
  Tensor<float> t(s);
  for (auto& v : t.data) v = static_cast<float>(rng.normal());
  return t;
}

Json measure(const ModelCase& mc, double seconds) {
  Rng init(0);
  const Graph g = build_graph(mc.spec, &init);
  TrainOptions opt;
  opt.optimizer = {.kind = OptimizerKind::RMSprop, .lr = 1.5e-3, .weight_decay = 2.2e-9};
  opt.loss = mc.loss;
  opt.batch_size = kBatch;
  Trainer trainer(g, opt);

  Rng rng(1);
  const Tensor<float> x = random_batch(g.input_shape(), rng);
  Tensor<float> y;
  if (mc.loss == LossKind::CrossEntropy) {
    const int classes = g.output_shape().back();
    y = Tensor<float>({kBatch});
    for (auto& v : y.data) v = static_cast<float>(rng.below(static_cast<std::uint64_t>(classes)));
  } else {
    y = Tensor<float>({kBatch, g.output_shape().back()});
    for (auto& v : y.data) v = static_cast<float>(rng.uniform());
  }

  for (int i = 0; i < 5; ++i) trainer.train_step(x, y);  // warm-up: buffers, optimiser state
  // Median of 5 timed windows, as train_torch.py: timed in process CPU seconds (one thread, so the
  // same as wall time on an idle machine, and not inflated by other processes on a loaded one).
  std::vector<double> rates, wall_rates;
  for (int w = 0; w < 5; ++w) {
    long long steps = 0;
    const double c0 = cpu_seconds();
    const auto t0 = Clock::now();
    double loss = 0;
    while (cpu_seconds() - c0 < seconds / 5) {
      loss += trainer.train_step(x, y);
      ++steps;
    }
    if (!std::isfinite(loss)) throw InputError(mc.name + ": the benchmark's loss is not finite");
    rates.push_back(static_cast<double>(steps) * kBatch / (cpu_seconds() - c0));
    wall_rates.push_back(static_cast<double>(steps) * kBatch / since(t0));
  }
  std::sort(rates.begin(), rates.end());
  std::sort(wall_rates.begin(), wall_rates.end());
  const double rate = rates[2];
  const long long macs = forward_macs(g);
  Json j;
  j["model"] = mc.name;
  j["samples_per_s"] = rate;
  j["wall_samples_per_s"] = wall_rates[2];
  j["params"] = g.parameter_count();
  j["macs_per_sample"] = macs;
  // forward + input gradient + weight gradient: 3 GEMM-sized passes, 2 FLOPs per MAC
  j["gflops"] = rate * 6.0 * static_cast<double>(macs) / 1e9;
  return j;
}

int run(int argc, char** argv) {
  double seconds = 5.0;
  std::string examples = std::string(NAC_SOURCE_DIR) + "/examples";
  std::vector<std::string> names;
  bool sgemm = true, models = true;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--seconds" && i + 1 < argc)
      seconds = std::atof(argv[++i]);
    else if (a == "--examples" && i + 1 < argc)
      examples = argv[++i];
    else if (a == "--no-sgemm")
      sgemm = false;
    else if (a == "--sgemm-only")
      models = false;
    else if (a.rfind("--", 0) == 0)
      throw InputError("train_throughput: unknown option " + a +
                       " (usage: train_throughput [--seconds S] [--examples DIR] [--no-sgemm | "
                       "--sgemm-only] [model ...])");
    else
      names.push_back(a);
  }
  if (!(seconds > 0)) throw InputError("train_throughput: --seconds must be > 0");
  const auto cases = model_cases(examples);
  for (const auto& n : names)
    if (std::none_of(cases.begin(), cases.end(), [&](const ModelCase& c) { return c.name == n; }))
      throw InputError("train_throughput: unknown model '" + n +
                       "' (jet_mlp, deepsets, openhls, braggnn)");

  Json head;
  head["engine"] = "nac";
  head["threads"] = 1;
  head["blas"] = std::string(gemm_uses_kernel(16) ? "nac's own kernel (core/gemm) for narrow "
                                                    "float products, else "
                                                  : "") +
                 "Eigen " + std::to_string(EIGEN_WORLD_VERSION) + "." +
                 std::to_string(EIGEN_MAJOR_VERSION) + "." + std::to_string(EIGEN_MINOR_VERSION) +
                 " GEMM (" + Eigen::SimdInstructionSetsInUse() + "); no external BLAS";
  double peak = 0;
  if (sgemm) {
    Json gemm;  // M x K x N
    for (const auto& [m, k, n] : std::vector<std::array<Eigen::Index, 3>>{
             {1024, 1024, 1024}, {256, 256, 256}, {4096, 256, 256}, {256, 4096, 256}}) {
      const double r = sgemm_gflops(m, k, n);
      gemm[std::to_string(m) + "x" + std::to_string(k) + "x" + std::to_string(n)] = r;
      peak = std::max(peak, r);
    }
    head["sgemm_gflops"] = gemm;
    head["sgemm_peak_gflops"] = peak;
  }
  std::printf("%s\n", head.dump().c_str());
  std::fflush(stdout);
  if (!models) return 0;

  for (const auto& c : cases) {
    if (!names.empty() && std::find(names.begin(), names.end(), c.name) == names.end()) continue;
    Json j = measure(c, seconds);
    if (peak > 0) j["peak_fraction"] = j["gflops"].get<double>() / peak;
    std::printf("%s\n", j.dump().c_str());
    std::fflush(stdout);
  }
  return 0;
}

}  // namespace
}  // namespace nac

int main(int argc, char** argv) {
  try {
    return nac::run(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "train_throughput: %s\n", e.what());
    return 1;
  }
}
