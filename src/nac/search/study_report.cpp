#include "nac/search/study_report.hpp"
#include "nac/core/text_file.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "nac/core/error.hpp"
#include "nac/report/plot.hpp"
#include "nac/search/study_summary.hpp"
#include "nac/search/trial_points.hpp"

namespace nac {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::ordered_json;

std::string num(double v) {
  if (!std::isfinite(v)) return std::isnan(v) ? "" : (v > 0 ? "inf" : "-inf");
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.10g", v);
  return buf;
}

Json json_num(double v) { return std::isfinite(v) ? Json(v) : Json(nullptr); }

std::string trial_dir(int number) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "trials/%04d", number);
  return buf;
}

std::vector<Constraint> constraints_of(const TrialAttrs& attrs) {
  std::vector<Constraint> out;
  const auto it = attrs.find("constraints");
  if (it == attrs.end()) return out;
  for (const auto& c : Json::parse(it->second)) {
    Constraint k;
    k.name = c.at("name").get<std::string>();
    if (!c.at("min").is_null()) k.min = c.at("min").get<double>();
    if (!c.at("max").is_null()) k.max = c.at("max").get<double>();
    out.push_back(k);
  }
  return out;
}

// A log scale for positive values spanning more than two decades (BOPs, parameters).
bool wants_log(const std::vector<double>& v) {
  double lo = INFINITY, hi = 0;
  for (double x : v) {
    if (!std::isfinite(x)) continue;
    if (x <= 0) return false;
    lo = std::min(lo, x);
    hi = std::max(hi, x);
  }
  return hi > 0 && hi / lo > 100;
}

std::string front_svg(const Study& s, const std::vector<const Trial*>& all,
                      const std::vector<const Trial*>& front) {
  report::PlotSpec p;
  p.title = "Study " + s.name + ": " + std::to_string(all.size()) + " complete trials, front of " +
            std::to_string(front.size());
  const bool two = s.objectives.size() >= 2;
  auto point = [&](const Trial* t) {
    return two ? std::make_pair(t->values[0], t->values[1])
               : std::make_pair(static_cast<double>(t->number), t->values[0]);
  };
  p.x.label = two ? s.objectives[0].name : "trial";
  p.y.label = two ? s.objectives[1].name : s.objectives[0].name;
  std::vector<double> xs, ys;
  report::PlotSeries dots{"trials", {}, "#9a9a9a", false, true, 3, {}};
  for (const Trial* t : all) {
    dots.points.push_back(point(t));
    dots.titles.push_back("trial " + std::to_string(t->number));
    xs.push_back(dots.points.back().first);
    ys.push_back(dots.points.back().second);
  }
  p.x.log = two && wants_log(xs);
  p.y.log = wants_log(ys);
  report::PlotSeries line{"Pareto front", {}, "#d62728", true, true, 4.5, {}};
  std::vector<const Trial*> sorted = front;
  std::sort(sorted.begin(), sorted.end(),
            [&](const Trial* a, const Trial* b) { return point(a) < point(b); });
  for (const Trial* t : sorted) {
    line.points.push_back(point(t));
    line.titles.push_back("trial " + std::to_string(t->number));
  }
  line.lines = two;
  p.series = {dots, line};
  return report::plot_svg(p);
}

std::string hypervolume_svg(const Study& s, const std::vector<std::pair<int, double>>& history,
                            const std::vector<double>& ref) {
  report::PlotSpec p;
  std::string r;
  for (double v : ref) r += (r.empty() ? "" : ", ") + num(v);
  p.title = "Hypervolume of the front (reference " + r + ")";
  p.x.label = "trial";
  p.y.label = "hypervolume";
  report::PlotSeries line{s.name, {}, "#1f77b4", true, true, 2.5, {}};
  for (const auto& [n, hv] : history) line.points.emplace_back(n, hv);
  p.series = {line};
  return report::plot_svg(p);
}

}  // namespace

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

