#include "nac/compress/compress_config.hpp"

#include <filesystem>
#include <nlohmann/json.hpp>

#include "nac/config/data_options.hpp"
#include "nac/config/train_options.hpp"
#include "nac/core/error.hpp"
#include "nac/train/schedule.hpp"

namespace nac {
namespace {

namespace fs = std::filesystem;
using config::YamlNode;

Rounding parse_rounding(const YamlNode& n) {
  const std::string s = n.as_string();
  for (Rounding r : {Rounding::TRN, Rounding::TRN_ZERO, Rounding::RND, Rounding::RND_ZERO,
                     Rounding::RND_MIN_INF, Rounding::RND_INF, Rounding::RND_CONV})
    if (s == rounding_name(r)) return r;
  n.fail("unknown rounding '" + s +
         "' (expected TRN, TRN_ZERO, RND, RND_ZERO, RND_MIN_INF, RND_INF or RND_CONV)");
}

Overflow parse_overflow(const YamlNode& n) {
  const std::string s = n.as_string();
  for (Overflow o : {Overflow::WRAP, Overflow::SAT, Overflow::SAT_ZERO, Overflow::SAT_SYM})
    if (s == overflow_name(o)) return o;
  n.fail("unknown overflow '" + s + "' (expected WRAP, SAT, SAT_ZERO or SAT_SYM)");
}

int int_in(const YamlNode& n, int lo, int hi) {
  const auto v = n.as_int();
  if (v < lo || v > hi)
    n.fail("expected an integer in " + std::to_string(lo) + ".." + std::to_string(hi) + ", found " +
           std::to_string(v));
  return static_cast<int>(v);
}

FixedFormat parse_format(const YamlNode& n) {
  try {
    return FixedFormat::parse(n.as_string());
  } catch (const InputError& e) {
    n.fail(e.what());
  }
}

LayerPrecision parse_layer(const YamlNode& n) {
  LayerPrecision lp;
  if (n.is_scalar()) {
    lp.bits = int_in(n, 1, 63);
    return lp;
  }
  n.expect_keys({"bits", "input", "weight", "bias", "accum", "result"});
  if (auto b = n.find("bits")) lp.bits = int_in(*b, 1, 63);
  QuantAnnotation& q = lp.formats;
  for (auto [key, dst] : {std::pair{"input", &q.input},
                          {"weight", &q.weight},
                          {"bias", &q.bias},
                          {"accum", &q.accum},
                          {"result", &q.result}})
    if (auto f = n.find(key)) *dst = parse_format(*f);
  if (lp.bits == 0 && q.empty()) n.fail("expected bits or at least one format");
  return lp;
}

PrecisionSpec parse_precision(const YamlNode& n) {
  PrecisionSpec p;
  p.where = n.where();
  if (n.is_scalar()) {
    p.bits = int_in(n, 1, 63);
  } else {
    n.expect_keys({"name", "bits", "integer", "layers"});
    p.bits = int_in(n["bits"], 1, 63);
    if (auto i = n.find("integer")) {
      p.integer = int_in(*i, 1, 63);
      if (p.integer > p.bits) i->fail("integer bits cannot exceed the total bits");
    }
    if (auto l = n.find("layers")) {
      l->expect_map();
      for (const auto& k : l->keys()) p.layers[k] = parse_layer((*l)[k]);
    }
  }
  p.label = uniform_label(p.bits, p.integer);
  if (!n.is_scalar()) {
    if (auto name = n.find("name")) {
      p.label = name->as_string();
      if (p.label.empty() ||
          p.label.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMN"
                                    "OPQRSTUVWXYZ0123456789_-.") != std::string::npos)
        name->fail("a name of letters, digits, '_', '-' and '.' (it names output folders)");
      if (p.label == "float") name->fail("'float' names the uncompressed model; choose another");
    } else if (!p.layers.empty()) {
      n.fail("a precision with per-layer formats needs a name");
    }
  }
  return p;
}

// An optional section that is `off`, or a mapping.
std::optional<YamlNode> section(const YamlNode& parent, const char* key) {
  auto s = parent.find(key);
  if (!s || s->is_null()) return std::nullopt;
  if (s->is_scalar()) {
    if (s->as_bool()) s->fail("expected off or a mapping of options");
    return std::nullopt;
  }
  s->expect_map();
  return s;
}

void parse_sampler(const YamlNode& s, std::string& sampler, int& population) {
  if (auto v = s.find("sampler")) {
    sampler = v->as_string();
    if (sampler != "nsga2" && sampler != "random")
      v->fail("unknown sampler '" + sampler + "' (expected nsga2 or random)");
  }
  if (auto v = s.find("population")) population = int_in(*v, 2, 100000);
}

LayerSearchOptions parse_layer_search(const YamlNode& s) {
  s.expect_keys({"trials", "widths", "sampler", "population", "epochs", "keep", "seed"});
  LayerSearchOptions o;
  o.trials = int_in(s["trials"], 1, 1000000);
  if (auto w = s.find("widths")) {
    o.widths.clear();
    for (const auto& item : w->items()) o.widths.push_back(int_in(item, 1, 63));
    if (o.widths.empty()) w->fail("expected at least one width");
  }
  parse_sampler(s, o.sampler, o.population);
  if (auto e = s.find("epochs")) o.epochs = int_in(*e, 1, 100000);
  if (auto k = s.find("keep")) o.keep = int_in(*k, 1, 1000);
  o.seed = s.get_seed("seed", o.seed);
  return o;
}

RecipeSearchOptions parse_recipe_search(const YamlNode& s) {
  s.expect_keys({"trials", "sampler", "population", "epochs", "bits", "seed", "lr", "weight_decay",
                 "schedule", "batch"});
  RecipeSearchOptions o;
  o.trials = int_in(s["trials"], 1, 1000000);
  parse_sampler(s, o.sampler, o.population);
  if (auto e = s.find("epochs")) o.epochs = int_in(*e, 1, 100000);
  if (auto b = s.find("bits")) o.bits = int_in(*b, 1, 63);
  o.seed = s.get_seed("seed", o.seed);
  if (auto lr = s.find("lr")) {
    if (lr->size() != 2) lr->fail("expected [low, high]");
    o.lr_low = (*lr)[0].as_double();
    o.lr_high = (*lr)[1].as_double();
    if (!(o.lr_low > 0 && o.lr_high >= o.lr_low)) lr->fail("expected 0 < low <= high");
  }
  if (auto wd = s.find("weight_decay")) {
    o.weight_decay.clear();
    for (const auto& item : wd->items()) {
      o.weight_decay.push_back(item.as_double());
      if (!(o.weight_decay.back() >= 0)) item.fail("expected a weight decay >= 0");
    }
    if (o.weight_decay.empty()) wd->fail("expected at least one value");
  }
  if (auto sc = s.find("schedule")) {
    o.schedule = sc->as_string_list();
    for (std::size_t i = 0; i < o.schedule.size(); ++i) {
      const auto item = (*sc)[i];
      const ScheduleKind k = schedule_from_name(o.schedule[i], item.where());
      if (k == ScheduleKind::Plateau)
        item.fail("plateau is not offered (its options are the train section's)");
    }
    if (o.schedule.empty()) sc->fail("expected at least one schedule");
  }
  if (auto b = s.find("batch")) {
    o.batch = b->as_int_list();
    for (std::size_t i = 0; i < o.batch.size(); ++i)
      if (o.batch[i] < 1) (*b)[i].fail("expected a batch size >= 1");
    if (o.batch.empty()) b->fail("expected at least one batch size");
  }
  return o;
}

CompressOptions parse_compress(const std::optional<YamlNode>& sec, const std::string& name) {
  CompressOptions o;
  o.study = name;
  o.precisions = default_precisions();
  if (!sec || sec->is_null()) return o;
  const YamlNode& s = *sec;
  o.where = s.where();
  s.expect_keys(
      {"precisions",   "rounding",     "overflow", "input_bits",          "table_bits",
       "integer_bits", "output",       "margin",   "calibration_samples", "epochs",
       "lr",           "rounds",       "fraction", "structured",          "norm",
       "scope",        "rewind_epoch", "study",    "layer_search",        "recipe_search"});
  if (auto p = s.find("precisions")) {
    o.precisions.clear();
    for (const auto& item : p->items()) {
      o.precisions.push_back(parse_precision(item));
      for (std::size_t i = 0; i + 1 < o.precisions.size(); ++i)
        if (o.precisions[i].label == o.precisions.back().label)
          item.fail("precision '" + o.precisions.back().label + "' is listed twice");
    }
    if (o.precisions.empty()) p->fail("expected at least one precision");
  }
  if (auto r = s.find("rounding")) o.quant.rounding = parse_rounding(*r);
  if (auto v = s.find("overflow")) o.quant.overflow = parse_overflow(*v);
  if (auto v = s.find("input_bits")) o.quant.input_bits = int_in(*v, 0, 63);
  if (auto v = s.find("table_bits")) o.quant.table_bits = int_in(*v, 1, 63);
  if (auto v = s.find("integer_bits")) {
    const std::string t = v->as_string();
    if (t == "mse")
      o.quant.integer_rule = IntegerRule::Mse;
    else if (t == "max")
      o.quant.integer_rule = IntegerRule::Max;
    else
      v->fail("unknown integer_bits rule '" + t + "' (expected mse or max)");
  }
  if (auto v = s.find("margin")) {
    o.quant.margin = v->as_double();
    if (!(o.quant.margin >= 0 && o.quant.margin <= 10)) v->fail("expected a margin in [0, 10]");
  }
  if (auto v = s.find("output")) {
    const std::string t = v->as_string();
    if (t == "exact")
      o.quant.output_bits = kOutputExact;
    else if (t == "group")
      o.quant.output_bits = kOutputGroup;
    else if (!t.empty() && t.find_first_not_of("0123456789") == std::string::npos)
      o.quant.output_bits = int_in(*v, 1, 63);
    else
      v->fail("unknown output '" + t + "' (expected exact, group or a width in 1..63)");
  }
  if (auto v = s.find("calibration_samples")) o.calibration_samples = int_in(*v, 1, 100000000);
  if (auto v = s.find("epochs")) o.epochs = int_in(*v, 1, 100000);
  if (auto v = s.find("lr")) {
    o.lr = v->as_double();
    if (!(o.lr >= 0)) v->fail("expected a learning rate >= 0 (0: a tenth of train.lr)");
  }
  if (auto v = s.find("rounds")) o.rounds = int_in(*v, 0, 1000);
  if (auto v = s.find("fraction")) {
    o.prune.fraction = v->as_double();
    if (!(o.prune.fraction > 0 && o.prune.fraction < 1)) v->fail("expected a fraction in (0, 1)");
  }
  if (s.get("structured", false)) o.prune.kind = PruneKind::Structured;
  if (auto v = s.find("norm")) {
    const std::string n = v->as_string();
    if (n == "l1")
      o.prune.norm = PruneNorm::L1;
    else if (n == "l2")
      o.prune.norm = PruneNorm::L2;
    else
      v->fail("unknown norm '" + n + "' (expected l1 or l2)");
    if (o.prune.kind != PruneKind::Structured) v->fail("norm applies to structured pruning only");
  }
  if (auto v = s.find("scope")) {
    const std::string n = v->as_string();
    if (n == "global")
      o.prune.scope = PruneScope::Global;
    else if (n == "layer")
      o.prune.scope = PruneScope::Layer;
    else
      v->fail("unknown scope '" + n + "' (expected global or layer)");
  }
  if (auto v = s.find("rewind_epoch")) {
    const std::string t = v->as_string();
    if (t == "off" || t == "false" || t == "no") {
      o.rewind_epoch = -1;
    } else {
      o.rewind_epoch = int_in(*v, 0, 100000);
      if (o.rewind_epoch > o.epochs)
        v->fail("the rewind epoch must be at most compress.epochs (" + std::to_string(o.epochs) +
                ")");
    }
  }
  if (auto v = s.find("study")) {
    o.study = v->as_string();
    if (o.study.empty()) v->fail("expected a study name");
  }
  if (auto l = section(s, "layer_search")) o.layer_search = parse_layer_search(*l);
  if (auto r = section(s, "recipe_search")) o.recipe_search = parse_recipe_search(*r);
  return o;
}

nlohmann::ordered_json annotation_json(const QuantAnnotation& q) {
  nlohmann::ordered_json j = nlohmann::ordered_json::object();
  for (auto [key, f] : {std::pair{"input", &q.input},
                        {"weight", &q.weight},
                        {"bias", &q.bias},
                        {"accum", &q.accum},
                        {"result", &q.result}})
    if (*f) j[key] = (*f)->str();
  return j;
}

}  // namespace

