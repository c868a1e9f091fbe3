// Throughput of the fixed-point primitives: the batch fake-quantiser used by QAT (vectorised
// float path) against the exact scalar path, and requantize as the emulator uses it.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <vector>

#include "nac/core/fixed.hpp"
#include "nac/core/rng.hpp"

namespace {

std::vector<float> inputs(std::size_t n) {
  nac::Rng rng(1);
  std::vector<float> x(n);
  for (float& v : x) v = static_cast<float>(rng.normal() * 3.0);
  return x;
}

const nac::FixedFormat kFormat = nac::FixedFormat::parse("fixed<8,3,RND_CONV,SAT>");

void BM_FakeQuantizeBatch(benchmark::State& state) {
  const std::vector<float> x = inputs(4096);
  std::vector<float> y(x.size());
  for (auto _ : state) {
    nac::fake_quantize(x, y, kFormat);
    benchmark::DoNotOptimize(y.data());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(x.size()));
}
BENCHMARK(BM_FakeQuantizeBatch);

void BM_FakeQuantizeScalar(benchmark::State& state) {
  const std::vector<float> x = inputs(4096);
  std::vector<float> y(x.size());
  for (auto _ : state) {
    for (std::size_t i = 0; i < x.size(); ++i) y[i] = nac::fake_quantize(x[i], kFormat);
    benchmark::DoNotOptimize(y.data());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(x.size()));
}
BENCHMARK(BM_FakeQuantizeScalar);

void BM_Requantize(benchmark::State& state) {
  nac::Rng rng(2);
  std::vector<nac::Int128> acc(4096);
  for (auto& a : acc) a = static_cast<std::int64_t>(rng.next_u64() >> 40) - (1LL << 23);
  const nac::FixedFormat out = nac::FixedFormat::parse("fixed<16,6,RND,SAT>");
  std::vector<std::int64_t> y(acc.size());
  for (auto _ : state) {
    for (std::size_t i = 0; i < acc.size(); ++i) y[i] = nac::requantize(acc[i], 18, out);
    benchmark::DoNotOptimize(y.data());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(acc.size()));
}
BENCHMARK(BM_Requantize);

}  // namespace

BENCHMARK_MAIN();