StudyReportInfo write_study_report(Storage& storage, const Study& study, const std::string& dir) {
  StudyReportInfo info;
  info.dir = dir;
  fs::create_directories(dir);
  const auto trials = storage.list_trials(study.id);
  const auto attrs = storage.study_attrs(study.id);
  const auto constraints = constraints_of(attrs);
  const auto& objs = study.objectives;
  const auto feasible = feasible_complete(trials, objs, constraints);
  const auto front = pareto_front(feasible, objs);
  if (const auto it = attrs.find("reference_point"); it != attrs.end())
    for (const auto& v : Json::parse(it->second)) info.reference.push_back(v.get<double>());
  if (info.reference.empty()) info.reference = auto_reference(feasible, objs);
  info.hypervolume = front_hypervolume(front, objs, info.reference);
  info.trials = static_cast<int>(trials.size());
  info.complete = static_cast<int>(feasible.size());
  info.front = static_cast<int>(front.size());

  // trials.csv
  const std::vector<std::string> costs = {"params", "nonzero_params", "macs", "bops", "paper_bops"};
  std::string csv = "number,state";
  for (const auto& o : objs) csv += std::string(",") + csv_field(o.name);
  for (const auto& c : costs) csv += std::string(",") + c;
  csv += ",epochs_run,best_epoch,seed,attempt,requeued_from,worker,duration_s,reason,genotype\n";
  auto attr = [](const Trial& t, const char* k) {
    const auto it = t.attrs.find(k);
    return it == t.attrs.end() ? std::string() : it->second;
  };
  // Appended piecewise: GCC 12 misreports "," + std::string (-Wrestrict).
  auto cell = [&](const std::string& v) {
    csv.append(",");
    csv.append(v);
  };
  for (const auto& t : trials) {
    csv.append(std::to_string(t.number));
    cell(trial_state_name(t.state));
    for (std::size_t j = 0; j < objs.size(); ++j)
      cell(j < t.values.size() ? num(t.values[j]) : std::string());
    for (const auto& c : costs) {
      const auto v = attr_number(t, c);
      cell(v ? num(*v) : std::string());
    }
    for (const char* k : {"epochs_run", "best_epoch", "seed", "attempt", "requeued_from"})
      cell(csv_field(attr(t, k)));
    const auto d = attr_number(t, "duration_s");
    cell(csv_field(t.worker));
    cell(d ? num(*d) : std::string());
    cell(csv_field(t.reason));
    cell(csv_field(t.genotype.to_string()));
    csv.append("\n");
  }
  write_text_file(fs::path(dir) / "trials.csv", csv);

  // Per COMPLETE trial: its architecture and its trained model.
  for (const auto& t : trials) {
    if (t.state != TrialState::Complete) continue;
    const fs::path td = fs::path(dir) / trial_dir(t.number);
    fs::create_directories(td);
    write_text_file(td / "genotype.json", t.genotype.to_json().dump(2) + "\n");
    if (const auto model = storage.trial_artifact(t.id, "model.json"))
      write_text_file(td / "model.json", *model);
  }

  // pareto.json
  Json j;
  j["study"] = study.name;
  Json jo = Json::array();
  for (const auto& o : objs)
    jo.push_back({{"name", o.name}, {"direction", direction_name(o.direction)}});
  j["objectives"] = jo;
  Json ref = Json::array();
  for (double v : info.reference) ref.push_back(json_num(v));
  j["reference_point"] = ref;
  j["hypervolume"] = info.hypervolume;
  j["trials"] = info.trials;
  j["complete"] = info.complete;
  std::vector<const Trial*> sorted = front;
  std::sort(sorted.begin(), sorted.end(), [](const Trial* a, const Trial* b) {
    return a->values[0] != b->values[0] ? a->values[0] < b->values[0] : a->number < b->number;
  });
  Json jf = Json::array();
  for (const Trial* t : sorted) {
    Json e;
    e["number"] = t->number;
    Json values;
    for (std::size_t k = 0; k < objs.size(); ++k) values[objs[k].name] = json_num(t->values[k]);
    e["values"] = values;
    for (const auto& c : costs)
      if (const auto v = attr_number(*t, c)) e[c] = *v;
    if (const auto it = t->attrs.find("seed"); it != t->attrs.end()) e["seed"] = it->second;
    e["genotype"] = Json::parse(t->genotype.to_string());
    e["genotype_file"] = trial_dir(t->number) + "/genotype.json";
    e["model"] = trial_dir(t->number) + "/model.json";
    jf.push_back(e);
  }
  j["front"] = jf;
  write_text_file(fs::path(dir) / "pareto.json", j.dump(2) + "\n");

  write_text_file(fs::path(dir) / "front.svg", front_svg(study, feasible, front));
  write_text_file(
      fs::path(dir) / "hypervolume.svg",
      hypervolume_svg(study, hypervolume_history(feasible, objs, info.reference), info.reference));
  return info;
}

}  // namespace nac
