#pragma once
// Scatter and line plots as SVG (the study report's Pareto front and hypervolume curve): axes
// with "nice" ticks (linear, or powers of ten on a log axis), labelled, with a legend.
#include <string>
#include <utility>
#include <vector>

namespace nac::report {

struct PlotAxis {
  std::string label;
  bool log = false;  // log10 scale; non-positive values are left out
};

struct PlotSeries {
  std::string name;  // legend entry
  std::vector<std::pair<double, double>> points;
  std::string color = "#1f77b4";
  bool lines = false;   // join the points in order
  bool markers = true;  // draw a circle per point
  double radius = 3;
  std::vector<std::string> titles;  // per point hover text (optional)
};

struct PlotSpec {
  std::string title;
  PlotAxis x, y;
  std::vector<PlotSeries> series;
  double width = 640, height = 440;
};

std::string plot_svg(const PlotSpec& spec);

// About `target` round tick values (1, 2 or 5 x 10^k steps) covering [lo, hi].
std::vector<double> nice_ticks(double lo, double hi, int target = 5);
// The powers of ten within [lo, hi] (lo > 0); at least lo and hi's decades.
std::vector<double> log_ticks(double lo, double hi);
// A tick label: "0.25", "1e+06", "3".
std::string tick_label(double v);

}  // namespace nac::report
