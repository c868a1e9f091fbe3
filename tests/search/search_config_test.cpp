#include "nac/search/search_config.hpp"

#include <gtest/gtest.h>

#include "nac/core/error.hpp"

namespace nac {
namespace {

const std::string kSpace = std::string(NAC_SOURCE_DIR) + "/examples/spaces/bragg.yaml";

std::string config(const std::string& search, const std::string& metric = "peak_distance") {
  return "data: {generator: bragg, samples: 100}\nmetric: {kind: " + metric +
         "}\nsearch:\n  space: " + kSpace + "\n" + search;
}

// The InputError message of parsing `text`, or "" when it parses.
std::string error_of(const std::string& text) {
  try {
    parse_search_config(text, "/tmp/task.yaml");
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

TEST(SearchConfig, ObjectivesDirectionsAndDefaults) {
  const SearchConfig c = parse_search_config(
      config("  objectives: [metric, val_p95_px, {name: params, direction: maximize}, bops]\n"
             "  constraints: [{name: bops, max: 1e9}]\n"
             "  pruner: successive_halving\n"),
      "/tmp/task.yaml");
  const auto& o = c.search.objectives;
  ASSERT_EQ(o.size(), 4u);
  EXPECT_EQ(o[0].objective, (Objective{"val_mean_px", Direction::Minimize}));
  EXPECT_EQ(o[0].source, ObjectiveSource::Metric);
  EXPECT_EQ(o[0].key, "mean_px");
  EXPECT_EQ(o[1].key, "p95_px");
  EXPECT_EQ(o[2].objective.direction, Direction::Maximize);
  EXPECT_EQ(o[3].source, ObjectiveSource::Cost);
  EXPECT_EQ(c.search.metric_objective(), 0);
  EXPECT_EQ(c.search.study, "task");  // the config's name
  EXPECT_EQ(c.search.sampler, "nsga2");
  EXPECT_EQ(c.search.pruner.kind, PrunerKind::SuccessiveHalving);
  EXPECT_EQ(c.search.pruner.halving.eta, 3);
  EXPECT_EQ(c.search.constraints[0].max, 1e9);
  EXPECT_EQ(c.space.name, "bragg");
  EXPECT_EQ(c.space.seeds.size(), 2u);
  EXPECT_EQ(c.task.train.metric.patch_size, 11);  // the generator's patch

  const SearchConfig cls = parse_search_config(
      "data: {generator: bragg, samples: 100}\nmetric: {kind: loss}\nsearch:\n  space: " + kSpace +
          "\n  objectives: [metric, paper_bops]\n  pruner: {kind: dominance, warmup: 3}\n",
      "/tmp/t.yaml");
  EXPECT_EQ(cls.search.objectives[0].objective.name, "val_loss");
  EXPECT_EQ(cls.search.pruner.dominance.warmup_epochs, 3);
  EXPECT_EQ(cls.search.pruner.dominance.min_trials, 5);
}

TEST(SearchConfig, ErrorsNameFileLineAndKey) {
  std::string e = error_of(config("  objectives: [val_mean_px, val_accuracy]\n"));
  EXPECT_NE(e.find("/tmp/task.yaml:5: search.objectives[1]: unknown objective 'val_accuracy'"),
            std::string::npos)
      << e;
  e = error_of(config("  objectives: [bops]\n  pruner: dominance\n"));
  EXPECT_NE(e.find("search.pruner: a pruner needs a val_ metric objective"), std::string::npos)
      << e;
  e = error_of(config("  objectives: [metric]\n  pruner: {kind: halving}\n"));
  EXPECT_NE(e.find("unknown pruner 'halving'"), std::string::npos) << e;
  e = error_of(config("  objectives: [metric, bops]\n  reference_point: [1]\n"));
  EXPECT_NE(e.find("search.reference_point: expected one value per objective (2)"),
            std::string::npos)
      << e;
  e = error_of(config("  objectives: [metric]\n  workers: 0\n"));
  EXPECT_NE(e.find("search.workers: expected an integer >= 1"), std::string::npos) << e;
  e = error_of(config("  objectives: [metric]\n  sampler: tpe\n"));
  EXPECT_NE(e.find("unknown sampler 'tpe'"), std::string::npos) << e;
  e = error_of(config("  objectives: [metric, metric]\n"));
  EXPECT_NE(e.find("listed twice"), std::string::npos) << e;
  e = error_of(config("  objectives: [metric]\n  popsize: 3\n"));
  EXPECT_NE(e.find("popsize"), std::string::npos) << e;
  e = error_of(config("  objectives: []\n"));
  EXPECT_NE(e.find("expected at least one objective"), std::string::npos) << e;
  e = error_of(
      "data: {generator: bragg, samples: 100}\nsearch:\n  space: nowhere.yaml\n"
      "  objectives: [metric]\n");
  EXPECT_NE(e.find("/tmp/task.yaml:3: search.space: /tmp/nowhere.yaml"), std::string::npos) << e;
}

}  // namespace
}  // namespace nac
