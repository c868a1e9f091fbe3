#pragma once
// A small, portable random number generator (SplitMix64 seeding a xoshiro256**) with its own
// uniform and normal draws, so the same seed gives the same numbers on every platform and
// standard library (std::*_distribution are implementation-defined).
#include <cstdint>
#include <vector>

namespace nac {

class Rng {
 public:
  explicit Rng(std::uint64_t seed = 0);
  std::uint64_t next_u64();
  double uniform();                      // [0, 1)
  double uniform(double lo, double hi);  // [lo, hi)
  double normal();                       // standard normal (Box-Muller)
  std::uint64_t below(std::uint64_t n);  // uniform integer in [0, n)
  // An independent stream derived from this one and a label (for per-trial, per-worker streams).
  Rng split(std::uint64_t label);
  // A random permutation of 0..n-1 (Fisher-Yates).
  std::vector<int> permutation(int n);

 private:
  std::uint64_t s_[4];
  double spare_normal_ = 0;
  bool has_spare_ = false;
};

}  // namespace nac
