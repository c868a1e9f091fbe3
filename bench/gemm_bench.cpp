// nac::gemm (the register-blocked kernel for narrow results, core/gemm.hpp) against Eigen's GEMM
// on the products the reference models train with, batch 256. Each shape runs the three products
// of a layer: forward C = A B, weight gradient A^T dC and input gradient dC B^T. items/s counts
// multiply-accumulates, so the two engines compare directly (bench/README.md).
#include <benchmark/benchmark.h>

#include <vector>

#include "nac/core/gemm.hpp"
#include "nac/core/rng.hpp"

namespace nac {
namespace {

// A layer as rows x in -> out: activations [rows, in], weights [in, out].
struct Shape3 {
  const char* name;
  std::ptrdiff_t rows, in, out;
};

constexpr Shape3 kShapes[] = {
    {"jet_dense_64x32", 256, 64, 32},       {"deepsets_phi_32x32", 4096, 32, 32},
    {"bragg_conv2_576x32", 12544, 576, 32}, {"bragg_qkv_64x96", 20736, 64, 96},
    {"bragg_proj_32x64", 20736, 32, 64},    {"openhls_conv2_144x8", 12544, 144, 8},
    {"bragg_attend_81x32", 81, 81, 32},     {"openhls_attend_81x8", 81, 81, 8},
    {"bragg_scores_32x81", 81, 32, 81},
};

enum class Product { Forward, WeightGrad, InputGrad };

void run(benchmark::State& st, Shape3 s, Product p, bool eigen_only) {
  Rng rng(1);
  const auto random = [&rng](std::ptrdiff_t n) {
    std::vector<float> v(static_cast<std::size_t>(n));
    for (auto& x : v) x = static_cast<float>(rng.uniform(-1, 1));
    return v;
  };
  const auto x = random(s.rows * s.in), w = random(s.in * s.out), dy = random(s.rows * s.out);
  std::vector<float> y(static_cast<std::size_t>(s.rows * s.out)), dw(w.size()), dx(x.size());
  auto* fn = eigen_only ? &gemm_eigen<float> : &gemm<float>;
  for (auto _ : st) {
    switch (p) {
      case Product::Forward:  // y = x w
        fn(false, false, s.rows, s.out, s.in, x.data(), s.in, w.data(), s.out, y.data(), s.out,
           false);
        break;
      case Product::WeightGrad:  // dw += x^T dy
        fn(true, false, s.in, s.out, s.rows, x.data(), s.in, dy.data(), s.out, dw.data(), s.out,
           true);
        break;
      case Product::InputGrad:  // dx += dy w^T
        fn(false, true, s.rows, s.in, s.out, dy.data(), s.out, w.data(), s.out, dx.data(), s.in,
           true);
        break;
    }
    benchmark::ClobberMemory();
  }
  st.SetItemsProcessed(st.iterations() * s.rows * s.in * s.out);
  st.counters["GFLOP/s"] = benchmark::Counter(static_cast<double>(2 * s.rows * s.in * s.out),
                                              benchmark::Counter::kIsIterationInvariantRate);
}

const int registered = [] {
  for (const auto& s : kShapes)
    for (const auto& [p, pname] :
         {std::pair{Product::Forward, "fwd"}, std::pair{Product::WeightGrad, "dW"},
          std::pair{Product::InputGrad, "dX"}})
      for (const bool eigen : {true, false})
        benchmark::RegisterBenchmark(
            (std::string(s.name) + "/" + pname + (eigen ? "/eigen" : "/nac")).c_str(),
            [s, p = p, eigen](benchmark::State& st) { run(st, s, p, eigen); });
  return 0;
}();

}  // namespace
}  // namespace nac

BENCHMARK_MAIN();
