// The worker loop in process: pruners stop trials through the epoch callback and the trials end
// PRUNED with their reason, intermediate values and values.
#include "nac/search/worker.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "nac/core/rng.hpp"
#include "nac/search/search_config.hpp"
#include "nac/study/sqlite/sqlite_storage.hpp"

namespace nac {
namespace {

namespace fs = std::filesystem;

class WorkerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("nac_worker_" + std::to_string(getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // A study whose two COMPLETE trials were, at epoch 1, perfect (0 px) with 1 parameter: they
  // dominate every real trial there.
  std::string setup(const std::string& pruner) {
    const std::string cfg = (dir_ / "task.yaml").string();
    std::ofstream(cfg) << "name: w\ndata: {generator: bragg, samples: 300, seed: 4}\n"
                          "train: {batch: 64, epochs: 3}\nmetric: {kind: peak_distance}\n"
                          "search:\n  space: "
                       << NAC_SOURCE_DIR << "/examples/spaces/bragg.yaml\n"
                       << "  objectives: [val_mean_px, params]\n  seeds: false\n  pruner: "
                       << pruner << "\n";
    const SearchConfig c = load_search_config(cfg);
    SqliteStorage s((dir_ / "study.db").string());
    const StudyId id = s.create_study({"w", c.search.study_objectives(), "", ""}).id;
    Rng rng(1);
    for (int i = 0; i < 2; ++i) {
      const Trial t = s.start_trial(id, sample(c.space, rng), "fake");
      s.report_intermediate(t.id, 1, 0.0);
      s.set_trial_attr(t.id, "params", "1");
      s.finish_trial(t.id, TrialState::Complete, {0.0, 1.0});
    }
    return cfg;
  }
  std::vector<Trial> trials() {
    SqliteStorage s((dir_ / "study.db").string());
    return s.list_trials(s.find_study("w")->id);
  }
  fs::path dir_;
};

TEST_F(WorkerTest, DominancePrunerStopsDominatedTrials) {
  WorkerArgs a;
  a.config = setup("{kind: dominance, warmup: 1, min_trials: 2, dominated_by: 2}");
  a.storage = (dir_ / "study.db").string();
  a.trials = 4;
  a.train_samples = 100;
  const std::atomic<bool> stop{false};
  EXPECT_EQ(run_worker(a, stop), 2);
  const auto ts = trials();
  ASSERT_EQ(ts.size(), 4u);
  for (int i = 2; i < 4; ++i) {
    const Trial& t = ts[static_cast<std::size_t>(i)];
    EXPECT_EQ(t.state, TrialState::Pruned) << t.reason;
    EXPECT_EQ(t.reason, "dominated at epoch 1 by 2 of 2 completed trials");
    ASSERT_EQ(t.intermediate.size(), 1u);  // stopped after epoch 1 of 3
    ASSERT_EQ(t.values.size(), 2u);
    EXPECT_EQ(t.values[0], t.intermediate.at(1));
    EXPECT_EQ(t.values[1], std::stod(t.attrs.at("params")));
    EXPECT_EQ(t.attrs.at("epochs_run"), "1");
  }
}

TEST_F(WorkerTest, SuccessiveHalvingStopsTrialsOutsideTheBestFraction) {
  WorkerArgs a;
  a.config = setup("{kind: successive_halving, min_epochs: 1, eta: 2, min_trials: 3}");
  a.storage = (dir_ / "study.db").string();
  a.trials = 4;
  a.train_samples = 100;
  const std::atomic<bool> stop{false};
  EXPECT_EQ(run_worker(a, stop), 2);
  const auto ts = trials();
  ASSERT_EQ(ts.size(), 4u);
  EXPECT_EQ(ts[2].reason, "successive halving at epoch 1: 2 of 3 trials in better fronts, 1 go on");
  EXPECT_EQ(ts[3].state, TrialState::Pruned);
  EXPECT_NE(ts[3].reason.find("of 4 trials in better fronts, 2 go on"), std::string::npos)
      << ts[3].reason;
}

TEST_F(WorkerTest, ArchitecturesOverBudgetAreNotTrained) {
  WorkerArgs a;
  a.config = setup("none\n  constraints: [{name: params, max: 10}]");
  a.storage = (dir_ / "study.db").string();
  a.trials = 3;
  const std::atomic<bool> stop{false};
  EXPECT_EQ(run_worker(a, stop), 1);
  const Trial t = trials().back();
  EXPECT_EQ(t.state, TrialState::Pruned);
  EXPECT_EQ(t.reason.rfind("violates the budget on params (", 0), 0u) << t.reason;
  EXPECT_TRUE(t.intermediate.empty());  // never trained
  ASSERT_EQ(t.values.size(), 2u);
  EXPECT_TRUE(std::isnan(t.values[0]));
  EXPECT_GT(t.values[1], 10);
}

TEST_F(WorkerTest, StopsBeforeStartingWhenAskedTo) {
  WorkerArgs a;
  a.config = setup("none");
  a.storage = (dir_ / "study.db").string();
  a.trials = 4;
  const std::atomic<bool> stop{true};
  EXPECT_EQ(run_worker(a, stop), 0);
  EXPECT_EQ(trials().size(), 2u);
  a.storage = (dir_ / "other.db").string();
  EXPECT_THROW(run_worker(a, stop), InputError);  // no such study there
}

}  // namespace
}  // namespace nac
