#include "storage_conformance.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <csignal>
#include <cstring>
#include <limits>
#include <set>
#include <thread>

#include "nac/core/error.hpp"

namespace nac::testing {

std::string engine_name(const ::testing::TestParamInfo<StorageEngine>& info) {
  return info.param.name;
}

void StorageConformance::SetUp() {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  location_ = GetParam().make_location(info->name());
}

void StorageConformance::TearDown() { GetParam().destroy(location_); }

std::unique_ptr<Storage> StorageConformance::open(StorageOptions options) const {
  return GetParam().open(location_, std::move(options));
}

namespace {

StudyConfig two_objectives(const std::string& name) {
  return {name, {{"error", Direction::Minimize}, {"accuracy", Direction::Maximize}}, "fp1", "{}"};
}

// "p3", "t1": built with append, as GCC 12 misreports "literal" + std::string (-Wrestrict).
std::string tag(const char* prefix, int i) {
  std::string s(prefix);
  s.append(std::to_string(i));
  return s;
}

Genotype geno(std::int64_t width, const std::string& act = "relu") {
  Genotype g;
  g.set("width", width);
  g.set("act", act);
  return g;
}

// Runs `child` in a forked process and returns its wait status. The child never returns.
int run_child(const std::function<int()>& child) {
  const pid_t pid = fork();
  if (pid == 0) {
    int code = 99;
    try {
      code = child();
    } catch (...) {
      code = 98;
    }
    _exit(code);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  return status;
}

}  // namespace

TEST_P(StorageConformance, CreateAndReopenAStudy) {
  StudyId id = 0;
  {
    auto s = open();
    EXPECT_FALSE(s->find_study("bragg"));
    const Study st = s->create_study(two_objectives("bragg"));
    id = st.id;
    EXPECT_EQ(st.name, "bragg");
    EXPECT_EQ(st.objectives, two_objectives("bragg").objectives);
    EXPECT_EQ(st.space_fingerprint, "fp1");
    s->enqueue_trial(id, geno(8));
  }
  auto s = open();
  const auto found = s->find_study("bragg");
  ASSERT_TRUE(found);
  EXPECT_EQ(found->id, id);
  EXPECT_EQ(found->objectives[1].direction, Direction::Maximize);
  EXPECT_EQ(s->create_study(two_objectives("bragg")).id, id);  // reopening is creating again
  EXPECT_EQ(s->list_trials(id).size(), 1u);
  ASSERT_EQ(s->list_studies().size(), 1u);
}

TEST_P(StorageConformance, ReopeningWithOtherObjectivesOrSpaceIsAnError) {
  auto s = open();
  s->create_study(two_objectives("jets"));
  StudyConfig flipped = two_objectives("jets");
  flipped.objectives[1].direction = Direction::Minimize;
  EXPECT_THROW(s->create_study(flipped), InputError);
  StudyConfig fewer = two_objectives("jets");
  fewer.objectives.pop_back();
  EXPECT_THROW(s->create_study(fewer), InputError);
  StudyConfig other_space = two_objectives("jets");
  other_space.space_fingerprint = "fp2";
  try {
    s->create_study(other_space);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("jets"), std::string::npos);
  }
  EXPECT_THROW(s->create_study({"", {{"e", Direction::Minimize}}, "", ""}), InputError);
  EXPECT_THROW(s->create_study({"none", {}, "", ""}), InputError);
}

TEST_P(StorageConformance, ClaimsWaitingTrialsInOrderOnce) {
  auto s = open();
  const StudyId id = s->create_study(two_objectives("a")).id;
  EXPECT_FALSE(s->claim_next(id, "w"));
  const TrialId t0 = s->enqueue_trial(id, geno(8), {{"seed", "braggnn"}});
  const Trial running = s->start_trial(id, geno(16), "sampler-worker");
  const TrialId t2 = s->enqueue_trial(id, geno(32));
  EXPECT_EQ(running.number, 1);
  EXPECT_EQ(running.state, TrialState::Running);
  EXPECT_EQ(running.worker, "sampler-worker");
  EXPECT_GT(running.heartbeat_at, 0);

  const auto c0 = s->claim_next(id, "w1");
  ASSERT_TRUE(c0);
  EXPECT_EQ(c0->id, t0);
  EXPECT_EQ(c0->number, 0);
  EXPECT_EQ(c0->state, TrialState::Running);
  EXPECT_EQ(c0->worker, "w1");
  EXPECT_EQ(c0->genotype, geno(8));
  EXPECT_EQ(c0->attrs.at("seed"), "braggnn");
  const auto c2 = s->claim_next(id, "w2");
  ASSERT_TRUE(c2);
  EXPECT_EQ(c2->id, t2);
  EXPECT_EQ(c2->number, 2);
  EXPECT_FALSE(s->claim_next(id, "w3"));
  const auto all = s->list_trials(id);
  ASSERT_EQ(all.size(), 3u);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(all[static_cast<std::size_t>(i)].number, i);
}

TEST_P(StorageConformance, NoDoubleClaimAcrossThreads) {
  const int n_trials = 120;
  StudyId id = 0;
  {
    auto s = open();
    id = s->create_study(two_objectives("threads")).id;
    for (int i = 0; i < n_trials; ++i) s->enqueue_trial(id, geno(i));
  }
  auto shared = open();  // two of the threads share one connection
  std::atomic<int> lost{0}, claimed{0};
  auto work = [&](Storage& st, int w) {
    while (auto t = st.claim_next(id, tag("t", w))) {
      ++claimed;
      if (!st.finish_trial(t->id, TrialState::Complete, {static_cast<double>(w), 0.0})) ++lost;
    }
  };
  std::vector<std::thread> threads;
  for (int w = 0; w < 5; ++w)
    threads.emplace_back([&, w] {
      if (w < 3) {
        auto own = open();
        work(*own, w);
      } else {
        work(*shared, w);
      }
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(lost.load(), 0);
  EXPECT_EQ(claimed.load(), n_trials);
  const auto trials = shared->list_trials(id);
  ASSERT_EQ(static_cast<int>(trials.size()), n_trials);
  for (const auto& t : trials) {
    EXPECT_EQ(t.state, TrialState::Complete);
    EXPECT_EQ(t.worker, tag("t", static_cast<int>(t.values.at(0))));
  }
}

TEST_P(StorageConformance, NoDoubleClaimAcrossProcesses) {
  const int n_trials = 120, n_procs = 4;
  StudyId id = 0;
  {
    auto s = open();
    id = s->create_study(two_objectives("procs")).id;
    for (int i = 0; i < n_trials; ++i) s->enqueue_trial(id, geno(i));
  }
  std::vector<pid_t> pids;
  for (int w = 0; w < n_procs; ++w) {
    const pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      int code = 0;
      try {
        auto st = open();
        while (auto t = st->claim_next(id, tag("p", w)))
          if (!st->finish_trial(t->id, TrialState::Complete, {static_cast<double>(w), 1.0}))
            code = 2;  // someone else finished "our" trial: a double claim
      } catch (...) {
        code = 3;
      }
      _exit(code);
    }
    pids.push_back(pid);
  }
  for (pid_t pid : pids) {
    int status = 0;
    waitpid(pid, &status, 0);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "status " << status;
  }
  auto s = open();
  const auto trials = s->list_trials(id);
  ASSERT_EQ(static_cast<int>(trials.size()), n_trials);
  for (const auto& t : trials) {
    EXPECT_EQ(t.state, TrialState::Complete) << t.number;
    ASSERT_EQ(t.values.size(), 2u);
    EXPECT_EQ(t.worker, tag("p", static_cast<int>(t.values[0])));
  }
}

TEST_P(StorageConformance, HeartbeatsKeepTrialsAliveAndStaleOnesFail) {
  double now = 1000.0;
  StorageOptions opts;
  opts.clock = [&] { return now; };
  auto s = open(opts);
  const StudyId id = s->create_study(two_objectives("hb")).id;
  const TrialId a = s->enqueue_trial(id, geno(8), {{"note", "x"}});
  const TrialId b = s->enqueue_trial(id, geno(16));
  ASSERT_TRUE(s->claim_next(id, "alive"));
  ASSERT_TRUE(s->claim_next(id, "dead"));
  now = 1005;
  EXPECT_TRUE(s->heartbeat(a));
  EXPECT_EQ(s->get_trial(a).heartbeat_at, 1005);
  now = 1012;  // a: 7 s since its heartbeat, b: 12 s
  EXPECT_EQ(s->fail_stale_trials(id, 10, false), std::vector<TrialId>{b});
  const Trial tb = s->get_trial(b);
  EXPECT_EQ(tb.state, TrialState::Failed);
  EXPECT_NE(tb.reason.find("heartbeat"), std::string::npos);
  EXPECT_FALSE(s->heartbeat(b));  // the dead worker, if it comes back, learns it lost the trial
  EXPECT_FALSE(s->finish_trial(b, TrialState::Complete, {1, 2}));
  EXPECT_EQ(s->get_trial(b).values.size(), 0u);
  EXPECT_EQ(s->get_trial(a).state, TrialState::Running);
  now = 1016;
  EXPECT_EQ(s->fail_stale_trials(id, 10, true), std::vector<TrialId>{a});
  // The re-queued copy waits with the same genotype and attributes.
  const auto copy = s->claim_next(id, "new");
  ASSERT_TRUE(copy);
  EXPECT_EQ(copy->number, 2);
  EXPECT_EQ(copy->genotype, geno(8));
  EXPECT_EQ(copy->attrs.at("note"), "x");
  EXPECT_EQ(copy->attrs.at("requeued_from"), "0");
  EXPECT_TRUE(s->fail_stale_trials(id, 10, true).empty());
}

TEST_P(StorageConformance, IntermediateValuesPerStep) {
  auto s = open();
  const StudyId id = s->create_study(two_objectives("iv")).id;
  s->enqueue_trial(id, geno(8));
  const TrialId t = s->claim_next(id, "w")->id;
  for (int epoch = 0; epoch < 5; ++epoch)
    EXPECT_TRUE(s->report_intermediate(t, epoch, 1.0 / (epoch + 1)));
  EXPECT_TRUE(s->report_intermediate(t, 2, 0.25));  // a repeated step overwrites
  const Trial got = s->get_trial(t);
  ASSERT_EQ(got.intermediate.size(), 5u);
  EXPECT_EQ(got.intermediate.at(0), 1.0);
  EXPECT_EQ(got.intermediate.at(2), 0.25);
  EXPECT_EQ(got.intermediate.at(4), 0.2);
  ASSERT_TRUE(s->finish_trial(t, TrialState::Pruned, {}, "median pruner at epoch 4"));
  EXPECT_FALSE(s->report_intermediate(t, 5, 0.1));
  EXPECT_EQ(s->get_trial(t).intermediate.size(), 5u);
}

TEST_P(StorageConformance, FinishStatesValuesAndReasons) {
  auto s = open();
  const StudyId id = s->create_study(two_objectives("fin")).id;
  for (int i = 0; i < 4; ++i) s->enqueue_trial(id, geno(i));
  const TrialId c = s->claim_next(id, "w")->id, p = s->claim_next(id, "w")->id,
                f = s->claim_next(id, "w")->id;
  const double inf = std::numeric_limits<double>::infinity();
  EXPECT_THROW(s->finish_trial(c, TrialState::Complete, {0.5}), InputError);  // 1 of 2 values
  EXPECT_THROW(s->finish_trial(c, TrialState::Running, {0.5, 1}), InputError);
  EXPECT_THROW(s->finish_trial(f, TrialState::Failed, {1}), InputError);
  EXPECT_TRUE(s->finish_trial(c, TrialState::Complete, {0.125, inf}));
  EXPECT_TRUE(s->finish_trial(p, TrialState::Pruned, {std::nan("")}, "pruned at epoch 3"));
  EXPECT_TRUE(s->finish_trial(f, TrialState::Failed, {}, "NaN loss at epoch 2"));
  EXPECT_FALSE(s->finish_trial(c, TrialState::Failed, {}));  // already finished
  const auto waiting = s->list_trials(id).back();
  EXPECT_EQ(waiting.state, TrialState::Waiting);
  EXPECT_FALSE(s->finish_trial(waiting.id, TrialState::Complete, {1, 2}));  // never claimed

  const Trial tc = s->get_trial(c), tp = s->get_trial(p), tf = s->get_trial(f);
  EXPECT_EQ(tc.state, TrialState::Complete);
  EXPECT_EQ(tc.values, (std::vector<double>{0.125, inf}));
  EXPECT_GE(tc.finished_at, tc.started_at);
  EXPECT_EQ(tp.state, TrialState::Pruned);
  ASSERT_EQ(tp.values.size(), 1u);
  EXPECT_TRUE(std::isnan(tp.values[0]));
  EXPECT_EQ(tp.reason, "pruned at epoch 3");
  EXPECT_EQ(tf.state, TrialState::Failed);
  EXPECT_EQ(tf.reason, "NaN loss at epoch 2");
  EXPECT_TRUE(tf.values.empty());
  EXPECT_THROW(s->get_trial(987654), InputError);
}

TEST_P(StorageConformance, TwoStudiesInOneStore) {
  auto s = open();
  const StudyId a = s->create_study(two_objectives("bragg")).id;
  const StudyId b = s->create_study({"jets", {{"acc", Direction::Maximize}}, "fpj", ""}).id;
  EXPECT_NE(a, b);
  s->enqueue_trial(a, geno(1));
  s->enqueue_trial(b, geno(2));
  s->enqueue_trial(a, geno(3));
  const auto ta = s->list_trials(a), tb = s->list_trials(b);
  ASSERT_EQ(ta.size(), 2u);
  ASSERT_EQ(tb.size(), 1u);
  EXPECT_EQ(tb[0].number, 0);  // numbering is per study
  EXPECT_EQ(ta[1].number, 1);
  const auto cb = s->claim_next(b, "w");
  ASSERT_TRUE(cb);
  EXPECT_EQ(cb->genotype, geno(2));
  EXPECT_FALSE(s->claim_next(b, "w"));
  EXPECT_TRUE(s->finish_trial(cb->id, TrialState::Complete, {0.7}));  // one objective
  s->set_study_attr(a, "k", "for a");
  EXPECT_TRUE(s->study_attrs(b).empty());
  EXPECT_EQ(s->study_attrs(a).at("k"), "for a");
  ASSERT_EQ(s->list_studies().size(), 2u);
  EXPECT_EQ(s->list_studies()[1].name, "jets");
}

TEST_P(StorageConformance, AttributesAndFilteredListing) {
  auto s = open();
  const StudyId id = s->create_study(two_objectives("attrs")).id;
  for (int i = 0; i < 5; ++i) s->enqueue_trial(id, geno(i));
  const auto t0 = s->claim_next(id, "w");
  s->set_trial_attr(t0->id, "params", "3016");
  s->set_trial_attr(t0->id, "params", "45274");  // overwrite
  EXPECT_EQ(s->get_trial(t0->id).attrs.at("params"), "45274");
  EXPECT_THROW(s->set_trial_attr(424242, "k", "v"), InputError);
  EXPECT_THROW(s->enqueue_trial(424242, geno(1)), InputError);
  s->set_study_attr(id, "nsga2.parents.1", "[0,1]");
  s->set_study_attr(id, "nsga2.parents.1", "[0,2]");
  EXPECT_EQ(s->study_attrs(id).at("nsga2.parents.1"), "[0,2]");

  ASSERT_TRUE(s->finish_trial(t0->id, TrialState::Complete, {1, 2}));
  ASSERT_TRUE(s->claim_next(id, "w"));  // trial 1 RUNNING
  const auto after2 = s->list_trials(id, {2, {}});
  ASSERT_EQ(after2.size(), 2u);
  EXPECT_EQ(after2[0].number, 3);
  const auto changed = s->list_trials(id, {3, {1, 0, 7}});  // 4, plus 0 and 1
  std::vector<int> numbers;
  for (const auto& t : changed) numbers.push_back(t.number);
  EXPECT_EQ(numbers, (std::vector<int>{0, 1, 4}));
  EXPECT_EQ(changed[0].values, (std::vector<double>{1, 2}));
  EXPECT_EQ(changed[1].state, TrialState::Running);
}

TEST_P(StorageConformance, CrashInsideATransactionLeavesNoTrace) {
  StudyId id = 0;
  TrialId running = 0;
  {
    auto s = open();
    id = s->create_study(two_objectives("crash")).id;
    s->enqueue_trial(id, geno(1));
    s->enqueue_trial(id, geno(2));
    running = s->claim_next(id, "parent")->id;  // trial 0 RUNNING, trial 1 WAITING
  }
  auto crash_at = [&](const char* point, bool kill, const std::function<void(Storage&)>& op) {
    return run_child([&, point, kill] {
      StorageOptions opts;
      opts.fault_hook = [point, kill](const char* p) {
        if (std::strcmp(p, point) != 0) return;
        if (kill) raise(SIGKILL);
        _exit(0);
      };
      auto st = open(opts);
      op(*st);
      return 1;  // the hook did not fire
    });
  };
  int status = crash_at("claim:updated", true, [&](Storage& st) { st.claim_next(id, "child"); });
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) << status;
  status = crash_at("finish:updated", false, [&](Storage& st) {
    st.finish_trial(running, TrialState::Complete, {1, 2});
  });
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
  status = crash_at("enqueue:inserted", true, [&](Storage& st) { st.enqueue_trial(id, geno(3)); });
  EXPECT_TRUE(WIFSIGNALED(status)) << status;

  StorageOptions opts;
  opts.busy_timeout_s = 5;  // a lock left behind would make the next calls fail
  auto s = open(opts);
  const auto trials = s->list_trials(id);
  ASSERT_EQ(trials.size(), 2u);  // the killed enqueue added nothing
  EXPECT_EQ(trials[0].state, TrialState::Running);
  EXPECT_TRUE(trials[0].values.empty());
  EXPECT_EQ(trials[0].worker, "parent");
  EXPECT_EQ(trials[1].state, TrialState::Waiting);
  const auto claimed = s->claim_next(id, "after");
  ASSERT_TRUE(claimed);
  EXPECT_EQ(claimed->number, 1);
  EXPECT_TRUE(s->finish_trial(running, TrialState::Complete, {3, 4}));
  EXPECT_EQ(s->enqueue_trial(id, geno(4)) > 0, true);
}

TEST_P(StorageConformance, CorruptStoreIsAClearError) {
  if (!GetParam().corrupt) GTEST_SKIP() << "engine cannot corrupt its store";
  {
    auto s = open();
    const StudyId id = s->create_study(two_objectives("c")).id;
    for (int i = 0; i < 50; ++i) s->enqueue_trial(id, geno(i, std::string(200, 'x')));
  }
  GetParam().corrupt(location_);
  try {
    auto s = open();
    const auto st = s->find_study("c");
    if (st) s->list_trials(st->id);
    FAIL() << "a corrupt store was used without error";
  } catch (const StorageError& e) {
    EXPECT_NE(std::string(e.what()).find("corrupt"), std::string::npos) << e.what();
  }
}

TEST_P(StorageConformance, LockedStoreIsAClearError) {
  if (!GetParam().hold_lock) GTEST_SKIP() << "engine cannot hold a lock";
  StudyId id = 0;
  {
    auto s = open();
    id = s->create_study(two_objectives("l")).id;
  }
  StorageOptions opts;
  opts.busy_timeout_s = 0.3;
  auto s = open(opts);
  const auto release = GetParam().hold_lock(location_);
  try {
    s->enqueue_trial(id, geno(1));
    FAIL() << "wrote through a lock";
  } catch (const StorageError& e) {
    EXPECT_NE(std::string(e.what()).find("locked"), std::string::npos) << e.what();
  }
  release();
  EXPECT_GT(s->enqueue_trial(id, geno(1)), 0);
  EXPECT_EQ(s->list_trials(id).size(), 1u);
}

}  // namespace nac::testing
