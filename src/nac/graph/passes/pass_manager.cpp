#include "nac/graph/passes/pass_manager.hpp"

#include <algorithm>
#include <chrono>

#include "nac/core/error.hpp"
#include "nac/graph/quant/resolve.hpp"

namespace nac {

PassManager& PassManager::add(std::string name, Pass pass) {
  passes_.push_back({std::move(name), std::move(pass), true});
  return *this;
}

std::vector<std::string> PassManager::names() const {
  std::vector<std::string> v;
  for (const auto& e : passes_) v.push_back(e.name);
  return v;
}

void PassManager::set_enabled(const std::string& name, bool enabled) {
  for (auto& e : passes_)
    if (e.name == name) {
      e.enabled = enabled;
      return;
    }
  std::string known;
  for (const auto& e : passes_) known += (known.empty() ? "" : ", ") + e.name;
  throw InputError("unknown pass '" + name + "' (passes: " + known + ")");
}

std::vector<PassRun> PassManager::run(Graph& g) const {
  std::vector<PassRun> runs;
  for (const auto& e : passes_) {
    if (!e.enabled) continue;
    const auto t0 = std::chrono::steady_clock::now();
    e.pass(g);
    try {
      verify_graph(g);
    } catch (const InputError& err) {
      throw GraphError("after pass '" + e.name + "': " + err.what());
    }
    runs.push_back(
        {e.name, std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count()});
  }
  return runs;
}

void verify_graph(Graph& g) {
  g.finalize(nullptr);
  for (const Node& n : g.nodes()) {
    if (n.quant.empty()) continue;
    auto fail = [&](const std::string& what) {
      throw GraphError("node '" + n.name + "' (" + op_name(n.op) + "): " + what);
    };
    if (n.op == OpKind::LayerNorm) fail("annotated, but layernorm has no fixed-point meaning");
    const auto check = [&](const std::optional<FixedFormat>& f, const std::string& key) {
      if (f && f->width > 63) fail(key + " format " + f->str() + " is wider than 63 bits");
    };
    check(n.quant.input, "input");
    check(n.quant.weight, "weight");
    check(n.quant.bias, "bias");
    check(n.quant.accum, "accum");
    check(n.quant.result, "result");
    const auto& allowed = allowed_extras(n.op);
    for (const auto& [k, f] : n.quant.extra) {
      if (std::find(allowed.begin(), allowed.end(), k) == allowed.end())
        fail("unknown extra format '" + k + "'");
      check(f, "extra." + k);
    }
  }
}

}  // namespace nac
