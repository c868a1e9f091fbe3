// The compressor's small searches: the sequential sampled study (seeds first, budget, stop and
// resume), the per-layer width genotype and front selection, the recipe genotype; and both
// searches run for real on a tiny model.
#include <gtest/gtest.h>

#include "../data/temp_dir.hpp"
#include "../support/quant_graphs.hpp"
#include "nac/compress/layer_search.hpp"
#include "nac/compress/recipe_search.hpp"
#include "nac/compress/sampled_study.hpp"
#include "nac/graph/passes/calibrate.hpp"

namespace nac {
namespace {

TEST(CompressSearch, SpreadIndicesCoverTheFront) {
  EXPECT_EQ(spread_indices(5, 2), (std::vector<int>{0, 4}));
  EXPECT_EQ(spread_indices(5, 3), (std::vector<int>{0, 2, 4}));
  EXPECT_EQ(spread_indices(2, 5), (std::vector<int>{0, 1}));
  EXPECT_EQ(spread_indices(5, 1), (std::vector<int>{4}));  // the most accurate
  EXPECT_TRUE(spread_indices(0, 2).empty());
}

TEST(CompressSearch, LayerWidthGenotype) {
  const Graph g = testing::quant_mlp(1);
  const SearchSpace s = layer_width_space(g, {4, 6});
  ASSERT_EQ(s.choices.size(), 3u);
  EXPECT_EQ(s.choices[0].name, "bits.fc1");
  Genotype geno;
  geno.set("bits.fc1", std::int64_t{6});
  geno.set("bits.fc2", std::int64_t{4});
  geno.set("bits.out", std::int64_t{6});
  const PrecisionSpec p = layer_width_spec(g, geno, "mixed_t3");
  EXPECT_EQ(p.label, "mixed_t3");
  EXPECT_EQ(p.bits, 6);  // the input takes the first layer's width
  EXPECT_EQ(p.layers.at("fc2").bits, 4);
}

TEST(CompressSearch, RecipeGenotype) {
  TrainOptions base;
  base.optimizer.lr = 0.002;
  RecipeSearchOptions o;
  const SearchSpace s = recipe_space(o, base);
  EXPECT_DOUBLE_EQ(s.at("lr").low, 0.0002);
  EXPECT_DOUBLE_EQ(s.at("lr").high, 0.02);
  EXPECT_TRUE(s.at("lr").log);
  Genotype g;
  g.set("lr", 0.005);
  g.set("weight_decay", 1e-5);
  g.set("schedule", std::string("cosine"));
  g.set("batch", std::int64_t{64});
  const TrainOptions t = apply_recipe(base, g);
  EXPECT_DOUBLE_EQ(t.optimizer.lr, 0.005);
  EXPECT_DOUBLE_EQ(t.optimizer.weight_decay, 1e-5);
  EXPECT_EQ(t.schedule.kind, ScheduleKind::Cosine);
  EXPECT_EQ(t.batch_size, 64);
}

TEST(CompressSearch, SampledStudyRunsSeedsFirstStopsAndResumes) {
  test::TempDir dir;
  SearchSpace space;
  space.add(int_list_choice("a", {1, 2, 3, 4, 5, 6, 7, 8}));
  space.add(int_list_choice("b", {1, 2, 3}));
  SampledStudyOptions o;
  o.name = "s";
  o.objectives = {{"f", Direction::Minimize}, {"g", Direction::Minimize}};
  o.sampler = "nsga2";
  o.population = 2;
  o.trials = 6;
  Genotype seed;
  seed.set("a", std::int64_t{8});
  seed.set("b", std::int64_t{3});
  o.seeds = {{"top", seed}};
  std::atomic<bool> stop{false};
  int calls = 0;
  std::vector<Genotype> seen;
  auto eval = [&](const Trial& t) -> std::optional<TrialOutcome> {
    seen.push_back(t.genotype);
    if (++calls == 3) {
      stop = true;
      return std::nullopt;
    }
    const double a = static_cast<double>(t.genotype.get_int("a"));
    const double b = static_cast<double>(t.genotype.get_int("b"));
    TrialOutcome out;
    out.values = {a * b, 10 - a};
    return out;
  };
  auto storage = open_storage(dir.file("s.db"));
  SampledStudyResult r = run_sampled_study(*storage, space, o, eval, stop);
  EXPECT_TRUE(r.interrupted);
  EXPECT_EQ(seen.front(), seed);
  ASSERT_EQ(r.trials.size(), 3u);
  EXPECT_EQ(r.trials[2].state, TrialState::Waiting);  // released, runs again

  stop = false;
  r = run_sampled_study(*storage, space, o, eval, stop);
  EXPECT_FALSE(r.interrupted);
  EXPECT_EQ(seen[3], seen[2]);  // the released trial first
  ASSERT_EQ(r.trials.size(), 6u);
  for (const Trial& t : r.trials) EXPECT_EQ(t.state, TrialState::Complete);
  // A finished study runs nothing more.
  calls = 100;
  r = run_sampled_study(*storage, space, o, eval, stop);
  EXPECT_EQ(calls, 100);
}

TEST(CompressSearch, BothSearchesRunOnATinyModel) {
  test::TempDir dir;
  const Graph g = testing::quant_mlp(4);
  TaskData data;
  auto make = [&](int n, std::uint64_t seed) {
    Dataset d;
    d.x = testing::quant_inputs(g, n, seed);
    d.y = Tensor<float>({n, 3});
    Rng rng(seed);
    for (auto& v : d.y.data) v = static_cast<float>(rng.uniform(-1, 1));
    return d;
  };
  data.train = make(32, 1);
  data.val = make(16, 2);
  const CalibrationStats st = calibrate(g, data.train.x);
  std::atomic<bool> stop{false};
  const CompressContext ctx{data, g, st, {}, nullptr, stop};
  auto storage = open_storage(dir.file("c.db"));
  TrainOptions train;
  train.epochs = 1;
  train.batch_size = 16;
  std::vector<std::string> lines;
  auto log = [&](const std::string& s) { lines.push_back(s); };

  LayerSearchOptions lo;
  lo.trials = 4;
  lo.widths = {4, 8};
  lo.sampler = "random";
  lo.keep = 2;
  const LayerSearchResult lr = run_layer_search(*storage, "t", ctx, lo, train, log);
  EXPECT_EQ(lr.trials, 4);
  EXPECT_GE(lr.front, 1);
  EXPECT_EQ(lr.chosen.size(), static_cast<std::size_t>(std::min(2, lr.front)));
  for (const auto& spec : lr.chosen) {
    EXPECT_EQ(spec.label.rfind("mixed_t", 0), 0u);
    EXPECT_EQ(spec.layers.size(), 3u);
  }
  const auto study = storage->find_study("t.layers");
  ASSERT_TRUE(study);
  const auto trials = storage->list_trials(study->id);
  ASSERT_EQ(trials.size(), 4u);
  EXPECT_EQ(trials[0].attrs.at("seed"), "uniform8");  // the seeds run first
  EXPECT_EQ(trials[1].attrs.at("seed"), "uniform4");
  EXPECT_GT(trials[0].values[1], trials[1].values[1]);  // 8 bits cost more BOPs than 4

  RecipeSearchOptions ro;
  ro.trials = 3;
  ro.batch = {8, 16};
  const RecipeSearchResult rr = run_recipe_search(*storage, "t", ctx, ro, train, log);
  EXPECT_EQ(rr.trials, 3);
  ASSERT_GE(rr.best_trial, 0);
  const auto rs = storage->list_trials(storage->find_study("t.recipe")->id);
  for (const Trial& t : rs) EXPECT_GE(t.values[0], rr.best_score);
  EXPECT_DOUBLE_EQ(rr.best.optimizer.lr,
                   rs[static_cast<std::size_t>(rr.best_trial)].genotype.get_float("lr"));
  EXPECT_EQ(lines.size(), 7u);  // one progress line per trial
}

}  // namespace
}  // namespace nac
