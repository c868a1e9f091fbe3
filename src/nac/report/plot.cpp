#include "nac/report/plot.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

#include "nac/report/svg.hpp"

namespace nac::report {

std::vector<double> nice_ticks(double lo, double hi, int target) {
  if (!(hi > lo)) return {lo};
  const double raw = (hi - lo) / std::max(1, target);
  const double mag = std::pow(10.0, std::floor(std::log10(raw)));
  double step = mag;
  for (double m : {1.0, 2.0, 5.0, 10.0})
    if (m * mag >= raw) {
      step = m * mag;
      break;
    }
  std::vector<double> t;
  // Multiples of the step (not a running sum, which would drift).
  for (double k = std::ceil(lo / step - 1e-9); k * step <= hi + step * 1e-9; k += 1) {
    const double v = k * step;
    t.push_back(std::fabs(v) < step * 1e-9 ? 0.0 : v);
  }
  return t;
}

std::vector<double> log_ticks(double lo, double hi) {
  std::vector<double> t;
  if (!(lo > 0) || !(hi >= lo)) return t;
  for (int e = static_cast<int>(std::floor(std::log10(lo) + 1e-9));
       e <= static_cast<int>(std::ceil(std::log10(hi) - 1e-9)); ++e)
    t.push_back(std::pow(10.0, e));
  return t;
}

std::string tick_label(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3g", v);
  return buf;
}

namespace {

struct Scale {
  bool log;
  double lo, hi;  // in (log10 of) data units
  double p0, p1;  // pixels
  double operator()(double v) const {
    const double d = log ? std::log10(v) : v;
    return p0 + (d - lo) / (hi - lo) * (p1 - p0);
  }
};

bool usable(double v, bool log) { return std::isfinite(v) && (!log || v > 0); }

// The data range of one axis over all series, padded by 5% (in log10 units on a log axis).
std::pair<double, double> range(const PlotSpec& s, bool x_axis) {
  const bool log = x_axis ? s.x.log : s.y.log;
  double lo = std::numeric_limits<double>::infinity(), hi = -lo;
  for (const auto& ser : s.series)
    for (const auto& [x, y] : ser.points) {
      const double v = x_axis ? x : y;
      if (!usable(x, s.x.log) || !usable(y, s.y.log)) continue;
      const double d = log ? std::log10(v) : v;
      lo = std::min(lo, d);
      hi = std::max(hi, d);
    }
  if (!std::isfinite(lo)) return {0, 1};
  if (hi == lo) {
    const double pad = lo == 0 ? 1 : std::fabs(lo) * 0.1;
    return {lo - pad, hi + pad};
  }
  const double pad = 0.05 * (hi - lo);
  return {lo - pad, hi + pad};
}

}  // namespace

std::string plot_svg(const PlotSpec& spec) {
  const double left = 80, right = 20, top = 40, bottom = 56;
  SvgWriter svg(spec.width, spec.height);
  svg.rect(0, 0, spec.width, spec.height, "fill:#ffffff");
  const auto [xlo, xhi] = range(spec, true);
  const auto [ylo, yhi] = range(spec, false);
  const Scale sx{spec.x.log, xlo, xhi, left, spec.width - right};
  const Scale sy{spec.y.log, ylo, yhi, spec.height - bottom, top};
  svg.rect(left, top, spec.width - left - right, spec.height - top - bottom,
           "fill:none;stroke:#333333;stroke-width:1");
  svg.text(spec.width / 2, 24, spec.title, "font-size:15px;font-weight:bold", "middle");

  auto ticks = [](const Scale& s) {
    return s.log ? log_ticks(std::pow(10.0, s.lo), std::pow(10.0, s.hi)) : nice_ticks(s.lo, s.hi);
  };
  for (double t : ticks(sx)) {
    const double px = sx(t);
    if (px < left - 0.5 || px > spec.width - right + 0.5) continue;
    svg.line(px, top, px, spec.height - bottom, "stroke:#e5e5e5;stroke-width:1");
    svg.text(px, spec.height - bottom + 16, tick_label(t), "font-size:11px", "middle");
  }
  for (double t : ticks(sy)) {
    const double py = sy(t);
    if (py < top - 0.5 || py > spec.height - bottom + 0.5) continue;
    svg.line(left, py, spec.width - right, py, "stroke:#e5e5e5;stroke-width:1");
    svg.text(left - 6, py + 4, tick_label(t), "font-size:11px", "end");
  }
  svg.text((left + spec.width - right) / 2, spec.height - 14,
           spec.x.label + (spec.x.log ? " (log)" : ""), "font-size:13px", "middle");
  svg.text(18, (top + spec.height - bottom) / 2, spec.y.label + (spec.y.log ? " (log)" : ""),
           "font-size:13px", "middle", -90);

  double legend_y = top + 14;
  for (const auto& ser : spec.series) {
    std::vector<std::pair<double, double>> px;
    std::vector<std::size_t> kept;
    for (std::size_t i = 0; i < ser.points.size(); ++i) {
      const auto [x, y] = ser.points[i];
      if (!usable(x, spec.x.log) || !usable(y, spec.y.log)) continue;
      px.emplace_back(sx(x), sy(y));
      kept.push_back(i);
    }
    if (ser.lines && px.size() > 1)
      svg.polyline(px, "fill:none;stroke:" + ser.color + ";stroke-width:1.5");
    if (ser.markers)
      for (std::size_t k = 0; k < px.size(); ++k)
        svg.circle(px[k].first, px[k].second, ser.radius, "fill:" + ser.color + ";fill-opacity:0.8",
                   kept[k] < ser.titles.size() ? ser.titles[kept[k]] : "");
    if (!ser.name.empty()) {
      const double lx = spec.width - right - 150;
      svg.circle(lx, legend_y - 4, 4, "fill:" + ser.color);
      svg.text(lx + 10, legend_y, ser.name, "font-size:12px");
      legend_y += 16;
    }
  }
  return svg.str();
}

}  // namespace nac::report
