#include "nac/search/trial_log.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>

#include "nac/search/seeds.hpp"
#include "nac/study/sqlite/sqlite_storage.hpp"

namespace nac {
namespace {

class TrialLogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = ::testing::TempDir() + "nac_triallog_" + std::to_string(getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".db";
    cleanup();
  }
  void TearDown() override { cleanup(); }
  void cleanup() {
    for (const char* s : {"", "-wal", "-shm"}) std::remove((path_ + s).c_str());
  }
  std::string path_;
};

Genotype g(std::int64_t v) {
  Genotype x;
  x.set("v", v);
  return x;
}

TEST_F(TrialLogTest, RefreshSeesNewAndChangedTrials) {
  SqliteStorage a(path_), b(path_);
  const StudyId id = a.create_study({"s", {{"f", Direction::Minimize}}, "", ""}).id;
  TrialLog log(a, id);
  log.refresh();
  EXPECT_TRUE(log.trials().empty());
  b.enqueue_trial(id, g(0), {});
  b.enqueue_trial(id, g(1), {});
  log.refresh();
  ASSERT_EQ(log.trials().size(), 2u);
  EXPECT_EQ(log.trials()[0].state, TrialState::Waiting);
  const auto t = b.claim_next(id, "other");  // another worker moves trial 0 on
  b.finish_trial(t->id, TrialState::Complete, {0.5}, "");
  b.enqueue_trial(id, g(2), {});
  log.refresh();
  ASSERT_EQ(log.trials().size(), 3u);
  EXPECT_EQ(log.trials()[0].state, TrialState::Complete);
  EXPECT_EQ(log.trials()[0].values, std::vector<double>{0.5});
  EXPECT_EQ(log.trials()[2].genotype, g(2));
}

TEST_F(TrialLogTest, SeedsAreEnqueuedOnce) {
  SqliteStorage s(path_);
  const StudyId id = s.create_study({"s", {{"f", Direction::Minimize}}, "", ""}).id;
  SearchSpace space;
  space.add(int_range_choice("v", 0, 9));
  space.seeds = {{"base", g(3)}, {"other", g(7)}, {"again", g(3)}};
  EXPECT_EQ(enqueue_seeds(s, id, space).size(), 2u);
  EXPECT_TRUE(enqueue_seeds(s, id, space).empty());  // resuming the study
  const auto trials = s.list_trials(id);
  ASSERT_EQ(trials.size(), 2u);
  EXPECT_EQ(trials[0].attrs.at("seed"), "base");
  EXPECT_EQ(trials[1].genotype, g(7));
}

}  // namespace
}  // namespace nac
