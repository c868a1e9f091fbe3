#include "nac/compress/sampled_study.hpp"

#include <memory>
#include <nlohmann/json.hpp>

#include "nac/core/rng.hpp"
#include "nac/search/nsga2/nsga2_sampler.hpp"
#include "nac/search/sampler.hpp"
#include "nac/search/trial_log.hpp"
#include "nac/search/worker.hpp"

namespace nac {

SampledStudyResult run_sampled_study(Storage& storage, const SearchSpace& space,
                                     const SampledStudyOptions& opt, const TrialEvaluator& evaluate,
                                     const std::atomic<bool>& stop) {
  StudyConfig sc;
  sc.name = opt.name;
  sc.objectives = opt.objectives;
  sc.space_fingerprint = space.fingerprint();
  sc.space_json = space.to_json().dump();
  sc.seeds = opt.seeds;
  SampledStudyResult res;
  res.study = storage.create_study(sc);
  const StudyId id = res.study.id;
  // Trials a killed run left RUNNING go back to the queue.
  storage.fail_stale_trials(id, 0, true);
  std::unique_ptr<Sampler> sampler;
  if (opt.sampler == "nsga2") {
    Nsga2Options o;
    o.population_size = opt.population;
    sampler = std::make_unique<Nsga2Sampler>(o);
  } else {
    sampler = std::make_unique<RandomSampler>();
  }
  Rng rng = Rng(opt.seed).split(static_cast<std::uint64_t>(storage.counted_trials(id)));
  TrialLog log(storage, id);
  const std::vector<Constraint> constraints;
  const std::string worker = worker_name();
  while (!stop.load()) {
    std::optional<Trial> t = storage.claim_next(id, worker);
    if (!t) {
      if (storage.counted_trials(id) >= opt.trials) break;
      log.refresh();
      const SamplerContext ctx{space, opt.objectives, constraints, log.trials()};
      const Proposal p = sampler->propose(ctx, rng);
      t = storage.try_start_trial(id, p.genotype, worker, p.attrs, opt.trials);
      if (!t) continue;
    }
    const std::optional<TrialOutcome> out = evaluate(*t);
    if (!out) {
      storage.release_trial(t->id);
      res.interrupted = true;
      break;
    }
    storage.finish_trial(t->id, *out);
  }
  res.interrupted = res.interrupted || stop.load();
  res.trials = storage.list_trials(id);
  return res;
}

}  // namespace nac
