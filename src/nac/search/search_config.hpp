#pragma once
// A search config: a task config (data, train, metric; `model:` optional and unused) plus a
// `search:` section (docs/SEARCH.md):
//
//   search:
//     space: spaces/bragg.yaml        # search-space file, relative to the config file
//     study: bragg                    # study name (default: the config's name)
//     objectives:                     # a name, or {name, direction}; 1 or more
//       - val_mean_px                 # val_<metric>: the validation metric after training
//       - {name: bops, direction: minimize}   # params, nonzero_params, macs, bops, paper_bops
//     constraints:                    # budgets on objectives, costs or val_ metrics
//       - {name: params, max: 50000}
//     sampler: nsga2                  # nsga2 | random
//     population: 20                  # NSGA-II population
//     trials: 100                     # the study's total number of trials
//     workers: 2                      # worker processes
//     seed: 0                         # sampler seed
//     seeds: true                     # enqueue the space's seeds (known architectures) first
//     pruner: none                    # none | dominance | successive_halving, or
//                                     # {kind: dominance, warmup: 2, min_trials: 5, dominated_by:
//                                     3} # {kind: successive_halving, min_epochs: 1, eta: 3, #
//                                     min_trials: 4}
//     heartbeat_interval: 5           # seconds between a worker's heartbeats
//     stale_timeout: 60               # a RUNNING trial silent this long has a dead worker
//     max_attempts: 3                 # runs of one architecture whose worker died, at most
//     reference_point: [0.6, 2e9]     # hypervolume reference (objective units); default: auto
//     paper_bops: {bits: 32, batch: 256}  # options of the paper's BOP count
//
// Every error names file:line:key.
#include <cstdint>
#include <string>
#include <vector>

#include "nac/config/train_config.hpp"
#include "nac/cost/paper_bops.hpp"
#include "nac/search/objective.hpp"
#include "nac/search/pruners/dominance_pruner.hpp"
#include "nac/search/pruners/successive_halving.hpp"
#include "nac/space/search_space.hpp"

namespace nac {

// Where an objective's value comes from: the validation metric after training (key = a metric
// name: mean_px, accuracy, loss, ...) or a cost of the architecture (key = params,
// nonzero_params, macs, bops, paper_bops).
enum class ObjectiveSource { Metric, Cost };

struct SearchObjective {
  Objective objective;  // name ("val_mean_px", "bops") and direction
  ObjectiveSource source = ObjectiveSource::Metric;
  std::string key;  // metric key or cost name
};

enum class PrunerKind { None, Dominance, SuccessiveHalving };

struct PrunerOptions {
  PrunerKind kind = PrunerKind::None;
  DominanceRule dominance;
  HalvingRule halving;
};

const char* pruner_name(PrunerKind k);

struct SearchOptions {
  std::string space_path;
  std::string study;
  std::vector<SearchObjective> objectives;
  std::vector<Constraint> constraints;
  std::string sampler = "nsga2";
  int population = 20;
  int trials = 100;
  int workers = 1;
  std::uint64_t seed = 0;
  bool seeds = true;
  PrunerOptions pruner;
  double heartbeat_interval = 5;
  double stale_timeout = 60;
  int max_attempts = 3;
  std::vector<double> reference_point;  // empty: automatic
  PaperBopsOptions paper_bops;

  std::vector<Objective> study_objectives() const;
  // Index of the first Metric objective (the one per-epoch values and pruners watch), or -1.
  int metric_objective() const;
};

struct SearchConfig {
  TrainConfig task;  // task.model is empty when the file has no `model:`
  SearchOptions search;
  SearchSpace space;
};

// The cost names an objective or constraint may use.
const std::vector<std::string>& cost_names();

SearchConfig load_search_config(const std::string& path);
SearchConfig parse_search_config(const std::string& text, const std::string& path);

}  // namespace nac
