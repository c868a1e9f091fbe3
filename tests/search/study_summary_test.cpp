#include "nac/search/study_summary.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "nac/search/trial_points.hpp"

namespace nac {
namespace {

Trial trial(int number, TrialState s, std::vector<double> v, TrialAttrs attrs = {}) {
  Trial t;
  t.id = number + 100;
  t.number = number;
  t.state = s;
  t.values = std::move(v);
  t.attrs = std::move(attrs);
  return t;
}

const std::vector<Objective> kObjs = {{"error", Direction::Minimize},
                                      {"accuracy", Direction::Maximize}};

TEST(StudySummary, FrontReferenceAndHypervolume) {
  const std::vector<Trial> ts = {
      trial(0, TrialState::Complete, {0.4, 0.6}),
      trial(1, TrialState::Complete, {0.2, 0.5}),
      trial(2, TrialState::Pruned, {0.1, 0.9}),             // not complete: ignored
      trial(3, TrialState::Complete, {0.5, 0.4}),           // dominated by 0
      trial(4, TrialState::Complete, {0.3, std::nan("")}),  // not finite: ignored
      trial(5, TrialState::Complete, {0.1, 0.55}, {{"params", "900"}}),
  };
  const auto feasible = feasible_complete(ts, kObjs);
  ASSERT_EQ(feasible.size(), 4u);
  const auto front = pareto_front(feasible, kObjs);
  ASSERT_EQ(front.size(), 2u);  // 0 (best accuracy) and 5 (best error)
  EXPECT_EQ(front[0]->number, 0);
  EXPECT_EQ(front[1]->number, 5);
  // Constraint on an attribute: trials without it or over it are infeasible.
  Constraint c;
  c.name = "params";
  c.max = 1000;
  EXPECT_EQ(feasible_complete(ts, kObjs, {c}).size(), 1u);

  // error range [0.1, 0.5] -> 0.5 + 0.04; accuracy range [0.4, 0.6] -> 0.4 - 0.02.
  const auto ref = auto_reference(feasible, kObjs);
  ASSERT_EQ(ref.size(), 2u);
  EXPECT_NEAR(ref[0], 0.54, 1e-12);
  EXPECT_NEAR(ref[1], 0.38, 1e-12);
  // Minimised: points (0.4, -0.6), (0.1, -0.55) against (0.54, -0.38):
  // (0.54-0.1)(0.55-0.38) + (0.54-0.4)(0.6-0.55) = 0.0748 + 0.007.
  EXPECT_NEAR(front_hypervolume(front, kObjs, ref), 0.0818, 1e-12);
  const auto hist = hypervolume_history(feasible, kObjs, ref);
  ASSERT_EQ(hist.size(), 4u);
  EXPECT_EQ(hist[0].first, 0);
  EXPECT_NEAR(hist[0].second, 0.14 * 0.22, 1e-12);
  EXPECT_NEAR(hist[3].second, 0.0818, 1e-12);
  for (std::size_t i = 1; i < hist.size(); ++i) EXPECT_GE(hist[i].second, hist[i - 1].second);
  const auto best = best_per_objective(feasible, kObjs);
  EXPECT_EQ(feasible[static_cast<std::size_t>(best[0])]->number, 5);
  EXPECT_EQ(feasible[static_cast<std::size_t>(best[1])]->number, 0);
}

TEST(TrialPoints, PrunePointsAndDecisions) {
  SearchOptions o;
  o.objectives = {{{"val_accuracy", Direction::Maximize}, ObjectiveSource::Metric, "accuracy"},
                  {{"bops", Direction::Minimize}, ObjectiveSource::Cost, "bops"}};
  o.pruner.kind = PrunerKind::Dominance;
  o.pruner.dominance = {1, 2, 2};
  Trial me = trial(9, TrialState::Running, {}, {{"bops", "1e6"}});
  me.intermediate = {{1, 0.5}, {2, 0.6}};
  EXPECT_EQ(*prune_point(me, 2, o), (std::vector<double>{-0.6, 1e6}));
  EXPECT_FALSE(prune_point(me, 3, o));
  EXPECT_FALSE(prune_point(trial(1, TrialState::Complete, {}), 1, o));  // no bops attribute

  std::vector<Trial> ts;
  for (int i = 0; i < 3; ++i) {
    ts.push_back(trial(i, TrialState::Complete, {0.9, 1e5}, {{"bops", "1e5"}}));
    ts.back().intermediate = {{1, 0.7}, {2, 0.55}};
  }
  ts[2].state = TrialState::Running;  // only completed trials count for dominance
  ts.push_back(me);
  const auto why = prune_decision(o, me, 1, ts);
  ASSERT_TRUE(why);
  EXPECT_EQ(*why, "dominated at epoch 1 by 2 of 2 completed trials");
  EXPECT_FALSE(prune_decision(o, me, 2, ts));  // at epoch 2 it is more accurate than them
  o.pruner.kind = PrunerKind::None;
  EXPECT_FALSE(prune_decision(o, me, 1, ts));
}

}  // namespace
}  // namespace nac
