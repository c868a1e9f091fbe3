// NSGA-II alone on the standard multi-objective test problems (ZDT1-3 with 30 variables, DTLZ2
// with 3 objectives and 12 variables), run through the SQLite study store exactly as a worker
// would: refresh the trial log, propose, start the trial, evaluate, finish. Prints the median
// hypervolume over the seeds (reference point 1.1 per objective, all evaluated points) and the
// sampler + storage overhead per trial. bench/moo.sh compares it with Optuna's NSGAIISampler.
// HV@11 (reference point 11 per objective, which every evaluated point dominates) separates runs
// whose points all miss the 1.1 box (ZDT2 within 1000 evaluations).
//
//   moo_bench [--evaluations 1000] [--population 50] [--seeds 5] [--json out.json]
//             [--mutation-eta 20] [--mutation-rate -1]
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <functional>
#include <numbers>
#include <string>
#include <vector>

#include "nac/core/rng.hpp"
#include "nac/search/hypervolume.hpp"
#include "nac/search/nsga2/nsga2_sampler.hpp"
#include "nac/search/trial_log.hpp"
#include "nac/study/sqlite/sqlite_storage.hpp"

namespace {

using nac::Direction;
using Vec = std::vector<double>;

struct Problem {
  std::string name;
  int n_vars;
  int n_objectives;
  std::function<Vec(const Vec&)> f;
};

double zdt_g(const Vec& x) {
  double s = 0;
  for (std::size_t i = 1; i < x.size(); ++i) s += x[i];
  return 1 + 9 * s / static_cast<double>(x.size() - 1);
}

std::vector<Problem> problems() {
  const double pi = std::numbers::pi;
  return {
      {"zdt1", 30, 2,
       [](const Vec& x) {
         const double g = zdt_g(x);
         return Vec{x[0], g * (1 - std::sqrt(x[0] / g))};
       }},
      {"zdt2", 30, 2,
       [](const Vec& x) {
         const double g = zdt_g(x);
         return Vec{x[0], g * (1 - (x[0] / g) * (x[0] / g))};
       }},
      {"zdt3", 30, 2,
       [pi](const Vec& x) {
         const double g = zdt_g(x), r = x[0] / g;
         return Vec{x[0], g * (1 - std::sqrt(r) - r * std::sin(10 * pi * x[0]))};
       }},
      {"dtlz2", 12, 3,
       [pi](const Vec& x) {
         double g = 0;
         for (std::size_t i = 2; i < x.size(); ++i) g += (x[i] - 0.5) * (x[i] - 0.5);
         const double a = x[0] * pi / 2, b = x[1] * pi / 2;
         return Vec{(1 + g) * std::cos(a) * std::cos(b), (1 + g) * std::cos(a) * std::sin(b),
                    (1 + g) * std::sin(a)};
       }},
  };
}

std::string var_name(int i) {
  std::string s = i < 10 ? "x0" : "x";
  s.append(std::to_string(i));
  return s;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

struct RunResult {
  double hypervolume = 0;          // reference point 1.1 per objective
  double hypervolume_wide = 0;     // reference point 11 per objective: every evaluated point counts
  std::vector<double> overhead_s;  // per trial: refresh + propose + start + finish
  std::vector<double> sampler_s;   // per trial: propose only
};

RunResult run(const Problem& p, const nac::Nsga2Options& opts, int evaluations, std::uint64_t seed,
              const std::string& path) {
  using Clock = std::chrono::steady_clock;
  for (const char* s : {"", "-wal", "-shm"}) std::remove((path + s).c_str());
  nac::SearchSpace space;
  space.name = p.name;
  for (int i = 0; i < p.n_vars; ++i) space.add(nac::float_range_choice(var_name(i), 0, 1));
  std::vector<nac::Objective> objectives;
  for (int k = 0; k < p.n_objectives; ++k)
    objectives.push_back({std::string("f").append(std::to_string(k + 1)), Direction::Minimize});
  const std::vector<nac::Constraint> constraints;

  nac::SqliteStorage storage(path);
  const auto study =
      storage.create_study({std::string(p.name).append("-seed").append(std::to_string(seed)),
                            objectives, space.fingerprint(), ""});
  nac::TrialLog log(storage, study.id);
  nac::Nsga2Sampler sampler(opts);
  nac::Rng rng(seed);
  RunResult r;
  Vec x(static_cast<std::size_t>(p.n_vars));
  for (int t = 0; t < evaluations; ++t) {
    const auto t0 = Clock::now();
    log.refresh();
    const nac::SamplerContext ctx{space, objectives, constraints, log.trials()};
    const auto s0 = Clock::now();
    const nac::Proposal prop = sampler.propose(ctx, rng);
    const auto s1 = Clock::now();
    const nac::Trial trial = storage.start_trial(study.id, prop.genotype, "bench", prop.attrs);
    const auto t1 = Clock::now();
    for (int i = 0; i < p.n_vars; ++i)
      x[static_cast<std::size_t>(i)] = trial.genotype.get_float(var_name(i));
    const Vec values = p.f(x);
    const auto t2 = Clock::now();
    storage.finish_trial(trial.id, nac::TrialState::Complete, values);
    const auto t3 = Clock::now();
    r.overhead_s.push_back(std::chrono::duration<double>((t1 - t0) + (t3 - t2)).count());
    r.sampler_s.push_back(std::chrono::duration<double>(s1 - s0).count());
  }
  std::vector<Vec> points;
  for (const auto& t : storage.list_trials(study.id)) points.push_back(t.values);
  r.hypervolume = nac::hypervolume(points, Vec(static_cast<std::size_t>(p.n_objectives), 1.1));
  r.hypervolume_wide =
      nac::hypervolume(points, Vec(static_cast<std::size_t>(p.n_objectives), 11.0));
  return r;
}

}  // namespace

int main(int argc, char** argv) {
  int evaluations = 1000, seeds = 5;
  nac::Nsga2Options opts;
  std::string json_path;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string k = argv[i], v = argv[i + 1];
    if (k == "--evaluations")
      evaluations = std::stoi(v);
    else if (k == "--population")
      opts.population_size = std::stoi(v);
    else if (k == "--mutation-eta")
      opts.eta = std::stod(v);
    else if (k == "--mutation-rate")
      opts.mutation_rate = std::stod(v);
    else if (k == "--seeds")
      seeds = std::stoi(v);
    else if (k == "--json")
      json_path = v;
    else {
      std::fprintf(stderr, "moo_bench: unknown option %s\n", k.c_str());
      return 2;
    }
  }
  const std::string path =
      std::string("/tmp/nac_moo_bench_").append(std::to_string(getpid())).append(".db");
  std::string json = "{\"evaluations\": " + std::to_string(evaluations) +
                     ", \"population\": " + std::to_string(opts.population_size) +
                     ", \"seeds\": " + std::to_string(seeds) + ", \"problems\": {";
  std::printf("%-6s %12s %12s %14s %14s   HV per seed\n", "", "median HV", "HV@11", "overhead ms",
              "sampler ms");
  bool first = true;
  for (const auto& p : problems()) {
    std::vector<double> hvs, wide, overhead, sampler;
    for (int s = 1; s <= seeds; ++s) {
      const RunResult r = run(p, opts, evaluations, static_cast<std::uint64_t>(s), path);
      hvs.push_back(r.hypervolume);
      wide.push_back(r.hypervolume_wide);
      overhead.insert(overhead.end(), r.overhead_s.begin(), r.overhead_s.end());
      sampler.insert(sampler.end(), r.sampler_s.begin(), r.sampler_s.end());
    }
    std::string per_seed;
    for (double h : hvs) {
      if (!per_seed.empty()) per_seed += ' ';
      per_seed += std::to_string(h);
    }
    const double hv = median(hvs), hw = median(wide), oh = median(overhead) * 1e3,
                 sm = median(sampler) * 1e3;
    std::printf("%-6s %12.6f %12.4f %14.4f %14.4f   %s\n", p.name.c_str(), hv, hw, oh, sm,
                per_seed.c_str());
    std::fflush(stdout);
    char buf[512];
    std::snprintf(buf, sizeof buf,
                  "%s\"%s\": {\"median_hv\": %.9g, \"median_hv_wide\": %.9g, "
                  "\"overhead_ms_median\": %.6g, \"sampler_ms_median\": %.6g, "
                  "\"hv_per_seed\": [",
                  first ? "" : ", ", p.name.c_str(), hv, hw, oh, sm);
    json += buf;
    for (std::size_t i = 0; i < hvs.size(); ++i) {
      std::snprintf(buf, sizeof buf, "%s%.9g", i ? ", " : "", hvs[i]);
      json += buf;
    }
    json += "]}";
    first = false;
  }
  json += "}}\n";
  for (const char* s : {"", "-wal", "-shm"}) std::remove((path + s).c_str());
  if (!json_path.empty()) std::ofstream(json_path) << json;
  return 0;
}
