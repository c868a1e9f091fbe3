#include "nac/study/heartbeat.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <thread>

#include "nac/study/sqlite/sqlite_storage.hpp"

namespace nac {
namespace {

// Polls `cond` for up to 10 s (a bound for a stuck test, not a timing requirement).
template <typename F>
bool eventually(F cond) {
  for (int i = 0; i < 1000 && !cond(); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  return cond();
}

TEST(Heartbeat, BeatsWhileRunningAndNoticesALostTrial) {
  const std::string path =
      ::testing::TempDir() + "nac_heartbeat_" + std::to_string(getpid()) + ".db";
  for (const char* s : {"", "-wal", "-shm"}) std::remove((path + s).c_str());
  {
    SqliteStorage worker(path), sweeper(path);
    const StudyId id = worker.create_study({"hb", {{"f", Direction::Minimize}}, "", ""}).id;
    Genotype g;
    g.set("w", std::int64_t{1});
    worker.enqueue_trial(id, g);
    const Trial t = *worker.claim_next(id, "w");
    Heartbeat hb(worker, t.id, 0.01);
    ASSERT_TRUE(eventually([&] { return hb.beats() >= 3; }));
    EXPECT_GT(sweeper.get_trial(t.id).heartbeat_at, t.heartbeat_at);
    EXPECT_FALSE(hb.lost());
    // Another process decides the worker is dead (a negative timeout makes every trial stale).
    ASSERT_EQ(sweeper.fail_stale_trials(id, -1e9, false).size(), 1u);
    EXPECT_TRUE(eventually([&] { return hb.lost(); }));
  }
  for (const char* s : {"", "-wal", "-shm"}) std::remove((path + s).c_str());
}

}  // namespace
}  // namespace nac
