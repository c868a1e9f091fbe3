#include "nac/report/svg.hpp"

#include <cmath>
#include <cstdio>

namespace nac::report {

std::string xml_escape(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        out += c;
    }
  return out;
}

std::string svg_num(double v) {
  if (!std::isfinite(v)) return "0";
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.2f", v);
  std::string s = buf;
  while (!s.empty() && s.back() == '0') s.pop_back();
  if (!s.empty() && s.back() == '.') s.pop_back();
  if (s == "-0") s = "0";
  return s;
}

namespace {

// ` name="value"`, built with append: GCC 12 misreports "literal" + std::string (-Wrestrict).
void attr(std::string& out, const char* name, const std::string& value) {
  out.append(" ");
  out.append(name);
  out.append("=\"");
  out.append(value);
  out.append("\"");
}

}  // namespace

SvgWriter::SvgWriter(double width, double height) : width_(width), height_(height) {}

void SvgWriter::rect(double x, double y, double w, double h, const std::string& style) {
  body_.append("<rect");
  attr(body_, "x", svg_num(x));
  attr(body_, "y", svg_num(y));
  attr(body_, "width", svg_num(w));
  attr(body_, "height", svg_num(h));
  attr(body_, "style", xml_escape(style));
  body_.append("/>\n");
}

void SvgWriter::line(double x1, double y1, double x2, double y2, const std::string& style) {
  body_.append("<line");
  attr(body_, "x1", svg_num(x1));
  attr(body_, "y1", svg_num(y1));
  attr(body_, "x2", svg_num(x2));
  attr(body_, "y2", svg_num(y2));
  attr(body_, "style", xml_escape(style));
  body_.append("/>\n");
}

void SvgWriter::polyline(const std::vector<std::pair<double, double>>& points,
                         const std::string& style) {
  std::string pts;
  for (const auto& [x, y] : points) {
    if (!pts.empty()) pts.append(" ");
    pts.append(svg_num(x));
    pts.append(",");
    pts.append(svg_num(y));
  }
  body_.append("<polyline");
  attr(body_, "points", pts);
  attr(body_, "style", xml_escape(style));
  body_.append("/>\n");
}

void SvgWriter::circle(double cx, double cy, double r, const std::string& style,
                       const std::string& title) {
  body_.append("<circle");
  attr(body_, "cx", svg_num(cx));
  attr(body_, "cy", svg_num(cy));
  attr(body_, "r", svg_num(r));
  attr(body_, "style", xml_escape(style));
  if (title.empty()) {
    body_.append("/>\n");
    return;
  }
  body_.append("><title>");
  body_.append(xml_escape(title));
  body_.append("</title></circle>\n");
}

void SvgWriter::text(double x, double y, const std::string& s, const std::string& style,
                     const std::string& anchor, double rotate) {
  body_.append("<text");
  attr(body_, "x", svg_num(x));
  attr(body_, "y", svg_num(y));
  attr(body_, "text-anchor", xml_escape(anchor));
  attr(body_, "style", xml_escape(style));
  if (rotate != 0) {
    std::string t = "rotate(";
    t.append(svg_num(rotate));
    t.append(" ");
    t.append(svg_num(x));
    t.append(" ");
    t.append(svg_num(y));
    t.append(")");
    attr(body_, "transform", t);
  }
  body_.append(">");
  body_.append(xml_escape(s));
  body_.append("</text>\n");
}

std::string SvgWriter::str() const {
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg";
  attr(out, "xmlns", "http://www.w3.org/2000/svg");
  attr(out, "width", svg_num(width_));
  attr(out, "height", svg_num(height_));
  std::string box = "0 0 ";
  box.append(svg_num(width_));
  box.append(" ");
  box.append(svg_num(height_));
  attr(out, "viewBox", box);
  attr(out, "font-family", "sans-serif");
  out.append(">\n");
  out.append(body_);
  out.append("</svg>\n");
  return out;
}

}  // namespace nac::report
