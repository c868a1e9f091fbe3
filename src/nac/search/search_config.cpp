#include "nac/search/search_config.hpp"

#include <algorithm>
#include <filesystem>

#include "nac/config/data_options.hpp"
#include "nac/config/train_options.hpp"
#include "nac/core/error.hpp"
#include "nac/space/space_yaml.hpp"

namespace nac {
namespace {

namespace fs = std::filesystem;

// The metric keys a metric kind produces ("auc_" and "rejection_" take a class name).
bool is_metric_key(MetricKind kind, const std::string& key) {
  if (key == "loss") return true;
  switch (kind) {
    case MetricKind::Loss:
      return false;
    case MetricKind::PeakDistance:
      return key == "mean_px" || key == "median_px" || key == "p75_px" || key == "p95_px";
    case MetricKind::Classification:
      return key == "accuracy" || key == "mean_auc" ||
             (key.rfind("auc_", 0) == 0 && key.size() > 4) ||
             (key.rfind("rejection_", 0) == 0 && key.size() > 10);
  }
  return false;
}

const char* metric_keys_hint(MetricKind kind) {
  switch (kind) {
    case MetricKind::Loss:
      return "val_loss";
    case MetricKind::PeakDistance:
      return "val_mean_px, val_median_px, val_p75_px, val_p95_px or val_loss";
    case MetricKind::Classification:
      return "val_accuracy, val_mean_auc, val_auc_<class>, val_rejection_<class> or val_loss";
  }
  return "";
}

// Accuracy, AUC and rejection are better when larger; distances and losses when smaller.
Direction natural_direction(const std::string& key) {
  if (key == "accuracy" || key.rfind("auc", 0) == 0 || key.rfind("mean_auc", 0) == 0 ||
      key.rfind("rejection_", 0) == 0)
    return Direction::Maximize;
  return Direction::Minimize;
}

SearchObjective parse_objective(const config::YamlNode& n, MetricKind metric) {
  SearchObjective o;
  std::optional<config::YamlNode> dir;
  std::string name;
  if (n.is_scalar()) {
    name = n.as_string();
  } else {
    n.expect_keys({"name", "direction"});
    name = n["name"].as_string();
    dir = n.find("direction");
  }
  o.objective.name = name;
  const auto& costs = cost_names();
  if (std::find(costs.begin(), costs.end(), name) != costs.end()) {
    o.source = ObjectiveSource::Cost;
    o.key = name;
    o.objective.direction = Direction::Minimize;
  } else if (name == "metric") {
    // The task's own score (mean_px, accuracy or loss).
    o.source = ObjectiveSource::Metric;
    o.key = metric == MetricKind::PeakDistance     ? "mean_px"
            : metric == MetricKind::Classification ? "accuracy"
                                                   : "loss";
    o.objective.name = "val_" + o.key;
    o.objective.direction = natural_direction(o.key);
  } else if (name.rfind("val_", 0) == 0 && is_metric_key(metric, name.substr(4))) {
    o.source = ObjectiveSource::Metric;
    o.key = name.substr(4);
    o.objective.direction = natural_direction(o.key);
  } else {
    n.fail("unknown objective '" + name + "': expected a cost (params, nonzero_params, macs, " +
           "bops, paper_bops), metric, or for metric '" + metric_name(metric) + "' " +
           metric_keys_hint(metric));
  }
  if (dir) o.objective.direction = direction_from_name(dir->as_string(), dir->where());
  return o;
}

Constraint parse_constraint(const config::YamlNode& n) {
  n.expect_keys({"name", "max", "min"});
  Constraint c;
  c.name = n["name"].as_string();
  c.max = n.get("max", c.max);
  c.min = n.get("min", c.min);
  if (!n.has("max") && !n.has("min")) n.fail("a constraint needs max, min or both");
  if (c.min > c.max) n.fail("min is larger than max");
  return c;
}

PrunerOptions parse_pruner(const config::YamlNode& n) {
  PrunerOptions p;
  std::string kind;
  if (n.is_scalar()) {
    kind = n.as_string();
  } else {
    n.expect_keys({"kind", "warmup", "min_trials", "dominated_by", "min_epochs", "eta"});
    kind = n["kind"].as_string();
  }
  auto positive = [&](const char* key, int& v, int least) {
    if (n.is_scalar()) return;
    if (auto k = n.find(key)) {
      v = static_cast<int>(k->as_int());
      if (v < least) k->fail("expected an integer >= " + std::to_string(least));
    }
  };
  if (kind == "none") {
    p.kind = PrunerKind::None;
    if (!n.is_scalar()) n.expect_keys({"kind"});
  } else if (kind == "dominance") {
    p.kind = PrunerKind::Dominance;
    if (!n.is_scalar()) n.expect_keys({"kind", "warmup", "min_trials", "dominated_by"});
    positive("warmup", p.dominance.warmup_epochs, 1);
    positive("min_trials", p.dominance.min_trials, 1);
    positive("dominated_by", p.dominance.dominated_by, 1);
  } else if (kind == "successive_halving") {
    p.kind = PrunerKind::SuccessiveHalving;
    if (!n.is_scalar()) n.expect_keys({"kind", "min_epochs", "eta", "min_trials"});
    positive("min_epochs", p.halving.min_epochs, 1);
    positive("eta", p.halving.eta, 2);
    positive("min_trials", p.halving.min_trials, 2);
  } else {
    (n.is_scalar() ? n : n["kind"])
        .fail("unknown pruner '" + kind + "' (expected none, dominance or successive_halving)");
  }
  return p;
}

SearchOptions parse_search(const config::YamlNode& s, const TrainConfig& task) {
  s.expect_keys({"space", "study", "objectives", "constraints", "sampler", "population", "trials",
                 "workers", "seed", "seeds", "pruner", "heartbeat_interval", "stale_timeout",
                 "max_attempts", "reference_point", "paper_bops"});
  SearchOptions o;
  const auto space = s["space"];
  o.space_path = space.as_string();
  if (fs::path(o.space_path).is_relative())
    o.space_path = (fs::path(s.file()).parent_path() / o.space_path).lexically_normal().string();
  o.study = s.get("study", task.name);
  if (o.study.empty()) s["study"].fail("expected a study name");
  const auto objectives = s["objectives"];
  for (const auto& item : objectives.items()) {
    o.objectives.push_back(parse_objective(item, task.train.metric.kind));
    for (std::size_t i = 0; i + 1 < o.objectives.size(); ++i)
      if (o.objectives[i].objective.name == o.objectives.back().objective.name)
        item.fail("objective '" + o.objectives.back().objective.name + "' is listed twice");
  }
  if (o.objectives.empty()) objectives.fail("expected at least one objective");
  if (auto c = s.find("constraints"))
    for (const auto& item : c->items()) o.constraints.push_back(parse_constraint(item));
  if (auto v = s.find("sampler")) {
    o.sampler = v->as_string();
    if (o.sampler != "nsga2" && o.sampler != "random")
      v->fail("unknown sampler '" + o.sampler + "' (expected nsga2 or random)");
  }
  auto at_least = [&](const char* key, int& v, int least) {
    if (auto k = s.find(key)) {
      v = static_cast<int>(k->as_int());
      if (v < least) k->fail("expected an integer >= " + std::to_string(least));
    }
  };
  at_least("population", o.population, 2);
  at_least("trials", o.trials, 1);
  at_least("workers", o.workers, 1);
  at_least("max_attempts", o.max_attempts, 1);
  o.seed = s.get_seed("seed", o.seed);
  o.seeds = s.get("seeds", o.seeds);
  if (auto p = s.find("pruner")) o.pruner = parse_pruner(*p);
  if (o.pruner.kind != PrunerKind::None && o.metric_objective() < 0)
    s["pruner"].fail("a pruner needs a val_ metric objective to watch");
  o.heartbeat_interval = s.get("heartbeat_interval", o.heartbeat_interval);
  o.stale_timeout = s.get("stale_timeout", o.stale_timeout);
  if (auto k = s.find("heartbeat_interval"); k && !(o.heartbeat_interval > 0))
    k->fail("expected a positive number of seconds");
  if (!(o.stale_timeout > o.heartbeat_interval))
    (s.find("stale_timeout") ? *s.find("stale_timeout") : s)
        .fail("stale_timeout must be longer than heartbeat_interval");
  if (auto r = s.find("reference_point")) {
    for (const auto& v : r->items()) o.reference_point.push_back(v.as_double());
    if (o.reference_point.size() != o.objectives.size())
      r->fail("expected one value per objective (" + std::to_string(o.objectives.size()) + ")");
  }
  if (auto b = s.find("paper_bops")) {
    b->expect_keys({"bits", "batch"});
    o.paper_bops.bits = b->get("bits", o.paper_bops.bits);
    o.paper_bops.batch_size = b->get("batch", o.paper_bops.batch_size);
    if (o.paper_bops.bits < 1 || o.paper_bops.batch_size < 1)
      b->fail("bits and batch must be >= 1");
  }
  return o;
}

SearchConfig parse_search_config(const config::YamlNode& root) {
  SearchConfig c;
  c.task = parse_task_sections(root, "search");
  const TrainConfig& t = c.task;
  const auto search = root["search"];
  c.search = parse_search(search, t);
  try {
    c.space = load_space(c.search.space_path);
  } catch (const InputError& e) {
    search["space"].fail(e.what());
  }
  if (c.space.kind == SpaceKind::Generic)
    search["space"].fail("space '" + c.space.name + "' is generic: it has no architecture");
  if (t.data.augment_shift > 0 && c.space.input_shape.size() < 2)
    root["data"]["augment"].fail("the shift augmentation needs image inputs [H, W, C]");
  return c;
}

}  // namespace

const char* pruner_name(PrunerKind k) {
  switch (k) {
    case PrunerKind::None:
      return "none";
    case PrunerKind::Dominance:
      return "dominance";
    case PrunerKind::SuccessiveHalving:
      return "successive_halving";
  }
  return "?";
}

const std::vector<std::string>& cost_names() {
  static const std::vector<std::string> names = {"params", "nonzero_params", "macs", "bops",
                                                 "paper_bops"};
  return names;
}

std::vector<Objective> SearchOptions::study_objectives() const {
  std::vector<Objective> out;
  for (const auto& o : objectives) out.push_back(o.objective);
  return out;
}

int SearchOptions::metric_objective() const {
  for (std::size_t i = 0; i < objectives.size(); ++i)
    if (objectives[i].source == ObjectiveSource::Metric) return static_cast<int>(i);
  return -1;
}

SearchConfig load_search_config(const std::string& path) {
  return parse_search_config(config::YamlNode::load_file(path));
}

SearchConfig parse_search_config(const std::string& text, const std::string& path) {
  return parse_search_config(config::YamlNode::load_string(text, path));
}

}  // namespace nac
