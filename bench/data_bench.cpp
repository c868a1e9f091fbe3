// Data layer throughput: Bragg generation (samples/s) and loading a 100k x 11 x 11 dataset from
// HDF5 and from .npy (samples/s and bytes/s of float32 input data).
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "nac/data/bragg.hpp"
#include "nac/data/bragg_file.hpp"
#include "nac/data/npy.hpp"
#include "nac/data/source.hpp"

namespace {

constexpr long long kSamples = 100000;

// The benchmark files, written once: a generated dataset as .h5 and as x/y .npy; removed at exit.
struct Files {
  std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("nac_data_bench_" + std::to_string(getpid()));
  Files() {
    std::filesystem::create_directories(dir);
    nac::BraggStats st;
    const nac::BraggOptions o;
    const nac::Dataset ds = nac::generate_bragg(kSamples, 1, o, &st);
    nac::write_bragg_hdf5((dir / "bragg.h5").string(), ds, 1, o, st);
    nac::Tensor<float> x = ds.x;
    x.shape = {x.dim(0), x.dim(1), x.dim(2)};
    nac::write_npy((dir / "x.npy").string(), x);
    nac::write_npy((dir / "y.npy").string(), ds.y);
  }
  ~Files() {
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }
};

const std::filesystem::path& files() {
  static const Files f;
  return f.dir;
}

void set_counters(benchmark::State& state, long long n) {
  state.SetItemsProcessed(state.iterations() * n);
  state.SetBytesProcessed(state.iterations() * n * 11 * 11 * 4);
}

void BM_BraggGenerate(benchmark::State& state) {
  const nac::BraggOptions o;
  for (auto _ : state) benchmark::DoNotOptimize(nac::generate_bragg(state.range(0), 7, o));
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_BraggGenerate)->Arg(kSamples)->Unit(benchmark::kMillisecond)->Iterations(2);

void BM_LoadHdf5(benchmark::State& state) {
  nac::DataSource src;
  src.path = (files() / "bragg.h5").string();
  for (auto _ : state) benchmark::DoNotOptimize(nac::load_dataset(src));
  set_counters(state, kSamples);
}
BENCHMARK(BM_LoadHdf5)->Unit(benchmark::kMillisecond);

void BM_LoadNpy(benchmark::State& state) {
  nac::DataSource src;
  src.path = (files() / "x.npy").string();
  src.y_path = (files() / "y.npy").string();
  for (auto _ : state) benchmark::DoNotOptimize(nac::load_dataset(src));
  set_counters(state, kSamples);
}
BENCHMARK(BM_LoadNpy)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
