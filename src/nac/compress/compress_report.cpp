#include "nac/compress/compress_report.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "nac/core/error.hpp"
#include "nac/core/text_file.hpp"
#include "nac/report/plot.hpp"
#include "nac/search/study_report.hpp"
#include "nac/search/study_summary.hpp"
#include "nac/search/trial_points.hpp"

namespace nac {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::ordered_json;
std::string num(double v) {
  if (std::isnan(v)) return "";
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.10g", v);
  return buf;
}

std::string attr(const Trial& t, const std::string& k) {
  const auto it = t.attrs.find(k);
  return it == t.attrs.end() ? std::string() : it->second;
}

double attr_or_nan(const Trial& t, const std::string& k) {
  const auto v = attr_number(t, k);
  return v ? *v : std::nan("");
}

int round_of(const Trial& t) { return std::atoi(attr(t, "round").c_str()); }

const char* const kPalette[] = {"#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b",
                                "#e377c2", "#17becf", "#bcbd22", "#7f7f7f", "#aec7e8"};

std::string front_svg(const Study& s, const std::vector<const Trial*>& points,
                      const std::vector<const Trial*>& front, const Trial* float_point) {
  report::PlotSpec p;
  p.title = "Compression " + s.name + ": " + std::to_string(points.size()) +
            " quantised points, front of " + std::to_string(front.size());
  p.x.label = "BOPs";
  p.y.label = s.objectives[0].name + " (emulator)";
  p.x.log = true;
  std::vector<std::string> order;
  std::map<std::string, std::vector<const Trial*>> by_label;
  for (const Trial* t : points) {
    const std::string l = attr(*t, "precision");
    if (!by_label.count(l)) order.push_back(l);
    by_label[l].push_back(t);
  }
  std::size_t color = 0;
  for (const auto& l : order) {
    auto& ts = by_label[l];
    std::sort(ts.begin(), ts.end(),
              [](const Trial* a, const Trial* b) { return round_of(*a) < round_of(*b); });
    report::PlotSeries series{l, {}, kPalette[color++ % std::size(kPalette)], true, true, 2.5, {}};
    for (const Trial* t : ts) {
      series.points.emplace_back(t->values[1], t->values[0]);
      series.titles.push_back(l + " round " + attr(*t, "round") + ", sparsity " +
                              attr(*t, "sparsity"));
    }
    p.series.push_back(series);
  }
  report::PlotSeries line{"Pareto front", {}, "#d62728", true, true, 4.5, {}};
  for (const Trial* t : front) {
    line.points.emplace_back(t->values[1], t->values[0]);
    line.titles.push_back(attr(*t, "precision") + " round " + attr(*t, "round"));
  }
  p.series.push_back(line);
  if (float_point) {
    report::PlotSeries f{"float", {}, "#000000", false, true, 5, {"float model"}};
    f.points.emplace_back(float_point->values[1], float_point->values[0]);
    p.series.push_back(f);
  }
  p.width = 760;
  p.height = 500;
  return report::plot_svg(p);
}

}  // namespace

std::string point_dir(const std::string& label, int round) {
  return "points/" + label + "_r" + std::to_string(round);
}

CompressReportInfo write_compress_report(Storage& storage, const Study& study,
                                         const std::string& dir) {
  CompressReportInfo info;
  info.dir = dir;
  fs::create_directories(dir);
  const auto trials = storage.list_trials(study.id);
  const auto& objs = study.objectives;
  const auto complete = feasible_complete(trials, objs);
  std::vector<const Trial*> points;
  const Trial* float_point = nullptr;
  for (const Trial* t : complete) {
    if (attr(*t, "evaluator") == "emulator")
      points.push_back(t);
    else if (attr(*t, "precision") == "float")
      float_point = t;
  }
  auto front = pareto_front(points, objs);
  std::sort(front.begin(), front.end(), [](const Trial* a, const Trial* b) {
    return a->values[1] != b->values[1] ? a->values[1] < b->values[1] : a->number < b->number;
  });
  const std::set<const Trial*> on_front(front.begin(), front.end());
  info.points = static_cast<int>(points.size());
  info.front = static_cast<int>(front.size());

  // Every validation metric any point has, as columns.
  std::set<std::string> metric_keys;
  for (const Trial* t : complete)
    for (const auto& [k, v] : t->attrs)
      if (k.rfind("val_", 0) == 0) metric_keys.insert(k);
  metric_keys.erase(objs[0].name);
  const std::vector<std::string> numeric = {"bops", "paper_bops", "params", "nonzero_params",
                                            "macs"};
  // Appended piecewise: GCC 12 misreports "," + std::string (-Wrestrict).
  auto cell = [](std::string& line, const std::string& v) {
    line.append(",");
    line.append(v);
  };
  std::string header = "precision,round,bits,sparsity";
  cell(header, csv_field(objs[0].name));
  const std::string ptq = "ptq_" + objs[0].name;  // round 0 before QAT
  cell(header, csv_field(ptq));
  for (const auto& k : numeric) cell(header, k);
  for (const auto& k : metric_keys) cell(header, csv_field(k));
  header.append(",evaluator,epochs_run,training_status,duration_s,on_front,model\n");
  auto row = [&](const Trial& t) {
    std::string r = csv_field(attr(t, "precision"));
    for (const char* k : {"round", "bits", "sparsity"}) cell(r, csv_field(attr(t, k)));
    cell(r, num(t.values[0]));
    cell(r, num(attr_or_nan(t, ptq)));
    for (const auto& k : numeric) cell(r, num(attr_or_nan(t, k)));
    for (const auto& k : metric_keys) cell(r, num(attr_or_nan(t, k)));
    for (const char* k : {"evaluator", "epochs_run", "training_status", "duration_s"})
      cell(r, csv_field(attr(t, k)));
    cell(r, on_front.count(&t) ? "1" : "0");
    cell(r, csv_field(attr(t, "model")));
    r.append("\n");
    return r;
  };
  std::vector<const Trial*> ordered = complete;
  std::string csv = header;
  for (const Trial* t : ordered) csv += row(*t);
  write_text_file(fs::path(dir) / "points.csv", csv);
  std::string fcsv = header;
  for (const Trial* t : front) fcsv += row(*t);
  write_text_file(fs::path(dir) / "front.csv", fcsv);

  Json j;
  j["study"] = study.name;
  Json jo = Json::array();
  for (const auto& o : objs)
    jo.push_back({{"name", o.name}, {"direction", direction_name(o.direction)}});
  j["objectives"] = jo;
  j["points"] = info.points;
  auto entry = [&](const Trial& t) {
    Json e;
    e["precision"] = attr(t, "precision");
    e["round"] = round_of(t);
    e["sparsity"] = attr_or_nan(t, "sparsity");
    Json values;
    for (std::size_t k = 0; k < objs.size(); ++k) values[objs[k].name] = t.values[k];
    e["values"] = values;
    for (const auto& k : {"nonzero_params", "params", "paper_bops"})
      if (const auto v = attr_number(t, k)) e[k] = *v;
    e["model"] = attr(t, "model");
    return e;
  };
  if (float_point) j["float"] = entry(*float_point);
  Json jf = Json::array();
  for (const Trial* t : front) jf.push_back(entry(*t));
  j["front"] = jf;
  write_text_file(fs::path(dir) / "pareto.json", j.dump(2) + "\n");
  write_text_file(fs::path(dir) / "front.svg", front_svg(study, points, front, float_point));
  return info;
}

}  // namespace nac
