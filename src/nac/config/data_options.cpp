#include "nac/config/data_options.hpp"

#include <filesystem>

#include "nac/core/error.hpp"

namespace nac {
namespace {

// The tunable numbers of the Bragg generator, by their config names.
struct BraggKey {
  const char* key;
  double BraggOptions::*field;
};
constexpr BraggKey kBraggDoubles[] = {
    {"sigma_min", &BraggOptions::sigma_min},
    {"sigma_max", &BraggOptions::sigma_max},
    {"eta_min", &BraggOptions::eta_min},
    {"eta_max", &BraggOptions::eta_max},
    {"center_jitter", &BraggOptions::center_jitter},
    {"intensity_min", &BraggOptions::intensity_min},
    {"intensity_max", &BraggOptions::intensity_max},
    {"background_min", &BraggOptions::background_min},
    {"background_max", &BraggOptions::background_max},
    {"background_gradient", &BraggOptions::background_gradient},
    {"threshold", &BraggOptions::threshold},
    {"neighbor_probability", &BraggOptions::neighbor_probability},
    {"neighbor_edge_offset", &BraggOptions::neighbor_edge_offset},
};

void parse_bragg(const config::YamlNode& n, BraggOptions& b) {
  std::vector<std::string> keys = {"patch", "reject_merged", "poisson_noise", "connectivity"};
  for (const auto& k : kBraggDoubles) keys.push_back(k.key);
  n.expect_keys(keys);
  b.patch = n.get("patch", b.patch);
  b.reject_merged = n.get("reject_merged", b.reject_merged);
  b.poisson_noise = n.get("poisson_noise", b.poisson_noise);
  b.connectivity = n.get("connectivity", b.connectivity);
  for (const auto& k : kBraggDoubles) b.*k.field = n.get(k.key, b.*k.field);
}

std::string resolve(const std::string& path, const std::string& base_dir) {
  if (path.empty() || base_dir.empty() || std::filesystem::path(path).is_absolute()) return path;
  return (std::filesystem::path(base_dir) / path).lexically_normal().string();
}

}  // namespace

DataOptions parse_data_options(const config::YamlNode& n, const std::string& base_dir) {
  n.expect_keys({"generator", "path", "samples", "seed", "patch", "bragg", "x_key", "y_key",
                 "y_path", "columns", "label_column", "task", "sets", "split", "standardize",
                 "augment"});
  DataOptions o;
  DataSource& s = o.source;
  const bool has_gen = n.has("generator"), has_path = n.has("path");
  if (has_gen == has_path) n.fail("expected exactly one of 'generator' or 'path'");
  if (has_gen) {
    const auto g = n["generator"];
    s.generator = g.as_string();
    if (s.generator != "bragg") g.fail("unknown generator '" + s.generator + "' (expected bragg)");
    const auto samples = n["samples"];
    s.samples = samples.as_int();
    if (s.samples < 1) samples.fail("expected a number of samples >= 1");
    s.seed = n.get_seed("seed", s.seed);
    s.task = TaskKind::Regression;
    for (const char* k : {"x_key", "y_key", "y_path", "columns", "label_column", "task"})
      if (auto v = n.find(k)) v->fail(std::string("'") + k + "' applies to files, not generators");
  } else {
    s.path = resolve(n["path"].as_string(), base_dir);
    for (const char* k : {"samples", "seed", "patch", "bragg"})
      if (auto v = n.find(k)) v->fail(std::string("'") + k + "' applies to generators, not files");
    s.x_key = n.get("x_key", s.x_key);
    s.y_key = n.get("y_key", s.y_key);
    if (auto y = n.find("y_path")) s.y_path = resolve(y->as_string(), base_dir);
    if (auto c = n.find("columns")) s.columns = c->as_string_list();
    s.label_column = n.get("label_column", s.label_column);
    if (auto t = n.find("task")) {
      const std::string task = t->as_string();
      if (task == "regression")
        s.task = TaskKind::Regression;
      else if (task == "classification")
        s.task = TaskKind::Classification;
      else
        t->fail("expected regression or classification, found '" + task + "'");
    }
  }
  s.rank3_is_image = !n.get("sets", false);
  if (auto b = n.find("bragg")) parse_bragg(*b, s.bragg);
  if (auto p = n.find("patch")) {
    const auto patch = p->as_int();
    if (patch < 3 || patch > 1024) p->fail("expected a patch side in 3..1024");
    s.bragg.patch = static_cast<int>(patch);
  }
  if (has_gen) {
    try {
      validate(s.bragg);
    } catch (const InputError& e) {
      (n.find("bragg") ? *n.find("bragg") : n).fail(e.what());
    }
  }

  if (auto sp = n.find("split")) {
    sp->expect_keys({"val", "test", "shuffle", "seed"});
    o.val_fraction = sp->get("val", o.val_fraction);
    o.test_fraction = sp->get("test", o.test_fraction);
    o.shuffle = sp->get("shuffle", o.shuffle);
    o.split_seed = sp->get_seed("seed", o.split_seed);
    for (const char* k : {"val", "test"})
      if (auto f = sp->find(k); f && !(f->as_double() >= 0 && f->as_double() < 1))
        f->fail("expected a fraction in [0, 1)");
    if (o.val_fraction + o.test_fraction >= 1)
      sp->fail("val + test must leave samples for training (sum < 1)");
    if (o.val_fraction <= 0) sp->fail("val must be > 0: training validates every epoch");
  }
  if (auto st = n.find("standardize")) {
    const std::string v = st->as_string();
    if (v == "per_element") {
      o.standardize = true;
      o.standardize_per_feature = false;
    } else if (v == "per_feature") {
      o.standardize = true;
    } else {
      try {
        o.standardize = st->as_bool();
      } catch (const InputError&) {
        st->fail("expected true, false, per_feature or per_element, found '" + v + "'");
      }
    }
  }
  if (auto a = n.find("augment")) {
    a->expect_keys({"shift"});
    o.augment_shift = a->get("shift", 0);
    if (o.augment_shift < 0) (*a)["shift"].fail("expected a shift >= 0 (pixels)");
  }
  return o;
}

}  // namespace nac
