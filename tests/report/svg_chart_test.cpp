#include "report/svg_chart.hpp"

#include <catch2/catch.hpp>

using namespace greentrain::detail;

TEST_CASE("a line chart maps the first and last points to the plot's corners", "[report][svg]") {
  std::string svg = line_chart("Power", "W", {0, 10}, {{"CPU", "#d62728", {0, 100}}});
  // The scale tops out 5 % above the largest value: 100 W sits at 1/1.05 of the plot height.
  CHECK(svg.find("points=\"70.0,220.0 700.0,42.9 \"") != std::string::npos);
  CHECK(svg.find(">10 s<") != std::string::npos);
}

TEST_CASE("a chart with one sample says so instead of drawing a point", "[report][svg]") {
  std::string svg = line_chart("Power", "W", {1}, {{"CPU", "#d62728", {5}}});
  CHECK(svg.find("Too few samples") != std::string::npos);
  CHECK(svg.find("polyline") == std::string::npos);
}

TEST_CASE("markup escaping covers the five special characters", "[report][svg]") {
  CHECK(markup_escape(R"(<a href="x">&'</a>)") ==
        "&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;");
}
