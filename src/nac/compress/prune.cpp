#include "nac/compress/prune.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "nac/core/error.hpp"

namespace nac {
namespace {

bool kept(const Param& p, std::size_t i) { return p.mask.empty() || p.mask[i] != 0; }

void ensure_mask(Param& p) {
  if (p.mask.empty()) p.mask.assign(p.value.size(), 1);
}

long long kept_count(const Param& p) {
  if (p.mask.empty()) return static_cast<long long>(p.value.size());
  return std::count(p.mask.begin(), p.mask.end(), std::uint8_t{1});
}

long long to_remove(double fraction, long long kept) {
  return std::min(kept, static_cast<long long>(std::llround(fraction * static_cast<double>(kept))));
}

// An entry (or unit) to rank: its magnitude, then its position for a total order.
struct Candidate {
  double magnitude;
  int weight;       // index into the prunable list
  long long index;  // entry or unit index
  bool operator<(const Candidate& o) const {
    if (magnitude != o.magnitude) return magnitude < o.magnitude;
    if (weight != o.weight) return weight < o.weight;
    return index < o.index;
  }
};

// Removes the `k` smallest candidates (by the total order above) of `c`.
void keep_smallest(std::vector<Candidate>& c, long long k) {
  if (k <= 0) {
    c.clear();
    return;
  }
  if (k < static_cast<long long>(c.size())) {
    std::nth_element(c.begin(), c.begin() + k, c.end());
    c.resize(static_cast<std::size_t>(k));
  }
}

PruneStep unstructured(Graph& g, const std::vector<PrunableWeight>& ws, const PruneOptions& opt) {
  PruneStep st;
  std::vector<std::vector<Candidate>> groups(opt.scope == PruneScope::Global ? 1 : ws.size());
  for (std::size_t w = 0; w < ws.size(); ++w) {
    const Param& p = g.node(ws[w].node).params[static_cast<std::size_t>(ws[w].param)];
    auto& group = groups[opt.scope == PruneScope::Global ? 0 : w];
    for (std::size_t i = 0; i < p.value.size(); ++i)
      if (kept(p, i))
        group.push_back({std::fabs(static_cast<double>(p.value[i])), static_cast<int>(w),
                         static_cast<long long>(i)});
  }
  for (auto& group : groups) {
    const long long n = static_cast<long long>(group.size());
    st.before += n;
    keep_smallest(group, to_remove(opt.fraction, n));
    for (const Candidate& c : group) {
      Param& p =
          g.node(ws[static_cast<std::size_t>(c.weight)].node)
              .params[static_cast<std::size_t>(ws[static_cast<std::size_t>(c.weight)].param)];
      ensure_mask(p);
      p.mask[static_cast<std::size_t>(c.index)] = 0;
      p.value[static_cast<std::size_t>(c.index)] = 0;
      ++st.removed;
    }
  }
  return st;
}

// Output units of a [.., units] weight: unit j holds the entries i with i % units == j.
struct UnitView {
  long long units = 0, fan_in = 0;
};

UnitView unit_view(const Param& p) {
  UnitView v;
  v.units = p.value.shape.back();
  v.fan_in = static_cast<long long>(p.value.size()) / v.units;
  return v;
}

bool unit_alive(const Param& p, const UnitView& v, long long j) {
  for (long long i = 0; i < v.fan_in; ++i)
    if (kept(p, static_cast<std::size_t>(i * v.units + j))) return true;
  return false;
}

double unit_norm(const Param& p, const UnitView& v, long long j, PruneNorm norm, bool per_weight) {
  double s = 0;
  for (long long i = 0; i < v.fan_in; ++i) {
    const std::size_t k = static_cast<std::size_t>(i * v.units + j);
    if (!kept(p, k)) continue;
    const double w = p.value[k];
    s += norm == PruneNorm::L1 ? std::fabs(w) : w * w;
  }
  if (norm == PruneNorm::L2) s = std::sqrt(s);
  if (per_weight)
    s /= norm == PruneNorm::L1 ? static_cast<double>(v.fan_in)
                               : std::sqrt(static_cast<double>(v.fan_in));
  return s;
}

void remove_unit(Node& n, Param& w, const UnitView& v, long long j) {
  ensure_mask(w);
  for (long long i = 0; i < v.fan_in; ++i) {
    const std::size_t k = static_cast<std::size_t>(i * v.units + j);
    w.mask[k] = 0;
    w.value[k] = 0;
  }
  for (auto& b : n.params)
    if (b.name == "bias") {
      ensure_mask(b);
      b.mask[static_cast<std::size_t>(j)] = 0;
      b.value[static_cast<std::size_t>(j)] = 0;
    }
}

PruneStep structured(Graph& g, const std::vector<PrunableWeight>& all, const PruneOptions& opt) {
  std::vector<PrunableWeight> ws;
  for (const auto& w : all)
    if (w.structured) ws.push_back(w);
  const bool global = opt.scope == PruneScope::Global;
  PruneStep st;
  for (const auto& w : all) st.before += kept_count(g.node(w.node).params[std::size_t(w.param)]);
  std::vector<long long> alive(ws.size(), 0);
  std::vector<std::vector<Candidate>> groups(global ? 1 : ws.size());
  for (std::size_t w = 0; w < ws.size(); ++w) {
    const Param& p = g.node(ws[w].node).params[static_cast<std::size_t>(ws[w].param)];
    const UnitView v = unit_view(p);
    for (long long j = 0; j < v.units; ++j) {
      if (!unit_alive(p, v, j)) continue;
      ++alive[w];
      groups[global ? 0 : w].push_back(
          {unit_norm(p, v, j, opt.norm, global), static_cast<int>(w), j});
    }
  }
  for (auto& group : groups) {
    std::sort(group.begin(), group.end());
    const long long k = to_remove(opt.fraction, static_cast<long long>(group.size()));
    long long removed = 0;
    for (const Candidate& c : group) {
      if (removed == k) break;
      const std::size_t w = static_cast<std::size_t>(c.weight);
      if (alive[w] <= 1) continue;  // every layer keeps a unit
      Node& n = g.node(ws[w].node);
      Param& p = n.params[static_cast<std::size_t>(ws[w].param)];
      const UnitView v = unit_view(p);
      const long long before = kept_count(p);
      remove_unit(n, p, v, c.index);
      st.removed += before - kept_count(p);
      --alive[w];
      ++removed;
    }
    st.units_removed += removed;
  }
  return st;
}

}  // namespace

const char* prune_kind_name(PruneKind k) {
  return k == PruneKind::Structured ? "structured" : "unstructured";
}
const char* prune_scope_name(PruneScope s) { return s == PruneScope::Layer ? "layer" : "global"; }
const char* prune_norm_name(PruneNorm n) { return n == PruneNorm::L2 ? "l2" : "l1"; }

std::vector<PrunableWeight> prunable_weights(const Graph& g) {
  std::vector<PrunableWeight> out;
  for (int id = 0; id < g.size(); ++id) {
    const Node& n = g.node(id);
    for (std::size_t k = 0; k < n.params.size(); ++k) {
      const std::string& name = n.params[k].name;
      const bool layer_weight =
          (n.op == OpKind::Dense || n.op == OpKind::Conv2D) && name == "weight";
      const bool attn_weight =
          n.op == OpKind::ConvAttn &&
          (name == "q_weight" || name == "k_weight" || name == "v_weight" || name == "proj_weight");
      if (layer_weight || attn_weight)
        out.push_back({id, static_cast<int>(k), layer_weight && id != g.output_id()});
    }
  }
  return out;
}

PruneStep prune_step(Graph& g, const PruneOptions& opt) {
  if (!(opt.fraction >= 0 && opt.fraction <= 1))
    throw InputError("pruning: fraction must be in [0, 1], got " + std::to_string(opt.fraction));
  const auto ws = prunable_weights(g);
  return opt.kind == PruneKind::Structured ? structured(g, ws, opt) : unstructured(g, ws, opt);
}

Sparsity weight_sparsity(const Graph& g) {
  Sparsity s;
  for (const auto& w : prunable_weights(g)) {
    const Param& p = g.node(w.node).params[static_cast<std::size_t>(w.param)];
    s.total += static_cast<long long>(p.value.size());
    s.kept += kept_count(p);
  }
  return s;
}

void zero_masked(Graph& g) {
  for (auto& n : g.nodes())
    for (auto& p : n.params)
      for (std::size_t i = 0; i < p.mask.size(); ++i)
        if (!p.mask[i]) p.value[i] = 0;
}

}  // namespace nac
