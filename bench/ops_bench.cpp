// Microbenchmarks of the ops' batched float kernels (forward and backward separately, batch 256),
// called directly so executor bookkeeping is not timed. items/s counts samples.
#include <benchmark/benchmark.h>

#include <memory>

#include "nac/core/rng.hpp"
#include "nac/graph/graph.hpp"
#include "nac/graph/op.hpp"

namespace nac {
namespace {

constexpr int kBatch = 256;

AttrValue i64(std::int64_t v) { return v; }

// One op on a random batch, with everything forward and backward need.
struct OpBench {
  Graph g;
  Tensor<float> x, y, dy, dx;
  std::vector<Tensor<float>> params, dparams, saved;

  OpBench(const Shape& in, OpKind op, Attrs attrs) {
    const int id =
        g.add(OpKind::Input, "x", {}, {{"shape", std::vector<std::int64_t>(in.begin(), in.end())}});
    g.add(op, "op", {id}, std::move(attrs));
    Rng rng(1);
    g.finalize(&rng);
    for (const auto& p : g.node(1).params) {
      params.push_back(p.value);
      dparams.emplace_back(p.value.shape);
    }
    x = batched(in, rng);
    y = batched(g.output_shape(), rng);
    dy = batched(g.output_shape(), rng);
    dx = Tensor<float>(x.shape);
  }

  static Tensor<float> batched(const Shape& sample, Rng& rng) {
    Shape s{kBatch};
    s.insert(s.end(), sample.begin(), sample.end());
    Tensor<float> t(s);
    for (auto& v : t.data) v = static_cast<float>(rng.uniform(-1, 1));
    return t;
  }

  void forward() {
    OpForward<float> f{g.node(1), kBatch, {&x}, y, params, saved, true};
    op_forward(f);
  }
  void backward() {
    OpBackward<float> b{g.node(1), kBatch, {&x}, y, dy, {&dx}, params, dparams, saved};
    op_backward(b);
  }
};

using Factory = std::unique_ptr<OpBench> (*)();

void forward(benchmark::State& st, Factory make) {
  auto op = make();
  for (auto _ : st) {
    op->forward();
    benchmark::DoNotOptimize(op->y.data.data());
    benchmark::ClobberMemory();
  }
  st.SetItemsProcessed(st.iterations() * kBatch);
}

void backward(benchmark::State& st, Factory make) {
  auto op = make();
  op->forward();
  for (auto _ : st) {
    op->backward();
    benchmark::DoNotOptimize(op->dx.data.data());
    benchmark::ClobberMemory();
  }
  st.SetItemsProcessed(st.iterations() * kBatch);
}

std::unique_ptr<OpBench> dense_64_32() {
  return std::make_unique<OpBench>(Shape{64}, OpKind::Dense, Attrs{{"units", i64(32)}});
}
std::unique_ptr<OpBench> conv3x3_64_32_9x9() {
  return std::make_unique<OpBench>(Shape{9, 9, 64}, OpKind::Conv2D,
                                   Attrs{{"filters", i64(32)}, {"kernel", i64(3)}});
}
std::unique_ptr<OpBench> conv3x3_1_64_11x11() {
  return std::make_unique<OpBench>(Shape{11, 11, 1}, OpKind::Conv2D,
                                   Attrs{{"filters", i64(64)}, {"kernel", i64(3)}});
}
std::unique_ptr<OpBench> conv1x1_16_16_9x9() {
  return std::make_unique<OpBench>(Shape{9, 9, 16}, OpKind::Conv2D,
                                   Attrs{{"filters", i64(16)}, {"kernel", i64(1)}});
}
std::unique_ptr<OpBench> conv_attn_64_32_9x9() {
  return std::make_unique<OpBench>(
      Shape{9, 9, 64}, OpKind::ConvAttn,
      Attrs{{"hidden", i64(32)}, {"activation", std::string("leaky_relu")}});
}
std::unique_ptr<OpBench> batchnorm_9x9x64() {
  return std::make_unique<OpBench>(Shape{9, 9, 64}, OpKind::BatchNorm, Attrs{});
}
std::unique_ptr<OpBench> layernorm_9x9x64_all() {
  return std::make_unique<OpBench>(Shape{9, 9, 64}, OpKind::LayerNorm,
                                   Attrs{{"axes", std::string("all")}});
}
std::unique_ptr<OpBench> softmax_64() {
  return std::make_unique<OpBench>(Shape{64}, OpKind::Softmax, Attrs{});
}
std::unique_ptr<OpBench> aggregate_mean_16x32() {
  return std::make_unique<OpBench>(Shape{16, 32}, OpKind::Aggregate,
                                   Attrs{{"fn", std::string("mean")}});
}

#define NAC_OP_BENCH(name)                 \
  BENCHMARK_CAPTURE(forward, name, &name); \
  BENCHMARK_CAPTURE(backward, name, &name)

NAC_OP_BENCH(dense_64_32);
NAC_OP_BENCH(conv3x3_64_32_9x9);
NAC_OP_BENCH(conv3x3_1_64_11x11);
NAC_OP_BENCH(conv1x1_16_16_9x9);
NAC_OP_BENCH(conv_attn_64_32_9x9);
NAC_OP_BENCH(batchnorm_9x9x64);
NAC_OP_BENCH(layernorm_9x9x64_all);
NAC_OP_BENCH(softmax_64);
NAC_OP_BENCH(aggregate_mean_16x32);

}  // namespace
}  // namespace nac

BENCHMARK_MAIN();
