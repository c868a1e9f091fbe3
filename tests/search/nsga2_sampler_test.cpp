#include "nac/search/nsga2/nsga2_sampler.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include "nac/core/error.hpp"
#include "nac/core/rng.hpp"
#include "nac/search/hypervolume.hpp"

namespace nac {
namespace {

std::string vname(int i) {
  std::string s = "x";
  s.append(std::to_string(i));
  return s;
}

SearchSpace float_space(int n) {
  SearchSpace s;
  s.name = "box";
  for (int i = 0; i < n; ++i) s.add(float_range_choice(vname(i), 0, 1));
  return s;
}

std::vector<double> zdt1(const Genotype& g, int n) {
  const double f1 = g.get_float("x0");
  double sum = 0;
  for (int i = 1; i < n; ++i) sum += g.get_float(vname(i));
  const double gg = 1 + 9 * sum / (n - 1);
  return {f1, gg * (1 - std::sqrt(f1 / gg))};
}

// Runs a sampler on an in-memory study (no storage): propose, evaluate, complete.
std::vector<Trial> run(Sampler& sampler, const SearchSpace& space, int n_trials, std::uint64_t seed,
                       const std::vector<Constraint>& constraints = {}) {
  const std::vector<Objective> objs = {{"f1", Direction::Minimize}, {"f2", Direction::Minimize}};
  std::vector<Trial> trials;
  Rng rng(seed);
  const int n = static_cast<int>(space.choices.size());
  for (int i = 0; i < n_trials; ++i) {
    const SamplerContext ctx{space, objs, constraints, trials};
    Proposal p = sampler.propose(ctx, rng);
    Trial t;
    t.number = i;
    t.genotype = p.genotype;
    t.attrs = p.attrs;
    t.state = TrialState::Complete;
    t.values = zdt1(t.genotype, n);
    trials.push_back(t);
  }
  return trials;
}

double hv_of(const std::vector<Trial>& trials) {
  std::vector<std::vector<double>> pts;
  for (const auto& t : trials) pts.push_back(t.values);
  return hypervolume(pts, {1.1, 1.1});
}

TEST(Nsga2Sampler, GenerationsCloseAfterPopulationSizeCompleteTrials) {
  const SearchSpace space = float_space(3);
  Nsga2Options o;
  o.population_size = 4;
  Nsga2Sampler sampler(o);
  const auto trials = run(sampler, space, 13, 1);
  // 4 random trials of generation 0, then generations 1 and 2 of 4 each, then generation 3.
  for (int i = 0; i < 13; ++i)
    EXPECT_EQ(trials[static_cast<std::size_t>(i)].attrs.at(kGenerationAttr), std::to_string(i / 4))
        << i;
  const std::vector<Objective> objs = {{"f1", Direction::Minimize}, {"f2", Direction::Minimize}};
  const std::vector<Constraint> none;
  const SamplerContext ctx{space, objs, none, trials};
  const auto p = sampler.parents(ctx);
  EXPECT_EQ(p.generation, 2);
  EXPECT_EQ(p.numbers.size(), 4u);
  // The parents are the best 4 of generation 2 plus generation 1's parents, by rank.
  for (int n : p.numbers) EXPECT_LT(n, 12);
  for (std::size_t k = 1; k < p.rank.size(); ++k) EXPECT_LE(p.rank[k - 1], p.rank[k]);
}

TEST(Nsga2Sampler, FailedAndRunningTrialsDoNotCloseAGeneration) {
  const SearchSpace space = float_space(2);
  Nsga2Options o;
  o.population_size = 3;
  Nsga2Sampler sampler(o);
  std::vector<Trial> trials;
  const std::vector<Objective> objs = {{"f1", Direction::Minimize}, {"f2", Direction::Minimize}};
  const std::vector<Constraint> none;
  Rng rng(2);
  for (int i = 0; i < 5; ++i) {
    Trial t;
    t.number = i;
    t.genotype = sampler.propose({space, objs, none, trials}, rng).genotype;
    t.state = i < 2 ? TrialState::Complete : i < 4 ? TrialState::Failed : TrialState::Running;
    if (i < 2) t.values = {0.5, 0.5};
    t.attrs[kGenerationAttr] = "0";
    trials.push_back(t);
  }
  EXPECT_EQ(sampler.propose({space, objs, none, trials}, rng).attrs.at(kGenerationAttr), "0");
  trials[4].state = TrialState::Complete;
  trials[4].values = {0.1, 0.1};
  EXPECT_EQ(sampler.propose({space, objs, none, trials}, rng).attrs.at(kGenerationAttr), "1");
}

TEST(Nsga2Sampler, BeatsRandomSearchOnZdt1) {
  const int n = 10;
  const SearchSpace space = float_space(n);
  double hv_nsga = 0, hv_random = 0;
  for (std::uint64_t seed = 1; seed <= 3; ++seed) {
    Nsga2Options o;
    o.population_size = 20;
    Nsga2Sampler nsga(o);
    RandomSampler random;
    hv_nsga += hv_of(run(nsga, space, 400, seed));
    hv_random += hv_of(run(random, space, 400, seed));
  }
  // Random search on 10 variables rarely reaches the front; NSGA-II gets much closer.
  EXPECT_GT(hv_nsga, hv_random + 3 * 0.15) << hv_nsga << " vs " << hv_random;
}

TEST(Nsga2Sampler, ConstraintsSteerTheSearchIntoTheBudget) {
  const SearchSpace space = float_space(4);
  Nsga2Options o;
  o.population_size = 10;
  Nsga2Sampler sampler(o);
  // f1 <= 0.2 is feasible: later generations should stay there.
  const auto trials = run(sampler, space, 200, 4, {{"f1", 0.2}});
  int feasible_late = 0;
  for (int i = 150; i < 200; ++i)
    feasible_late += trials[static_cast<std::size_t>(i)].values[0] <= 0.2;
  EXPECT_GE(feasible_late, 40) << feasible_late;
  int feasible_first = 0;
  for (int i = 0; i < 10; ++i)
    feasible_first += trials[static_cast<std::size_t>(i)].values[0] <= 0.2;
  EXPECT_LE(feasible_first, 6);
}

TEST(Nsga2Sampler, SameSeedSameTrials) {
  const SearchSpace space = float_space(5);
  Nsga2Options o;
  o.population_size = 8;
  Nsga2Sampler a(o), b(o);
  const auto ta = run(a, space, 60, 9), tb = run(b, space, 60, 9);
  for (std::size_t i = 0; i < ta.size(); ++i) EXPECT_EQ(ta[i].genotype, tb[i].genotype);
}

TEST(Nsga2Sampler, AvoidsDuplicateGenotypesInSmallSpaces) {
  SearchSpace space;
  space.add(categorical_choice("a", {"p", "q", "r"}));
  space.add(int_list_choice("b", {1, 2, 3}));
  Nsga2Options o;
  o.population_size = 2;
  o.duplicate_retries = 60;
  Nsga2Sampler sampler(o);
  std::vector<Trial> trials;
  const std::vector<Objective> objs = {{"f", Direction::Minimize}};
  const std::vector<Constraint> none;
  Rng rng(3);
  std::set<std::string> seen;
  for (int i = 0; i < 9; ++i) {
    Trial t;
    t.number = i;
    const auto p = sampler.propose({space, objs, none, trials}, rng);
    t.genotype = p.genotype;
    t.attrs = p.attrs;
    t.state = TrialState::Complete;
    t.values = {static_cast<double>(t.genotype.get_int("b"))};
    trials.push_back(t);
    EXPECT_TRUE(seen.insert(t.genotype.to_string()).second) << i << " " << t.genotype.to_string();
  }
}

TEST(Nsga2Sampler, RejectsBadOptions) {
  Nsga2Options o;
  o.population_size = 1;
  EXPECT_THROW(Nsga2Sampler{o}, InputError);
  o.population_size = 10;
  o.crossover_prob = 1.5;
  EXPECT_THROW(Nsga2Sampler{o}, InputError);
}

TEST(Constraints, TotalViolationReadsObjectivesAndAttributes) {
  Trial t;
  t.values = {0.3, 5000};
  t.attrs = {{"lut", "120000"}, {"note", "fast"}};
  const std::vector<Objective> objs = {{"error", Direction::Minimize},
                                       {"bops", Direction::Minimize}};
  EXPECT_EQ(total_violation(t, objs, {}), 0.0);
  EXPECT_EQ(total_violation(t, objs, {{"bops", 4000}}), 1000.0);
  EXPECT_EQ(total_violation(t, objs, {{"lut", 100000}, {"bops", 6000}}), 20000.0);
  Constraint at_least;
  at_least.name = "error";
  at_least.min = 0.5;
  EXPECT_NEAR(total_violation(t, objs, {at_least}), 0.2, 1e-12);
  EXPECT_GT(total_violation(t, objs, {{"note", 1}}), 1e300);  // not a number
  EXPECT_GT(total_violation(t, objs, {{"missing", 1}}), 1e300);
}

}  // namespace
}  // namespace nac