std::vector<PrecisionSpec> default_precisions() {
  std::vector<PrecisionSpec> out;
  for (int b : {16, 12, 10, 8, 7, 6, 5, 4}) {
    PrecisionSpec p;
    p.bits = b;
    p.label = uniform_label(b);
    out.push_back(p);
  }
  return out;
}

std::string CompressOptions::fingerprint() const {
  nlohmann::ordered_json j;
  nlohmann::ordered_json ps = nlohmann::ordered_json::array();
  for (const auto& p : precisions) {
    nlohmann::ordered_json e;
    e["label"] = p.label;
    e["bits"] = p.bits;
    e["integer"] = p.integer;
    nlohmann::ordered_json layers = nlohmann::ordered_json::object();
    for (const auto& [k, lp] : p.layers)
      layers[k] = {{"bits", lp.bits}, {"formats", annotation_json(lp.formats)}};
    e["layers"] = layers;
    ps.push_back(e);
  }
  j["precisions"] = ps;
  j["rounding"] = rounding_name(quant.rounding);
  j["overflow"] = overflow_name(quant.overflow);
  j["input_bits"] = quant.input_bits;
  j["table_bits"] = quant.table_bits;
  j["integer_bits"] = quant.integer_rule == IntegerRule::Mse ? "mse" : "max";
  j["margin"] = quant.margin;
  j["output"] = quant.output_bits;
  j["calibration_samples"] = calibration_samples;
  j["epochs"] = epochs;
  j["lr"] = lr;
  j["fraction"] = prune.fraction;
  j["kind"] = prune_kind_name(prune.kind);
  j["scope"] = prune_scope_name(prune.scope);
  j["norm"] = prune_norm_name(prune.norm);
  j["rewind_epoch"] = rewind_epoch;
  return j.dump();
}

namespace {

CompressConfig parse_root(const YamlNode& root) {
  CompressConfig c;
  c.task = parse_task_sections(root, "compress");
  const TrainConfig& t = c.task;
  c.compress = parse_compress(root.find("compress"), t.name);
  return c;
}

}  // namespace

CompressConfig parse_compress_config(const std::string& text, const std::string& path) {
  return parse_root(YamlNode::load_string(text, path));
}

CompressConfig load_compress_config(const std::string& path) {
  return parse_root(YamlNode::load_file(path));
}

}  // namespace nac
