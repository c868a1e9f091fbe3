// Magnitude pruning: exact counts per round, global vs per-layer, structured removal of whole
// neurons and channels (L1 vs L2 ranking), masks kept across rounds.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "../support/quant_graphs.hpp"
#include "nac/compress/prune.hpp"
#include "nac/core/error.hpp"

namespace nac {
namespace {

using testing::add_input;
using testing::int_attr;

// 10 -> 16 -> 3: 160 + 48 prunable weights.
Graph two_layers(double second_scale = 1.0) {
  Graph g;
  int x = add_input(g, {10});
  x = g.add(OpKind::Dense, "fc1", {x}, {{"units", int_attr(16)}});
  x = g.add(OpKind::Activation, "act", {x}, {{"fn", std::string("relu")}});
  g.add(OpKind::Dense, "out", {x}, {{"units", int_attr(3)}});
  Rng rng(5);
  g.finalize(&rng);
  for (auto& v : g.node(g.find("out")).param("weight").value.data)
    v = static_cast<float>(v * second_scale);
  return g;
}

long long kept(const Param& p) {
  if (p.mask.empty()) return static_cast<long long>(p.value.size());
  return std::count(p.mask.begin(), p.mask.end(), std::uint8_t{1});
}

// Every kept entry's original |w| is at least every pruned one's, over the given tensors.
void expect_threshold(const std::vector<const Param*>& pruned,
                      const std::vector<const Param*>& original) {
  double max_pruned = 0, min_kept = INFINITY;
  for (std::size_t t = 0; t < pruned.size(); ++t)
    for (std::size_t i = 0; i < pruned[t]->value.size(); ++i) {
      const double w = std::fabs(original[t]->value[i]);
      if (pruned[t]->mask.empty() || pruned[t]->mask[i])
        min_kept = std::min(min_kept, w);
      else
        max_pruned = std::max(max_pruned, w);
    }
  EXPECT_LE(max_pruned, min_kept);
}

TEST(Prune, GlobalUnstructuredRemovesTheExactShareOfTheRemainingWeights) {
  Graph g = two_layers();
  const Graph original = g;
  // 208 -> remove round(41.6) = 42 -> 166 -> round(33.2) = 33 -> 133 -> round(26.6) = 27 -> 106.
  const long long want_before[] = {208, 166, 133};
  const long long want_removed[] = {42, 33, 27};
  for (int round = 0; round < 3; ++round) {
    const PruneStep s = prune_step(g, {PruneKind::Unstructured, PruneScope::Global});
    EXPECT_EQ(s.before, want_before[round]);
    EXPECT_EQ(s.removed, want_removed[round]);
    const Sparsity sp = weight_sparsity(g);
    EXPECT_EQ(sp.total, 208);
    EXPECT_EQ(sp.kept, s.after());
  }
  EXPECT_EQ(weight_sparsity(g).kept, 106);
  const Param& a = g.node(1).param("weight");
  const Param& b = g.node(3).param("weight");
  expect_threshold({&a, &b},
                   {&original.node(1).param("weight"), &original.node(3).param("weight")});
  // Pruned values are zero, kept ones untouched, biases never pruned.
  for (const Param* p : {&a, &b}) {
    const Param& o = original.node(p == &a ? 1 : 3).param("weight");
    for (std::size_t i = 0; i < p->value.size(); ++i)
      EXPECT_EQ(p->value[i], p->mask[i] ? o.value[i] : 0.0f);
  }
  EXPECT_TRUE(g.node(1).param("bias").mask.empty());
}

TEST(Prune, GlobalAndPerLayerScopesDiffer) {
  // The output layer's weights are 100x larger: global pruning takes them last.
  Graph global = two_layers(100.0), layer = global;
  const PruneStep sg = prune_step(global, {PruneKind::Unstructured, PruneScope::Global, {}, 0.2});
  EXPECT_EQ(sg.removed, 42);
  EXPECT_EQ(kept(global.node(1).param("weight")), 160 - 42);
  EXPECT_EQ(kept(global.node(3).param("weight")), 48);

  const PruneStep sl = prune_step(layer, {PruneKind::Unstructured, PruneScope::Layer, {}, 0.2});
  // round(0.2 * 160) = 32 and round(0.2 * 48) = round(9.6) = 10.
  EXPECT_EQ(sl.removed, 42);
  EXPECT_EQ(kept(layer.node(1).param("weight")), 128);
  EXPECT_EQ(kept(layer.node(3).param("weight")), 38);
  const Graph original = two_layers(100.0);
  for (int id : {1, 3})
    expect_threshold({&layer.node(id).param("weight")}, {&original.node(id).param("weight")});
  // A second per-layer round works on what is left: round(0.2 * 128) = 26, round(0.2 * 38) = 8.
  prune_step(layer, {PruneKind::Unstructured, PruneScope::Layer, {}, 0.2});
  EXPECT_EQ(kept(layer.node(1).param("weight")), 102);
  EXPECT_EQ(kept(layer.node(3).param("weight")), 30);
}

TEST(Prune, PrunedEntriesStayPrunedAcrossRounds) {
  Graph g = two_layers();
  prune_step(g, {PruneKind::Unstructured, PruneScope::Global, {}, 0.5});
  const auto first = g.node(1).param("weight").mask;
  // Re-training may move weights; give the pruned ones large values as a stale file could.
  prune_step(g, {PruneKind::Unstructured, PruneScope::Global, {}, 0.5});
  const auto& second = g.node(1).param("weight").mask;
  for (std::size_t i = 0; i < first.size(); ++i)
    if (!first[i]) {
      EXPECT_EQ(second[i], 0);
    }
}

TEST(Prune, ConvAttnWeightsArePrunedUnstructured) {
  Graph g = testing::quant_attn(3);
  const Sparsity before = weight_sparsity(g);
  // stem 1x1x1x4 = 4, attn 4 x (3 + 3 + 3) + 3 x 4 = 48, fc 64 x 6 = 384, out 12.
  EXPECT_EQ(before.total, 4 + 48 + 384 + 12);
  prune_step(g, {PruneKind::Unstructured, PruneScope::Layer, {}, 0.5});
  // Per tensor: stem 2, q/k/v/proj 6 each, fc 192, out 6.
  EXPECT_EQ(weight_sparsity(g).kept, 2 + 4 * 6 + 192 + 6);
}

// Units of a [.., units] weight that are wholly kept / wholly pruned; fails on a partial one.
void count_units(const Param& p, int* alive, int* dead) {
  const long long units = p.value.shape.back();
  const long long fan = static_cast<long long>(p.value.size()) / units;
  *alive = *dead = 0;
  for (long long j = 0; j < units; ++j) {
    long long k = 0;
    for (long long i = 0; i < fan; ++i) k += p.mask.empty() || p.mask[std::size_t(i * units + j)];
    ASSERT_TRUE(k == 0 || k == fan) << "unit " << j << " partly pruned";
    ++*(k == 0 ? dead : alive);
  }
}

TEST(Prune, StructuredRemovesWholeNeuronsAndTheirBiases) {
  Graph g = two_layers();
  const PruneOptions opt{PruneKind::Structured, PruneScope::Layer, PruneNorm::L2, 0.25};
  prune_step(g, opt);  // 16 units -> round(4) = 4 removed
  int alive = 0, dead = 0;
  count_units(g.node(1).param("weight"), &alive, &dead);
  EXPECT_EQ(dead, 4);
  prune_step(g, opt);  // 12 -> 3 removed
  count_units(g.node(1).param("weight"), &alive, &dead);
  EXPECT_EQ(dead, 7);
  EXPECT_EQ(alive, 9);
  const Param& w = g.node(1).param("weight");
  const Param& b = g.node(1).param("bias");
  for (int j = 0; j < 16; ++j) {
    const bool unit_dead = !w.mask[static_cast<std::size_t>(j)];
    EXPECT_EQ(b.mask[static_cast<std::size_t>(j)], unit_dead ? 0 : 1);
    if (unit_dead) {
      EXPECT_EQ(b.value[static_cast<std::size_t>(j)], 0.0f);
    }
  }
  // The output layer keeps all its outputs.
  EXPECT_TRUE(g.node(3).param("weight").mask.empty());
}

TEST(Prune, StructuredRanksUnitsByTheChosenNorm) {
  // Unit 0: [1, 1, 1, 1] (L1 4, L2 2); unit 1: [2.5, .1, .1, .1] (L1 2.8, L2 2.506); unit 2 large.
  Graph g;
  int x = add_input(g, {4});
  x = g.add(OpKind::Dense, "fc", {x}, {{"units", int_attr(3)}});
  g.add(OpKind::Dense, "out", {x}, {{"units", int_attr(1)}});
  g.finalize(nullptr);
  Param& w = g.node(1).param("weight");  // [4, 3]
  const float cols[3][4] = {{1, 1, 1, 1}, {2.5f, .1f, .1f, .1f}, {9, 9, 9, 9}};
  for (int i = 0; i < 4; ++i)
    for (int j = 0; j < 3; ++j) w.value[static_cast<std::size_t>(i * 3 + j)] = cols[j][i];
  for (PruneNorm norm : {PruneNorm::L1, PruneNorm::L2}) {
    Graph h = g;
    // round(1/3 * 3) = 1 unit.
    prune_step(h, {PruneKind::Structured, PruneScope::Layer, norm, 1.0 / 3});
    const Param& p = h.node(1).param("weight");
    const int removed = norm == PruneNorm::L1 ? 1 : 0;
    for (int j = 0; j < 3; ++j)
      EXPECT_EQ(p.mask[static_cast<std::size_t>(j)], j == removed ? 0 : 1) << prune_norm_name(norm);
  }
}

TEST(Prune, StructuredRemovesConvOutputChannels) {
  Graph g = testing::quant_conv(4);  // conv1 3x3x1x4, conv2 3x3x4x3, out dense
  prune_step(g, {PruneKind::Structured, PruneScope::Layer, PruneNorm::L1, 0.5});
  int alive = 0, dead = 0;
  count_units(g.node(g.find("conv1")).param("weight"), &alive, &dead);
  EXPECT_EQ(dead, 2);  // round(0.5 * 4)
  count_units(g.node(g.find("conv2")).param("weight"), &alive, &dead);
  EXPECT_EQ(dead, 2);  // round(1.5) = 2 (half away from zero)
  EXPECT_EQ(alive, 1);
  // A layer always keeps one unit.
  prune_step(g, {PruneKind::Structured, PruneScope::Layer, PruneNorm::L1, 1.0});
  count_units(g.node(g.find("conv2")).param("weight"), &alive, &dead);
  EXPECT_EQ(alive, 1);
}

TEST(Prune, GlobalStructuredComparesNormsPerWeight) {
  // fc1: 100 inputs of 0.1 per unit (L1 10, 0.1 per weight); fc2: 2 inputs of 1 (L1 2, 1 per
  // weight). By raw L1 fc2's units are smaller; per weight, fc1's are.
  Graph g;
  int x = add_input(g, {100});
  x = g.add(OpKind::Dense, "fc1", {x}, {{"units", int_attr(2)}});
  x = g.add(OpKind::Dense, "fc2", {x}, {{"units", int_attr(2)}});
  g.add(OpKind::Dense, "out", {x}, {{"units", int_attr(1)}});
  g.finalize(nullptr);
  for (auto& v : g.node(1).param("weight").value.data) v = 0.1f;
  for (auto& v : g.node(2).param("weight").value.data) v = 1.0f;
  g.node(1).param("weight").value[1] = 0.2f;  // unit 1 of fc1 slightly larger
  const PruneStep s =
      prune_step(g, {PruneKind::Structured, PruneScope::Global, PruneNorm::L1, 0.25});
  EXPECT_EQ(s.units_removed, 1);  // round(0.25 * 4)
  EXPECT_EQ(s.removed, 100);
  int alive = 0, dead = 0;
  count_units(g.node(1).param("weight"), &alive, &dead);
  EXPECT_EQ(dead, 1);
  EXPECT_EQ(g.node(1).param("weight").mask[0], 0);
  EXPECT_TRUE(g.node(2).param("weight").mask.empty());
}

TEST(Prune, RefusesAFractionOutsideZeroToOne) {
  Graph g = two_layers();
  EXPECT_THROW(prune_step(g, {PruneKind::Unstructured, PruneScope::Global, {}, 1.5}), InputError);
  EXPECT_THROW(prune_step(g, {PruneKind::Unstructured, PruneScope::Global, {}, -0.1}), InputError);
}

}  // namespace
}  // namespace nac
