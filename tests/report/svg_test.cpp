#include <gtest/gtest.h>

#include "nac/report/plot.hpp"
#include "nac/report/svg.hpp"

namespace nac::report {
namespace {

TEST(Svg, EscapesAndFormats) {
  EXPECT_EQ(xml_escape("a<b & \"c\" 'd'>"), "a&lt;b &amp; &quot;c&quot; &apos;d&apos;&gt;");
  EXPECT_EQ(svg_num(12.5), "12.5");
  EXPECT_EQ(svg_num(3.0), "3");
  EXPECT_EQ(svg_num(-0.001), "0");
  EXPECT_EQ(svg_num(2.345), "2.35");
  SvgWriter w(100, 50);
  w.circle(10, 20, 3, "fill:red", "trial <1>");
  w.text(5, 5, "x & y", "font-size:10px", "middle", -90);
  const std::string s = w.str();
  EXPECT_NE(s.find(R"(<svg xmlns="http://www.w3.org/2000/svg" width="100" height="50")"),
            std::string::npos);
  EXPECT_NE(s.find(R"(<circle cx="10" cy="20" r="3" style="fill:red"><title>trial &lt;1&gt;)"),
            std::string::npos)
      << s;
  EXPECT_NE(s.find(R"x(transform="rotate(-90 5 5)">x &amp; y</text>)x"), std::string::npos) << s;
  EXPECT_EQ(s.substr(s.size() - 7), "</svg>\n");
}

TEST(Plot, NiceTicks) {
  EXPECT_EQ(nice_ticks(0, 1, 5), (std::vector<double>{0, 0.2, 0.4, 0.6000000000000001, 0.8, 1}));
  EXPECT_EQ(nice_ticks(-3, 7, 5), (std::vector<double>{-2, 0, 2, 4, 6}));
  EXPECT_EQ(nice_ticks(0.13, 0.61, 4), (std::vector<double>{0.2, 0.4, 0.6000000000000001}));
  EXPECT_EQ(log_ticks(3e5, 2e8), (std::vector<double>{1e5, 1e6, 1e7, 1e8, 1e9}));
  EXPECT_EQ(tick_label(1e6), "1e+06");
  EXPECT_EQ(tick_label(0.25), "0.25");
}

TEST(Plot, MapsDataToPixels) {
  PlotSpec p;
  p.width = 200;
  p.height = 140;
  // One series spanning x [0, 10], y [0, 1]; padded 5% each side: x [-0.5, 10.5].
  p.series = {{"s", {{0, 0}, {10, 1}}, "#000", false, true, 2, {}}};
  const std::string s = plot_svg(p);
  // Plot area x 80..180 (left 80, right 20), y 84 (bottom) .. 40 (top).
  // x = 0 -> 80 + 0.5/11 * 100 = 84.55; y = 0 -> 84 - 0.05/1.1 * 44 = 82.
  EXPECT_NE(s.find(R"(<circle cx="84.55" cy="82" r="2")"), std::string::npos) << s;
  EXPECT_NE(s.find(R"(<circle cx="175.45" cy="42" r="2")"), std::string::npos) << s;
  // Log axes drop non-positive values.
  p.y.log = true;
  p.series[0].points = {{1, 0}, {2, 10}, {3, 1000}};
  const std::string l = plot_svg(p);
  std::size_t circles = 0;
  for (auto at = l.find("<circle"); at != std::string::npos; at = l.find("<circle", at + 1))
    ++circles;
  EXPECT_EQ(circles, 2u + 1u);  // two points and the legend marker
}

}  // namespace
}  // namespace nac::report
