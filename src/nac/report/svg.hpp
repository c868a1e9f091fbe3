#pragma once
// A minimal SVG writer (no dependencies): shapes and text appended in order, attribute values
// and text escaped, numbers written with a fixed short precision so files diff cleanly.
#include <string>
#include <utility>
#include <vector>

namespace nac::report {

// &, <, >, " and ' as XML entities.
std::string xml_escape(const std::string& s);

class SvgWriter {
 public:
  SvgWriter(double width, double height);

  void rect(double x, double y, double w, double h, const std::string& style);
  void line(double x1, double y1, double x2, double y2, const std::string& style);
  void polyline(const std::vector<std::pair<double, double>>& points, const std::string& style);
  void circle(double cx, double cy, double r, const std::string& style,
              const std::string& title = "");
  // anchor: start | middle | end; rotate: degrees about (x, y).
  void text(double x, double y, const std::string& s, const std::string& style,
            const std::string& anchor = "start", double rotate = 0);

  // The complete document.
  std::string str() const;

 private:
  double width_, height_;
  std::string body_;
};

// A number for an SVG attribute: up to 2 decimals, no trailing zeros ("12.5", "3").
std::string svg_num(double v);

}  // namespace nac::report
